//! The store (client-go's `Indexer`, kube-runtime's `Store`): the objects a watcher sees, by
//! namespace/name behind `Arc`, with indexes; read by many tasks while one [`Writer`] feeds it.
//!
//! Reads take a read lock for the time of one lookup and hand out `Arc` clones, never
//! holding the lock while the caller works; a re-list builds its state aside and swaps it in
//! at once, so no reader ever sees half of one.

mod index;
mod state;
mod writer;

use std::sync::{Arc, RwLock, RwLockReadGuard};

use tokio::sync::watch;

pub use index::{label_index, IndexFunc, Indexers, NAMESPACE_INDEX, OWNER_INDEX};
pub use writer::{drop_managed_fields, Change, Transform, Writer};

use crate::object::{Object, ObjectRef};
use state::State;

/// A query the store cannot answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("the store has no index named {name:?} (it has: {known})")]
    NoSuchIndex { name: String, known: String },
    #[error("the store's writer was dropped before the store was ready (the watcher stopped)")]
    WriterDropped,
}

pub(crate) struct Shared<K> {
    pub(crate) state: RwLock<State<K>>,
    pub(crate) indexers: Indexers<K>,
}

impl<K> Shared<K> {
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, State<K>> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// A reader of the store: cheap to clone, one per task.
pub struct Store<K> {
    shared: Arc<Shared<K>>,
    ready: watch::Receiver<bool>,
}

impl<K> Clone for Store<K> {
    fn clone(&self) -> Self {
        Store {
            shared: self.shared.clone(),
            ready: self.ready.clone(),
        }
    }
}

impl<K> std::fmt::Debug for Store<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("objects", &self.shared.read().objects.len())
            .field("indexes", &self.shared.indexers)
            .field("ready", &*self.ready.borrow())
            .finish()
    }
}

impl<K: Object> Store<K> {
    /// The object at `key`.
    pub fn get(&self, key: &ObjectRef) -> Option<Arc<K>> {
        self.shared.read().objects.get(key).cloned()
    }

    /// The object at client-go's key (`namespace/name`, or `name`).
    pub fn get_by_key(&self, key: &str) -> Option<Arc<K>> {
        self.get(&ObjectRef::parse(key))
    }

    /// Every object (in no particular order).
    pub fn list(&self) -> Vec<Arc<K>> {
        self.shared.read().objects.values().cloned().collect()
    }

    /// Every key.
    pub fn list_keys(&self) -> Vec<ObjectRef> {
        self.shared.read().objects.keys().cloned().collect()
    }

    /// The objects for which `pred` holds (the lock is held while it runs: keep it short).
    pub fn find(&self, mut pred: impl FnMut(&K) -> bool) -> Vec<Arc<K>> {
        self.shared
            .read()
            .objects
            .values()
            .filter(|o| pred(o))
            .cloned()
            .collect()
    }

    pub fn len(&self) -> usize {
        self.shared.read().objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The objects filed under `value` in index `name` (client-go's `ByIndex`).
    pub fn by_index(&self, name: &str, value: &str) -> Result<Vec<Arc<K>>, StoreError> {
        let i = self.index_position(name)?;
        let state = self.shared.read();
        Ok(state.indexes[i]
            .get(value)
            .into_iter()
            .flatten()
            .filter_map(|k| state.objects.get(k).cloned())
            .collect())
    }

    /// The keys filed under `value` in index `name` (client-go's `IndexKeys`).
    pub fn index_keys(&self, name: &str, value: &str) -> Result<Vec<ObjectRef>, StoreError> {
        let i = self.index_position(name)?;
        let state = self.shared.read();
        Ok(state.indexes[i]
            .get(value)
            .into_iter()
            .flatten()
            .cloned()
            .collect())
    }

    /// The values index `name` has objects under (client-go's `ListIndexFuncValues`).
    pub fn index_values(&self, name: &str) -> Result<Vec<String>, StoreError> {
        let i = self.index_position(name)?;
        Ok(self.shared.read().indexes[i].keys().cloned().collect())
    }

    /// Whether the first list (or streaming list) has completed.
    pub fn is_ready(&self) -> bool {
        *self.ready.borrow()
    }

    /// Waits until the store holds the complete initial state (client-go's `HasSynced`,
    /// kube-runtime's `wait_until_ready`).
    pub async fn wait_until_ready(&self) -> Result<(), StoreError> {
        let mut ready = self.ready.clone();
        ready
            .wait_for(|r| *r)
            .await
            .map(|_| ())
            .map_err(|_| StoreError::WriterDropped)
    }

    fn index_position(&self, name: &str) -> Result<usize, StoreError> {
        self.shared
            .indexers
            .funcs
            .iter()
            .position(|(n, _)| n == name)
            .ok_or_else(|| StoreError::NoSuchIndex {
                name: name.to_owned(),
                known: self.shared.indexers.names().collect::<Vec<_>>().join(", "),
            })
    }
}
