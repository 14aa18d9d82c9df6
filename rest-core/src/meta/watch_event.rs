//! `WatchEvent<T>`: one line of a watch stream (`{"type":"ADDED","object":{...}}`), with
//! bookmarks and errors as their own variants because their object is not a `T`.

use super::Map;

use serde::{Deserialize, Serialize};

use super::status::Status;

/// One event of a watch: the object's new state, its last state, a bookmark or an error.
// Events are moved once from decoder to consumer; the size gap (a `Status` beside a
// bookmark) costs less than boxing every error, and `T` is usually the largest variant.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "object", rename_all = "UPPERCASE")]
pub enum WatchEvent<T> {
    /// The object was created (or exists when the watch starts with initial events).
    Added(T),
    /// The object changed; this is its new state.
    Modified(T),
    /// The object was deleted; this is its state just before.
    Deleted(T),
    /// A progress marker: resume a watch from `metadata.resource_version`.
    Bookmark(Bookmark),
    /// The watch failed (410 Gone for an expired resource version, ...).
    Error(Status),
}

impl<T> WatchEvent<T> {
    /// The object of an `ADDED`, `MODIFIED` or `DELETED` event.
    pub fn object(&self) -> Option<&T> {
        match self {
            WatchEvent::Added(o) | WatchEvent::Modified(o) | WatchEvent::Deleted(o) => Some(o),
            WatchEvent::Bookmark(_) | WatchEvent::Error(_) => None,
        }
    }

    /// The event type as the wire writes it (`ADDED`, `BOOKMARK`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            WatchEvent::Added(_) => "ADDED",
            WatchEvent::Modified(_) => "MODIFIED",
            WatchEvent::Deleted(_) => "DELETED",
            WatchEvent::Bookmark(_) => "BOOKMARK",
            WatchEvent::Error(_) => "ERROR",
        }
    }
}

/// The object of a `BOOKMARK` event: only a resource version (and annotations) is set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    pub metadata: BookmarkMeta,
}

/// Metadata of a bookmark.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookmarkMeta {
    /// Where to resume the watch from.
    #[serde(default)]
    pub resource_version: String,
    /// `k8s.io/initial-events-end: "true"` marks the end of the initial events.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub annotations: Map<String, String>,
}

impl Bookmark {
    /// The annotation the server sets on the bookmark that ends the initial events
    /// (`sendInitialEvents=true`).
    pub const INITIAL_EVENTS_END: &'static str = "k8s.io/initial-events-end";

    /// This bookmark marks the end of the initial events of a `sendInitialEvents` watch.
    pub fn is_initial_events_end(&self) -> bool {
        self.metadata
            .annotations
            .get(Self::INITIAL_EVENTS_END)
            .is_some_and(|v| v == "true")
    }
}
