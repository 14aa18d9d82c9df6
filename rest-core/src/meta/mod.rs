//! Kubernetes' `meta/v1` group and the shared value types (`IntOrString`, `Quantity`,
//! `RawExtension`): every generated or derived type refers to these.

use serde::{Deserialize, Serialize};

/// Placeholder until the meta module lands.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectMeta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}
