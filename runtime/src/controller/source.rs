//! What a controller listens to: a stream of changes per watched resource. `watch_objects`
//! is the watcher (issue 17: list, watch, resume, re-list on 410, idle deadline, backoff)
//! framed as `TriggerEvent`s; any stream of them will do (a shared informer's, a test's).

use futures::stream::BoxStream;
use futures::StreamExt;
use rest_core::meta::ListOptions;
use rest_core::{Resource, ResourceClient};

use crate::watcher::{self, Event};

/// One change a controller reacts to.
#[derive(Clone, Debug, PartialEq)]
pub enum TriggerEvent<K> {
    /// The object was added or changed (its new state).
    Apply(K),
    /// The object was deleted (its last state).
    Delete(K),
    /// A (re)list: these are all the objects there are now.
    Restarted(Vec<K>),
}

/// The objects `api` and the selectors of `opts` select, watched forever by the watcher;
/// each (re)list arrives whole as one `Restarted`, and the errors the watcher recovers
/// from are logged.
pub fn watch_objects<K: Resource>(
    api: ResourceClient<K>,
    opts: ListOptions,
) -> BoxStream<'static, TriggerEvent<K>> {
    let config = watcher::Config {
        label_selector: opts.label_selector,
        field_selector: opts.field_selector,
        ..watcher::Config::default()
    };
    let mut listed: Option<Vec<K>> = None;
    watcher::watcher(api, config)
        .filter_map(move |item| {
            let out = match item {
                Ok(Event::Init) => {
                    listed = Some(Vec::new());
                    None
                }
                Ok(Event::InitApply(o)) => {
                    listed.get_or_insert_with(Vec::new).push(o);
                    None
                }
                Ok(Event::InitDone) => {
                    Some(TriggerEvent::Restarted(listed.take().unwrap_or_default()))
                }
                Ok(Event::Apply(o)) => Some(TriggerEvent::Apply(o)),
                Ok(Event::Delete(o)) => Some(TriggerEvent::Delete(o)),
                Err(e) => {
                    tracing::warn!(kind = K::KIND, error = %e, "watch failed; the watcher retries");
                    None
                }
            };
            futures::future::ready(out)
        })
        .boxed()
}
