//! CustomResourceDefinition front end (`apiextensions.k8s.io/v1`): every served version of a
//! CRD becomes a resource (scope, names, status and scale subresources) and its
//! `openAPIV3Schema` becomes types through the shared schema lowering.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::error::Error;
use crate::input::schema::{Naming, SchemaLowering};
use crate::input::{builtin, crd_schema, dedup, well_known, Document, Format};
use crate::model::{
    ApiSet, Group, Gvk, ModuleKey, Payload, Resource, Scope, Shape, Subresource, Ty, TypeDef, Verb,
    Version,
};
use crate::names;

/// The verbs the API server serves for every custom resource.
pub(crate) const CUSTOM_RESOURCE_VERBS: [Verb; 9] = [
    Verb::Get,
    Verb::List,
    Verb::Watch,
    Verb::Create,
    Verb::Update,
    Verb::Patch,
    Verb::Apply,
    Verb::Delete,
    Verb::DeleteCollection,
];

/// Key of a kind's definition, as the API server's own OpenAPI names CRD kinds
/// (`cert-manager.io`, `v1`, `Certificate` -> `io.cert-manager.v1.Certificate`).
pub(crate) fn definition_id(group: &str, version: &str, kind: &str) -> String {
    let mut labels: Vec<&str> = group.split('.').filter(|l| !l.is_empty()).collect();
    labels.reverse();
    if labels.is_empty() {
        labels.push("core");
    }
    format!("{}.{version}.{kind}", labels.join("."))
}

/// What a CRD says, read and checked.
struct Crd<'a> {
    doc: &'a Document,
    name: String,
    group: String,
    kind: String,
    plural: String,
    singular: String,
    list_kind: String,
    short_names: Vec<String>,
    categories: Vec<String>,
    scope: Scope,
    versions: Vec<&'a Value>,
}

impl<'a> Crd<'a> {
    fn read(doc: &'a Document) -> Result<Crd<'a>, Error> {
        let api_version = doc.json.get("apiVersion").and_then(Value::as_str);
        if api_version != Some("apiextensions.k8s.io/v1") {
            let found = api_version.unwrap_or("none");
            return Err(doc.error_at(
                "/apiVersion",
                format!(
                    "CustomResourceDefinition of apiVersion {found}: only apiextensions.k8s.io/v1 \
                     is read (v1beta1 was removed in Kubernetes 1.22; convert the manifest)"
                ),
            ));
        }
        let name = doc
            .json
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("(unnamed)")
            .to_owned();
        let text = |pointer: &str| -> Result<String, Error> {
            match doc.json.pointer(pointer).and_then(Value::as_str) {
                Some(s) if !s.is_empty() => Ok(s.to_owned()),
                _ => Err(doc.error_at(
                    pointer,
                    format!(
                        "CustomResourceDefinition {name}: `{}` is required",
                        dotted(pointer)
                    ),
                )),
            }
        };
        let group = text("/spec/group")?;
        let kind = text("/spec/names/kind")?;
        let plural = text("/spec/names/plural")?;
        let optional = |pointer: &str| doc.json.pointer(pointer).and_then(Value::as_str);
        let singular =
            optional("/spec/names/singular").map_or_else(|| kind.to_lowercase(), str::to_owned);
        let list_kind =
            optional("/spec/names/listKind").map_or_else(|| format!("{kind}List"), str::to_owned);
        let scope = match text("/spec/scope")?.as_str() {
            "Namespaced" => Scope::Namespaced,
            "Cluster" => Scope::Cluster,
            other => {
                return Err(doc.error_at(
                    "/spec/scope",
                    format!("CustomResourceDefinition {name}: scope {other:?} is neither Namespaced nor Cluster"),
                ))
            }
        };
        let versions: Vec<&Value> = match doc.json.pointer("/spec/versions") {
            Some(Value::Array(list)) if !list.is_empty() => list.iter().collect(),
            _ => {
                return Err(doc.error_at(
                    "/spec/versions",
                    format!("CustomResourceDefinition {name}: `spec.versions` lists no version"),
                ))
            }
        };
        Ok(Crd {
            short_names: strings(doc.json.pointer("/spec/names/shortNames")),
            categories: strings(doc.json.pointer("/spec/names/categories")),
            doc,
            name,
            group,
            kind,
            plural,
            singular,
            list_kind,
            scope,
            versions,
        })
    }

    /// `(index, name, storage)` of every served version; errors for what the API server
    /// would refuse (no storage version, two, nothing served) or client-gen cannot use.
    fn served_versions(&self) -> Result<Vec<(usize, String, bool)>, Error> {
        let mut served = Vec::new();
        let mut storage = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, v) in self.versions.iter().enumerate() {
            let at = format!("/spec/versions/{i}");
            let Some(name) = v
                .get("name")
                .and_then(Value::as_str)
                .filter(|n| !n.is_empty())
            else {
                return Err(self.error(&format!("{at}/name"), "a version without a name"));
            };
            if !seen.insert(name) {
                return Err(self.error(&at, &format!("version {name} is listed twice")));
            }
            let flag = |field: &str| -> Result<bool, Error> {
                v.get(field).and_then(Value::as_bool).ok_or_else(|| {
                    self.error(
                        &format!("{at}/{field}"),
                        &format!("version {name}: `{field}` (true or false) is required"),
                    )
                })
            };
            let is_storage = flag("storage")?;
            if is_storage {
                storage.push(name);
            }
            if flag("served")? {
                served.push((i, name.to_owned(), is_storage));
            } else {
                tracing::debug!(crd = %self.name, version = name, "version not served: skipped");
            }
        }
        if storage.len() != 1 {
            let message = format!(
                "exactly one version must be the storage version, found {}",
                if storage.is_empty() {
                    "none".to_owned()
                } else {
                    storage.join(", ")
                }
            );
            return Err(self.error("/spec/versions", &message));
        }
        if served.is_empty() {
            return Err(self.error(
                "/spec/versions",
                "no version is served (`served: true`): there is nothing to generate a client for",
            ));
        }
        Ok(served)
    }

