//! `Recorder`: creates an Event the first time, patches a `series` onto it the second, and
//! counts later repeats in memory until `refresh_series` or `finish_series` writes them, as
//! client-go's event broadcaster does (refresh every 30 minutes, a series ends after 6 idle).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rest_core::meta::{CreateOptions, MicroTime, ObjectMeta, Patch, PatchOptions};
use rest_core::{Error, ResourceClient, RestClient};
use serde_json::json;
use tokio::time::Instant;

use super::types::{Event, EventSeries, ObjectReference};

/// How often client-go writes the counts of running series.
const REFRESH_EVERY: Duration = Duration::from_secs(30 * 60);
/// How long without a repeat ends a series (client-go's `finishTime`).
const FINISH_AFTER: Duration = Duration::from_secs(6 * 60);
/// The server rejects longer notes.
const NOTE_MAX_BYTES: usize = 1024;

/// Who reports: the controller's name (`example.com/my-operator`) and which replica.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reporter {
    pub controller: String,
    /// A pod name or host name; without one, the controller's name is used.
    pub instance: Option<String>,
}

/// `Normal` or `Warning`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// What happened, to be recorded about some object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub type_: EventType,
    /// Why, CamelCase (`Created`).
    pub reason: String,
    /// What the controller did (`Reconciling`).
    pub action: String,
    /// Details for humans; cut to the server's 1 kB limit.
    pub note: Option<String>,
    /// A second object involved.
    pub related: Option<ObjectReference>,
}

/// What makes two events the same event repeated (client-go's `getKey`): the note and type
/// are not part of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct SeriesKey {
    action: String,
    reason: String,
    regarding: ObjectReference,
    related: Option<ObjectReference>,
}

struct Cached {
    /// As last written (its name and namespace address the patches).
    event: Event,
    last_seen: Instant,
    /// The count moved since it was last written.
    unwritten: bool,
}

/// Records Events; clones share the aggregation state.
#[derive(Clone)]
pub struct Recorder {
    client: RestClient,
    reporter: Arc<Reporter>,
    cache: Arc<Mutex<HashMap<SeriesKey, Cached>>>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("reporter", &self.reporter)
            .finish_non_exhaustive()
    }
}

enum Write {
    Create(Event),
    Series(Event),
    Nothing,
}

impl Recorder {
    pub fn new(client: &RestClient, reporter: Reporter) -> Self {
        Recorder {
            client: client.clone(),
            reporter: Arc::new(reporter),
            cache: Arc::default(),
        }
    }

    /// Records `event` about `regarding` (see [`ObjectReference::to`]).
    pub async fn publish(&self, regarding: &ObjectReference, event: NewEvent) -> Result<(), Error> {
        let key = SeriesKey {
            action: event.action.clone(),
            reason: event.reason.clone(),
            regarding: regarding.clone(),
            related: event.related.clone(),
        };
        let now = Instant::now();
        let write = {
            let mut cache = self.lock();
            match cache.get_mut(&key) {
                Some(cached) => {
                    cached.last_seen = now;
                    match &mut cached.event.series {
                        // Third and later: counted here, written by refresh or finish.
                        Some(series) => {
                            series.count += 1;
                            series.last_observed_time = MicroTime::now();
                            cached.unwritten = true;
                            Write::Nothing
                        }
                        None => {
                            cached.event.series = Some(EventSeries {
                                count: 2,
                                last_observed_time: MicroTime::now(),
                            });
                            Write::Series(cached.event.clone())
                        }
                    }
                }
                None => {
                    let new = self.build(regarding, event);
                    cache.insert(
                        key.clone(),
                        Cached {
                            event: new.clone(),
                            last_seen: now,
                            unwritten: false,
                        },
                    );
                    Write::Create(new)
                }
            }
        };
        match write {
            Write::Nothing => Ok(()),
            Write::Create(new) => match self.create(&new).await {
                Ok(written) => {
                    self.store(&key, written);
                    Ok(())
                }
                Err(e) => {
                    // Not on the server: the next occurrence creates it again.
                    self.lock().remove(&key);
                    Err(e)
                }
            },
            Write::Series(event) => {
                let written = self.write_series(&event).await?;
                self.store(&key, written);
                Ok(())
            }
        }
    }

    /// Writes the count of every series that grew since it was last written
    /// (client-go's `refreshExistingEventSeries`, every 30 minutes in `run_maintenance`).
    pub async fn refresh_series(&self) -> Result<(), Error> {
        let pending: Vec<(SeriesKey, Event)> = self
            .lock()
            .iter()
            .filter(|(_, c)| c.unwritten && c.event.series.is_some())
            .map(|(k, c)| (k.clone(), c.event.clone()))
            .collect();
        for (key, event) in pending {
            let written = self.write_series(&event).await?;
            self.store(&key, written);
        }
        Ok(())
    }

