//! `WatchEvent` frames: `meta.v1.WatchEvent` (type, then the object as a `RawExtension`
//! holding a whole `k8s\0` body), read into the same `WatchEvent<T>` the JSON watch yields.

use crate::meta::{Bookmark, BookmarkMeta, ObjectMeta, Status, WatchEvent};
use crate::protobuf::envelope::{write_unknown, Unknown, MAGIC};
use crate::protobuf::{DecodeError, EncodeError, Message, Reader, Writer};

/// Only `metadata` (field 1, in every kind): what a bookmark's object carries.
#[derive(Default)]
struct MetadataOnly(ObjectMeta);

impl Message for MetadataOnly {
    const NAME: &'static str = "object";

    fn encode_fields(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.message(1, &self.0)
    }

    fn merge_field(&mut self, f: crate::protobuf::Field<'_>) -> Result<(), DecodeError> {
        if f.number == 1 {
            f.merge_into(&mut self.0)?;
        }
        Ok(())
    }
}

/// A watch frame's message (what follows the 4-byte length) as an event of `T`.
pub fn decode_watch_event<T: Message>(frame: &[u8]) -> Result<WatchEvent<T>, DecodeError> {
    const NAME: &str = "WatchEvent";
    // The API server writes the event bare; an enveloped one is accepted as well.
    let message = match frame.strip_prefix(&MAGIC) {
        Some(_) => Unknown::from_body(frame)?.raw,
        None => frame,
    };
    let (mut kind, mut object) = ("", None);
    let mut reader = Reader::new(message);
    while let Some(field) = reader.next_field().map_err(|e| e.within(NAME, None))? {
        let number = field.number;
        let at = |e: DecodeError| e.within(NAME, Some(number));
        match number {
            1 => kind = field.str().map_err(at)?,
            2 => {
                // `RawExtension { raw = 1 }` around the object's whole body.
                let mut raw = Reader::new(field.bytes().map_err(at)?);
                while let Some(f) = raw
                    .next_field()
                    .map_err(|e| at(e.within("RawExtension", None)))?
                {
                    if f.number == 1 {
                        object = Some(
                            f.bytes()
                                .map_err(|e| at(e.within("RawExtension", Some(1))))?,
                        );
                    }
                }
            }
            _ => {}
        }
    }
    let body = object.ok_or_else(|| {
        DecodeError::invalid(format!("a {kind:?} watch event without an object")).within(NAME, None)
    })?;
    let envelope = Unknown::from_body(body).map_err(|e| e.within(NAME, Some(2)))?;
    let in_object = |e: DecodeError| e.within(NAME, Some(2));
    Ok(match kind {
        "ADDED" => WatchEvent::Added(envelope.decode().map_err(in_object)?),
        "MODIFIED" => WatchEvent::Modified(envelope.decode().map_err(in_object)?),
        "DELETED" => WatchEvent::Deleted(envelope.decode().map_err(in_object)?),
        "ERROR" => WatchEvent::Error(envelope.decode::<Status>().map_err(in_object)?),
        "BOOKMARK" => {
            let MetadataOnly(meta) = envelope.decode().map_err(in_object)?;
            WatchEvent::Bookmark(Bookmark {
                metadata: BookmarkMeta {
                    resource_version: meta.resource_version.unwrap_or_default(),
                    annotations: meta.annotations.unwrap_or_default(),
                },
            })
        }
        other => {
            return Err(DecodeError::invalid(format!(
                "unknown watch event type {other:?} (expected ADDED, MODIFIED, DELETED, BOOKMARK or ERROR)"
            ))
            .within(NAME, Some(1)))
        }
    })
}

/// `event` as a whole watch frame (length prefix included), its objects enveloped as
/// `api_version`/`kind` (errors as `v1`/`Status`), the bytes the API server writes.
pub fn encode_watch_event<T: Message>(
    event: &WatchEvent<T>,
    api_version: &str,
    kind: &str,
) -> Result<Vec<u8>, EncodeError> {
    let mut w = Writer::with_capacity(256);
    w.raw(&[0; 4]);
    w.string(1, event.type_name());
    w.nested(2, |w| {
        w.nested(1, |w| {
            w.raw(&MAGIC);
            match event {
                WatchEvent::Added(o) | WatchEvent::Modified(o) | WatchEvent::Deleted(o) => {
                    write_unknown(w, api_version, kind, o)
                }
                WatchEvent::Error(status) => write_unknown(w, "v1", "Status", status),
                WatchEvent::Bookmark(bookmark) => {
                    let meta = ObjectMeta {
                        resource_version: Some(bookmark.metadata.resource_version.clone()),
                        annotations: (!bookmark.metadata.annotations.is_empty())
                            .then(|| bookmark.metadata.annotations.clone()),
                        ..ObjectMeta::default()
                    };
                    write_unknown(w, api_version, kind, &MetadataOnly(meta))
                }
            }
        })
    })?;
    let mut frame = w.into_vec();
    let length = u32::try_from(frame.len() - 4)
        .map_err(|_| EncodeError::new(format!("a watch frame of {} bytes", frame.len())))?;
    frame[..4].copy_from_slice(&length.to_be_bytes());
    Ok(frame)
}
