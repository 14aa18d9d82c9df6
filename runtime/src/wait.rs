//! `await_condition`: watch one object until a predicate on it holds, with a deadline
//! (kube-runtime's `wait::await_condition`), for tests and CLIs.

use std::time::Duration;

use futures::StreamExt;
use rest_core::meta::{ListOptions, WatchEvent};
use rest_core::{Resource, ResourceClient};

/// Why waiting ended without the condition holding.
#[derive(Debug, thiserror::Error)]
pub enum WaitError {
    #[error("{what} did not meet the condition within {timeout:?}")]
    TimedOut { what: String, timeout: Duration },
    #[error("watching {what} failed: {source}")]
    Watch {
        what: String,
        source: rest_core::Error,
    },
}

/// Waits until `condition` holds for the object `name` (it sees `None` while the object does
/// not exist, so "deleted" is a condition too) and answers the object as it then was.
///
/// Reads the object's current state by a list, then watches from there; a watch the server
/// ends is resumed, and an expired version (410) starts over from a fresh list.
pub async fn await_condition<K: Resource>(
    api: &ResourceClient<K>,
    name: &str,
    condition: impl Fn(Option<&K>) -> bool,
    timeout: Duration,
) -> Result<Option<K>, WaitError> {
    let what = format!("{} {name}", K::KIND);
    match tokio::time::timeout(timeout, wait_for(api, name, &condition)).await {
        Ok(Ok(found)) => Ok(found),
        Ok(Err(source)) => Err(WaitError::Watch { what, source }),
        Err(_) => Err(WaitError::TimedOut { what, timeout }),
    }
}

/// Whether `obj` is gone, or replaced by another of the same name (its uid differs): a
/// condition for `await_condition`.
pub fn is_deleted<K: Resource>(uid: &str) -> impl Fn(Option<&K>) -> bool + '_ {
    move |obj| obj.is_none_or(|o| o.metadata().uid.as_deref() != Some(uid))
}

async fn wait_for<K: Resource>(
    api: &ResourceClient<K>,
    name: &str,
    condition: &impl Fn(Option<&K>) -> bool,
) -> Result<Option<K>, rest_core::Error> {
    let selector = ListOptions {
        field_selector: Some(format!("metadata.name={name}")),
        ..ListOptions::default()
    };
    'relist: loop {
        let list = api.list(&selector).await?;
        let current = list.items.into_iter().next();
        if condition(current.as_ref()) {
            return Ok(current);
        }
        let mut version = list.metadata.resource_version.unwrap_or_default();
        loop {
            let opts = ListOptions {
                resource_version: Some(version.clone()),
                allow_watch_bookmarks: Some(true),
                ..selector.clone()
            };
            let mut events = match api.watch(&opts).await {
                Ok(events) => events,
                Err(e) if e.is_gone() => continue 'relist,
                Err(e) => return Err(e),
            };
            while let Some(event) = events.next().await {
                let (seen, obj) = match event? {
                    WatchEvent::Added(o) | WatchEvent::Modified(o) => (Some(o.clone()), o),
                    WatchEvent::Deleted(o) => (None, o),
                    WatchEvent::Bookmark(b) => {
                        version = b.metadata.resource_version;
                        continue;
                    }
                    WatchEvent::Error(status) if status.code == Some(410) => continue 'relist,
                    WatchEvent::Error(status) => {
                        return Err(rest_core::Error::from_status(status));
                    }
                };
                if let Some(v) = &obj.metadata().resource_version {
                    version = v.clone();
                }
                if condition(seen.as_ref()) {
                    return Ok(seen);
                }
            }
        }
    }
}