    /// Ends the series not repeated for 6 minutes (their final count written) and forgets
    /// single events older than that, so their next occurrence is a new Event
    /// (client-go's `finishSeries`).
    pub async fn finish_series(&self) -> Result<(), Error> {
        let now = Instant::now();
        let finished: Vec<(SeriesKey, Option<Event>)> = self
            .lock()
            .iter()
            .filter(|(_, c)| now.saturating_duration_since(c.last_seen) >= FINISH_AFTER)
            .map(|(k, c)| (k.clone(), c.unwritten.then(|| c.event.clone())))
            .collect();
        for (key, last) in finished {
            if let Some(event) = last {
                self.write_series(&event).await?;
            }
            self.lock().remove(&key);
        }
        Ok(())
    }

    /// Runs `refresh_series` every 30 minutes and `finish_series` every 6, as client-go's
    /// broadcaster does; spawn it beside the controller. Failures are logged and retried.
    pub async fn run_maintenance(self) {
        let mut finish = tokio::time::interval(FINISH_AFTER);
        let mut refresh = tokio::time::interval(REFRESH_EVERY);
        loop {
            tokio::select! {
                _ = finish.tick() => if let Err(e) = self.finish_series().await {
                    tracing::warn!(error = %e, "could not finish event series");
                },
                _ = refresh.tick() => if let Err(e) = self.refresh_series().await {
                    tracing::warn!(error = %e, "could not refresh event series");
                },
            }
        }
    }

    fn build(&self, regarding: &ObjectReference, event: NewEvent) -> Event {
        let namespace = regarding
            .namespace
            .clone()
            .filter(|ns| !ns.is_empty())
            .unwrap_or_else(|| "default".to_owned());
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("{}.{nanos:x}", regarding.name.as_deref().unwrap_or("event"));
        Event {
            api_version: Some("events.k8s.io/v1".to_owned()),
            kind: Some("Event".to_owned()),
            metadata: ObjectMeta::namespaced(namespace, name),
            event_time: MicroTime::now(),
            series: None,
            reporting_controller: Some(self.reporter.controller.clone()),
            reporting_instance: Some(
                self.reporter
                    .instance
                    .clone()
                    .unwrap_or_else(|| self.reporter.controller.clone()),
            ),
            action: Some(event.action),
            reason: Some(event.reason),
            regarding: Some(regarding.clone()),
            related: event.related,
            note: event.note.map(truncate_note),
            type_: Some(event.type_.as_str().to_owned()),
        }
    }

    fn api(&self, namespace: Option<&str>) -> ResourceClient<Event> {
        ResourceClient::namespaced(&self.client, namespace.unwrap_or("default"))
    }

    async fn create(&self, event: &Event) -> Result<Event, Error> {
        let mut event = event.clone();
        event.metadata.resource_version = None;
        self.api(event.metadata.namespace.as_deref())
            .create(&event, &CreateOptions::default())
            .await
    }

    /// Patches the series onto the Event; if it is gone (expired), creates it anew.
    async fn write_series(&self, event: &Event) -> Result<Event, Error> {
        let name = event.metadata.name.as_deref().unwrap_or_default();
        let patch = Patch::Merge(json!({ "series": event.series }));
        let api = self.api(event.metadata.namespace.as_deref());
        match api.patch(name, &patch, &PatchOptions::default()).await {
            Err(e) if e.is_not_found() => self.create(event).await,
            other => other,
        }
    }

    /// Keeps what the server wrote, but the count as counted here (repeats may have come in
    /// while the write was on its way).
    fn store(&self, key: &SeriesKey, written: Event) {
        let mut cache = self.lock();
        if let Some(cached) = cache.get_mut(key) {
            let counted = cached.event.series.clone();
            let sent = written.series.clone();
            cached.unwritten = counted.as_ref().map(|s| s.count) != sent.as_ref().map(|s| s.count);
            cached.event = Event {
                series: counted.or(sent),
                ..written
            };
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<SeriesKey, Cached>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// At most 1 kB, cut on a character boundary.
fn truncate_note(mut note: String) -> String {
    if note.len() > NOTE_MAX_BYTES {
        let mut end = NOTE_MAX_BYTES;
        while !note.is_char_boundary(end) {
            end -= 1;
        }
        note.truncate(end);
    }
    note
}
