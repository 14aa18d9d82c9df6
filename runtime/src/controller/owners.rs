//! The mapping from an owned object to its owners (by `ownerReferences`, kube-runtime's
//! `trigger_owners`), for typed owners and owners known at run time alike.

use rest_core::discovery::ApiResource;
use rest_core::{HasMetadata, Resource};

use crate::object::ObjectRef;

/// The owners of kind `P` that `child` names in its `ownerReferences`: matched by kind and
/// API group, in the child's namespace unless `P` is cluster-scoped.
pub fn owners_of<P: Resource, C: HasMetadata>(child: &C) -> Vec<ObjectRef> {
    owners_in(
        P::GROUP,
        P::KIND,
        P::SCOPE == rest_core::Scope::Namespaced,
        child,
    )
}

/// As [`owners_of`], for an owner resource known at run time (a dynamic one).
pub fn owners_of_resource<C: HasMetadata>(owner: &ApiResource, child: &C) -> Vec<ObjectRef> {
    owners_in(&owner.group, &owner.kind, owner.namespaced, child)
}

fn owners_in<C: HasMetadata>(
    group: &str,
    kind: &str,
    namespaced: bool,
    child: &C,
) -> Vec<ObjectRef> {
    let meta = child.meta();
    let Some(owners) = &meta.owner_references else {
        return Vec::new();
    };
    owners
        .iter()
        .filter(|o| o.kind == kind && group_of(&o.api_version) == group)
        .map(|o| ObjectRef {
            namespace: if namespaced {
                meta.namespace.clone().filter(|ns| !ns.is_empty())
            } else {
                None
            },
            name: o.name.clone(),
        })
        .collect()
}

/// The group of an `apiVersion` (`apps/v1` -> `apps`, `v1` -> ``).
fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}