    fn error(&self, pointer: &str, message: &str) -> Error {
        self.doc.error_at(
            pointer,
            format!("CustomResourceDefinition {}: {message}", self.name),
        )
    }

    /// Types and resource of one served version.
    fn lower_version(
        &self,
        index: usize,
        version: &str,
        types: &mut BTreeMap<String, TypeDef>,
        warnings: &mut Vec<String>,
    ) -> Result<Resource, Error> {
        let at = format!("/spec/versions/{index}");
        let entry = self.versions[index];
        let schema_at = format!("{at}/schema/openAPIV3Schema");
        let Some(schema) = entry.pointer("/schema/openAPIV3Schema") else {
            return Err(self.error(
                &format!("{at}/schema"),
                &format!(
                    "version {version} has no schema (`schema.openAPIV3Schema`): client-gen \
                     needs one to generate types"
                ),
            ));
        };
        if !schema.is_object() {
            return Err(self.error(&schema_at, "the schema is not an object"));
        }
        let module = ModuleKey::new(&self.group, version);
        let id = definition_id(&self.group, version, &self.kind);
        let gvk = Gvk {
            group: self.group.clone(),
            version: version.to_owned(),
            kind: self.kind.clone(),
        };
        let doc_text = crate::input::schema::description(schema)
            .or_else(|| Some(format!("A `{}` of `{}/{version}`.", self.kind, self.group)));
        let object = if crd_schema::is_typed_root(schema) {
            let normalized = crd_schema::normalize_root(schema);
            let defs = Map::new();
            let mut lowering =
                SchemaLowering::new(&self.doc.file, "#/definitions/", &defs, well_known);
            let naming = Naming {
                id: id.clone(),
                rust: names::type_name(&self.kind),
                module: module.clone(),
            };
            let ty = lowering
                .field_ty(&normalized, &schema_at, &naming)
                .map_err(|e| self.doc.locate(e))?;
            dedup::merge_identical(&mut lowering.types);
            warnings.append(&mut lowering.warnings);
            for (key, mut def) in lowering.types {
                if key == id {
                    def.gvk = Some(gvk.clone());
                    def.doc = doc_text.clone();
                }
                types.insert(key, def);
            }
            ty
        } else {
            types.insert(
                id.clone(),
                TypeDef {
                    id: id.clone(),
                    module: module.clone(),
                    rust_name: names::type_name(&self.kind),
                    doc: doc_text,
                    shape: Shape::Untyped,
                    gvk: Some(gvk),
                },
            );
            Ty::Named(id.clone())
        };
        let list_id = definition_id(&self.group, version, &self.list_kind);
        types.insert(
            list_id.clone(),
            TypeDef {
                id: list_id,
                module,
                rust_name: names::type_name(&self.list_kind),
                doc: Some(format!("A list of `{}` objects.", self.kind)),
                shape: Shape::Alias(Ty::List(Box::new(object.clone()))),
                gvk: Some(Gvk {
                    group: self.group.clone(),
                    version: version.to_owned(),
                    kind: self.list_kind.clone(),
                }),
            },
        );
        Ok(Resource {
            kind: self.kind.clone(),
            plural: self.plural.clone(),
            singular: self.singular.clone(),
            scope: self.scope,
            verbs: CUSTOM_RESOURCE_VERBS.into_iter().collect(),
            all_namespaces: self.scope == Scope::Namespaced,
            subresources: subresources(entry, &object),
            object,
            list_kind: Some(self.list_kind.clone()),
            short_names: self.short_names.clone(),
            categories: self.categories.clone(),
        })
    }
}

