//! The one model every front end lowers into and the emitter reads: an `ApiSet` of groups,
//! versions and resources, plus the type definitions their objects are made of.

use std::collections::{BTreeMap, BTreeSet};

/// Key of a type definition: the input's own name (`io.k8s.api.core.v1.Pod`), or for an
/// inline schema its parent's key plus the JSON path to it (`...Pod/spec/foo`).
pub type TypeId = String;

/// Everything the inputs describe, merged: what the emitter turns into Rust.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApiSet {
    /// By group name (`""` for the core group, `apps`, `cert-manager.io`).
    pub groups: BTreeMap<String, Group>,
    /// Every type definition to emit, by key.
    pub types: BTreeMap<TypeId, TypeDef>,
    /// What the inputs ask for that the generator could not express as asked (a union whose
    /// alternatives cannot be told apart, an operation it cannot type), each naming the file
    /// and the place in it: printed (`cargo:warning` from `build.rs`, stderr from the CLI),
    /// never fatal, never silent.
    pub warnings: Vec<String>,
    /// Plain (non-Kubernetes) OpenAPI documents, by the group key their types are under:
    /// their operations, as clients.
    pub plain: BTreeMap<String, PlainApi>,
    /// Protobuf messages of the types that have one (the `generated.proto` front end), by
    /// type: empty unless `.proto` files were given.
    pub proto: BTreeMap<TypeId, crate::proto::ProtoMessage>,
}

/// The API of a plain OpenAPI document (no `x-kubernetes-*`): not a Kubernetes API group. Its
/// types are in the model under the group key it is stored by, with an empty version.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlainApi {
    /// The document's `info.title`.
    pub title: String,
    /// Operations by client: the first tag, else the first path segment (`pets`).
    pub clients: BTreeMap<String, Vec<Operation>>,
}

/// One HTTP operation of a plain API, as a typed method.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// Rust method name (`find_pets` for `operationId: findPets`).
    pub rust_name: String,
    pub doc: Option<String>,
    /// Upper case (`GET`).
    pub method: String,
    /// As written (`/pets/{id}`).
    pub path: String,
    /// Path, query and header parameters, in that order.
    pub params: Vec<Param>,
    /// The JSON request body, and whether it is required.
    pub body: Option<(Ty, bool)>,
    /// The success answer's JSON; `None` when it has no body.
    pub response: Option<Ty>,
    /// The error answers' JSON (`default` and 4xx/5xx, when they share one schema).
    pub error: Option<Ty>,
}

/// A parameter of an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// As the API names it.
    pub name: String,
    pub rust_name: String,
    pub location: ParamIn,
    pub ty: Ty,
    pub required: bool,
    pub doc: Option<String>,
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
    Header,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Group {
    /// The API group (`""`, `apps`, `networking.k8s.io`).
    pub name: String,
    /// By version name (`v1`, `v1beta1`).
    pub versions: BTreeMap<String, Version>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Version {
    pub name: String,
    /// By plural (`pods`).
    pub resources: BTreeMap<String, Resource>,
    /// Marked as the storage version (CRDs); informational.
    pub storage: bool,
}

/// Whether objects live in a namespace or at cluster level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Namespaced,
    Cluster,
}

/// What can be done to a resource (or a subresource), in client-go's vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verb {
    Get,
    List,
    Watch,
    Create,
    Update,
    Patch,
    /// Server-side apply: a patch with `application/apply-patch+yaml`.
    Apply,
    Delete,
    DeleteCollection,
    /// Streaming upgrade (exec, attach, port-forward, proxy): kept in the model, not emitted.
    Connect,
}

