//! `Status`, `StatusDetails` and `StatusCause`: the body of every API error, in protobuf
//! as in JSON, so an error decodes the same way whichever the server sent.

use super::list::type_text;
use crate::meta::{Status, StatusCause, StatusDetails};
use crate::protobuf::{DecodeError, EncodeError, Field, Message, Writer};

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

impl Message for Status {
    const NAME: &'static str = "Status";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        match &self.metadata {
            Some(meta) => w.message(1, meta)?,
            None => w.message(1, &crate::meta::ListMeta::default())?,
        }
        w.string(2, text(&self.status));
        w.string(3, text(&self.message));
        w.string(4, text(&self.reason));
        if let Some(details) = &self.details {
            w.message(5, details)?;
        }
        w.int32(6, self.code.unwrap_or(0));
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => f.merge_into(self.metadata.get_or_insert_default())?,
            2 => self.status = f.nonempty_string()?,
            3 => self.message = f.nonempty_string()?,
            4 => self.reason = f.nonempty_string()?,
            5 => f.merge_into(self.details.get_or_insert_default())?,
            6 => self.code = f.nonzero_int32()?,
            _ => {}
        }
        Ok(())
    }

    fn set_type_meta(&mut self, api_version: &str, kind: &str) {
        self.api_version = type_text(api_version);
        self.kind = type_text(kind);
    }
}

impl Message for StatusDetails {
    const NAME: &'static str = "StatusDetails";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string(1, text(&self.name));
        w.string(2, text(&self.group));
        w.string(3, text(&self.kind));
        for cause in self.causes.iter().flatten() {
            w.message(4, cause)?;
        }
        w.int32(5, self.retry_after_seconds.unwrap_or(0));
        w.string(6, text(&self.uid));
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => self.name = f.nonempty_string()?,
            2 => self.group = f.nonempty_string()?,
            3 => self.kind = f.nonempty_string()?,
            4 => self.causes.get_or_insert_default().push(f.message()?),
            5 => self.retry_after_seconds = f.nonzero_int32()?,
            6 => self.uid = f.nonempty_string()?,
            _ => {}
        }
        Ok(())
    }
}

impl Message for StatusCause {
    const NAME: &'static str = "StatusCause";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string(1, text(&self.reason));
        w.string(2, text(&self.message));
        w.string(3, text(&self.field));
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => self.reason = f.nonempty_string()?,
            2 => self.message = f.nonempty_string()?,
            3 => self.field = f.nonempty_string()?,
            _ => {}
        }
        Ok(())
    }
}
