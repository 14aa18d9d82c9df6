//! What goes wrong reading or writing protobuf: `DecodeError` says what was wrong and in
//! which message and field (outermost first); `EncodeError` names the value that has no encoding.

use std::fmt;

/// Bytes that are not a valid encoding of the message asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    kind: DecodeErrorKind,
    /// `(message, field number)` from the innermost out; `None` when the tag itself was bad.
    path: Vec<(&'static str, Option<u32>)>,
}

/// What was wrong with the bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ends inside a tag, a varint or a fixed-size value.
    Truncated { what: &'static str },
    /// A length prefix points past the end of its message.
    LengthPastEnd { length: u64, left: usize },
    /// A varint longer than 10 bytes.
    VarintTooLong,
    /// Field number 0 or above 2^29 - 1.
    InvalidFieldNumber { number: u64 },
    /// A wire type that does not exist (6, 7) or a group (3, 4), which Kubernetes never writes.
    UnsupportedWireType { wire_type: u8 },
    /// A known field arrived with another wire type than its schema's.
    WrongWireType {
        expected: &'static str,
        found: &'static str,
    },
    /// A string field whose bytes are not UTF-8.
    InvalidUtf8,
    /// The body does not start with Kubernetes' `k8s\0` magic.
    BadMagic { found: Vec<u8> },
    /// A value that is well-formed protobuf but not a valid value of its type.
    InvalidValue { message: String },
}

impl DecodeError {
    pub(crate) fn new(kind: DecodeErrorKind) -> Self {
        DecodeError {
            kind,
            path: Vec::new(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        DecodeError::new(DecodeErrorKind::InvalidValue {
            message: message.into(),
        })
    }

    /// Records that the error happened in `message` (at `field`, when the tag was read).
    pub(crate) fn within(mut self, message: &'static str, field: Option<u32>) -> Self {
        self.path.push((message, field));
        self
    }

    /// What was wrong.
    pub fn kind(&self) -> &DecodeErrorKind {
        &self.kind
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("protobuf")?;
        for (i, (message, field)) in self.path.iter().rev().enumerate() {
            f.write_str(if i == 0 { " in " } else { " > " })?;
            match field {
                Some(n) => write!(f, "{message} field {n}")?,
                None => f.write_str(message)?,
            }
        }
        f.write_str(": ")?;
        match &self.kind {
            DecodeErrorKind::Truncated { what } => write!(f, "the input ends inside {what}"),
            DecodeErrorKind::LengthPastEnd { length, left } => write!(
                f,
                "a length of {length} bytes runs past the end ({left} bytes left)"
            ),
            DecodeErrorKind::VarintTooLong => f.write_str("a varint longer than 10 bytes"),
            DecodeErrorKind::InvalidFieldNumber { number } => {
                write!(f, "field number {number} is out of range")
            }
            DecodeErrorKind::UnsupportedWireType { wire_type } => write!(
                f,
                "wire type {wire_type} is not used by Kubernetes (groups or an invalid type)"
            ),
            DecodeErrorKind::WrongWireType { expected, found } => {
                write!(f, "expected a {expected} value, found a {found} value")
            }
            DecodeErrorKind::InvalidUtf8 => f.write_str("a string field is not valid UTF-8"),
            DecodeErrorKind::BadMagic { found } => write!(
                f,
                "the body does not start with Kubernetes' magic `k8s\\0` (starts with {found:02x?}); is it protobuf?"
            ),
            DecodeErrorKind::InvalidValue { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A value the protobuf encoding cannot carry (a `Time` that is not RFC 3339, say).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("protobuf: cannot encode {message}")]
pub struct EncodeError {
    message: String,
}

impl EncodeError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        EncodeError {
            message: message.into(),
        }
    }
}