impl Verb {
    /// Lower-case name as Kubernetes discovery spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::List => "list",
            Verb::Watch => "watch",
            Verb::Create => "create",
            Verb::Update => "update",
            Verb::Patch => "patch",
            Verb::Apply => "apply",
            Verb::Delete => "delete",
            Verb::DeleteCollection => "deletecollection",
            Verb::Connect => "connect",
        }
    }

    /// From a discovery verb or an `x-kubernetes-action` (`post`, `put`, `watchlist`, ...).
    pub fn from_action(action: &str) -> Option<Verb> {
        Some(match action {
            "get" => Verb::Get,
            "list" => Verb::List,
            "watch" | "watchlist" => Verb::Watch,
            "create" | "post" => Verb::Create,
            "update" | "put" => Verb::Update,
            "patch" => Verb::Patch,
            "apply" => Verb::Apply,
            "delete" => Verb::Delete,
            "deletecollection" => Verb::DeleteCollection,
            "connect" => Verb::Connect,
            _ => return None,
        })
    }
}

/// A group, version and kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gvk {
    pub group: String,
    pub version: String,
    pub kind: String,
}

/// One REST resource (`pods` in `core/v1`).
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub kind: String,
    pub plural: String,
    pub singular: String,
    pub scope: Scope,
    pub verbs: BTreeSet<Verb>,
    /// A namespaced resource that can also be listed/watched across all namespaces.
    pub all_namespaces: bool,
    /// The object type: a definition, or `Ty::Json` when no schema is known.
    pub object: Ty,
    pub list_kind: Option<String>,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
    /// By name (`status`, `scale`, `log`).
    pub subresources: BTreeMap<String, Subresource>,
}

/// A subresource (`pods/log`, `deployments/scale`) with the payloads its verbs carry.
#[derive(Clone, Debug, PartialEq)]
pub struct Subresource {
    pub name: String,
    pub verbs: BTreeSet<Verb>,
    /// Body of create/update calls (`Scale`, `Eviction`).
    pub request: Option<Ty>,
    /// What the server answers.
    pub response: Payload,
    /// Typed query parameters (`PodLogOptions`), when known.
    pub params: Option<Ty>,
}

/// The body of a response.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// A JSON object of this type.
    Object(Ty),
    /// Plain text or bytes (logs): streamed.
    Text,
}

/// One type definition.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    pub id: TypeId,
    /// The group/version module it is emitted into.
    pub module: ModuleKey,
    /// Rust identifier, unique in its module once the model is finished.
    pub rust_name: String,
    pub doc: Option<String>,
    pub shape: Shape,
    /// Set for kinds served by an API (`x-kubernetes-group-version-kind`).
    pub gvk: Option<Gvk>,
}

/// Where a type lives: the group (`""` for core) and version.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModuleKey {
    pub group: String,
    pub version: String,
}

