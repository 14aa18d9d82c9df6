//! `Codec<T>`: a kind's protobuf functions as plain function pointers, which `Resource`
//! hands the typed client, so the client needs no `Message` bound (CRDs have no codec).

use super::envelope::{decode_object, encode_object};
use super::error::{DecodeError, EncodeError};
use super::message::Message;
use super::meta::decode_watch_event;
use crate::meta::{List, WatchEvent};

/// What `Accept` says for a kind with a codec: protobuf, else JSON (client-go's order).
pub const ACCEPT: &str = "application/vnd.kubernetes.protobuf, application/json";

/// A kind's protobuf body decoders and encoder.
pub struct Codec<T> {
    /// A whole body (magic, envelope, object).
    pub decode: fn(&[u8]) -> Result<T, DecodeError>,
    /// A whole list body.
    pub decode_list: fn(&[u8]) -> Result<List<T>, DecodeError>,
    /// The object's message alone (a list item: no envelope).
    pub decode_message: fn(&[u8]) -> Result<T, DecodeError>,
    /// One watch frame (after its length).
    pub decode_event: fn(&[u8]) -> Result<WatchEvent<T>, DecodeError>,
    /// A whole body for `(object, apiVersion, kind)`.
    pub encode: fn(&T, &str, &str) -> Result<Vec<u8>, EncodeError>,
}

impl<T: Message> Codec<T> {
    /// The codec of a type with a `Message` impl.
    pub fn of() -> Self {
        Codec {
            decode: decode_object::<T>,
            decode_list: decode_object::<List<T>>,
            decode_message: <T as Message>::decode,
            decode_event: decode_watch_event::<T>,
            encode: encode_object::<T>,
        }
    }
}

impl<T> Clone for Codec<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Codec<T> {}

/// `application/vnd.kubernetes.protobuf` (any parameters, such as `;stream=watch`).
pub fn is_protobuf(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|media| media.trim().eq_ignore_ascii_case(super::MEDIA_TYPE))
}
