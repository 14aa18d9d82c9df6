//! Kubernetes' framing around protobuf messages: the `k8s\0` magic and `runtime.Unknown`
//! envelope of every body, and the length-prefixed frames of a watch.

use super::error::{DecodeError, DecodeErrorKind, EncodeError};
use super::message::Message;
use super::wire::{Reader, Writer};

/// The four bytes every protobuf body starts with.
pub const MAGIC: [u8; 4] = *b"k8s\0";

/// `runtime.Unknown`: the envelope naming the object's `apiVersion` and `kind`, with the
/// object's own message in `raw`. Borrows from the body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unknown<'a> {
    pub api_version: &'a str,
    pub kind: &'a str,
    pub raw: &'a [u8],
    /// Empty: the API server never compresses inside the envelope.
    pub content_encoding: &'a str,
    /// Empty: the raw bytes are protobuf.
    pub content_type: &'a str,
}

impl<'a> Unknown<'a> {
    /// The envelope of a body, after checking the magic.
    pub fn from_body(body: &'a [u8]) -> Result<Self, DecodeError> {
        match body.strip_prefix(&MAGIC) {
            Some(rest) => Unknown::from_message(rest),
            None => Err(DecodeError::new(DecodeErrorKind::BadMagic {
                found: body.iter().take(MAGIC.len()).copied().collect(),
            })),
        }
    }

    /// The envelope's message alone (no magic).
    pub fn from_message(bytes: &'a [u8]) -> Result<Self, DecodeError> {
        let mut unknown = Unknown::default();
        let mut reader = Reader::new(bytes);
        let context = |e: DecodeError, field| e.within("Unknown", field);
        let mut seen = [false; 5];
        while let Some(field) = reader.next_field().map_err(|e| context(e, None))? {
            let number = field.number;
            let at = |e| context(e, Some(number));
            // Go keeps the last of repeated fields; no server repeats one, and a streaming
            // decoder has used the first by then: both refuse instead of disagreeing.
            if let Some(seen) = usize::try_from(number).ok().and_then(|n| seen.get_mut(n)) {
                if std::mem::replace(seen, true) {
                    return Err(at(DecodeError::invalid("the field appears twice")));
                }
            }
            match number {
                1 => {
                    let mut meta = Reader::new(field.bytes().map_err(at)?);
                    while let Some(f) = meta
                        .next_field()
                        .map_err(|e| at(e.within("TypeMeta", None)))?
                    {
                        let n = f.number;
                        let in_meta = |e: DecodeError| at(e.within("TypeMeta", Some(n)));
                        match n {
                            1 => unknown.api_version = f.str().map_err(in_meta)?,
                            2 => unknown.kind = f.str().map_err(in_meta)?,
                            _ => {}
                        }
                    }
                }
                2 => unknown.raw = field.bytes().map_err(at)?,
                3 => unknown.content_encoding = field.str().map_err(at)?,
                4 => unknown.content_type = field.str().map_err(at)?,
                _ => {}
            }
        }
        Ok(unknown)
    }

    /// The object in the envelope, as `T`, with its `apiVersion` and `kind` filled in.
    pub fn decode<T: Message>(&self) -> Result<T, DecodeError> {
        if !self.content_encoding.is_empty() {
            return Err(DecodeError::invalid(format!(
                "the envelope's content encoding {:?} is not supported (only none)",
                self.content_encoding
            )));
        }
        if !self.content_type.is_empty() && !self.content_type.contains("protobuf") {
            return Err(DecodeError::invalid(format!(
                "the envelope holds {:?}, not protobuf",
                self.content_type
            )));
        }
        if self.kind.is_empty() {
            // As Go's serializer: an object must say what it is.
            return Err(
                DecodeError::invalid("the envelope names no kind").within("Unknown", Some(1))
            );
        }
        let mut object = T::decode(self.raw)?;
        object.set_type_meta(self.api_version, self.kind);
        Ok(object)
    }
}

/// A whole protobuf body (magic and envelope) decoded as `T`.
pub fn decode_object<T: Message>(body: &[u8]) -> Result<T, DecodeError> {
    Unknown::from_body(body)?.decode()
}

/// `object` as a whole protobuf body: the magic, then an envelope naming `api_version` and
/// `kind` around the object's message (the bytes Go's serializer writes).
pub fn encode_object<T: Message>(
    object: &T,
    api_version: &str,
    kind: &str,
) -> Result<Vec<u8>, EncodeError> {
    let mut w = Writer::with_capacity(256);
    w.raw(&MAGIC);
    write_unknown(&mut w, api_version, kind, object)?;
    Ok(w.into_vec())
}

/// The envelope's fields around `object` (used for bodies and for watch events' objects).
pub(crate) fn write_unknown<T: Message>(
    w: &mut Writer,
    api_version: &str,
    kind: &str,
    object: &T,
) -> Result<(), EncodeError> {
    w.nested(1, |w| {
        w.string(1, api_version);
        w.string(2, kind);
        Ok(())
    })?;
    w.message(2, object)?;
    w.string(3, "");
    w.string(4, "");
    Ok(())
}

/// The length of the frame at the start of `buf` (a watch's 4-byte big-endian prefix), or
/// `None` when fewer than 4 bytes have arrived. The caller checks it against its limit
/// before waiting for that many bytes.
pub fn frame_length(buf: &[u8]) -> Option<usize> {
    let prefix = buf.first_chunk::<4>()?;
    Some(u32::from_be_bytes(*prefix) as usize)
}

/// `message` framed as a watch frame (length prefix, then the bytes).
pub fn frame(message: &[u8]) -> Result<Vec<u8>, EncodeError> {
    let length = u32::try_from(message.len())
        .map_err(|_| EncodeError::new(format!("a watch frame of {} bytes", message.len())))?;
    let mut out = Vec::with_capacity(4 + message.len());
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(message);
    Ok(out)
}
