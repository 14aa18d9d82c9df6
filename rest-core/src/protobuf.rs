//! Protobuf on the wire (feature `protobuf`): the wire format, Kubernetes' `k8s\0` envelope
//! and watch frames, and the codecs of the meta types, decoding into the same types as JSON.
//!
//! A body is [`MAGIC`] then a `runtime.Unknown` ([`Unknown`]) naming `apiVersion` and `kind`
//! around the object's message; [`decode_object`] and [`encode_object`] read and write one.
//! Types implement [`Message`]: rest-core's meta types here, generated kinds in `generated`
//! (its `protobuf` feature). Decoding never panics and never allocates by a length it has
//! not checked against the input; unknown fields are skipped, as proto requires.

mod base64_text;
mod codec;
mod envelope;
mod error;
mod message;
mod meta;
mod transcode;
pub(crate) mod wire;

pub use base64_text::{bytes_to_text, text_to_bytes};
pub use codec::{is_protobuf, Codec, ACCEPT};
pub use envelope::{decode_object, encode_object, frame, frame_length, Unknown, MAGIC};
pub use error::{DecodeError, DecodeErrorKind, EncodeError};
pub use message::Message;
pub use meta::{decode_watch_event, encode_watch_event, optional_micro_time, optional_time};
pub use transcode::{TranscodeError, Transcoder, STATUS};
pub use wire::{Field, Reader, Value, WireType, Writer};

/// The media type of a protobuf body.
pub const MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf";
/// The media type of a protobuf watch (length-prefixed frames).
pub const WATCH_MEDIA_TYPE: &str = "application/vnd.kubernetes.protobuf;stream=watch";
