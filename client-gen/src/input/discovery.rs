//! Discovery front end: `APIResourceList` (`/apis/<group>/<version>`), aggregated
//! `APIGroupDiscoveryList` (`/apis` as `apidiscovery.k8s.io/v2`) and `APIGroupList` become
//! resources. Objects are typed when another input defines their kind, untyped otherwise.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::Error;
use crate::input::{builtin, crd, Document};
use crate::model::{
    ApiSet, Group, Gvk, ModuleKey, Payload, Resource, Scope, Shape, Subresource, Ty, TypeDef, Verb,
    Version,
};
use crate::names;

/// The document kinds this front end reads.
pub const KINDS: &[&str] = &[
    "APIResourceList",
    "APIGroupList",
    "APIGroupDiscoveryList",
    "APIVersions",
];

/// One discovered resource, whatever document it came from.
#[derive(Debug, Default)]
struct Found {
    group: String,
    version: String,
    plural: String,
    kind: String,
    namespaced: bool,
    verbs: Vec<String>,
    singular: String,
    short_names: Vec<String>,
    categories: Vec<String>,
    /// `(name, kind of what it answers, verbs)`.
    subresources: Vec<(String, Gvk, Vec<String>)>,
    /// Pointer of the entry, for errors.
    pointer: String,
}

/// Lowers one discovery document; `known` is what the other inputs describe (typed kinds,
/// and resources they already serve, which are left to them).
pub fn lower(doc: &Document, known: &ApiSet) -> Result<ApiSet, Error> {
    let found = match doc.kind() {
        "APIResourceList" => resource_list(doc)?,
        "APIGroupDiscoveryList" => aggregated(doc)?,
        kind => {
            // Groups and versions without resources: nothing to generate from.
            tracing::info!(file = %doc.file, kind, "no resources listed: give the APIResourceList of each group version");
            Vec::new()
        }
    };
    let by_gvk = kinds(known);
    let mut set = ApiSet::default();
    for f in found {
        let served_already = known
            .groups
            .get(&f.group)
            .and_then(|g| g.versions.get(&f.version))
            .is_some_and(|v| v.resources.contains_key(&f.plural));
        if served_already {
            continue;
        }
        let gvk = Gvk {
            group: f.group.clone(),
            version: f.version.clone(),
            kind: f.kind.clone(),
        };
        let object = match by_gvk.get(&gvk) {
            Some(id) => Ty::Named(id.clone()),
            None => untyped(
                &mut set,
                &gvk,
                &format!("`{}` (untyped: no schema was given).", f.kind),
            ),
        };
        let resource = to_resource(&f, object, &by_gvk);
        set.groups
            .entry(f.group.clone())
            .or_insert_with(|| Group {
                name: f.group.clone(),
                versions: BTreeMap::new(),
            })
            .versions
            .entry(f.version.clone())
            .or_insert_with(|| Version {
                name: f.version.clone(),
                ..Version::default()
            })
            .resources
            .insert(f.plural.clone(), resource);
    }
    Ok(set)
}

/// Every kind the model defines, by GVK.
pub(crate) fn kinds(set: &ApiSet) -> BTreeMap<Gvk, String> {
    set.types
        .values()
        .filter_map(|d| d.gvk.clone().map(|g| (g, d.id.clone())))
        .collect()
}

/// Adds an untyped definition for a kind (once) and returns its type.
pub(crate) fn untyped(set: &mut ApiSet, gvk: &Gvk, doc: &str) -> Ty {
    let id = crd::definition_id(&gvk.group, &gvk.version, &gvk.kind);
    set.types.entry(id.clone()).or_insert_with(|| TypeDef {
        id: id.clone(),
        module: ModuleKey::new(&gvk.group, &gvk.version),
        rust_name: names::type_name(&gvk.kind),
        doc: Some(doc.to_owned()),
        shape: Shape::Untyped,
        gvk: Some(gvk.clone()),
    });
    Ty::Named(id)
}

