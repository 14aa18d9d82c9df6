//! `ObjectRef`: the namespace/name key the controller queues and reconciles by, and the
//! mapping from an owned object to its owners (by `ownerReferences`). Shaped as the watcher
//! work's `object::ObjectRef` (issue 17), which is to replace it when that lands.

use std::fmt;

use rest_core::{Resource, Scope};

/// Which object to reconcile: its namespace (none at cluster scope) and name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    /// An object in `namespace`.
    pub fn within(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        ObjectRef {
            namespace: Some(namespace.into()),
            name: name.into(),
        }
    }

    /// A cluster-scoped object.
    pub fn new(name: impl Into<String>) -> Self {
        ObjectRef {
            namespace: None,
            name: name.into(),
        }
    }

    /// The key of `obj` (an empty namespace counts as none).
    pub fn from_obj<K: Resource>(obj: &K) -> Self {
        let meta = obj.metadata();
        ObjectRef {
            namespace: meta.namespace.clone().filter(|ns| !ns.is_empty()),
            name: meta.name.clone().unwrap_or_default(),
        }
    }
}

/// client-go's key form: `namespace/name`, or `name` at cluster scope.
impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{ns}/{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// The owners of kind `P` that `child` names in its `ownerReferences` (kube-runtime's
/// `trigger_owners`): matched by kind and API group, in the child's namespace unless `P` is
/// cluster-scoped.
pub fn owners_of<P: Resource, C: Resource>(child: &C) -> Vec<ObjectRef> {
    let meta = child.metadata();
    let Some(owners) = &meta.owner_references else {
        return Vec::new();
    };
    owners
        .iter()
        .filter(|o| o.kind == P::KIND && group_of(&o.api_version) == P::GROUP)
        .map(|o| match P::SCOPE {
            Scope::Namespaced => ObjectRef {
                namespace: meta.namespace.clone().filter(|ns| !ns.is_empty()),
                name: o.name.clone(),
            },
            Scope::Cluster => ObjectRef::new(&o.name),
        })
        .collect()
}

/// The group of an `apiVersion` (`apps/v1` -> `apps`, `v1` -> ``).
fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map_or("", |(g, _)| g)
}
