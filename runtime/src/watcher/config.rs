//! `watcher::Config`: what a watcher selects and how it lists, watches, notices a dead watch
//! and waits after failures.

use std::time::Duration;

use rest_core::{ListOptions, ResourceVersionMatch};

use super::backoff::Backoff;

/// How the initial state (and every re-list) is fetched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitialList {
    /// LIST (paged), then WATCH from the list's resourceVersion.
    ListWatch,
    /// One WATCH with `sendInitialEvents=true`: the current state as ADDED events up to the
    /// `k8s.io/initial-events-end` bookmark, then changes. When the server cannot do it (an
    /// error before that bookmark that is not 410), the watcher falls back to `ListWatch`.
    StreamingList,
}

/// What a watcher selects and how it behaves.
#[derive(Clone, Debug)]
pub struct Config {
    pub label_selector: Option<String>,
    pub field_selector: Option<String>,
    /// Page size of the initial list (`limit`); `None` lists in one call. Default 500.
    pub page_size: Option<i64>,
    pub initial_list: InitialList,
    /// Ask for BOOKMARK events (default true): resumes start from recent versions.
    pub bookmarks: bool,
    /// The server ends each watch after this (`timeoutSeconds`), and the watcher resumes;
    /// default 290 s (kube-runtime's; client-go picks 5-10 min).
    pub server_timeout: Duration,
    /// A watch on which nothing (no event, no bookmark) arrives for this long is taken as
    /// silently dead (a load balancer dropped it) and replaced. Default 150 s: above the real
    /// server's one-minute bookmarks, so only a dead watch trips it.
    pub idle_timeout: Duration,
    pub backoff: Backoff,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            label_selector: None,
            field_selector: None,
            page_size: Some(500),
            initial_list: InitialList::ListWatch,
            bookmarks: true,
            server_timeout: Duration::from_secs(290),
            idle_timeout: Duration::from_secs(150),
            backoff: Backoff::default(),
        }
    }
}

impl Config {
    /// Only objects matching this label selector (`app=web,tier in (a,b)`).
    pub fn labels(mut self, selector: impl Into<String>) -> Self {
        self.label_selector = Some(selector.into());
        self
    }

    /// Only objects matching this field selector (`status.phase=Running`).
    pub fn fields(mut self, selector: impl Into<String>) -> Self {
        self.field_selector = Some(selector.into());
        self
    }

    /// Pages of `n` objects for the initial list (`None`: one call).
    pub fn page_size(mut self, n: Option<i64>) -> Self {
        self.page_size = n;
        self
    }

    /// Fetch the initial state with a streaming list (falls back when unsupported).
    pub fn streaming_list(mut self) -> Self {
        self.initial_list = InitialList::StreamingList;
        self
    }

    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = idle;
        self
    }

    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    fn selectors(&self) -> ListOptions {
        ListOptions {
            label_selector: self.label_selector.clone(),
            field_selector: self.field_selector.clone(),
            ..ListOptions::default()
        }
    }

    /// A page of the initial list (consistent read: no resourceVersion).
    pub(crate) fn list_options(&self, continue_: Option<&str>) -> ListOptions {
        ListOptions {
            limit: self.page_size.filter(|n| *n > 0),
            continue_: continue_.map(str::to_owned),
            ..self.selectors()
        }
    }

    /// A watch of changes after `resource_version`.
    pub(crate) fn watch_options(&self, resource_version: &str) -> ListOptions {
        ListOptions {
            resource_version: Some(resource_version.to_owned()),
            allow_watch_bookmarks: self.bookmarks.then_some(true),
            timeout_seconds: Some(self.server_timeout.as_secs().max(1) as i64),
            ..self.selectors()
        }
    }

    /// A streaming list: the current state, its end bookmark, then changes.
    pub(crate) fn streaming_options(&self) -> ListOptions {
        ListOptions {
            send_initial_events: Some(true),
            resource_version_match: Some(ResourceVersionMatch::NotOlderThan),
            allow_watch_bookmarks: Some(true),
            timeout_seconds: Some(self.server_timeout.as_secs().max(1) as i64),
            ..self.selectors()
        }
    }
}
