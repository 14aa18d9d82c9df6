//! `Time` and `MicroTime` as Kubernetes encodes them: seconds and nanoseconds since the
//! epoch (`Time` writes whole seconds, as its JSON does), converted to and from RFC 3339 text.

use crate::meta::time::with_rfc3339;
use crate::meta::{MicroTime, Time};
use crate::protobuf::{DecodeError, EncodeError, Field, Message, Reader, Writer};
use crate::timestamp::parse_rfc3339_unix;

/// Seconds (field 1) and nanoseconds (field 2) of a `Timestamp`-shaped message.
fn read_parts(bytes: &[u8], name: &'static str) -> Result<(i64, i32), DecodeError> {
    let (mut seconds, mut nanos) = (0, 0);
    let mut reader = Reader::new(bytes);
    while let Some(field) = reader.next_field().map_err(|e| e.within(name, None))? {
        let number = field.number;
        match number {
            1 => field.int64().map(|v| seconds = v),
            2 => field.int32().map(|v| nanos = v),
            _ => Ok(()),
        }
        .map_err(|e| e.within(name, Some(number)))?;
    }
    if !(0..1_000_000_000).contains(&nanos) {
        return Err(DecodeError::invalid(format!(
            "{name} has {nanos} nanoseconds (must be 0 to 999999999)"
        ))
        .within(name, Some(2)));
    }
    Ok((seconds, nanos))
}

fn unix_parts(text: &str, name: &str) -> Result<(i64, u32), EncodeError> {
    parse_rfc3339_unix(text)
        .ok_or_else(|| EncodeError::new(format!("{name} {text:?}: not an RFC 3339 timestamp")))
}

impl Message for Time {
    const NAME: &'static str = "Time";

    /// The zero time (empty text) is an empty message, as Go writes it.
    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        if self.as_str().is_empty() {
            return Ok(());
        }
        let (seconds, _) = unix_parts(self.as_str(), Self::NAME)?;
        w.int64(1, seconds);
        // Go leaves nanoseconds out of `Time` on purpose (JSON has none) but writes the field.
        w.int32(2, 0);
        Ok(())
    }

    fn merge_field(&mut self, _field: Field<'_>) -> Result<(), DecodeError> {
        Ok(())
    }

    /// Both fields are needed at once to make the text, so the message is read whole; an
    /// empty message is the zero time (`null` in JSON), read as the empty text.
    fn merge(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        if bytes.is_empty() {
            *self = Time::default();
            return Ok(());
        }
        let (seconds, _) = read_parts(bytes, Self::NAME)?;
        *self = with_rfc3339(seconds, None, |text| Time::from(text));
        Ok(())
    }
}

impl Message for MicroTime {
    const NAME: &'static str = "MicroTime";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        if self.as_str().is_empty() {
            return Ok(());
        }
        let (seconds, nanos) = unix_parts(self.as_str(), Self::NAME)?;
        w.int64(1, seconds);
        // Microseconds are what the JSON form keeps, so that is all that is sent.
        w.int32(2, (nanos / 1000 * 1000) as i32);
        Ok(())
    }

    fn merge_field(&mut self, _field: Field<'_>) -> Result<(), DecodeError> {
        Ok(())
    }

    fn merge(&mut self, bytes: &[u8]) -> Result<(), DecodeError> {
        if bytes.is_empty() {
            *self = MicroTime::default();
            return Ok(());
        }
        let (seconds, nanos) = read_parts(bytes, Self::NAME)?;
        *self = with_rfc3339(seconds, Some(nanos as u32 / 1000), |text| {
            MicroTime::from(text)
        });
        Ok(())
    }
}

/// An optional `Time` field: the zero time (an empty message) reads as `None`, as the JSON
/// `null` Go writes for it does.
pub fn optional_time(field: &Field<'_>) -> Result<Option<Time>, DecodeError> {
    let time: Time = field.message()?;
    Ok((!time.as_str().is_empty()).then_some(time))
}

/// An optional `MicroTime` field, the same way.
pub fn optional_micro_time(field: &Field<'_>) -> Result<Option<MicroTime>, DecodeError> {
    let time: MicroTime = field.message()?;
    Ok((!time.as_str().is_empty()).then_some(time))
}
