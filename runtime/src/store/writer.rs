//! The `Writer` that feeds a store from watcher events: a transform first (for example
//! dropping `managedFields`), a re-list built aside and swapped in whole at `InitDone`.

use std::sync::{Arc, RwLock, RwLockWriteGuard};

use tokio::sync::watch;

use super::index::Indexers;
use super::state::State;
use super::{Shared, Store};
use crate::object::{Object, ObjectRef};
use crate::watcher::Event;

/// Applied to every object before it is stored.
pub type Transform<K> = Arc<dyn Fn(&mut K) + Send + Sync>;

/// A transform that drops `metadata.managedFields`: a third or more of a typical object's
/// memory, and rarely read from a cache.
pub fn drop_managed_fields<K: Object>(obj: &mut K) {
    obj.meta_mut().managed_fields = None;
}

/// What one event changed in the store, for consumers that react to changes (shared
/// informers): client-go's `OnAdd`, `OnUpdate`, `OnDelete`.
#[derive(Debug)]
pub enum Change<K> {
    Added(Arc<K>),
    Updated {
        old: Arc<K>,
        new: Arc<K>,
    },
    Deleted(Arc<K>),
    /// The store now holds a complete state (after the first list, and after each re-list).
    Synced,
    /// A periodic resync: the object as stored, unchanged.
    Resync(Arc<K>),
}

impl<K> Clone for Change<K> {
    fn clone(&self) -> Self {
        match self {
            Change::Added(o) => Change::Added(o.clone()),
            Change::Updated { old, new } => Change::Updated {
                old: old.clone(),
                new: new.clone(),
            },
            Change::Deleted(o) => Change::Deleted(o.clone()),
            Change::Synced => Change::Synced,
            Change::Resync(o) => Change::Resync(o.clone()),
        }
    }
}

/// The one writer of a store (its readers are [`Store`]s from [`Writer::as_reader`]).
pub struct Writer<K> {
    shared: Arc<Shared<K>>,
    ready_tx: watch::Sender<bool>,
    ready_rx: watch::Receiver<bool>,
    /// The state a (re)list is building, swapped in at `InitDone`.
    buffer: Option<State<K>>,
    transform: Option<Transform<K>>,
}

impl<K: Object> Default for Writer<K> {
    fn default() -> Self {
        Writer::new(Indexers::default())
    }
}

impl<K: Object> Writer<K> {
    /// An empty store with these indexes.
    pub fn new(indexers: Indexers<K>) -> Self {
        let (ready_tx, ready_rx) = watch::channel(false);
        Writer {
            shared: Arc::new(Shared {
                state: RwLock::new(State::new(&indexers, 0)),
                indexers,
            }),
            ready_tx,
            ready_rx,
            buffer: None,
            transform: None,
        }
    }

    /// Applies `transform` to every object before it is stored (and before it is handed on).
    pub fn transform(mut self, transform: impl Fn(&mut K) + Send + Sync + 'static) -> Self {
        self.transform = Some(Arc::new(transform));
        self
    }

    /// A reader of this store.
    pub fn as_reader(&self) -> Store<K> {
        Store {
            shared: self.shared.clone(),
            ready: self.ready_rx.clone(),
        }
    }

    fn write(&self) -> RwLockWriteGuard<'_, State<K>> {
        self.shared.state.write().unwrap_or_else(|e| e.into_inner())
    }

    fn prepare(&self, mut obj: K) -> (ObjectRef, Arc<K>) {
        if let Some(t) = &self.transform {
            t(&mut obj);
        }
        (ObjectRef::from_obj(&obj), Arc::new(obj))
    }

    /// Applies one watcher event; returns it with the object as stored.
    pub fn apply(&mut self, event: Event<K>) -> Event<Arc<K>> {
        self.apply_inner(event, None)
    }

    /// Applies one watcher event and appends what it changed to `changes` (a re-list is
    /// compared with the state it replaces: added, updated and vanished objects).
    pub fn apply_changes(
        &mut self,
        event: Event<K>,
        changes: &mut Vec<Change<K>>,
    ) -> Event<Arc<K>> {
        self.apply_inner(event, Some(changes))
    }

    fn apply_inner(
        &mut self,
        event: Event<K>,
        changes: Option<&mut Vec<Change<K>>>,
    ) -> Event<Arc<K>> {
        match event {
            Event::Init => {
                let capacity = self.shared.read().objects.len();
                self.buffer = Some(State::new(&self.shared.indexers, capacity));
                Event::Init
            }
            Event::InitApply(obj) => {
                let (key, obj) = self.prepare(obj);
                let indexers = &self.shared.indexers;
                let capacity = 0;
                self.buffer
                    .get_or_insert_with(|| State::new(indexers, capacity))
                    .insert(indexers, key, obj.clone());
                Event::InitApply(obj)
            }
            Event::InitDone => {
                let fresh = self
                    .buffer
                    .take()
                    .unwrap_or_else(|| State::new(&self.shared.indexers, 0));
                let old = std::mem::replace(&mut *self.write(), fresh);
                if let Some(changes) = changes {
                    self.diff(&old, changes);
                    changes.push(Change::Synced);
                }
                // The old state is freed here, outside the lock.
                drop(old);
                self.ready_tx.send_replace(true);
                Event::InitDone
            }
            Event::Apply(obj) => {
                let (key, obj) = self.prepare(obj);
                let indexers = &self.shared.indexers;
                // During a re-list the change is reported by the comparison at `InitDone`.
                let (old, changes) = match &mut self.buffer {
                    Some(buffer) => (buffer.insert(indexers, key, obj.clone()), None),
                    None => (self.write().insert(indexers, key, obj.clone()), changes),
                };
                if let Some(changes) = changes {
                    changes.push(match old {
                        Some(old) => Change::Updated {
                            old,
                            new: obj.clone(),
                        },
                        None => Change::Added(obj.clone()),
                    });
                }
                Event::Apply(obj)
            }
            Event::Delete(obj) => {
                let (key, obj) = self.prepare(obj);
                let indexers = &self.shared.indexers;
                let changes = match &mut self.buffer {
                    Some(buffer) => {
                        buffer.remove(indexers, &key);
                        None
                    }
                    None => {
                        self.write().remove(indexers, &key);
                        changes
                    }
                };
                if let Some(changes) = changes {
                    changes.push(Change::Deleted(obj.clone()));
                }
                Event::Delete(obj)
            }
        }
    }

    /// What the swap of `old` for the current state changed.
    fn diff(&self, old: &State<K>, changes: &mut Vec<Change<K>>) {
        let new = self.shared.read();
        for (key, obj) in &new.objects {
            match old.objects.get(key) {
                None => changes.push(Change::Added(obj.clone())),
                Some(prev) if prev.meta().resource_version != obj.meta().resource_version => {
                    changes.push(Change::Updated {
                        old: prev.clone(),
                        new: obj.clone(),
                    })
                }
                Some(_) => {}
            }
        }
        for (key, obj) in &old.objects {
            if !new.objects.contains_key(key) {
                changes.push(Change::Deleted(obj.clone()));
            }
        }
    }
}
