//! Lowers a checked kind into client-gen's model, the same model every generator input
//! lowers into, so the shared emitter writes its root type, `Resource` impl and typed client.

use std::collections::{BTreeMap, BTreeSet};

use client_gen_core::model::{
    ApiSet, Field, Group, Gvk, ModuleKey, Payload, Resource, Scope, Shape, Subresource, Ty,
    TypeDef, Verb, Version,
};
use client_gen_core::settings::{SerdeStyle, Settings, TypeMeta};

use crate::attrs;
use crate::kind::Kind;

/// Stands for the spec type in the emitted tokens until the user's spanned type replaces it.
pub const SPEC: &str = "__RestDeriveSpec";
/// The same for the status type.
pub const STATUS: &str = "__RestDeriveStatus";

/// The emitter's settings for a derive: serde derives, `apiVersion`/`kind` written from the
/// kind, the user's rest-core path and extra derives.
pub fn settings(k: &Kind) -> Settings {
    Settings {
        rest_core: k.krate.clone(),
        serde: SerdeStyle::Derive,
        type_meta: TypeMeta::Constant,
        extra_derives: k.derives.clone(),
        clients: true,
        ..Settings::default()
    }
}

pub fn module(k: &Kind) -> ModuleKey {
    ModuleKey::new(&k.group, &k.version)
}

/// One group, one version, one resource, one type: the root of the kind.
pub fn api_set(k: &Kind) -> ApiSet {
    let id = format!("{}.{}.{}", k.group, k.version, k.kind);
    let object = Ty::Named(id.clone());
    let mut fields = vec![
        field(
            "metadata",
            Ty::Meta("ObjectMeta".into()),
            true,
            "Standard object metadata: name, namespace, labels, annotations, versions.",
        ),
        field(
            "spec",
            Ty::Rust(SPEC.into()),
            true,
            "What the object should be.",
        ),
    ];
    let mut subresources = BTreeMap::new();
    // What the API server serves on a custom resource's status and scale (as client-gen's
    // CRD front end reads them back).
    let edit = BTreeSet::from([Verb::Get, Verb::Update, Verb::Patch, Verb::Apply]);
    if k.status.is_some() {
        fields.push(field(
            "status",
            Ty::Rust(STATUS.into()),
            false,
            "What the object is, as last observed (written through the status subresource).",
        ));
        subresources.insert(
            "status".to_owned(),
            Subresource {
                name: "status".into(),
                verbs: edit.clone(),
                request: None,
                response: Payload::Object(object.clone()),
                params: None,
            },
        );
    }
    if k.scale.is_some() {
        // autoscaling/v1 Scale is no type of the user's crate: plain JSON.
        let json = Ty::Rust(format!("{}::derive_support::serde_json::Value", k.krate));
        subresources.insert(
            "scale".to_owned(),
            Subresource {
                name: "scale".into(),
                verbs: edit,
                request: Some(json.clone()),
                response: Payload::Object(json),
                params: None,
            },
        );
    }
    let scope = match k.scope {
        attrs::Scope::Namespaced => Scope::Namespaced,
        attrs::Scope::Cluster => Scope::Cluster,
    };
    let resource = Resource {
        kind: k.kind.clone(),
        plural: k.plural.clone(),
        singular: k.singular.clone(),
        scope,
        verbs: BTreeSet::from([
            Verb::Get,
            Verb::List,
            Verb::Watch,
            Verb::Create,
            Verb::Update,
            Verb::Patch,
            Verb::Apply,
            Verb::Delete,
            Verb::DeleteCollection,
        ]),
        all_namespaces: scope == Scope::Namespaced,
        object,
        list_kind: Some(format!("{}List", k.kind)),
        short_names: k.shortnames.clone(),
        categories: k.categories.clone(),
        subresources,
    };
    let version = Version {
        name: k.version.clone(),
        resources: BTreeMap::from([(k.plural.clone(), resource)]),
        storage: true,
    };
    let group = Group {
        name: k.group.clone(),
        versions: BTreeMap::from([(k.version.clone(), version)]),
    };
    let def = TypeDef {
        id: id.clone(),
        module: module(k),
        rust_name: k.kind.clone(),
        doc: Some(format!(
            "`{}` of `{}/{}`, the custom resource whose spec is `{}` (made by `#[derive(Resource)]`).",
            k.kind, k.group, k.version, k.spec
        )),
        shape: Shape::Struct(fields),
        gvk: Some(Gvk {
            group: k.group.clone(),
            version: k.version.clone(),
            kind: k.kind.clone(),
        }),
    };
    let mut set = ApiSet {
        groups: BTreeMap::from([(k.group.clone(), group)]),
        types: BTreeMap::from([(id, def)]),
        ..ApiSet::default()
    };
    client_gen_core::finish::finish(&mut set, &settings(k));
    set
}

fn field(name: &str, ty: Ty, required: bool, doc: &str) -> Field {
    Field {
        json_name: name.into(),
        rust_name: name.into(),
        doc: Some(doc.into()),
        ty,
        required,
        boxed: false,
        default_if_missing: name == "metadata",
        flatten: false,
    }
}
