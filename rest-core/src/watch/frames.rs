//! A protobuf watch (`application/vnd.kubernetes.protobuf;stream=watch`): length-prefixed
//! frames, each one `WatchEvent`, decoded into the same `WatchEvent<T>` a JSON watch yields.

use bytes::{Buf, BytesMut};
use futures::stream::BoxStream;
use futures::StreamExt;
use serde::de::DeserializeOwned;

use super::WatchStream;
use crate::body::{chunks, Origin};
use crate::error::Error;
use crate::meta::WatchEvent;
use crate::protobuf::{frame_length, is_protobuf, DecodeError, ACCEPT};
use crate::request::Request;

type DecodeEvent<T> = fn(&[u8]) -> Result<WatchEvent<T>, DecodeError>;

impl Request {
    /// Starts a watch asking for protobuf; decodes frames with `decode`, or lines when the
    /// server answers JSON instead.
    pub(crate) async fn watch_protobuf<T: DeserializeOwned + Send + 'static>(
        self,
        decode: DecodeEvent<T>,
    ) -> Result<WatchStream<T>, Error> {
        let request = if self.has_param("watch") {
            self
        } else {
            self.param("watch", "true")
        };
        let call = request
            .header("accept", ACCEPT)
            .into_call()
            .map_err(|(err, _)| err)?;
        let resp = call.open().await?;
        let protobuf = resp
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_protobuf);
        let origin = call.origin.clone();
        let body = chunks(resp, origin.clone(), None).boxed();
        let max_event = call.limits().max_watch_event_bytes;
        if !protobuf {
            return Ok(WatchStream::from_chunks(body, origin, max_event));
        }
        Ok(WatchStream {
            inner: frames(body, origin, max_event, decode),
        })
    }
}

struct Frames<T> {
    body: BoxStream<'static, Result<bytes::Bytes, Error>>,
    buffer: BytesMut,
    origin: Origin,
    max_event: usize,
    decode: DecodeEvent<T>,
    done: bool,
}

/// The events of a frame stream; a frame over `max_event` bytes, a frame cut off by the end
/// of the body, or one that does not decode ends it with an error item.
fn frames<T: Send + 'static>(
    body: BoxStream<'static, Result<bytes::Bytes, Error>>,
    origin: Origin,
    max_event: usize,
    decode: DecodeEvent<T>,
) -> BoxStream<'static, Result<WatchEvent<T>, Error>> {
    let state = Frames {
        body,
        buffer: BytesMut::new(),
        origin,
        max_event,
        decode,
        done: false,
    };
    futures::stream::unfold(state, |mut s| async move {
        if s.done {
            return None;
        }
        loop {
            if let Some(length) = frame_length(&s.buffer) {
                // Checked before waiting for (or keeping) that many bytes.
                if length > s.max_event {
                    s.done = true;
                    let err =
                        s.origin
                            .too_large("watch event", s.max_event as u64, Some(length as u64));
                    return Some((Err(err), s));
                }
                if s.buffer.len() >= 4 + length {
                    s.buffer.advance(4);
                    let frame = s.buffer.split_to(length);
                    let event = (s.decode)(&frame).map_err(|e| Error::Body {
                        verb: s.origin.verb.to_string(),
                        url: s.origin.url.clone(),
                        detail: format!("a watch event does not decode: {e}"),
                    });
                    s.done = event.is_err();
                    return Some((event, s));
                }
            }
            match s.body.next().await {
                Some(Ok(chunk)) => s.buffer.extend_from_slice(&chunk),
                Some(Err(err)) => {
                    s.done = true;
                    return Some((Err(err), s));
                }
                None if s.buffer.is_empty() => return None,
                None => {
                    s.done = true;
                    let err = Error::Body {
                        verb: s.origin.verb.to_string(),
                        url: s.origin.url.clone(),
                        detail: format!(
                            "the watch ended inside a frame ({} bytes of it arrived)",
                            s.buffer.len()
                        ),
                    };
                    return Some((Err(err), s));
                }
            }
        }
    })
    .boxed()
}
