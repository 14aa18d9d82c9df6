//! `LabelSelector`, `LabelSelectorRequirement` and `Condition`: the meta/v1 shapes that
//! built-in specs and statuses embed.

use crate::meta::{Condition, FieldSelectorRequirement, LabelSelector, LabelSelectorRequirement};
use crate::protobuf::{DecodeError, EncodeError, Field, Message, Writer};

impl Message for LabelSelector {
    const NAME: &'static str = "LabelSelector";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        for (k, v) in self.match_labels.iter().flatten() {
            w.string_entry(1, k, v);
        }
        for requirement in self.match_expressions.iter().flatten() {
            w.message(2, requirement)?;
        }
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => {
                let (k, v) = f.string_entry()?;
                self.match_labels.get_or_insert_default().insert(k, v);
            }
            2 => self
                .match_expressions
                .get_or_insert_default()
                .push(f.message()?),
            _ => {}
        }
        Ok(())
    }
}

impl Message for LabelSelectorRequirement {
    const NAME: &'static str = "LabelSelectorRequirement";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string(1, &self.key);
        w.string(2, &self.operator);
        for value in self.values.iter().flatten() {
            w.string(3, value);
        }
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => self.key = f.string()?,
            2 => self.operator = f.string()?,
            3 => self.values.get_or_insert_default().push(f.string()?),
            _ => {}
        }
        Ok(())
    }
}

impl Message for FieldSelectorRequirement {
    const NAME: &'static str = "FieldSelectorRequirement";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string(1, &self.key);
        w.string(2, &self.operator);
        for value in self.values.iter().flatten() {
            w.string(3, value);
        }
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => self.key = f.string()?,
            2 => self.operator = f.string()?,
            3 => self.values.get_or_insert_default().push(f.string()?),
            _ => {}
        }
        Ok(())
    }
}

impl Message for Condition {
    const NAME: &'static str = "Condition";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.string(1, &self.type_);
        w.string(2, &self.status);
        w.int64(3, self.observed_generation.unwrap_or(0));
        w.message(4, &self.last_transition_time)?;
        w.string(5, &self.reason);
        w.string(6, &self.message);
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => self.type_ = f.string()?,
            2 => self.status = f.string()?,
            3 => self.observed_generation = f.nonzero_int64()?,
            4 => self.last_transition_time = f.message()?,
            5 => self.reason = f.string()?,
            6 => self.message = f.string()?,
            _ => {}
        }
        Ok(())
    }
}
