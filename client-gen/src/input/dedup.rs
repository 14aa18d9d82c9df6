//! One Rust type per distinct inline schema of a CRD version. CRD schemas are trees with no
//! `$ref`s, so the same shape appears again and again (every container of a pod template,
//! `source` and `sources[]`): identical inline types (same members, docs, module) are merged
//! into one, named after what its places have in common (`merged_name`). Upstream CRDs
//! shrink to about 40% of the types.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Shape, Ty, TypeDef, TypeId};

/// Merges identical inline types (ids with a `/`) of `types` and points every reference at
/// the survivor. Named types (roots, list aliases) are kept as they are.
pub(crate) fn merge_identical(types: &mut BTreeMap<TypeId, TypeDef>) {
    let inline: Vec<TypeId> = types
        .keys()
        .filter(|id| id.contains('/'))
        .cloned()
        .collect();
    let mut classes = Classes::default();
    for id in &inline {
        classes.class_of(id, types);
    }
    // Per class, the member with the shortest name (then the first by name) survives.
    let mut survivor: BTreeMap<usize, &TypeDef> = BTreeMap::new();
    for id in &inline {
        let (Some(def), Some(&class)) = (types.get(id), classes.of.get(id)) else {
            continue;
        };
        let better = survivor.get(&class).is_none_or(|best| {
            (def.rust_name.len(), &def.rust_name) < (best.rust_name.len(), &best.rust_name)
        });
        if better {
            survivor.insert(class, def);
        }
    }
    let rename: BTreeMap<TypeId, TypeId> = inline
        .iter()
        .filter_map(|id| {
            let keep = &survivor.get(classes.of.get(id)?)?.id;
            (keep != id).then(|| (id.clone(), keep.clone()))
        })
        .collect();
    if rename.is_empty() {
        return;
    }
    // Each merged type is named after what its places have in common (see `merged_name`).
    let mut members: BTreeMap<TypeId, Vec<TypeId>> = BTreeMap::new();
    for (from, to) in &rename {
        members.entry(to.clone()).or_default().push(from.clone());
    }
    let mut taken: BTreeSet<String> = types
        .values()
        .filter(|d| !members.contains_key(&d.id) && !rename.contains_key(&d.id))
        .map(|d| d.rust_name.clone())
        .collect();
    let mut names = BTreeMap::new();
    for (keep, others) in &mut members {
        others.push(keep.clone());
        let root = keep.split('/').next().unwrap_or_default();
        let root_name = types.get(root).map_or("", |d| d.rust_name.as_str());
        let mut name = format!("{root_name}{}", merged_name(others));
        if taken.contains(&name) {
            // Taken (the kind's own `Spec`, another merged `Probe`): say where, from the
            // places' parents (`VolumeClaimTemplatesSpec`).
            name = format!("{root_name}{}", merged_name_in_context(others));
        }
        names.insert(keep.clone(), crate::names::unique(name, &mut taken));
    }
    for (id, name) in names {
        if let Some(def) = types.get_mut(&id) {
            def.rust_name = name;
        }
    }
    types.retain(|id, _| !rename.contains_key(id));
    for def in types.values_mut() {
        match &mut def.shape {
            Shape::Struct(fields) => fields.iter_mut().for_each(|f| redirect(&mut f.ty, &rename)),
            Shape::Alias(ty) => redirect(ty, &rename),
            Shape::Union(variants) => variants
                .iter_mut()
                .for_each(|v| redirect(&mut v.ty, &rename)),
            Shape::Enum(_) | Shape::Untyped => {}
        }
    }
}