impl ModuleKey {
    pub fn new(group: impl Into<String>, version: impl Into<String>) -> Self {
        ModuleKey {
            group: group.into(),
            version: version.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Struct(Vec<Field>),
    /// A closed set of string values.
    Enum(Vec<EnumVariant>),
    /// Another name for a type (`PodList` = `List<Pod>`, a string newtype).
    Alias(Ty),
    /// A served kind known without a schema (discovery, API descriptions): `metadata` typed,
    /// every other member kept as JSON, so nothing is lost on a round trip.
    Untyped,
    /// One of several alternatives (`oneOf`/`anyOf`, or the subtypes of an `allOf` base with
    /// a `discriminator`), each told apart by what `UnionVariant::pick` says.
    Union(Vec<UnionVariant>),
}

/// One alternative of a union.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    /// Rust identifier, unique in its union.
    pub rust_name: String,
    pub ty: Ty,
    /// How a JSON value is recognised as this alternative.
    pub pick: Pick,
}

/// How a union's JSON value picks its alternative; tried in the union's order.
#[derive(Clone, Debug, PartialEq)]
pub enum Pick {
    /// The string member `property` holds one of `values` (a `discriminator`).
    Tag {
        property: String,
        values: Vec<String>,
    },
    /// The value is of this JSON type (the only alternative that is).
    Json(JsonKind),
    /// An object with member `0`, which no other alternative has.
    Member(String),
}

/// The types of JSON values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum JsonKind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The exact JSON name (`hostIP`, `$ref`).
    pub json_name: String,
    /// Rust identifier (`host_ip`, `ref_`).
    pub rust_name: String,
    pub doc: Option<String>,
    pub ty: Ty,
    /// Required fields are plain `T`; the rest `Option<T>`.
    pub required: bool,
    /// Behind a `Box` (cycles, or a large member that is usually absent).
    pub boxed: bool,
    /// Required in Rust but filled with `Default` when the JSON lacks it (`metadata`).
    pub default_if_missing: bool,
    /// The members no other field names, kept in this map (`ty` is a `Ty::Map`) and written
    /// back with the rest (`#[serde(flatten)]`): an object that lists known properties and
    /// also keeps unknown ones (`x-kubernetes-preserve-unknown-fields`, `additionalProperties`
    /// next to `properties`). `json_name` is empty; at most one per struct.
    pub flatten: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumVariant {
    pub json_value: String,
    pub rust_name: String,
}

/// The type of a field, an alias or a payload.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ty {
    Bool,
    I32,
    I64,
    F64,
    String,
    /// `format: byte`: base64 text, kept as the string the server sent.
    Bytes,
    /// RFC 3339 timestamp: `rest_core::meta::Time`.
    Time,
    /// `rest_core::meta::Quantity`.
    Quantity,
    /// `rest_core::meta::IntOrString`.
    IntOrString,
    /// Any JSON value (`x-kubernetes-preserve-unknown-fields`, schema-less).
    Json,
    Vec(Box<Ty>),
    /// An array item or map value that may be `null` (`nullable: true` on `items` or
    /// `additionalProperties`): `Option<T>`. A member that may be absent or `null` is
    /// `Field::optional` instead.
    Nullable(Box<Ty>),
    /// A JSON object with string keys (`additionalProperties`).
    Map(Box<Ty>),
    /// `rest_core::meta::List<T>`.
    List(Box<Ty>),
    /// A definition in this model.
    Named(TypeId),
    /// A type of `rest_core::meta` by its Kubernetes name (`ObjectMeta`).
    Meta(String),
    /// A Rust type defined outside the generated code, by path (`CronTabSpec`): the spec and
    /// status a `#[derive(Resource)]` wraps. What it implements is unknown, so a struct holding
    /// one derives only `Clone` and `Debug` (plus `Settings::extra_derives`).
    Rust(String),
}

impl Ty {
    /// Calls `f` on every definition this type refers to.
    pub fn visit_named(&self, f: &mut impl FnMut(&TypeId)) {
        match self {
            Ty::Named(id) => f(id),
            Ty::Vec(inner) | Ty::Nullable(inner) | Ty::Map(inner) | Ty::List(inner) => {
                inner.visit_named(f)
            }
            _ => {}
        }
    }
}

impl TypeDef {
    /// Every definition this one refers to.
    pub fn references(&self) -> BTreeSet<TypeId> {
        let mut out = BTreeSet::new();
        let mut add = |id: &TypeId| {
            out.insert(id.clone());
        };
        match &self.shape {
            Shape::Struct(fields) => fields.iter().for_each(|f| f.ty.visit_named(&mut add)),
            Shape::Alias(ty) => ty.visit_named(&mut add),
            Shape::Union(variants) => variants.iter().for_each(|v| v.ty.visit_named(&mut add)),
            Shape::Enum(_) | Shape::Untyped => {}
        }
        out
    }
}

impl ApiSet {
    /// Every `(group, version, resource)`, in order.
    pub fn resources(&self) -> impl Iterator<Item = (&Group, &Version, &Resource)> {
        self.groups.values().flat_map(|g| {
            g.versions
                .values()
                .flat_map(move |v| v.resources.values().map(move |r| (g, v, r)))
        })
    }

    /// The group/version modules that have types or resources, in order.
    pub fn modules(&self) -> BTreeSet<ModuleKey> {
        let mut out: BTreeSet<ModuleKey> = self.types.values().map(|t| t.module.clone()).collect();
        for g in self.groups.values() {
            for v in g.versions.values() {
                if !v.resources.is_empty() {
                    out.insert(ModuleKey::new(&g.name, &v.name));
                }
            }
        }
        out
    }
}
