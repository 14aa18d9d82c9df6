//! `DeleteOptions` and `Preconditions`: the options built-in kinds embed (an `Eviction`
//! carries them). Every field is a Go pointer or a list: only what is set is written.

use crate::meta::{DeleteOptions, Preconditions, PropagationPolicy};
use crate::protobuf::{DecodeError, EncodeError, Field, Message, Writer};

impl Message for DeleteOptions {
    const NAME: &'static str = "DeleteOptions";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        if let Some(seconds) = self.grace_period_seconds {
            w.int64(1, seconds);
        }
        if let Some(preconditions) = &self.preconditions {
            w.message(2, preconditions)?;
        }
        if let Some(orphan) = self.orphan_dependents {
            w.bool(3, orphan);
        }
        if let Some(policy) = &self.propagation_policy {
            w.string(4, policy_text(policy));
        }
        for dry_run in self.dry_run.iter().flatten() {
            w.string(5, dry_run);
        }
        if let Some(ignore) = self.ignore_store_read_error_with_cluster_breaking_potential {
            w.bool(6, ignore);
        }
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => self.grace_period_seconds = Some(f.int64()?),
            2 => f.merge_into(self.preconditions.get_or_insert_default())?,
            3 => self.orphan_dependents = Some(f.bool()?),
            4 => self.propagation_policy = Some(policy_of(f.str()?)?),
            5 => self.dry_run.get_or_insert_default().push(f.string()?),
            6 => self.ignore_store_read_error_with_cluster_breaking_potential = Some(f.bool()?),
            _ => {}
        }
        Ok(())
    }

    fn set_type_meta(&mut self, api_version: &str, kind: &str) {
        self.api_version = super::list::type_text(api_version);
        self.kind = super::list::type_text(kind);
    }
}

fn policy_text(policy: &PropagationPolicy) -> &'static str {
    match policy {
        PropagationPolicy::Orphan => "Orphan",
        PropagationPolicy::Background => "Background",
        PropagationPolicy::Foreground => "Foreground",
    }
}

fn policy_of(text: &str) -> Result<PropagationPolicy, DecodeError> {
    Ok(match text {
        "Orphan" => PropagationPolicy::Orphan,
        "Background" => PropagationPolicy::Background,
        "Foreground" => PropagationPolicy::Foreground,
        other => {
            return Err(DecodeError::invalid(format!(
                "propagationPolicy {other:?} is not Orphan, Background or Foreground"
            )))
        }
    })
}

impl Message for Preconditions {
    const NAME: &'static str = "Preconditions";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        if let Some(uid) = &self.uid {
            w.string(1, uid);
        }
        if let Some(version) = &self.resource_version {
            w.string(2, version);
        }
        Ok(())
    }

    fn merge_field(&mut self, f: Field<'_>) -> Result<(), DecodeError> {
        match f.number {
            1 => self.uid = Some(f.string()?),
            2 => self.resource_version = Some(f.string()?),
            _ => {}
        }
        Ok(())
    }
}
