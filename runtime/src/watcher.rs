//! The watcher (client-go's reflector loop, kube-runtime's `watcher`): list, then watch from
//! the list's resourceVersion, resume after the stream ends or breaks, list again on 410,
//! and replace a watch on which nothing arrives; as a `Stream` of [`Event`]s.

mod backoff;
mod config;
mod event;

use std::time::Duration;

use futures::{Stream, StreamExt};
use rest_core::{Status, WatchEvent, WatchStream};

pub use backoff::Backoff;
pub use config::{Config, InitialList};
pub use event::{Error, Event};

use crate::lister_watcher::ListerWatcher;
use crate::object::HasMetadata;
use backoff::Attempts;

/// Watches what `lw` lists, forever: the stream never ends. Errors are items (the watcher
/// has already planned its retry); consumers log them and keep polling.
///
/// ```no_run
/// # async fn demo<Pod: rest_core::Resource>(pods: rest_core::ResourceClient<Pod>) {
/// use futures::StreamExt;
/// use rest_runtime::watcher::{self, Event};
/// let mut events = std::pin::pin!(watcher::watcher(pods, watcher::Config::default()));
/// while let Some(event) = events.next().await {
///     match event {
///         Ok(Event::Apply(pod)) => println!("{:?} changed", pod.metadata().name),
///         Ok(_) => {}
///         Err(err) => eprintln!("{err}"),
///     }
/// }
/// # }
/// ```
pub fn watcher<L: ListerWatcher>(
    lw: L,
    config: Config,
) -> impl Stream<Item = Result<Event<L::Object>, Error>> + Send {
    let machine = Machine::new(lw, config);
    futures::stream::unfold(machine, |mut m| async move {
        let item = m.step().await;
        Some((item, m))
    })
}

enum Phase<K> {
    /// The state must be (re)fetched.
    Empty,
    /// Paging through a list; the token of the next page.
    Listing { continue_: Option<String> },
    /// A streaming list, until its initial-events-end bookmark.
    Streaming { stream: WatchStream<K> },
    /// Watching changes after `resource_version` (`stream` is None between watch calls).
    Watching {
        resource_version: String,
        stream: Option<WatchStream<K>>,
        /// Events received on the current stream (a stream that ends with none backs off).
        received: usize,
    },
}

struct Machine<L: ListerWatcher> {
    lw: L,
    what: String,
    config: Config,
    phase: Phase<L::Object>,
    /// The listed page's objects not yet yielded: handed out of the list's own `Vec` one by
    /// one (never copied into a second buffer of events, which for a 10,000-object page
    /// doubled the watcher's peak).
    page: std::vec::IntoIter<L::Object>,
    /// `InitDone` is due once `page` is drained.
    done_after_page: bool,
    attempts: Attempts,
    /// Wait this long before the next call (set after a failure).
    delay: Option<Duration>,
    /// Cleared when the server turned out not to stream lists.
    streaming: bool,
}

impl<L: ListerWatcher> Machine<L> {
    fn new(lw: L, config: Config) -> Self {
        Machine {
            what: lw.describe(),
            streaming: config.initial_list == InitialList::StreamingList,
            attempts: Attempts::new(config.backoff.clone()),
            lw,
            config,
            phase: Phase::Empty,
            page: Vec::new().into_iter(),
            done_after_page: false,
            delay: None,
        }
    }

    fn back_off(&mut self) {
        let delay = self.attempts.next_delay();
        tracing::debug!(what = %self.what, ?delay, failures = self.attempts.failures(), "watcher backing off");
        self.delay = Some(delay);
    }

