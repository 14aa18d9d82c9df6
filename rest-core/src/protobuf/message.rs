//! `Message`: what a type implements to be read from and written as a protobuf message; the
//! decode loop (unknown fields skipped, errors given their place) lives here, once.

use super::error::{DecodeError, EncodeError};
use super::wire::{Field, Reader, Writer};

/// A type with a protobuf encoding: Kubernetes' `generated.proto` message of the same name.
///
/// Implementations write their fields in field-number order (as Go does, so bytes match) and
/// read each field in `merge_field`, ignoring numbers they do not know.
pub trait Message: Default {
    /// The message's name, for errors (`ObjectMeta`).
    const NAME: &'static str;

    /// Writes the fields (not a length or tag: the caller frames the message).
    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError>;

    /// Reads one field into `self`. Unknown field numbers must be ignored.
    fn merge_field(&mut self, field: Field<'_>) -> Result<(), DecodeError>;

    /// Reads a whole message's fields into `self`.
    fn merge(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        let mut reader = Reader::new(bytes);
        while let Some(field) = reader
            .next_field()
            .map_err(|e| e.within(Self::NAME, None))?
        {
            let number = field.number;
            self.merge_field(field)
                .map_err(|e| e.within(Self::NAME, Some(number)))?;
        }
        self.finish();
        Ok(())
    }

    /// Called once a message's fields are all read. Lists and maps grow as their elements
    /// arrive one field at a time; implementations shrink them to their length here, since
    /// a decoded object may be cached for long. The default does nothing.
    fn finish(&mut self) {}

    /// A message from its bytes.
    fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut message = Self::default();
        message.merge(bytes)?;
        Ok(message)
    }

    /// The message's bytes.
    fn encode_to_vec(&self) -> Result<Vec<u8>, EncodeError> {
        let mut w = Writer::new();
        self.encode_fields(&mut w)?;
        Ok(w.into_vec())
    }

    /// Takes `apiVersion` and `kind` from the envelope: Kubernetes' messages do not carry
    /// them, `runtime.Unknown` does. Kinds with those fields set them; the default ignores them.
    fn set_type_meta(&mut self, api_version: &str, kind: &str) {
        let _ = (api_version, kind);
    }
}
