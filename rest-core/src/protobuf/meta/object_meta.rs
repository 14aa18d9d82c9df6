//! `ObjectMeta`, `OwnerReference` and `ManagedFieldsEntry` (meta/v1 `generated.proto`). Go's
//! plain (non-pointer) fields are always written; the `omitempty` ones read back as `None`
//! when zero, as their JSON does.

use crate::meta::{ManagedFieldsEntry, ObjectMeta, OwnerReference, Time};
use crate::protobuf::{optional_time, DecodeError, EncodeError, Field, Message, Writer};

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

/// A nested `Time` that Go holds by value: written even when zero (as an empty message).
pub(crate) fn write_time_value(
    w: &mut Writer,
    number: u32,
    time: &Option<Time>,
) -> Result<(), EncodeError> {
    match time {
        Some(t) => w.message(number, t),
        None => w.nested(number, |_| Ok(())),
    }
}

impl Message for ObjectMeta {
    const NAME: &'static str = "ObjectMeta";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string(1, text(&self.name));
        w.string(2, text(&self.generate_name));
        w.string(3, text(&self.namespace));
        w.string(4, text(&self.self_link));
        w.string(5, text(&self.uid));
        w.string(6, text(&self.resource_version));
        w.int64(7, self.generation.unwrap_or(0));
        write_time_value(w, 8, &self.creation_timestamp)?;
        if let Some(t) = &self.deletion_timestamp {
            w.message(9, t)?;
        }
        if let Some(seconds) = self.deletion_grace_period_seconds {
            w.int64(10, seconds);
        }
        for (k, v) in self.labels.iter().flatten() {
            w.string_entry(11, k, v);
        }
        for (k, v) in self.annotations.iter().flatten() {
            w.string_entry(12, k, v);
        }
        for owner in self.owner_references.iter().flatten() {
            w.message(13, owner)?;
        }
        for finalizer in self.finalizers.iter().flatten() {
            w.string(14, finalizer);
        }
        for entry in self.managed_fields.iter().flatten() {
            w.message(17, entry)?;
        }
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => self.name = f.nonempty_string()?,
            2 => self.generate_name = f.nonempty_string()?,
            3 => self.namespace = f.nonempty_string()?,
            4 => self.self_link = f.nonempty_string()?,
            5 => self.uid = f.nonempty_string()?,
            6 => self.resource_version = f.nonempty_string()?,
            7 => self.generation = f.nonzero_int64()?,
            8 => self.creation_timestamp = optional_time(&f)?,
            9 => self.deletion_timestamp = optional_time(&f)?,
            10 => self.deletion_grace_period_seconds = Some(f.int64()?),
            11 => {
                let (k, v) = f.string_entry()?;
                self.labels.get_or_insert_default().insert(k, v);
            }
            12 => {
                let (k, v) = f.string_entry()?;
                self.annotations.get_or_insert_default().insert(k, v);
            }
            13 => self
                .owner_references
                .get_or_insert_default()
                .push(f.message()?),
            14 => self.finalizers.get_or_insert_default().push(f.string()?),
            17 => self
                .managed_fields
                .get_or_insert_default()
                .push(f.message()?),
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self) {
        if let Some(m) = &mut self.labels {
            m.shrink_to_fit();
        }
        if let Some(m) = &mut self.annotations {
            m.shrink_to_fit();
        }
        if let Some(v) = &mut self.owner_references {
            v.shrink_to_fit();
        }
        if let Some(v) = &mut self.finalizers {
            v.shrink_to_fit();
        }
        if let Some(v) = &mut self.managed_fields {
            v.shrink_to_fit();
        }
    }
}

impl Message for OwnerReference {
    const NAME: &'static str = "OwnerReference";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string(1, &self.kind);
        w.string(3, &self.name);
        w.string(4, &self.uid);
        w.string(5, &self.api_version);
        if let Some(controller) = self.controller {
            w.bool(6, controller);
        }
        if let Some(block) = self.block_owner_deletion {
            w.bool(7, block);
        }
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => self.kind = f.string()?,
            3 => self.name = f.string()?,
            4 => self.uid = f.string()?,
            5 => self.api_version = f.string()?,
            6 => self.controller = Some(f.bool()?),
            7 => self.block_owner_deletion = Some(f.bool()?),
            _ => {}
        }
        Ok(())
    }
}

impl Message for ManagedFieldsEntry {
    const NAME: &'static str = "ManagedFieldsEntry";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string(1, text(&self.manager));
        w.string(2, text(&self.operation));
        w.string(3, text(&self.api_version));
        if let Some(t) = &self.time {
            w.message(4, t)?;
        }
        w.string(6, text(&self.fields_type));
        if let Some(fields) = &self.fields_v1 {
            w.message(7, fields)?;
        }
        w.string(8, text(&self.subresource));
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => self.manager = f.nonempty_string()?,
            2 => self.operation = f.nonempty_string()?,
            3 => self.api_version = f.nonempty_string()?,
            4 => self.time = optional_time(&f)?,
            6 => self.fields_type = f.nonempty_string()?,
            7 => self.fields_v1 = Some(f.message()?),
            8 => self.subresource = f.nonempty_string()?,
            _ => {}
        }
        Ok(())
    }
}