/// Verbs as discovery spells them; `patch` brings server-side apply (every resource has it
/// since Kubernetes 1.22).
pub(crate) fn verbs(
    doc: &Document,
    list: &[String],
    pointer: &str,
) -> Result<BTreeSet<Verb>, Error> {
    let mut out = BTreeSet::new();
    for v in list {
        match Verb::from_action(v) {
            Some(verb) => {
                out.insert(verb);
            }
            None => {
                return Err(doc.error_at(
                    pointer,
                    format!(
                        "unknown verb {v:?} (known: get, list, watch, create, update, patch, \
                         apply, delete, deletecollection)"
                    ),
                ))
            }
        }
    }
    if out.contains(&Verb::Patch) {
        out.insert(Verb::Apply);
    }
    Ok(out)
}

fn to_resource(f: &Found, object: Ty, by_gvk: &BTreeMap<Gvk, String>) -> Resource {
    // Servers may list verbs of their own: the known ones make the client.
    let mut verbs = verbs_lenient(&f.verbs);
    if verbs.contains(&Verb::Patch) {
        verbs.insert(Verb::Apply);
    }
    let mut subresources = BTreeMap::new();
    for (name, gvk, sub_verbs) in &f.subresources {
        let pointer = format!("{}/subresources", f.pointer);
        // A response kind without group and version is the resource's own group version.
        let mut gvk = gvk.clone();
        if gvk.version.is_empty() {
            gvk.group = f.group.clone();
            gvk.version = f.version.clone();
        }
        let gvk = &gvk;
        let mut sub_verbs = verbs_lenient(sub_verbs);
        // As for resources: discovery lists no `apply`, the server takes it wherever `patch`.
        if sub_verbs.contains(&Verb::Patch) {
            sub_verbs.insert(Verb::Apply);
        }
        let typed = |gvk: &Gvk| -> Ty {
            if gvk.kind == f.kind && gvk.group == f.group && gvk.version == f.version {
                return object.clone();
            }
            if (gvk.group.as_str(), gvk.version.as_str(), gvk.kind.as_str())
                == ("autoscaling", "v1", "Scale")
            {
                return Ty::Named(builtin::SCALE.to_owned());
            }
            by_gvk.get(gvk).map_or(Ty::Json, |id| Ty::Named(id.clone()))
        };
        let (request, response) = if gvk.kind.ends_with("Options") {
            // exec, attach, portforward, proxy: streaming upgrades, named after their options.
            sub_verbs = BTreeSet::from([Verb::Connect]);
            (None, Payload::Text)
        } else if name == "log" {
            (None, Payload::Text)
        } else {
            let ty = typed(gvk);
            ((ty != object).then(|| ty.clone()), Payload::Object(ty))
        };
        if sub_verbs.is_empty() {
            tracing::debug!(%pointer, name, "subresource without known verbs: skipped");
            continue;
        }
        subresources.insert(
            name.clone(),
            Subresource {
                name: name.clone(),
                verbs: sub_verbs,
                request,
                response,
                params: None,
            },
        );
    }
    let scope = if f.namespaced {
        Scope::Namespaced
    } else {
        Scope::Cluster
    };
    Resource {
        kind: f.kind.clone(),
        plural: f.plural.clone(),
        singular: if f.singular.is_empty() {
            f.kind.to_lowercase()
        } else {
            f.singular.clone()
        },
        scope,
        all_namespaces: f.namespaced && verbs.contains(&Verb::List),
        verbs,
        object,
        list_kind: Some(format!("{}List", f.kind)),
        short_names: f.short_names.clone(),
        categories: f.categories.clone(),
        subresources,
    }
}

/// Subresource verbs: the known ones (subresources list odd ones, like `pods/exec`'s `get`).
fn verbs_lenient(list: &[String]) -> BTreeSet<Verb> {
    list.iter().filter_map(|v| Verb::from_action(v)).collect()
}

/// `group/version` -> (group, version); `v1` is the core group.
fn split_group_version(gv: &str) -> (String, String) {
    match gv.split_once('/') {
        Some((g, v)) => (g.to_owned(), v.to_owned()),
        None => (String::new(), gv.to_owned()),
    }
}

