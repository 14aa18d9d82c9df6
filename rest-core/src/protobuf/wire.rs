//! The protobuf wire format: varints, tags, length-delimited fields, read from a slice with
//! every length checked against what is left, and written into a growing buffer.

use super::error::{DecodeError, DecodeErrorKind};
use super::message::Message;
use super::EncodeError;

/// How a field's value is laid out on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireType {
    Varint = 0,
    Fixed64 = 1,
    Len = 2,
    Fixed32 = 5,
}

impl WireType {
    fn name(self) -> &'static str {
        match self {
            WireType::Varint => "varint",
            WireType::Fixed64 => "64-bit",
            WireType::Len => "length-delimited",
            WireType::Fixed32 => "32-bit",
        }
    }
}

/// One field's value as read, borrowing length-delimited bytes from the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    Varint(u64),
    Fixed64(u64),
    Len(&'a [u8]),
    Fixed32(u32),
}

/// A field as read: its number and value. The typed readers check the wire type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    pub number: u32,
    pub value: Value<'a>,
}

impl<'a> Field<'a> {
    pub fn wire_type(&self) -> WireType {
        match self.value {
            Value::Varint(_) => WireType::Varint,
            Value::Fixed64(_) => WireType::Fixed64,
            Value::Len(_) => WireType::Len,
            Value::Fixed32(_) => WireType::Fixed32,
        }
    }

    fn wrong(&self, expected: WireType) -> DecodeError {
        DecodeError::new(DecodeErrorKind::WrongWireType {
            expected: expected.name(),
            found: self.wire_type().name(),
        })
    }

    /// A varint's raw value.
    pub fn varint(&self) -> Result<u64, DecodeError> {
        match self.value {
            Value::Varint(v) => Ok(v),
            _ => Err(self.wrong(WireType::Varint)),
        }
    }

    /// `int64` (two's complement in 64 bits, as Go writes it).
    pub fn int64(&self) -> Result<i64, DecodeError> {
        self.varint().map(|v| v as i64)
    }

    /// `int32`: negative values are written sign-extended to 64 bits; the low 32 bits count.
    pub fn int32(&self) -> Result<i32, DecodeError> {
        self.varint().map(|v| v as i32)
    }

    pub fn bool(&self) -> Result<bool, DecodeError> {
        self.varint().map(|v| v != 0)
    }

    /// `double`.
    pub fn double(&self) -> Result<f64, DecodeError> {
        match self.value {
            Value::Fixed64(v) => Ok(f64::from_bits(v)),
            _ => Err(self.wrong(WireType::Fixed64)),
        }
    }

    /// A length-delimited value's bytes (`bytes`, a string, a message, a map entry).
    pub fn bytes(&self) -> Result<&'a [u8], DecodeError> {
        match self.value {
            Value::Len(b) => Ok(b),
            _ => Err(self.wrong(WireType::Len)),
        }
    }

    pub fn str(&self) -> Result<&'a str, DecodeError> {
        std::str::from_utf8(self.bytes()?)
            .map_err(|_| DecodeError::new(DecodeErrorKind::InvalidUtf8))
    }

    pub fn string(&self) -> Result<String, DecodeError> {
        self.str().map(str::to_owned)
    }

    /// A Go string field with `omitempty`: empty reads as `None`, as its JSON would.
    pub fn nonempty_string(&self) -> Result<Option<String>, DecodeError> {
        self.str().map(|s| (!s.is_empty()).then(|| s.to_owned()))
    }

    /// A Go `int64` field with `omitempty`: zero reads as `None`.
    pub fn nonzero_int64(&self) -> Result<Option<i64>, DecodeError> {
        self.int64().map(|v| (v != 0).then_some(v))
    }

    /// A Go `int32` field with `omitempty`: zero reads as `None`.
    pub fn nonzero_int32(&self) -> Result<Option<i32>, DecodeError> {
        self.int32().map(|v| (v != 0).then_some(v))
    }

    /// A nested message, decoded on its own.
    pub fn message<T: Message>(&self) -> Result<T, DecodeError> {
        T::decode(self.bytes()?)
    }

    /// A nested message merged into `target` (a message field seen twice merges, as proto
    /// requires).
    pub fn merge_into<T: Message>(&self, target: &mut T) -> Result<(), DecodeError> {
        target.merge(self.bytes()?)
    }

    /// One entry of a `map<string, V>`: the key (field 1) and the value field (2), if sent.
    pub fn map_entry(&self) -> Result<(&'a str, Option<Field<'a>>), DecodeError> {
        let mut reader = Reader::new(self.bytes()?);
        let (mut key, mut value) = ("", None);
        while let Some(field) = reader.next_field()? {
            match field.number {
                1 => key = field.str()?,
                2 => value = Some(field),
                _ => {}
            }
        }
        Ok((key, value))
    }

    /// A `map<string, string>` entry; a missing value is the empty string.
    pub fn string_entry(&self) -> Result<(String, String), DecodeError> {
        let (key, value) = self.map_entry()?;
        let value = match value {
            Some(v) => v.string()?,
            None => String::new(),
        };
        Ok((key.to_owned(), value))
    }

    /// A `map<string, V>` entry with a message value; a missing value is `V::default()`.
    pub fn message_entry<V: Message>(&self) -> Result<(String, V), DecodeError> {
        let (key, value) = self.map_entry()?;
        let value = match value {
            Some(v) => v.message()?,
            None => V::default(),
        };
        Ok((key.to_owned(), value))
    }
}