/// The name of a type used at several places (type keys: `Kind/spec/a/secretRef`), after
/// the kind's name: the path the places end in alike (`SecretRef`, `TlsSecretRef`); else the
/// words their last members end in alike (`livenessProbe`, `readinessProbe`: `Probe`;
/// `configMapKeyRef`, `secretKeyRef`: `KeyRef`); else those members joined by `Or`
/// (`ConfigMapOrSecret`). Never one place's name for another's type.
fn merged_name(ids: &[TypeId]) -> String {
    // A nested list's element (`/items`) says nothing about where it is used.
    let paths: Vec<Vec<&str>> = ids
        .iter()
        .map(|id| id.split('/').skip(1).filter(|s| *s != "items").collect())
        .collect();
    let common = common_suffix(&paths);
    if !common.is_empty() {
        return common.iter().map(|s| crate::names::pascal(s)).collect();
    }
    let mut lasts: Vec<&str> = paths.iter().filter_map(|p| p.last().copied()).collect();
    lasts.sort_unstable();
    lasts.dedup();
    let words: Vec<Vec<String>> = lasts
        .iter()
        .map(|l| {
            crate::names::field_name(l)
                .split('_')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect();
    let words: Vec<Vec<&str>> = words
        .iter()
        .map(|w| w.iter().map(String::as_str).collect())
        .collect();
    let common = common_suffix(&words);
    if !common.is_empty() {
        return common.iter().map(|w| crate::names::pascal(w)).collect();
    }
    lasts
        .iter()
        .map(|l| crate::names::pascal(l))
        .collect::<Vec<_>>()
        .join("Or")
}

/// `merged_name` after the name the places' parents get (the common tail of the paths, or
/// their last member, taken off).
fn merged_name_in_context(ids: &[TypeId]) -> String {
    let paths: Vec<Vec<&str>> = ids
        .iter()
        .map(|id| id.split('/').skip(1).filter(|s| *s != "items").collect())
        .collect();
    let cut = common_suffix(&paths).len().max(1);
    let parents: Vec<TypeId> = paths
        .iter()
        .filter(|p| p.len() > cut)
        .map(|p| format!("/{}", p[..p.len() - cut].join("/")))
        .collect();
    if parents.len() < paths.len() {
        // A place at the top has no parent to tell it by.
        return merged_name(ids);
    }
    format!("{}{}", merged_name(&parents), merged_name(ids))
}

/// The longest run of elements every list ends with.
fn common_suffix<'a>(lists: &[Vec<&'a str>]) -> Vec<&'a str> {
    let Some(first) = lists.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in first.iter().rev().enumerate() {
        let all = lists
            .iter()
            .all(|l| l.len() > i && l[l.len() - 1 - i] == *item);
        if !all {
            break;
        }
        out.push(*item);
    }
    out.reverse();
    out
}

/// Equivalence classes of inline types: two types are in one class when their module, doc
/// and shape are equal once the types they refer to are replaced by their classes.
#[derive(Default)]
struct Classes {
    of: BTreeMap<TypeId, usize>,
    by_signature: BTreeMap<String, usize>,
    visiting: BTreeSet<TypeId>,
}

impl Classes {
    fn class_of(&mut self, id: &TypeId, types: &BTreeMap<TypeId, TypeDef>) -> Option<usize> {
        if let Some(class) = self.of.get(id) {
            return Some(*class);
        }
        let def = types.get(id)?;
        if !id.contains('/') || !self.visiting.insert(id.clone()) {
            // Named types, and (never in a structural schema) cycles, stay themselves.
            return None;
        }
        let mut shape = def.shape.clone();
        match &mut shape {
            Shape::Struct(fields) => {
                for f in fields.iter_mut() {
                    self.canonical(&mut f.ty, types);
                }
            }
            Shape::Alias(ty) => self.canonical(ty, types),
            Shape::Union(variants) => {
                for v in variants.iter_mut() {
                    self.canonical(&mut v.ty, types);
                }
            }
            Shape::Enum(_) | Shape::Untyped => {}
        }
        self.visiting.remove(id);
        let signature = format!("{:?}|{:?}|{shape:?}", def.module, def.doc);
        let next = self.by_signature.len();
        let class = *self.by_signature.entry(signature).or_insert(next);
        self.of.insert(id.clone(), class);
        Some(class)
    }

