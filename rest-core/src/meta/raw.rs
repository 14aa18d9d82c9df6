//! `RawExtension` and `FieldsV1`: fields whose content is any JSON, carried through
//! unchanged (embedded objects, managed-fields tries).

use serde::{Deserialize, Serialize};

/// An embedded object of any kind (`runtime.RawExtension`), kept as JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RawExtension(pub serde_json::Value);

/// The set of fields a manager owns, as a trie in JSON (`{"f:data":{".":{},"f:k":{}}}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldsV1(pub serde_json::Value);
