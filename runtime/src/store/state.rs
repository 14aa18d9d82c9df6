//! The contents of a store: objects by key and each index, changed together.

use std::sync::Arc;

use super::index::{file, unfile, Index, Indexers};
use crate::key_hash::KeyMap;
use crate::object::ObjectRef;

pub(crate) struct State<K> {
    pub objects: KeyMap<ObjectRef, Arc<K>>,
    /// One per indexer, in the indexers' order.
    pub indexes: Vec<Index>,
}

impl<K> State<K> {
    pub fn new(indexers: &Indexers<K>, capacity: usize) -> Self {
        State {
            objects: KeyMap::with_capacity_and_hasher(capacity, Default::default()),
            indexes: indexers.funcs.iter().map(|_| Index::default()).collect(),
        }
    }

    /// Stores `obj` at `key`, re-filing it in each index; the object it replaced.
    pub fn insert(
        &mut self,
        indexers: &Indexers<K>,
        key: ObjectRef,
        obj: Arc<K>,
    ) -> Option<Arc<K>> {
        let old = self.objects.get(&key).cloned();
        for ((_, func), index) in indexers.funcs.iter().zip(&mut self.indexes) {
            let new_values = func(&obj);
            match &old {
                Some(old) => {
                    let old_values = func(old);
                    if old_values != new_values {
                        unfile(index, old_values, &key);
                        file(index, new_values, &key);
                    }
                }
                None => file(index, new_values, &key),
            }
        }
        self.objects.insert(key, obj);
        old
    }

    /// Takes the object at `key` out of the store and its indexes.
    pub fn remove(&mut self, indexers: &Indexers<K>, key: &ObjectRef) -> Option<Arc<K>> {
        let old = self.objects.remove(key)?;
        for ((_, func), index) in indexers.funcs.iter().zip(&mut self.indexes) {
            unfile(index, func(&old), key);
        }
        Some(old)
    }
}
