//! What a watcher yields: changes, framed by `Init`/`InitDone` whenever a (re)list replaces
//! the state (kube-runtime's events), and the errors it recovered from.

use std::time::Duration;

use rest_core::Status;

/// One step of a watch.
#[derive(Clone, Debug, PartialEq)]
pub enum Event<K> {
    /// A (re)list begins: the `InitApply`s up to `InitDone` are the whole new state, and
    /// replace what was known before (objects not among them are gone).
    Init,
    /// One object of the state being listed.
    InitApply(K),
    /// The state since `Init` is complete.
    InitDone,
    /// An object was added or changed (its new state).
    Apply(K),
    /// An object was deleted (its last state).
    Delete(K),
}

impl<K> Event<K> {
    /// The object of an `InitApply`, `Apply` or `Delete`.
    pub fn object(&self) -> Option<&K> {
        match self {
            Event::InitApply(o) | Event::Apply(o) | Event::Delete(o) => Some(o),
            Event::Init | Event::InitDone => None,
        }
    }

    /// The same event with its object mapped.
    pub fn map<T>(self, f: impl FnOnce(K) -> T) -> Event<T> {
        match self {
            Event::Init => Event::Init,
            Event::InitApply(o) => Event::InitApply(f(o)),
            Event::InitDone => Event::InitDone,
            Event::Apply(o) => Event::Apply(f(o)),
            Event::Delete(o) => Event::Delete(f(o)),
        }
    }
}

/// A failure the watcher met and is recovering from (it retries by itself, after a backoff
/// where the failure calls for one): yielded so consumers can log or count them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("listing {what} failed (retrying): {source}")]
    List {
        what: String,
        #[source]
        source: Box<rest_core::Error>,
    },
    #[error("watching {what} failed (retrying): {source}")]
    Watch {
        what: String,
        #[source]
        source: Box<rest_core::Error>,
    },
    #[error("watching {what}: the server sent an error event (retrying): {} ({})", status.message(), status.code())]
    ErrorEvent { what: String, status: Box<Status> },
    #[error("watching {what}: resourceVersion {resource_version} is too old (410 {reason}); listing again")]
    Expired {
        what: String,
        resource_version: String,
        reason: String,
    },
    #[error("watching {what}: nothing arrived for {idle:?} (a silently dropped connection?); watching again")]
    Idle { what: String, idle: Duration },
    #[error(
        "watching {what}: the server cannot stream lists ({detail}); listing and watching instead"
    )]
    StreamingListUnsupported { what: String, detail: String },
}