/// Reads fields one by one from a message's bytes.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf }
    }

    /// The next field, or `None` at the end of the message.
    pub fn next_field(&mut self) -> Result<Option<Field<'a>>, DecodeError> {
        if self.buf.is_empty() {
            return Ok(None);
        }
        let tag = self.varint("a tag")?;
        let number = tag >> 3;
        if number == 0 || number > (1 << 29) - 1 {
            return Err(DecodeError::new(DecodeErrorKind::InvalidFieldNumber {
                number,
            }));
        }
        let value = match tag & 7 {
            0 => Value::Varint(self.varint("a varint")?),
            1 => Value::Fixed64(u64::from_le_bytes(self.fixed::<8>()?)),
            2 => {
                let length = self.varint("a length")?;
                let left = self.buf.len();
                // Compared before any conversion: a hostile length never sizes anything.
                if length > left as u64 {
                    return Err(DecodeError::new(DecodeErrorKind::LengthPastEnd {
                        length,
                        left,
                    }));
                }
                let (bytes, rest) = self.buf.split_at(length as usize);
                self.buf = rest;
                Value::Len(bytes)
            }
            5 => Value::Fixed32(u32::from_le_bytes(self.fixed::<4>()?)),
            other => {
                return Err(DecodeError::new(DecodeErrorKind::UnsupportedWireType {
                    wire_type: other as u8,
                }))
            }
        };
        Ok(Some(Field {
            number: number as u32,
            value,
        }))
    }

    fn varint(&mut self, what: &'static str) -> Result<u64, DecodeError> {
        let (value, used) = read_varint(self.buf, what)?;
        self.buf = &self.buf[used..];
        Ok(value)
    }

    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let Some((head, rest)) = self.buf.split_first_chunk::<N>() else {
            return Err(DecodeError::new(DecodeErrorKind::Truncated {
                what: "a fixed-size value",
            }));
        };
        self.buf = rest;
        Ok(*head)
    }
}

/// A varint from the start of `buf`: its value and how many bytes it took.
pub(crate) fn read_varint(buf: &[u8], what: &'static str) -> Result<(u64, usize), DecodeError> {
    let mut value = 0u64;
    for (i, &byte) in buf.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte < 0x80 {
            return Ok((value, i + 1));
        }
    }
    Err(DecodeError::new(if buf.len() >= 10 {
        DecodeErrorKind::VarintTooLong
    } else {
        DecodeErrorKind::Truncated { what }
    }))
}

/// Writes fields into a buffer, in the order called (Go writes them by field number: so do
/// the codecs, which makes the bytes equal to Go's).
#[derive(Clone, Debug, Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Self {
        Writer::default()
    }

    pub fn with_capacity(capacity: usize) -> Self {
        Writer {
            buf: Vec::with_capacity(capacity),
        }
    }

    /// Continues writing after what `buf` holds.
    pub fn from_vec(buf: Vec<u8>) -> Self {
        Writer { buf }
    }

    pub fn into_vec(self) -> Vec<u8> {
        self.buf
    }

    pub fn as_slice(&self) -> &[u8] {
        &self.buf
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    pub fn varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.buf.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.buf.push(value as u8);
    }

    fn key(&mut self, number: u32, wire: WireType) {
        self.varint((u64::from(number) << 3) | wire as u64);
    }

    pub fn uint64(&mut self, number: u32, value: u64) {
        self.key(number, WireType::Varint);
        self.varint(value);
    }

    pub fn int64(&mut self, number: u32, value: i64) {
        self.uint64(number, value as u64);
    }

    /// `int32`: negative values sign-extended to 64 bits, as Go writes them.
    pub fn int32(&mut self, number: u32, value: i32) {
        self.uint64(number, i64::from(value) as u64);
    }

    pub fn bool(&mut self, number: u32, value: bool) {
        self.uint64(number, u64::from(value));
    }

    pub fn double(&mut self, number: u32, value: f64) {
        self.key(number, WireType::Fixed64);
        self.buf.extend_from_slice(&value.to_bits().to_le_bytes());
    }

    pub fn bytes(&mut self, number: u32, value: &[u8]) {
        self.key(number, WireType::Len);
        self.varint(value.len() as u64);
        self.buf.extend_from_slice(value);
    }

    pub fn string(&mut self, number: u32, value: &str) {
        self.bytes(number, value.as_bytes());
    }

    /// A nested message.
    pub fn message<T: Message>(&mut self, number: u32, value: &T) -> Result<(), EncodeError> {
        self.nested(number, |w| value.encode_fields(w))
    }

    /// A length-delimited field whose content `write` produces (a message, a map entry).
    pub fn nested(
        &mut self,
        number: u32,
        write: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
    ) -> Result<(), EncodeError> {
        self.key(number, WireType::Len);
        // One byte is reserved for the length, enough below 128 bytes; a longer content
        // moves over by the length's extra bytes once.
        let at = self.buf.len();
        self.buf.push(0);
        write(self)?;
        let length = self.buf.len() - at - 1;
        if length < 0x80 {
            self.buf[at] = length as u8;
        } else {
            let mut prefix = Writer::with_capacity(5);
            prefix.varint(length as u64);
            let prefix = prefix.into_vec();
            self.buf[at] = prefix[0];
            self.buf.splice(at + 1..at + 1, prefix[1..].iter().copied());
        }
        Ok(())
    }

    /// A `map<string, string>` entry (key 1, value 2, both always written, as Go does).
    pub fn string_entry(&mut self, number: u32, key: &str, value: &str) {
        // Infallible content: the closure returns Ok.
        let _ = self.nested(number, |w| {
            w.string(1, key);
            w.string(2, value);
            Ok(())
        });
    }

    /// A `map<string, V>` entry with a message value.
    pub fn message_entry<V: Message>(
        &mut self,
        number: u32,
        key: &str,
        value: &V,
    ) -> Result<(), EncodeError> {
        self.nested(number, |w| {
            w.string(1, key);
            w.message(2, value)
        })
    }
}
