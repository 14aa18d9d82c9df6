//! What a controller listens to: a stream of changes per watched resource. Its one
//! implementation here is a small list-then-watch over `ResourceClient` (resumed, relisted
//! on 410); any stream of `TriggerEvent`s will do, so a shared informer can feed it instead.

use std::time::Duration;

use futures::stream::BoxStream;
use futures::StreamExt;
use rest_core::meta::{ListOptions, WatchEvent};
use rest_core::{Resource, ResourceClient, WatchStream};

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

/// How long a failed list or watch waits before it is tried again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(1);

/// Lists what `api` and `opts` select, then watches it from the list's version, forever:
/// a watch the server ends is resumed, an expired version (410) starts from a new list, and
/// failures are logged and retried after a second.
pub fn watch_objects<K: Resource>(
    api: ResourceClient<K>,
    opts: ListOptions,
) -> BoxStream<'static, TriggerEvent<K>> {
    let state = Source {
        api,
        opts,
        version: None,
        stream: None,
    };
    futures::stream::unfold(state, |mut s| async move {
        let event = s.next().await;
        Some((event, s))
    })
    .boxed()
}

struct Source<K: Resource> {
    api: ResourceClient<K>,
    opts: ListOptions,
    /// Where to watch from; `None` means list first.
    version: Option<String>,
    stream: Option<WatchStream<K>>,
}

impl<K: Resource> Source<K> {
    async fn next(&mut self) -> TriggerEvent<K> {
        loop {
            let Some(version) = self.version.clone() else {
                match self.api.list(&self.opts).await {
                    Ok(list) => {
                        self.version = Some(list.metadata.resource_version.unwrap_or_default());
                        return TriggerEvent::Restarted(list.items);
                    }
                    Err(e) => {
                        failed::<K>("list", &e).await;
                        continue;
                    }
                }
            };
            let Some(stream) = self.stream.as_mut() else {
                let opts = ListOptions {
                    resource_version: Some(version),
                    allow_watch_bookmarks: Some(true),
                    ..self.opts.clone()
                };
                match self.api.watch(&opts).await {
                    Ok(stream) => self.stream = Some(stream),
                    Err(e) if e.is_gone() => self.version = None,
                    Err(e) => failed::<K>("watch", &e).await,
                }
                continue;
            };
            match stream.next().await {
                Some(Ok(WatchEvent::Added(o) | WatchEvent::Modified(o))) => {
                    self.advance(&o);
                    return TriggerEvent::Apply(o);
                }
                Some(Ok(WatchEvent::Deleted(o))) => {
                    self.advance(&o);
                    return TriggerEvent::Delete(o);
                }
                Some(Ok(WatchEvent::Bookmark(b))) => {
                    self.version = Some(b.metadata.resource_version);
                }
                Some(Ok(WatchEvent::Error(status))) => {
                    self.stream = None;
                    if status.code == Some(410) {
                        self.version = None;
                    } else {
                        let e = rest_core::Error::from_status(status);
                        failed::<K>("watch", &e).await;
                    }
                }
                Some(Err(e)) => {
                    self.stream = None;
                    failed::<K>("watch", &e).await;
                }
                // The server ended the watch (its timeout): resume from where it was.
                None => self.stream = None,
            }
        }
    }

    fn advance(&mut self, obj: &K) {
        if let Some(v) = &obj.metadata().resource_version {
            self.version = Some(v.clone());
        }
    }
}

async fn failed<K: Resource>(what: &str, e: &rest_core::Error) {
    tracing::warn!(kind = K::KIND, error = %e, "{what} failed; retrying");
    tokio::time::sleep(RETRY_AFTER_FAILURE).await;
}
