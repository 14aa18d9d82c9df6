//! `ListMeta`, `List<T>` (every `XxxList`: metadata 1, items 2) and `PartialObjectMetadata`;
//! their `apiVersion` and `kind` come from the envelope.

use crate::meta::{List, ListMeta, PartialObjectMetadata};
use crate::protobuf::{DecodeError, EncodeError, Field, Message, Writer};

/// An envelope's `apiVersion` or `kind` as an optional field (empty is absent).
pub(crate) fn type_text(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

impl Message for ListMeta {
    const NAME: &'static str = "ListMeta";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string(1, self.self_link.as_deref().unwrap_or(""));
        w.string(2, self.resource_version.as_deref().unwrap_or(""));
        w.string(3, self.continue_.as_deref().unwrap_or(""));
        if let Some(count) = self.remaining_item_count {
            w.int64(4, count);
        }
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => self.self_link = f.nonempty_string()?,
            2 => self.resource_version = f.nonempty_string()?,
            3 => self.continue_ = f.nonempty_string()?,
            4 => self.remaining_item_count = Some(f.int64()?),
            _ => {}
        }
        Ok(())
    }
}

impl<T: Message> Message for List<T> {
    const NAME: &'static str = "List";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.message(1, &self.metadata)?;
        for item in &self.items {
            w.message(2, item)?;
        }
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => f.merge_into(&mut self.metadata)?,
            2 => self.items.push(f.message()?),
            _ => {}
        }
        Ok(())
    }

    fn set_type_meta(&mut self, api_version: &str, kind: &str) {
        self.api_version = type_text(api_version);
        self.kind = type_text(kind);
    }
}

impl<K> Message for PartialObjectMetadata<K> {
    const NAME: &'static str = "PartialObjectMetadata";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.message(1, &self.metadata)
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        if f.number == 1 {
            f.merge_into(&mut self.metadata)?;
        }
        Ok(())
    }

    fn set_type_meta(&mut self, api_version: &str, kind: &str) {
        self.api_version = type_text(api_version);
        self.kind = type_text(kind);
    }
}
