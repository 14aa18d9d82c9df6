//! `TypeMeta`: the `apiVersion` and `kind` every serialized object starts with.

use serde::{Deserialize, Serialize};

/// The `apiVersion` / `kind` pair of an object (`runtime.TypeMeta`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypeMeta {
    /// The versioned schema of this object (`v1`, `apps/v1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// The REST kind of this object, in CamelCase (`Pod`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}