/// `status` (the object itself) and `scale` (`autoscaling/v1` `Scale`) when declared; the
/// API server serves get, update, patch and apply on both.
fn subresources(version: &Value, object: &Ty) -> BTreeMap<String, Subresource> {
    let verbs: BTreeSet<Verb> = [Verb::Get, Verb::Update, Verb::Patch, Verb::Apply].into();
    let mut out = BTreeMap::new();
    let declared = |name: &str| version.pointer(&format!("/subresources/{name}")).is_some();
    if declared("status") {
        out.insert(
            "status".to_owned(),
            Subresource {
                name: "status".to_owned(),
                verbs: verbs.clone(),
                request: None,
                response: Payload::Object(object.clone()),
                params: None,
            },
        );
    }
    if declared("scale") {
        let scale = Ty::Named(builtin::SCALE.to_owned());
        out.insert(
            "scale".to_owned(),
            Subresource {
                name: "scale".to_owned(),
                verbs,
                request: Some(scale.clone()),
                response: Payload::Object(scale),
                params: None,
            },
        );
    }
    out
}

/// Lowers one CRD: a group with one version per served version.
pub fn lower(doc: &Document) -> Result<ApiSet, Error> {
    let crd = Crd::read(doc)?;
    let mut types = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut versions = BTreeMap::new();
    for (index, version, storage) in crd.served_versions()? {
        let resource = crd.lower_version(index, &version, &mut types, &mut warnings)?;
        versions.insert(
            version.clone(),
            Version {
                name: version,
                resources: BTreeMap::from([(crd.plural.clone(), resource)]),
                storage,
            },
        );
    }
    let group = Group {
        name: crd.group.clone(),
        versions,
    };
    Ok(ApiSet {
        groups: BTreeMap::from([(crd.group.clone(), group)]),
        types,
        warnings,
        ..ApiSet::default()
    })
}

/// Two different CRDs may not define one kind (or one plural) of a group: their types and
/// clients would collide. The same CRD given twice is fine.
pub(crate) fn check_kinds(docs: &[Document]) -> Result<(), Error> {
    let mut kinds: BTreeMap<(String, String), (String, &Document)> = BTreeMap::new();
    let mut plurals: BTreeMap<(String, String), String> = BTreeMap::new();
    for doc in docs {
        if crate::input::detect(doc).ok() != Some(Format::Crd) {
            continue;
        }
        let at = |p: &str| doc.json.pointer(p).and_then(Value::as_str).unwrap_or("");
        let (name, group) = (at("/metadata/name"), at("/spec/group"));
        let (kind, plural) = (at("/spec/names/kind"), at("/spec/names/plural"));
        let key = (group.to_owned(), kind.to_owned());
        if let Some((first, first_doc)) = kinds.get(&key) {
            if first != name {
                let place = match first_doc.error_at("/spec/names/kind", "") {
                    Error::At { file, line, .. } => format!("{file}:{line}"),
                    _ => first_doc.file.clone(),
                };
                return Err(doc.error_at(
                    "/spec/names/kind",
                    format!(
                        "CustomResourceDefinition {name}: kind {kind} of group {group} is already \
                         defined by CustomResourceDefinition {first} ({place})"
                    ),
                ));
            }
        }
        kinds.insert(key, (name.to_owned(), doc));
        let key = (group.to_owned(), plural.to_owned());
        if let Some(first) = plurals.get(&key) {
            if first != name {
                return Err(doc.error_at(
                    "/spec/names/plural",
                    format!(
                        "CustomResourceDefinition {name}: plural {plural} of group {group} is \
                         already served by CustomResourceDefinition {first}"
                    ),
                ));
            }
        }
        plurals.insert(key, name.to_owned());
    }
    Ok(())
}

/// `/spec/names/kind` -> `spec.names.kind`.
fn dotted(pointer: &str) -> String {
    pointer.trim_start_matches('/').replace('/', ".")
}

fn strings(list: Option<&Value>) -> Vec<String> {
    list.and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::definition_id;

    #[test]
    fn definition_ids_follow_the_api_servers_openapi_names() {
        assert_eq!(
            definition_id("cert-manager.io", "v1", "Certificate"),
            "io.cert-manager.v1.Certificate"
        );
        assert_eq!(definition_id("", "v1", "Pod"), "core.v1.Pod");
    }
}
