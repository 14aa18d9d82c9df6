//! What a controller listens to: subscriptions to shared informers (one watch and store per
//! resource, however many controllers and consumers), each change turned into the keys to
//! reconcile.

use std::sync::Arc;

use futures::stream::BoxStream;
use futures::StreamExt;

use crate::informer::SharedInformer;
use crate::object::{Object, ObjectRef};
use crate::store::Change;

/// Makes the informer of one term of a controller: a new one (watching from scratch) or a
/// clone of a shared one.
pub(crate) type InformerFn<K> = Arc<dyn Fn() -> SharedInformer<K> + Send + Sync>;

/// A trigger: subscribes (for one term) and yields the primaries' keys each change names.
pub(crate) type TriggerFn = Box<dyn Fn() -> BoxStream<'static, Vec<ObjectRef>> + Send + Sync>;

/// The key of the primary a change applies to; a deletion needs no reconcile (the store no
/// longer has the object, and finalizers see deletions before they happen).
pub(crate) fn primary_key<K: Object>(change: &Change<K>) -> Option<ObjectRef> {
    match change {
        Change::Added(o) | Change::Updated { new: o, .. } | Change::Resync(o) => {
            Some(ObjectRef::from_obj(&**o))
        }
        Change::Deleted(_) | Change::Synced => None,
    }
}

/// A trigger on `make`'s informer through `map`: an update triggers what the old and the new
/// state map to (an owner reference removed still reaches the former owner).
pub(crate) fn trigger<C: Object>(
    make: impl Fn() -> SharedInformer<C> + Send + Sync + 'static,
    map: impl Fn(&C) -> Vec<ObjectRef> + Send + Sync + 'static,
) -> TriggerFn {
    let map = Arc::new(map);
    Box::new(move || {
        let informer = make();
        let map = map.clone();
        informer
            .subscribe()
            .map(move |change| {
                // The subscription holds the informer: its watch lives as long as the term.
                let _watching = &informer;
                match change {
                    Change::Added(o) | Change::Deleted(o) | Change::Resync(o) => map(&o),
                    Change::Updated { old, new } => {
                        let mut keys = map(&new);
                        for key in map(&old) {
                            if !keys.contains(&key) {
                                keys.push(key);
                            }
                        }
                        keys
                    }
                    Change::Synced => Vec::new(),
                }
            })
            .boxed()
    })
}