    /// Replaces references to inline types by their class, for comparing shapes.
    fn canonical(&mut self, ty: &mut Ty, types: &BTreeMap<TypeId, TypeDef>) {
        match ty {
            Ty::Named(target) => {
                if let Some(class) = self.class_of(target, types) {
                    *target = format!("#{class}");
                }
            }
            Ty::Vec(inner) | Ty::Nullable(inner) | Ty::Map(inner) | Ty::List(inner) => {
                self.canonical(inner, types)
            }
            _ => {}
        }
    }
}

fn redirect(ty: &mut Ty, rename: &BTreeMap<TypeId, TypeId>) {
    match ty {
        Ty::Named(id) => {
            if let Some(to) = rename.get(id) {
                *id = to.clone();
            }
        }
        Ty::Vec(inner) | Ty::Nullable(inner) | Ty::Map(inner) | Ty::List(inner) => {
            redirect(inner, rename)
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, ModuleKey};

    fn def(id: &str, name: &str, fields: Vec<(&str, Ty)>) -> (TypeId, TypeDef) {
        let fields = fields
            .into_iter()
            .map(|(json, ty)| Field {
                json_name: json.into(),
                rust_name: json.into(),
                doc: None,
                ty,
                required: false,
                boxed: false,
                default_if_missing: false,
                flatten: false,
            })
            .collect();
        (
            id.into(),
            TypeDef {
                id: id.into(),
                module: ModuleKey::new("g", "v1"),
                rust_name: name.into(),
                doc: None,
                shape: Shape::Struct(fields),
                gvk: None,
            },
        )
    }

    #[test]
    fn merged_types_are_named_after_what_their_places_share() {
        let name =
            |ids: &[&str]| merged_name(&ids.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            name(&["K/spec/issuerRef", "K/spec/acme/issuerRef"]),
            "IssuerRef"
        );
        assert_eq!(
            name(&["K/spec/tls/secretRef", "K/status/tls/secretRef"]),
            "TlsSecretRef"
        );
        assert_eq!(
            name(&["K/spec/a/livenessProbe", "K/spec/b/readinessProbe"]),
            "Probe"
        );
        assert_eq!(
            name(&["K/spec/nodePublishSecretRef", "K/spec/x/secretRef"]),
            "SecretRef"
        );
        assert_eq!(
            name(&["K/spec/configMap", "K/spec/secret"]),
            "ConfigMapOrSecret"
        );
        assert_eq!(name(&["K/spec/a/items", "K/spec/b/items"]), "AOrB");
        let context = |ids: &[&str]| {
            merged_name_in_context(&ids.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(
            context(&[
                "K/spec/volumeClaimTemplates/spec",
                "K/spec/ephemeral/volumeClaimTemplate/spec"
            ]),
            "VolumeClaimTemplateOrVolumeClaimTemplatesSpec"
        );
    }

    #[test]
    fn identical_subtrees_merge_into_the_shortest_name() {
        let named = |id: &str| Ty::Named(id.into());
        let mut types: BTreeMap<TypeId, TypeDef> = [
            def(
                "K",
                "K",
                vec![
                    ("init", Ty::Vec(Box::new(named("K/init")))),
                    ("extra", Ty::Vec(Box::new(named("K/extra")))),
                    ("other", named("K/other")),
                ],
            ),
            def("K/init", "KInit", vec![("env", named("K/init/env"))]),
            def("K/init/env", "KInitEnv", vec![("name", Ty::String)]),
            def(
                "K/extra",
                "KExtraContainers",
                vec![("env", named("K/extra/env"))],
            ),
            def(
                "K/extra/env",
                "KExtraContainersEnv",
                vec![("name", Ty::String)],
            ),
            def("K/other", "KOther", vec![("env", named("K/other/env"))]),
            def("K/other/env", "KOtherEnv", vec![("name", Ty::I64)]),
        ]
        .into_iter()
        .collect();
        merge_identical(&mut types);
        let ids: Vec<&str> = types.keys().map(String::as_str).collect();
        assert_eq!(ids, ["K", "K/init", "K/init/env", "K/other", "K/other/env"]);
        let Shape::Struct(fields) = &types["K"].shape else {
            panic!()
        };
        assert_eq!(fields[1].ty, Ty::Vec(Box::new(named("K/init"))));
    }
}
