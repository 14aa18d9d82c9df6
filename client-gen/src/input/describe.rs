//! API descriptions: a short YAML file for APIs that have no OpenAPI, CRD or discovery
//! document. One document per group version:
//!
//! ```yaml
//! kind: APIDescription
//! group: example.com          # "" (or "core") for the core group
//! version: v1
//! resources:
//! - kind: Widget
//!   plural: widgets
//!   scope: Namespaced          # or Cluster (default Namespaced)
//!   verbs: [get, list, watch, create, update, patch, delete]   # default: all
//!   subresources: [status, scale]   # or {name: x, verbs: [get], type: crate::X}
//!   type: crate::Widget        # a type implementing rest_core::Resource; default untyped
//! ```
//!
//! A `type` is written into modules nested two deep: give an absolute path (`crate::x::Y`,
//! `other_crate::Y`).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use serde_json::Value;

use crate::error::Error;
use crate::input::{builtin, crd::CUSTOM_RESOURCE_VERBS, discovery, Document};
use crate::model::{ApiSet, Group, Gvk, Payload, Resource, Scope, Subresource, Ty, Verb, Version};

/// The `kind` of a description document.
pub const KIND: &str = "APIDescription";

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Described {
    kind: String,
    plural: String,
    #[serde(default)]
    singular: Option<String>,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    verbs: Option<Vec<String>>,
    #[serde(default)]
    subresources: Vec<Value>,
    #[serde(default, rename = "type")]
    rust_type: Option<String>,
    #[serde(default)]
    list_kind: Option<String>,
    #[serde(default)]
    short_names: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DescribedSubresource {
    name: String,
    #[serde(default)]
    verbs: Option<Vec<String>>,
    #[serde(default, rename = "type")]
    rust_type: Option<String>,
}

/// Lowers one description; `known` types kinds other inputs define (`Scale`, or the kind
/// itself when it has a schema elsewhere).
pub fn lower(doc: &Document, known: &ApiSet) -> Result<ApiSet, Error> {
    for key in doc.json.as_object().into_iter().flat_map(|m| m.keys()) {
        if !["apiVersion", "kind", "group", "version", "resources"].contains(&key.as_str()) {
            return Err(doc.error_at(
                &format!("/{key}"),
                format!(
                    "unknown field `{key}` of an APIDescription (known: group, version, resources)"
                ),
            ));
        }
    }
    let group = match doc.json.get("group") {
        Some(Value::String(g)) if g == "core" => String::new(),
        Some(Value::String(g)) => g.clone(),
        Some(Value::Null) | None => {
            return Err(doc.error_at(
                "/group",
                "APIDescription needs `group` (\"\" or core for the core group)",
            ))
        }
        Some(_) => return Err(doc.error_at("/group", "`group` must be a string")),
    };
    let version = match doc.json.get("version").and_then(Value::as_str) {
        Some(v) if !v.is_empty() => v.to_owned(),
        _ => return Err(doc.error_at("/version", "APIDescription needs `version` (v1, ...)")),
    };
    let entries = match doc.json.get("resources") {
        Some(Value::Array(list)) if !list.is_empty() => list,
        _ => {
            return Err(doc.error_at(
                "/resources",
                "APIDescription needs `resources`: a list of {kind, plural, ...}",
            ))
        }
    };
    let by_gvk = discovery::kinds(known);
    let mut set = ApiSet::default();
    let mut resources = BTreeMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("/resources/{i}");
        let d: Described = serde_json::from_value(entry.clone())
            .map_err(|e| doc.error_at(&at, format!("resource: {e}")))?;
        if resources.contains_key(&d.plural) {
            return Err(doc.error_at(&at, format!("resource {} is described twice", d.plural)));
        }
        let gvk = Gvk {
            group: group.clone(),
            version: version.clone(),
            kind: d.kind.clone(),
        };
        let object = match &d.rust_type {
            Some(path) => rust_type(doc, path, &format!("{at}/type"))?,
            None => match by_gvk.get(&gvk) {
                Some(id) => Ty::Named(id.clone()),
                None => discovery::untyped(
                    &mut set,
                    &gvk,
                    &format!("`{}` (untyped: described without a schema).", d.kind),
                ),
            },
        };
        let scope = match d.scope.as_deref() {
            None | Some("Namespaced") => Scope::Namespaced,
            Some("Cluster") => Scope::Cluster,
            Some(other) => {
                return Err(doc.error_at(
                    &format!("{at}/scope"),
                    format!("scope {other:?} is neither Namespaced nor Cluster"),
                ))
            }
        };
        let verbs = match &d.verbs {
            Some(list) => discovery::verbs(doc, list, &format!("{at}/verbs"))?,
            None => CUSTOM_RESOURCE_VERBS.into_iter().collect(),
        };
        let mut subresources = BTreeMap::new();
        for (j, sub) in d.subresources.iter().enumerate() {
            let sub_at = format!("{at}/subresources/{j}");
            let sub = subresource(doc, sub, &sub_at, &object)?;
            subresources.insert(sub.name.clone(), sub);
        }
        resources.insert(
            d.plural.clone(),
            Resource {
                singular: d.singular.unwrap_or_else(|| d.kind.to_lowercase()),
                list_kind: Some(d.list_kind.unwrap_or_else(|| format!("{}List", d.kind))),
                kind: d.kind,
                plural: d.plural,
                scope,
                all_namespaces: scope == Scope::Namespaced && verbs.contains(&Verb::List),
                verbs,
                object,
                short_names: d.short_names,
                categories: d.categories,
                subresources,
            },
        );
    }
    set.groups.insert(
        group.clone(),
        Group {
            name: group,
            versions: BTreeMap::from([(
                version.clone(),
                Version {
                    name: version,
                    resources,
                    storage: false,
                },
            )]),
        },
    );
    Ok(set)
}

/// A subresource: `status` (the object), `scale` (`autoscaling/v1` `Scale`), or any other
/// name with its verbs and an optional Rust type (JSON otherwise).
fn subresource(doc: &Document, entry: &Value, at: &str, object: &Ty) -> Result<Subresource, Error> {
    let spec = match entry {
        Value::String(name) => DescribedSubresource {
            name: name.clone(),
            verbs: None,
            rust_type: None,
        },
        other => serde_json::from_value(other.clone())
            .map_err(|e| doc.error_at(at, format!("subresource: {e}")))?,
    };
    let verbs = match &spec.verbs {
        // `patch` brings `apply`, as on the resource itself.
        Some(list) => discovery::verbs(doc, list, &format!("{at}/verbs"))?,
        None => BTreeSet::from([Verb::Get, Verb::Update, Verb::Patch, Verb::Apply]),
    };
    let ty = match (&spec.rust_type, spec.name.as_str()) {
        (Some(path), _) => rust_type(doc, path, &format!("{at}/type"))?,
        (None, "status") => object.clone(),
        (None, "scale") => Ty::Named(builtin::SCALE.to_owned()),
        (None, _) => Ty::Json,
    };
    Ok(Subresource {
        request: (ty != *object).then(|| ty.clone()),
        response: Payload::Object(ty),
        name: spec.name,
        verbs,
        params: None,
    })
}

/// A Rust type path, checked to parse.
fn rust_type(doc: &Document, path: &str, at: &str) -> Result<Ty, Error> {
    match syn::parse_str::<syn::Type>(path) {
        Ok(_) => Ok(Ty::Rust(path.to_owned())),
        Err(e) => Err(doc.error_at(at, format!("`{path}` is not a Rust type: {e}"))),
    }
}
