//! `Status`, `StatusDetails`, `StatusCause`: what the server answers for failures and for
//! calls that return no object (delete, some subresources).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::list::ListMeta;

/// The result of an operation that returns no object, and the body of every API error.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Suggested HTTP status code; 0 or absent when not set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<i32>,
    /// Extra data for the reason (name, kind, causes, retry-after).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<StatusDetails>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Human-readable description of the outcome.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<ListMeta>,
    /// Machine-readable reason for a failure (`NotFound`, `AlreadyExists`, `Conflict`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `Success` or `Failure`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl Status {
    /// A `Failure` status as the API server writes one (kind `Status`, api version `v1`).
    pub fn failure(code: i32, reason: impl Into<String>, message: impl Into<String>) -> Self {
        Status {
            api_version: Some("v1".to_owned()),
            kind: Some("Status".to_owned()),
            metadata: Some(ListMeta::default()),
            status: Some("Failure".to_owned()),
            code: Some(code),
            reason: Some(reason.into()),
            message: Some(message.into()),
            details: None,
        }
    }

    /// A `Success` status as the API server writes one.
    pub fn success() -> Self {
        Status {
            api_version: Some("v1".to_owned()),
            kind: Some("Status".to_owned()),
            metadata: Some(ListMeta::default()),
            status: Some("Success".to_owned()),
            ..Status::default()
        }
    }

    /// `status` is `Success`.
    pub fn is_success(&self) -> bool {
        self.status.as_deref() == Some("Success")
    }

    /// `status` is `Failure`.
    pub fn is_failure(&self) -> bool {
        self.status.as_deref() == Some("Failure")
    }

    /// The reason, or `""` when the server gave none.
    pub fn reason(&self) -> &str {
        self.reason.as_deref().unwrap_or("")
    }

    /// The message, or `""` when the server gave none.
    pub fn message(&self) -> &str {
        self.message.as_deref().unwrap_or("")
    }

    /// The suggested HTTP code, or 0 when the server gave none.
    pub fn code(&self) -> i32 {
        self.code.unwrap_or(0)
    }

    /// Seconds the server asked the client to wait before retrying, if any.
    pub fn retry_after_seconds(&self) -> Option<i32> {
        self.details.as_ref()?.retry_after_seconds
    }

    /// The field-level causes, empty when there are none.
    pub fn causes(&self) -> &[StatusCause] {
        self.details
            .as_ref()
            .and_then(|d| d.causes.as_deref())
            .unwrap_or(&[])
    }
}

impl fmt::Display for Status {
    /// `message (Reason, code)`, falling back to whatever parts the server sent.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.message();
        let reason = self.reason();
        if message.is_empty() {
            f.write_str(if reason.is_empty() {
                "unknown status"
            } else {
                reason
            })?;
        } else {
            f.write_str(message)?;
            if !reason.is_empty() {
                write!(f, " ({reason}")?;
                if let Some(code) = self.code.filter(|c| *c != 0) {
                    write!(f, ", {code}")?;
                }
                f.write_str(")")?;
            }
        }
        Ok(())
    }
}

/// Extra information about a failure; which fields are set depends on the reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusDetails {
    /// Field-level causes (one per invalid field, for `Invalid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub causes: Option<Vec<StatusCause>>,
    /// Group of the resource concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind (or resource) concerned; may differ from the requested kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name of the object concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Seconds to wait before retrying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_seconds: Option<i32>,
    /// UID of the object concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

/// One reason a request failed, often tied to a field (`metadata.name`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusCause {
    /// The field at fault, in JSON path notation (`spec.containers[0].image`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Human-readable description of the cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Machine-readable cause (`FieldValueInvalid`, `FieldValueRequired`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
