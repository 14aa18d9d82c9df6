//! `Transcoder`: one kind's protobuf codec seen through JSON, for code that holds objects as
//! JSON (a server, a proxy, a dynamic tool): the same `Message` impls, by way of the typed value.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::envelope::{decode_object, encode_object, Unknown};
use super::error::{DecodeError, EncodeError};
use super::message::Message;
use super::meta::encode_watch_event;
use crate::meta::{List, Status, WatchEvent};

/// A kind's protobuf bodies to and from JSON: an object, or its `<Kind>List`.
///
/// Built from the kind's generated type (`Transcoder::of::<Pod>("v1", "Pod")`), so the bytes
/// are exactly what the typed client reads and writes; a JSON value that is not a valid
/// object of the kind is an error naming the field, never a partial body.
#[derive(Clone, Copy)]
pub struct Transcoder {
    /// The kind's `apiVersion` (`v1`, `apps/v1`).
    pub api_version: &'static str,
    /// The kind (`Pod`); its list is `<kind>List`.
    pub kind: &'static str,
    object_to_json: fn(&[u8]) -> Result<Value, TranscodeError>,
    list_to_json: fn(&[u8]) -> Result<Value, TranscodeError>,
    object_from_json: fn(&Value, &str, &str) -> Result<Vec<u8>, TranscodeError>,
    list_from_json: fn(&Value, &str, &str) -> Result<Vec<u8>, TranscodeError>,
    event_from_json: fn(&Value, &str, &str) -> Result<Vec<u8>, TranscodeError>,
}

impl std::fmt::Debug for Transcoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Transcoder({}, {})", self.api_version, self.kind)
    }
}

impl Transcoder {
    /// The transcoder of `T`, the type of kind `kind` in `api_version`.
    pub const fn of<T: Message + Serialize + DeserializeOwned>(
        api_version: &'static str,
        kind: &'static str,
    ) -> Self {
        Transcoder {
            api_version,
            kind,
            object_to_json: to_json::<T>,
            list_to_json: to_json::<List<T>>,
            object_from_json: from_json::<T>,
            list_from_json: from_json::<List<T>>,
            event_from_json: event_from_json::<T>,
        }
    }

    /// A whole protobuf body (magic, envelope, message) of the kind or of its list, as JSON
    /// with `apiVersion` and `kind` set from the envelope.
    pub fn to_json(&self, body: &[u8]) -> Result<Value, TranscodeError> {
        let envelope = Unknown::from_body(body)?;
        if self.is_list(envelope.kind) {
            (self.list_to_json)(body)
        } else {
            (self.object_to_json)(body)
        }
    }

    /// A JSON object of the kind, or its list (by the value's `kind`), as a whole protobuf
    /// body. The envelope names this transcoder's `apiVersion` and the value's kind.
    pub fn to_protobuf(&self, value: &Value) -> Result<Vec<u8>, TranscodeError> {
        let kind = value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or(self.kind);
        if self.is_list(kind) {
            (self.list_from_json)(value, self.api_version, kind)
        } else {
            (self.object_from_json)(value, self.api_version, kind)
        }
    }

    /// A JSON watch event (`{"type": "ADDED", "object": {...}}`, bookmarks and errors too) of
    /// the kind as a whole protobuf watch frame, length prefix included.
    pub fn event_frame(&self, event: &Value) -> Result<Vec<u8>, TranscodeError> {
        (self.event_from_json)(event, self.api_version, self.kind)
    }

    fn is_list(&self, kind: &str) -> bool {
        kind.strip_suffix("List") == Some(self.kind)
    }
}

/// `Status`'s transcoder: what a server answers for failures, in any group.
pub const STATUS: Transcoder = Transcoder::of::<Status>("v1", "Status");

fn to_json<T: Message + Serialize>(body: &[u8]) -> Result<Value, TranscodeError> {
    let object: T = decode_object(body)?;
    serde_json::to_value(&object).map_err(|e| TranscodeError::Json(e.to_string()))
}

fn from_json<T: Message + DeserializeOwned>(
    value: &Value,
    api_version: &str,
    kind: &str,
) -> Result<Vec<u8>, TranscodeError> {
    let object: T = serde_path_to_error::deserialize(value)
        .map_err(|e| TranscodeError::Json(format!("{kind} at {}: {}", e.path(), e.inner())))?;
    Ok(encode_object(&object, api_version, kind)?)
}

fn event_from_json<T: Message + DeserializeOwned>(
    event: &Value,
    api_version: &str,
    kind: &str,
) -> Result<Vec<u8>, TranscodeError> {
    let event: WatchEvent<T> = serde_path_to_error::deserialize(event).map_err(|e| {
        TranscodeError::Json(format!("{kind} watch event at {}: {}", e.path(), e.inner()))
    })?;
    Ok(encode_watch_event(&event, api_version, kind)?)
}

/// A body that could not be carried across: bad protobuf, or JSON that is not the kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TranscodeError {
    /// The protobuf body was not a valid encoding.
    Decode(DecodeError),
    /// The object has no protobuf encoding.
    Encode(EncodeError),
    /// The JSON is not a valid object of the kind (what and where).
    Json(String),
}

impl std::fmt::Display for TranscodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TranscodeError::Decode(e) => write!(f, "protobuf body: {e}"),
            TranscodeError::Encode(e) => write!(f, "protobuf encoding: {e}"),
            TranscodeError::Json(e) => write!(f, "JSON object: {e}"),
        }
    }
}

impl std::error::Error for TranscodeError {}

impl From<DecodeError> for TranscodeError {
    fn from(e: DecodeError) -> Self {
        TranscodeError::Decode(e)
    }
}

impl From<EncodeError> for TranscodeError {
    fn from(e: EncodeError) -> Self {
        TranscodeError::Encode(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_status_crosses_both_ways_and_its_watch_frame_decodes() {
        let status = json!({
            "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": "pods \"x\" not found", "reason": "NotFound",
            "details": {"name": "x", "kind": "pods"}, "code": 404
        });
        let body = STATUS.to_protobuf(&status).unwrap();
        assert!(body.starts_with(&super::super::MAGIC));
        assert_eq!(STATUS.to_json(&body).unwrap(), status);

        let event = json!({"type": "ERROR", "object": status});
        let frame = STATUS.event_frame(&event).unwrap();
        let length = super::super::frame_length(&frame).unwrap();
        assert_eq!(length, frame.len() - 4);
        let event = super::super::decode_watch_event::<Status>(&frame[4..]).unwrap();
        match event {
            WatchEvent::Error(s) => assert_eq!(s.code, Some(404)),
            other => panic!("not an error event: {other:?}"),
        }
    }

    #[test]
    fn json_that_is_not_the_kind_names_the_field() {
        let err = STATUS
            .to_protobuf(&json!({"kind": "Status", "code": "four hundred"}))
            .unwrap_err();
        assert!(err.to_string().contains("code"), "{err}");
        let err = STATUS.event_frame(&json!({"type": "ADDED"})).unwrap_err();
        assert!(err.to_string().contains("object"), "{err}");
    }
}
