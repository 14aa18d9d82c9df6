//! `reflector`: a watcher's events applied to a store as they pass (client-go's `Reflector`,
//! kube-runtime's `reflector`).

use std::sync::Arc;

use futures::{Stream, StreamExt};

use crate::object::Object;
use crate::store::Writer;
use crate::watcher::{Error, Event};

/// Applies each event of `events` to `writer`'s store and passes it on, with the object as
/// stored (after the writer's transform). Poll it to keep the store current.
pub fn reflector<K: Object>(
    mut writer: Writer<K>,
    events: impl Stream<Item = Result<Event<K>, Error>> + Send,
) -> impl Stream<Item = Result<Event<Arc<K>>, Error>> + Send {
    events.map(move |item| item.map(|event| writer.apply(event)))
}
