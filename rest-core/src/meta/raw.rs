//! `RawExtension` and `FieldsV1`: fields whose content is any JSON, carried through
//! unchanged (embedded objects, managed-fields tries).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::json_text;

/// An embedded object of any kind (`runtime.RawExtension`), kept as JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawExtension(pub serde_json::Value);

/// The set of fields a manager owns, as a trie in JSON (`{"f:data":{".":{},"f:k":{}}}`).
///
/// Kept as compact JSON text: every object in a list carries several of these and almost
/// nobody reads them, so decoding them into a tree would be most of a list's decode time.
/// Equality compares the text (the server's key order is kept).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct FieldsV1 {
    json: String,
}

impl FieldsV1 {
    /// The field set as compact JSON text.
    pub fn as_json(&self) -> &str {
        &self.json
    }

    /// The field set as a JSON tree, for inspection.
    pub fn to_value(&self) -> serde_json::Value {
        // The text is valid JSON by construction; `Null` only if that were ever broken.
        serde_json::from_str(&self.json).unwrap_or_default()
    }

    /// A field set from JSON text the caller has checked is JSON (a protobuf body's bytes).
    #[cfg(feature = "protobuf")]
    pub(crate) fn from_checked_json(json: String) -> Self {
        FieldsV1 { json }
    }

    /// A field set from a JSON tree.
    pub fn from_value(value: &serde_json::Value) -> Self {
        FieldsV1 {
            json: value.to_string(),
        }
    }
}

impl Default for FieldsV1 {
    /// The empty field set, `{}`.
    fn default() -> Self {
        FieldsV1 {
            json: "{}".to_owned(),
        }
    }
}

impl fmt::Debug for FieldsV1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FieldsV1({})", self.json)
    }
}

impl From<serde_json::Value> for FieldsV1 {
    fn from(value: serde_json::Value) -> Self {
        FieldsV1::from_value(&value)
    }
}

impl Serialize for FieldsV1 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        json_text::serialize(&self.json, serializer)
    }
}

impl<'de> Deserialize<'de> for FieldsV1 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(FieldsV1 {
            json: json_text::capture(deserializer)?,
        })
    }
}
