//! Reading the captured answers, and picking nested messages out of real bytes by field path
//! (so a meta type inside a Pod can be checked without the Pod's codec).

use std::path::PathBuf;

use rest_core::protobuf::{Reader, Unknown};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/protobuf/real")
}

/// A captured protobuf body.
pub fn pb(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(format!("{name}.pb"))).unwrap()
}

/// The same request's JSON answer.
pub fn json(name: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir().join(format!("{name}.json"))).unwrap()).unwrap()
}

/// Every occurrence of the field at `path` (field numbers, outermost first; the first
/// occurrence is followed at each inner step) in a message.
pub fn fields_at<'a>(message: &'a [u8], path: &[u32]) -> Vec<&'a [u8]> {
    let (last, outer) = path.split_last().unwrap();
    let mut current = message;
    for number in outer {
        current = fields_at(current, &[*number])
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no field {number} on the path {path:?}"));
    }
    let mut found = Vec::new();
    let mut reader = Reader::new(current);
    while let Some(field) = reader.next_field().unwrap() {
        if field.number == *last {
            found.push(field.bytes().unwrap());
        }
    }
    found
}

/// The object message inside a captured body's envelope.
pub fn object_of(body: &[u8]) -> &[u8] {
    Unknown::from_body(body).unwrap().raw
}

/// `value` at a JSON pointer, decoded as `T`.
pub fn json_at<T: serde::de::DeserializeOwned>(value: &serde_json::Value, pointer: &str) -> T {
    let at = value
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the JSON"));
    serde_json::from_value(at.clone()).unwrap()
}

/// A kind to read objects as metadata only (`PartialObjectMetadata<Kind>` skips the rest).
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Kind {
    metadata: rest_core::meta::ObjectMeta,
}

impl rest_core::Resource for Kind {
    const GROUP: &'static str = "";
    const VERSION: &'static str = "v1";
    const API_VERSION: &'static str = "v1";
    const KIND: &'static str = "ConfigMap";
    const PLURAL: &'static str = "configmaps";
    const SCOPE: rest_core::Scope = rest_core::Scope::Namespaced;

    fn metadata(&self) -> &rest_core::meta::ObjectMeta {
        &self.metadata
    }

    fn metadata_mut(&mut self) -> &mut rest_core::meta::ObjectMeta {
        &mut self.metadata
    }
}

/// Any object, read as its metadata.
pub type Partial = rest_core::meta::PartialObjectMetadata<Kind>;
