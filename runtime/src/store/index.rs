//! Indexes of a store (client-go's `Indexers`): named functions from an object to the values
//! it is filed under, with the built-in ones client-go users reach for (namespace, a label's
//! value, owner).

use std::sync::Arc;

use crate::key_hash::{KeyMap, KeySet};
use crate::object::{Object, ObjectRef};

/// A function giving the values an object is indexed under (none: not in the index).
pub type IndexFunc<K> = Arc<dyn Fn(&K) -> Vec<String> + Send + Sync>;

/// The name of the namespace index (client-go's `cache.NamespaceIndex`).
pub const NAMESPACE_INDEX: &str = "namespace";
/// The name of the owner index: objects by their owners' UIDs.
pub const OWNER_INDEX: &str = "owner";

/// The name of the index of `label`'s values ([`Indexers::label`]).
pub fn label_index(label: &str) -> String {
    format!("label:{label}")
}

/// The indexes a store keeps, by name.
pub struct Indexers<K> {
    pub(crate) funcs: Vec<(String, IndexFunc<K>)>,
}

impl<K> Clone for Indexers<K> {
    fn clone(&self) -> Self {
        Indexers {
            funcs: self.funcs.clone(),
        }
    }
}

impl<K> Default for Indexers<K> {
    fn default() -> Self {
        Indexers { funcs: Vec::new() }
    }
}

impl<K> std::fmt::Debug for Indexers<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.funcs.iter().map(|(n, _)| n))
            .finish()
    }
}

impl<K: Object> Indexers<K> {
    pub fn new() -> Self {
        Indexers::default()
    }

    /// A user index: `func` gives the values each object is filed under. A second index of
    /// the same name replaces the first.
    pub fn index(
        mut self,
        name: impl Into<String>,
        func: impl Fn(&K) -> Vec<String> + Send + Sync + 'static,
    ) -> Self {
        let name = name.into();
        self.funcs.retain(|(n, _)| *n != name);
        self.funcs.push((name, Arc::new(func)));
        self
    }

    /// By namespace ([`NAMESPACE_INDEX`]; cluster-scoped objects are not in it).
    pub fn namespace(self) -> Self {
        self.index(NAMESPACE_INDEX, |o: &K| {
            o.meta()
                .namespace
                .iter()
                .filter(|ns| !ns.is_empty())
                .cloned()
                .collect()
        })
    }

    /// By the value of `label` ([`label_index`]`(label)`; objects without it are not in it).
    pub fn label(self, label: &str) -> Self {
        let key = label.to_owned();
        self.index(label_index(label), move |o: &K| {
            o.meta()
                .labels
                .as_ref()
                .and_then(|l| l.get(&key))
                .cloned()
                .into_iter()
                .collect()
        })
    }

    /// By owner UID ([`OWNER_INDEX`]): every owner reference counts.
    pub fn owner(self) -> Self {
        self.index(OWNER_INDEX, |o: &K| {
            o.meta()
                .owner_references
                .iter()
                .flatten()
                .map(|r| r.uid.clone())
                .collect()
        })
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.funcs.iter().map(|(n, _)| n.as_str())
    }
}

/// One index: value -> keys of the objects filed under it.
pub(crate) type Index = KeyMap<String, KeySet<ObjectRef>>;

/// Files `key` under the values `func` gives `obj` (or takes it out of them).
pub(crate) fn file(index: &mut Index, values: Vec<String>, key: &ObjectRef) {
    for v in values {
        index.entry(v).or_default().insert(key.clone());
    }
}

pub(crate) fn unfile(index: &mut Index, values: Vec<String>, key: &ObjectRef) {
    for v in values {
        if let Some(keys) = index.get_mut(&v) {
            keys.remove(key);
            if keys.is_empty() {
                index.remove(&v);
            }
        }
    }
}
