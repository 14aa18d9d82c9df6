//! Codecs of rest-core's meta types (`meta/v1`, `intstr`, `resource`, `runtime`), written by
//! hand from apimachinery's `generated.proto` (v0.32.5) and checked against a real server.

mod list;
mod object_meta;
mod options;
mod selector;
mod status;
mod time;
mod values;
mod watch_event;

pub use time::{optional_micro_time, optional_time};
pub use watch_event::{decode_watch_event, encode_watch_event};
