//! One Rust type per distinct inline schema of a CRD version. CRD schemas are trees with no
//! `$ref`s, so the same shape appears again and again (every container of a pod template,
//! `source` and `sources[]`): identical inline types (same members, docs, module) are merged
//! into the one with the shortest name. Upstream CRDs shrink to about 40% of the types.

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
    types.retain(|id, _| !rename.contains_key(id));
    for def in types.values_mut() {
        match &mut def.shape {
            Shape::Struct(fields) => fields.iter_mut().for_each(|f| redirect(&mut f.ty, &rename)),
            Shape::Alias(ty) => redirect(ty, &rename),
            Shape::Enum(_) | Shape::Untyped => {}
        }
    }
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
