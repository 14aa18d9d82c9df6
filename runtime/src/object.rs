//! `Object`, what the watcher and the store need of a kind (its metadata), and `ObjectRef`,
//! the namespace/name key a store files an object under (client-go's `MetaNamespaceKeyFunc`).

use std::fmt;

pub use rest_core::HasMetadata;

/// Anything with `ObjectMeta` that can be cached: every [`HasMetadata`] type, so every
/// [`Resource`](rest_core::Resource) (generated, derived,
/// [`PartialObjectMetadata`](rest_core::PartialObjectMetadata)) and
/// [`DynamicObject`](rest_core::dynamic::DynamicObject) alike. Its `meta()` and `meta_mut()`
/// are [`HasMetadata`]'s.
pub trait Object: HasMetadata + Clone + Send + Sync + 'static {}

impl<T: HasMetadata + Clone + Send + Sync + 'static> Object for T {}

/// Where an object lives: its namespace (none at cluster scope) and name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    /// A cluster-scoped object.
    pub fn new(name: impl Into<String>) -> Self {
        ObjectRef {
            namespace: None,
            name: name.into(),
        }
    }

    /// An object in `namespace`.
    pub fn within(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        ObjectRef {
            namespace: Some(namespace.into()),
            name: name.into(),
        }
    }

    /// The key of `obj` (an empty namespace counts as none).
    pub fn from_obj<K: Object>(obj: &K) -> Self {
        let meta = obj.meta();
        ObjectRef {
            namespace: meta.namespace.clone().filter(|ns| !ns.is_empty()),
            name: meta.name.clone().unwrap_or_default(),
        }
    }

    /// Parses client-go's key form, `namespace/name` or `name`.
    pub fn parse(key: &str) -> Self {
        match key.split_once('/') {
            Some((ns, name)) => ObjectRef::within(ns, name),
            None => ObjectRef::new(key),
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