    async fn step(&mut self) -> Result<Event<L::Object>, Error> {
        loop {
            if let Some(obj) = self.page.next() {
                if self.page.as_slice().is_empty() {
                    // Free the page's buffer with its last object, not at the next list.
                    self.page = Vec::new().into_iter();
                }
                return Ok(Event::InitApply(obj));
            }
            if std::mem::take(&mut self.done_after_page) {
                return Ok(Event::InitDone);
            }
            if let Some(delay) = self.delay.take() {
                tokio::time::sleep(delay).await;
            }
            match &mut self.phase {
                Phase::Empty => {
                    if self.streaming {
                        match self.lw.watch(&self.config.streaming_options()).await {
                            Ok(stream) => {
                                self.phase = Phase::Streaming { stream };
                                return Ok(Event::Init);
                            }
                            Err(source) if unsupported(&source) => {
                                self.streaming = false;
                                return Err(self.no_streaming(source.to_string()));
                            }
                            Err(source) => {
                                self.back_off();
                                return Err(Error::Watch {
                                    what: self.what.clone(),
                                    source: Box::new(source),
                                });
                            }
                        }
                    }
                    self.phase = Phase::Listing { continue_: None };
                    return Ok(Event::Init);
                }
                Phase::Listing { continue_ } => {
                    let opts = self.config.list_options(continue_.as_deref());
                    let paged = continue_.is_some();
                    match self.lw.list(&opts).await {
                        Ok(list) => {
                            self.attempts.reset();
                            let next = list.metadata.next_page().map(str::to_owned);
                            let resource_version =
                                list.metadata.resource_version.clone().unwrap_or_default();
                            self.page = list.items.into_iter();
                            match next {
                                Some(token) => {
                                    self.phase = Phase::Listing {
                                        continue_: Some(token),
                                    }
                                }
                                None => {
                                    self.done_after_page = true;
                                    self.phase = Phase::Watching {
                                        resource_version,
                                        stream: None,
                                        received: 0,
                                    };
                                }
                            }
                        }
                        Err(source) if paged && source.is_gone() => {
                            // The continue token expired mid-list: start the list over.
                            self.phase = Phase::Empty;
                            return Err(Error::List {
                                what: self.what.clone(),
                                source: Box::new(source),
                            });
                        }
                        Err(source) => {
                            self.back_off();
                            return Err(Error::List {
                                what: self.what.clone(),
                                source: Box::new(source),
                            });
                        }
                    }
                }
                Phase::Streaming { stream } => {
                    let idle = self.config.idle_timeout;
                    match tokio::time::timeout(idle, stream.next()).await {
                        Err(_) => {
                            self.phase = Phase::Empty;
                            return Err(Error::Idle {
                                what: self.what.clone(),
                                idle,
                            });
                        }
                        Ok(Some(Ok(event))) => {
                            self.attempts.reset();
                            match event {
                                WatchEvent::Added(o) | WatchEvent::Modified(o) => {
                                    return Ok(Event::InitApply(o))
                                }
                                WatchEvent::Deleted(o) => return Ok(Event::Delete(o)),
                                WatchEvent::Bookmark(b) if b.is_initial_events_end() => {
                                    let Phase::Streaming { stream } =
                                        std::mem::replace(&mut self.phase, Phase::Empty)
                                    else {
                                        unreachable!("in the streaming phase")
                                    };
                                    self.phase = Phase::Watching {
                                        resource_version: b.metadata.resource_version,
                                        stream: Some(stream),
                                        received: 1,
                                    };
                                    return Ok(Event::InitDone);
                                }
                                WatchEvent::Bookmark(_) => {}
                                WatchEvent::Error(status) => {
                                    self.phase = Phase::Empty;
                                    if status_is_gone(&status) {
                                        return Err(self.expired("", &status));
                                    }
                                    // What a server that cannot stream lists answers (a real
                                    // one on etcd 3.4: 500, "RequestWatchProgress is disabled").
                                    self.streaming = false;
                                    return Err(self.no_streaming(format!(
                                        "{} ({})",
                                        status.message(),
                                        status.code()
                                    )));
                                }
                            }
                        }
                        Ok(Some(Err(source))) => {
                            self.phase = Phase::Empty;
                            self.back_off();
                            return Err(Error::Watch {
                                what: self.what.clone(),
                                source: Box::new(source),
                            });
                        }
                        Ok(None) => {
                            // Ended before the state was complete: start over.
                            self.phase = Phase::Empty;
                            self.back_off();
                        }
                    }
                }
                Phase::Watching {
                    resource_version,
                    stream: stream @ None,
                    received,
                } => {
                    let opts = self.config.watch_options(resource_version);
                    match self.lw.watch(&opts).await {
                        Ok(s) => {
                            *stream = Some(s);
                            *received = 0;
                        }
                        Err(source) if source.is_gone() => {
                            let rv = resource_version.clone();
                            self.phase = Phase::Empty;
                            return Err(Error::Expired {
                                what: self.what.clone(),
                                resource_version: rv,
                                reason: source.reason().to_owned(),
                            });
                        }
                        Err(source) => {
                            self.back_off();
                            return Err(Error::Watch {
                                what: self.what.clone(),
                                source: Box::new(source),
                            });
                        }
                    }
                }
                Phase::Watching {
                    resource_version,
                    stream: stream_slot @ Some(_),
                    received,
                } => {
                    let idle = self.config.idle_timeout;
                    let Some(stream) = stream_slot.as_mut() else {
                        continue;
                    };
                    match tokio::time::timeout(idle, stream.next()).await {
                        Err(_) => {
                            *stream_slot = None;
                            return Err(Error::Idle {
                                what: self.what.clone(),
                                idle,
                            });
                        }
                        Ok(Some(Ok(event))) => {
                            *received += 1;
                            self.attempts.reset();
                            match event {
                                WatchEvent::Added(o) | WatchEvent::Modified(o) => {
                                    if let Some(rv) = &o.meta().resource_version {
                                        rv.clone_into(resource_version);
                                    }
                                    return Ok(Event::Apply(o));
                                }
                                WatchEvent::Deleted(o) => {
                                    if let Some(rv) = &o.meta().resource_version {
                                        rv.clone_into(resource_version);
                                    }
                                    return Ok(Event::Delete(o));
                                }
                                WatchEvent::Bookmark(b) => {
                                    if !b.metadata.resource_version.is_empty() {
                                        *resource_version = b.metadata.resource_version;
                                    }
                                }
                                WatchEvent::Error(status) => {
                                    if status_is_gone(&status) {
                                        let rv = resource_version.clone();
                                        self.phase = Phase::Empty;
                                        return Err(self.expired(&rv, &status));
                                    }
                                    *stream_slot = None;
                                    self.back_off();
                                    return Err(Error::ErrorEvent {
                                        what: self.what.clone(),
                                        status: Box::new(status),
                                    });
                                }
                            }
                        }
                        Ok(Some(Err(source))) => {
                            *stream_slot = None;
                            self.back_off();
                            return Err(Error::Watch {
                                what: self.what.clone(),
                                source: Box::new(source),
                            });
                        }
                        Ok(None) => {
                            // The server ended the watch (timeoutSeconds): resume at once,
                            // unless it ended without sending anything (then wait a little).
                            let empty = *received == 0;
                            *stream_slot = None;
                            if empty {
                                self.back_off();
                            }
                        }
                    }
                }
            }
        }
    }

    fn expired(&self, resource_version: &str, status: &Status) -> Error {
        Error::Expired {
            what: self.what.clone(),
            resource_version: resource_version.to_owned(),
            reason: status.reason().to_owned(),
        }
    }

    fn no_streaming(&self, detail: String) -> Error {
        tracing::info!(what = %self.what, %detail, "streaming list unsupported; falling back to list + watch");
        Error::StreamingListUnsupported {
            what: self.what.clone(),
            detail,
        }
    }
}

fn status_is_gone(status: &Status) -> bool {
    status.code() == 410 || matches!(status.reason(), "Expired" | "Gone")
}

/// A server that does not know `sendInitialEvents` (or forbids it) rejects the watch itself.
fn unsupported(err: &rest_core::Error) -> bool {
    err.is_bad_request() || err.is_invalid()
}
