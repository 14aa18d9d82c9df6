//! An event recorder writing `events.k8s.io/v1` Events for a reporting controller, with
//! client-go's series aggregation (`tools/events`): a repeat becomes a count on the first Event.

mod recorder;
mod types;

pub use recorder::{EventType, NewEvent, Recorder, Reporter};
pub use types::{Event, EventSeries, ObjectReference};