fn string(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_owned()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// An `APIResourceList`: `name` is a plural or `plural/subresource`.
fn resource_list(doc: &Document) -> Result<Vec<Found>, Error> {
    let gv = string(&doc.json, "groupVersion");
    if gv.is_empty() {
        return Err(doc.error_at("/groupVersion", "APIResourceList without `groupVersion`"));
    }
    let (group, version) = split_group_version(&gv);
    let entries = doc
        .json
        .get("resources")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut main: BTreeMap<String, Found> = BTreeMap::new();
    let mut subs = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let pointer = format!("/resources/{i}");
        let name = string(entry, "name");
        let kind = string(entry, "kind");
        if name.is_empty() || kind.is_empty() {
            return Err(doc.error_at(&pointer, "a resource needs a `name` and a `kind`"));
        }
        if let Some((parent, sub)) = name.split_once('/') {
            let sub_gvk = Gvk {
                group: entry
                    .get("group")
                    .and_then(Value::as_str)
                    .map_or_else(|| group.clone(), str::to_owned),
                version: entry
                    .get("version")
                    .and_then(Value::as_str)
                    .map_or_else(|| version.clone(), str::to_owned),
                kind,
            };
            subs.push((
                parent.to_owned(),
                sub.to_owned(),
                sub_gvk,
                strings(entry, "verbs"),
            ));
            continue;
        }
        main.insert(
            name.clone(),
            Found {
                group: group.clone(),
                version: version.clone(),
                plural: name,
                kind,
                namespaced: entry
                    .get("namespaced")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                verbs: strings(entry, "verbs"),
                singular: string(entry, "singularName"),
                short_names: strings(entry, "shortNames"),
                categories: strings(entry, "categories"),
                subresources: Vec::new(),
                pointer,
            },
        );
    }
    for (parent, sub, gvk, verbs) in subs {
        match main.get_mut(&parent) {
            Some(f) => f.subresources.push((sub, gvk, verbs)),
            None => tracing::debug!(parent, sub, "subresource of an unlisted resource: skipped"),
        }
    }
    Ok(main.into_values().collect())
}

/// An aggregated discovery document (`apidiscovery.k8s.io/v2`): every group, version and
/// resource with its subresources, in one document.
fn aggregated(doc: &Document) -> Result<Vec<Found>, Error> {
    let mut out = Vec::new();
    let groups = doc
        .json
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (gi, group_entry) in groups.iter().enumerate() {
        let group = group_entry
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let versions = group_entry
            .get("versions")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (vi, version_entry) in versions.iter().enumerate() {
            let version = string(version_entry, "version");
            let resources = version_entry
                .get("resources")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for (ri, r) in resources.iter().enumerate() {
                let pointer = format!("/items/{gi}/versions/{vi}/resources/{ri}");
                let plural = string(r, "resource");
                let kind = r
                    .pointer("/responseKind/kind")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned();
                if plural.is_empty() || kind.is_empty() || version.is_empty() {
                    return Err(doc.error_at(
                        &pointer,
                        "a resource needs a `resource`, a `responseKind.kind` and a version",
                    ));
                }
                let subresources = r
                    .get("subresources")
                    .and_then(Value::as_array)
                    .map(|subs| {
                        subs.iter()
                            .map(|s| {
                                let kind_of = |k: &str| {
                                    s.pointer(&format!("/responseKind/{k}"))
                                        .and_then(Value::as_str)
                                        .unwrap_or("")
                                        .to_owned()
                                };
                                let gvk = Gvk {
                                    group: kind_of("group"),
                                    version: kind_of("version"),
                                    kind: kind_of("kind"),
                                };
                                (string(s, "subresource"), gvk, strings(s, "verbs"))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                out.push(Found {
                    group: group.clone(),
                    version: version.clone(),
                    plural,
                    kind,
                    namespaced: string(r, "scope") == "Namespaced",
                    verbs: strings(r, "verbs"),
                    singular: string(r, "singularResource"),
                    short_names: strings(r, "shortNames"),
                    categories: strings(r, "categories"),
                    subresources,
                    pointer,
                });
            }
        }
    }
    Ok(out)
}
