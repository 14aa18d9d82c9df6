//! `Condition`: the standard shape of one entry of `status.conditions`.

use serde::{Deserialize, Serialize};

use super::time::Time;

/// One aspect of an object's current state (`Ready`, `Available`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// When the condition last changed status.
    #[serde(default)]
    pub last_transition_time: Time,
    /// Human-readable details of the transition; may be empty.
    #[serde(default)]
    pub message: String,
    /// The `metadata.generation` this condition was computed from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// CamelCase identifier of the reason for the last transition.
    #[serde(default)]
    pub reason: String,
    /// `True`, `False` or `Unknown`.
    #[serde(default)]
    pub status: String,
    /// Condition type in CamelCase (`Ready`) or `foo.example.com/CamelCase`.
    #[serde(rename = "type", default)]
    pub type_: String,
}

impl Condition {
    /// `status` is `True`.
    pub fn is_true(&self) -> bool {
        self.status == "True"
    }
}
