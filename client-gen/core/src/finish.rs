//! Passes over the merged model, run once before emitting: resource kinds always carry their
//! metadata, Rust names are unique per module, and recursive or large members get boxed.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{ApiSet, ModuleKey, Shape, Ty, TypeDef, TypeId};
use crate::names;
use crate::settings::Settings;

/// Runs every pass.
pub fn finish(set: &mut ApiSet, settings: &Settings) {
    metadata_always_present(set);
    unique_type_names(set);
    box_members(set, settings.box_threshold);
}

/// A served kind's `metadata` is a plain `ObjectMeta` (defaulted when absent), so
/// `Resource::metadata()` can hand out a reference without an `Option` in the way.
fn metadata_always_present(set: &mut ApiSet) {
    let kinds: BTreeSet<TypeId> = set
        .resources()
        .filter_map(|(_, _, r)| match &r.object {
            Ty::Named(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    for id in kinds {
        let Some(TypeDef {
            shape: Shape::Struct(fields),
            ..
        }) = set.types.get_mut(&id)
        else {
            continue;
        };
        for field in fields.iter_mut() {
            if field.json_name == "metadata" && field.ty == Ty::Meta("ObjectMeta".to_owned()) {
                field.required = true;
                field.default_if_missing = true;
            }
        }
    }
}

/// Gives every type a name no other type in its module has. Named definitions keep their
/// names; inline types (whose keys contain `/`) yield, taking a numeric suffix.
fn unique_type_names(set: &mut ApiSet) {
    let mut taken: BTreeMap<ModuleKey, BTreeSet<String>> = BTreeMap::new();
    let (named, inline): (Vec<TypeId>, Vec<TypeId>) =
        set.types.keys().cloned().partition(|id| !id.contains('/'));
    for id in named.into_iter().chain(inline) {
        if let Some(def) = set.types.get_mut(&id) {
            let module_taken = taken.entry(def.module.clone()).or_default();
            def.rust_name = names::unique(def.rust_name.clone(), module_taken);
        }
    }
}

/// Boxes members that would make a type infinitely large (recursion) and optional members
/// of struct types estimated larger than `threshold` bytes.
fn box_members(set: &mut ApiSet, threshold: usize) {
    let mut sizes = BTreeMap::new();
    let ids: Vec<TypeId> = set.types.keys().cloned().collect();
    for id in &ids {
        size_of_named(set, id, &mut sizes, &mut BTreeSet::new());
    }
    let cyclic = cyclic_edges(set);
    for id in ids {
        let Some(TypeDef {
            shape: Shape::Struct(fields),
            ..
        }) = set.types.get(&id)
        else {
            continue;
        };
        let decisions: Vec<bool> = fields
            .iter()
            .map(|f| match &f.ty {
                Ty::Named(target) => {
                    let is_struct = matches!(
                        set.types.get(target).map(|t| &t.shape),
                        Some(Shape::Struct(_))
                    );
                    cyclic.contains(&(id.clone(), target.clone()))
                        || (!f.required
                            && is_struct
                            && sizes.get(target).copied().unwrap_or(0) > threshold)
                }
                _ => false,
            })
            .collect();
        if let Some(TypeDef {
            shape: Shape::Struct(fields),
            ..
        }) = set.types.get_mut(&id)
        {
            for (field, boxed) in fields.iter_mut().zip(decisions) {
                field.boxed = boxed;
            }
        }
    }
}

/// Estimated in-memory size of a field type, in bytes (64-bit).
fn size_of_ty(
    set: &ApiSet,
    ty: &Ty,
    sizes: &mut BTreeMap<TypeId, usize>,
    stack: &mut BTreeSet<TypeId>,
) -> usize {
    match ty {
        Ty::Bool => 1,
        Ty::I32 => 4,
        Ty::I64 | Ty::F64 => 8,
        Ty::String | Ty::Bytes | Ty::Time | Ty::Quantity | Ty::Vec(_) | Ty::Map(_) => 24,
        Ty::IntOrString | Ty::Json => 32,
        Ty::List(_) => 128,
        Ty::Nullable(inner) => 8 + size_of_ty(set, inner, sizes, stack),
        Ty::Meta(name) if name == "ObjectMeta" => 400,
        Ty::Meta(_) | Ty::Rust(_) => 64,
        Ty::Named(id) => size_of_named(set, id, sizes, stack),
    }
}

fn size_of_named(
    set: &ApiSet,
    id: &TypeId,
    sizes: &mut BTreeMap<TypeId, usize>,
    stack: &mut BTreeSet<TypeId>,
) -> usize {
    if let Some(size) = sizes.get(id) {
        return *size;
    }
    if !stack.insert(id.clone()) {
        return 8; // recursion: will be boxed
    }
    let size = match set.types.get(id).map(|t| &t.shape) {
        Some(Shape::Struct(fields)) => fields
            .iter()
            .map(|f| {
                let inner = size_of_ty(set, &f.ty, sizes, stack);
                if f.required {
                    inner
                } else {
                    inner + 8
                }
            })
            .sum(),
        Some(Shape::Enum(_)) => 1,
        // Alternatives are boxed when they are definitions; JSON is the largest otherwise.
        Some(Shape::Union(_)) => 40,
        Some(Shape::Untyped) => 432,
        Some(Shape::Alias(ty)) => size_of_ty(set, ty, sizes, stack),
        None => 8,
    };
    stack.remove(id);
    sizes.insert(id.clone(), size);
    size
}

/// Struct-to-struct edges (direct members, not behind a `Vec` or map) that lie on a cycle.
fn cyclic_edges(set: &ApiSet) -> BTreeSet<(TypeId, TypeId)> {
    let mut edges: BTreeMap<&TypeId, Vec<&TypeId>> = BTreeMap::new();
    for (id, def) in &set.types {
        if let Shape::Struct(fields) = &def.shape {
            for f in fields {
                if let Ty::Named(target) = &f.ty {
                    edges.entry(id).or_default().push(target);
                }
            }
        }
    }
    let reaches = |from: &TypeId, to: &TypeId| -> bool {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from];
        while let Some(next) = todo.pop() {
            if next == to {
                return true;
            }
            if seen.insert(next) {
                todo.extend(edges.get(next).into_iter().flatten().copied());
            }
        }
        false
    };
    let mut out = BTreeSet::new();
    for (from, targets) in &edges {
        for to in targets {
            if reaches(to, from) {
                out.insert(((*from).clone(), (*to).clone()));
            }
        }
    }
    out
}
