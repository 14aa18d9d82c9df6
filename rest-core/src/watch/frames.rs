//! A protobuf watch (`application/vnd.kubernetes.protobuf;stream=watch`): length-prefixed
//! frames, each one `WatchEvent`, decoded into the same `WatchEvent<T>` a JSON watch yields.
//! The body is read ahead by a task of the runtime as a JSON watch's is (`read_ahead.rs`),
//! while the consumer decodes.

use bytes::{Buf, BytesMut};
use futures::stream::BoxStream;
use futures::StreamExt;
use serde::de::DeserializeOwned;

use super::read_ahead::ReadAhead;
use super::{Source, WatchStream};
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
        Ok(WatchStream::from_frames(body, origin, max_event, decode))
    }
}

impl<T: Send + 'static> WatchStream<T> {
    /// Decodes length-prefixed frames from a stream of body chunks with `decode`, read ahead
    /// on a task of the current runtime (in line without one) while this stream's consumer
    /// decodes.
    pub(crate) fn from_frames(
        body: BoxStream<'static, Result<bytes::Bytes, Error>>,
        origin: Origin,
        max_event: usize,
        decode: DecodeEvent<T>,
    ) -> Self {
        let source = match ReadAhead::spawn(body, &origin) {
            Ok(read_ahead) => Source::ReadAhead(read_ahead, std::collections::VecDeque::new()),
            Err(body) => Source::InLine(body),
        };
        WatchStream {
            inner: frames(source, origin, max_event, decode),
        }
    }
}

struct Frames<T> {
    source: Source,
    buffer: BytesMut,
    origin: Origin,
    max_event: usize,
    decode: DecodeEvent<T>,
    done: bool,
}

/// The events of a frame stream; a frame over `max_event` bytes, a frame cut off by the end
/// of the body, or one that does not decode ends it with an error item.
fn frames<T: Send + 'static>(
    source: Source,
    origin: Origin,
    max_event: usize,
    decode: DecodeEvent<T>,
) -> BoxStream<'static, Result<WatchEvent<T>, Error>> {
    let state = Frames {
        source,
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
            match futures::future::poll_fn(|cx| s.source.poll_chunk(cx)).await {
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

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use futures::StreamExt;

    use super::*;
    use crate::meta::ObjectMeta;
    use crate::protobuf::{decode_watch_event, encode_watch_event};

    fn origin() -> Origin {
        Origin {
            verb: http::Method::GET,
            url: "http://test/api/v1/configmaps?watch=true".into(),
        }
    }

    /// `n` frames, each a MODIFIED event of an object named `cm-<i>`, cut into `chunk` bytes.
    fn body(n: usize, chunk: usize, tail: &[u8]) -> BoxStream<'static, Result<Bytes, Error>> {
        let mut bytes = Vec::new();
        for i in 0..n {
            let meta = ObjectMeta {
                name: Some(format!("cm-{i}")),
                ..ObjectMeta::default()
            };
            let event = WatchEvent::Modified(meta);
            bytes.extend(encode_watch_event(&event, "v1", "ConfigMap").unwrap());
        }
        bytes.extend_from_slice(tail);
        let pieces: Vec<Result<Bytes, Error>> = bytes
            .chunks(chunk)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        futures::stream::iter(pieces).boxed()
    }

    fn stream(body: BoxStream<'static, Result<Bytes, Error>>) -> WatchStream<ObjectMeta> {
        WatchStream::from_frames(body, origin(), 1 << 20, decode_watch_event::<ObjectMeta>)
    }

    fn names(events: &[Result<WatchEvent<ObjectMeta>, Error>]) -> Vec<String> {
        events
            .iter()
            .map(|e| match e {
                Ok(WatchEvent::Modified(meta)) => meta.name.clone().unwrap_or_default(),
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }

    fn expected(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("cm-{i}")).collect()
    }

    /// Read ahead by a task of the runtime, whatever the chunks' sizes (frames split across
    /// chunks, many frames in one).
    #[test]
    fn frames_read_ahead_on_a_runtime_arrive_in_order() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        for chunk in [1 << 20, 1_000, 3] {
            let got: Vec<_> = runtime.block_on(stream(body(2_000, chunk, b"")).collect());
            assert_eq!(names(&got), expected(2_000), "chunks of {chunk}");
        }
    }

    #[test]
    fn without_a_tokio_runtime_the_frames_are_read_in_line() {
        let got: Vec<_> = futures::executor::block_on(stream(body(500, 333, b"")).collect());
        assert_eq!(names(&got), expected(500));
    }

    /// A frame cut off by the end of the body is an error after every event before it.
    #[test]
    fn a_cut_last_frame_ends_the_watch_after_the_events_before_it() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        let got: Vec<_> = runtime.block_on(stream(body(100, 4_096, &[0, 0, 0, 9, 1, 2])).collect());
        assert_eq!(got.len(), 101);
        assert_eq!(names(&got[..100]), expected(100));
        let err = got[100].as_ref().unwrap_err().to_string();
        assert!(err.contains("ended inside a frame"), "{err}");
    }
}
