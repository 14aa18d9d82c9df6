//! The shared value types' encodings: `Quantity` as its string, `IntOrString` with its type
//! tag, `RawExtension` and `FieldsV1` as the JSON bytes they carry.

use crate::meta::{FieldsV1, IntOrString, Quantity, RawExtension};
use crate::protobuf::{DecodeError, EncodeError, Field, Message, Reader, Writer};

impl Message for Quantity {
    const NAME: &'static str = "Quantity";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string(1, self.as_str());
        Ok(())
    }

    fn merge_field(&mut self, field: Field<'_>) -> Result<(), DecodeError> {
        if field.number == 1 {
            *self = Quantity::from(field.str()?);
        }
        Ok(())
    }
}

impl Message for IntOrString {
    const NAME: &'static str = "IntOrString";

    /// All three fields, always (`type`, `intVal`, `strVal`), as Go writes them.
    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        match self {
            IntOrString::Int(i) => {
                w.int64(1, 0);
                w.int32(2, *i);
                w.string(3, "");
            }
            IntOrString::String(s) => {
                w.int64(1, 1);
                w.int32(2, 0);
                w.string(3, s);
            }
        }
        Ok(())
    }

    fn merge_field(&mut self, _field: Field<'_>) -> Result<(), DecodeError> {
        Ok(())
    }

    /// The type tag decides which of the other two fields counts, so the message is read whole.
    fn merge(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        let (mut kind, mut int, mut text) = (0, 0, "");
        let mut reader = Reader::new(bytes);
        while let Some(field) = reader
            .next_field()
            .map_err(|e| e.within(Self::NAME, None))?
        {
            let number = field.number;
            match number {
                1 => field.int64().map(|v| kind = v),
                2 => field.int32().map(|v| int = v),
                3 => field.str().map(|v| text = v),
                _ => Ok(()),
            }
            .map_err(|e| e.within(Self::NAME, Some(number)))?;
        }
        *self = match kind {
            0 => IntOrString::Int(int),
            1 => IntOrString::String(text.to_owned()),
            other => {
                return Err(DecodeError::invalid(format!(
                    "IntOrString type {other} is neither 0 (int) nor 1 (string)"
                ))
                .within(Self::NAME, Some(1)))
            }
        };
        Ok(())
    }
}

impl Message for RawExtension {
    const NAME: &'static str = "RawExtension";

    /// `raw` is the object's JSON; `null` (no object) writes nothing, as a nil `Raw` does.
    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        if !self.0.is_null() {
            let json = serde_json::to_vec(&self.0)
                .map_err(|e| EncodeError::new(format!("a RawExtension as JSON: {e}")))?;
            w.bytes(1, &json);
        }
        Ok(())
    }

    fn merge_field(&mut self, field: Field<'_>) -> Result<(), DecodeError> {
        if field.number == 1 {
            let raw = field.bytes()?;
            self.0 = if raw.is_empty() {
                serde_json::Value::Null
            } else {
                serde_json::from_slice(raw).map_err(|e| {
                    DecodeError::invalid(format!("RawExtension raw is not JSON ({e})"))
                })?
            };
        }
        Ok(())
    }
}

impl Message for FieldsV1 {
    const NAME: &'static str = "FieldsV1";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.bytes(1, self.as_json().as_bytes());
        Ok(())
    }

    fn merge_field(&mut self, field: Field<'_>) -> Result<(), DecodeError> {
        if field.number == 1 {
            let text = field.str()?;
            // Kept as text, as the JSON decoder keeps it: checked once so it stays JSON.
            serde_json::from_str::<serde::de::IgnoredAny>(text)
                .map_err(|e| DecodeError::invalid(format!("FieldsV1 Raw is not JSON ({e})")))?;
            *self = FieldsV1::from_checked_json(text.to_owned());
        }
        Ok(())
    }
}
