//! `bytes` fields as generated types hold them: the base64 text of their JSON form (a
//! Secret's `data`), converted at the protobuf boundary.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::error::{DecodeError, EncodeError};

/// A `bytes` field's value as base64 text.
pub fn bytes_to_text(bytes: &[u8]) -> Result<String, DecodeError> {
    Ok(STANDARD.encode(bytes))
}

/// Base64 text as the bytes to send.
pub fn text_to_bytes(text: &str) -> Result<Vec<u8>, EncodeError> {
    STANDARD
        .decode(text)
        .map_err(|e| EncodeError::new(format!("bytes {text:?}: not base64 ({e})")))
}
