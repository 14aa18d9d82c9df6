//! `Request::watch`: the Kubernetes watch protocol, one JSON `WatchEvent` per line over a
//! long response, as a `Stream`, busy streams decoded on blocking threads in order. A body
//! that breaks off or cannot be decoded ends the stream with an error item, never silently.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures::stream::BoxStream;
use futures::{Future, Stream, StreamExt};
use serde::de::DeserializeOwned;

use crate::body::{chunks, Origin};
use crate::error::{excerpt, Error};
use crate::meta::WatchEvent;
use crate::request::Request;
use crate::response::decode_json;

/// The events of one watch call, until the server ends it (`timeoutSeconds`) or it fails.
pub struct WatchStream<T> {
    inner: BoxStream<'static, Result<WatchEvent<T>, Error>>,
}

impl<T> Stream for WatchStream<T> {
    type Item = Result<WatchEvent<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> std::fmt::Debug for WatchStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WatchStream")
    }
}

impl Request {
    /// Starts a watch (client-go's `Watch`): adds `watch=true` unless the parameters already
    /// say, and decodes each line as a `WatchEvent<T>`. A non-2xx answer is an `Err` here.
    pub async fn watch<T: DeserializeOwned + Send + 'static>(
        self,
    ) -> Result<WatchStream<T>, Error> {
        let request = if self.has_param("watch") {
            self
        } else {
            self.param("watch", "true")
        };
        let call = request.into_call().map_err(|(err, _)| err)?;
        let resp = call.open().await?;
        let body = chunks(resp, call.origin.clone()).boxed();
        Ok(WatchStream::from_chunks(body, call.origin.clone()))
    }
}

impl<T: DeserializeOwned + Send + 'static> WatchStream<T> {
    /// Decodes newline-delimited watch events from a stream of body chunks.
    pub(crate) fn from_chunks(
        body: BoxStream<'static, Result<Bytes, Error>>,
        origin: Origin,
    ) -> Self {
        let lines = Lines::<T> {
            body: Some(body),
            partial: BytesMut::new(),
            queue: VecDeque::new(),
            origin,
        };
        WatchStream {
            inner: lines.boxed(),
        }
    }
}

/// Complete lines of this many bytes or more are decoded on a blocking thread while the
/// body is read on; a quieter watch decodes each event where it is polled, without a hop.
const THREAD_BYTES: usize = 32 << 10;

/// Batches decoded at once at most, beyond the one being handed out.
const IN_FLIGHT: usize = 2;

type Events<T> = VecDeque<Result<WatchEvent<T>, Error>>;

/// A batch of events in order: decoded, or being decoded on a blocking thread.
enum Batch<T> {
    Ready(Events<T>),
    Decoding(tokio::task::JoinHandle<Events<T>>),
}

/// Splits chunks into complete lines (only a line split across chunks is copied) and decodes
/// them in order, large batches on blocking threads while the body is read on.
struct Lines<T> {
    /// `None` once the body has ended or failed.
    body: Option<BoxStream<'static, Result<Bytes, Error>>>,
    partial: BytesMut,
    queue: VecDeque<Batch<T>>,
    origin: Origin,
}

// Nothing in `Lines` is pinned in place (the events are moved out whole).
impl<T> Unpin for Lines<T> {}

impl<T: DeserializeOwned + Send + 'static> Lines<T> {
    fn feed(&mut self, chunk: Bytes) {
        let Some(last) = memchr::memrchr(b'\n', &chunk) else {
            self.partial.extend_from_slice(&chunk);
            return;
        };
        let complete = if self.partial.is_empty() {
            chunk.slice(..last + 1)
        } else {
            self.partial.extend_from_slice(&chunk[..last + 1]);
            std::mem::take(&mut self.partial).freeze()
        };
        self.partial.extend_from_slice(&chunk[last + 1..]);
        let url = self.origin.url.clone();
        // Behind a batch on a thread, a small one must queue too (events stay in order).
        if complete.len() >= THREAD_BYTES || !self.queue.is_empty() {
            let handle = tokio::task::spawn_blocking(move || decode_lines::<T>(&complete, &url));
            self.queue.push_back(Batch::Decoding(handle));
        } else {
            self.queue
                .push_back(Batch::Ready(decode_lines::<T>(&complete, &url)));
        }
    }

    /// The body has ended (`err`: how it failed): what is left to hand out is queued.
    fn end(&mut self, err: Option<Error>) {
        self.body = None;
        let pending = self
            .partial
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .count();
        let err = err.or_else(|| {
            (pending > 0).then(|| Error::StreamTruncated {
                url: self.origin.url.clone(),
                pending: self.partial.len(),
            })
        });
        self.partial.clear();
        if let Some(err) = err {
            self.queue
                .push_back(Batch::Ready(VecDeque::from([Err(err)])));
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Lines<T> {
    type Item = Result<WatchEvent<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            // Read ahead while batches are decoding, so the download goes on meanwhile.
            while this.queue.len() <= IN_FLIGHT {
                let Some(body) = this.body.as_mut() else {
                    break;
                };
                match body.as_mut().poll_next(cx) {
                    Poll::Ready(Some(Ok(chunk))) => this.feed(chunk),
                    Poll::Ready(Some(Err(err))) => this.end(Some(err)),
                    Poll::Ready(None) => this.end(None),
                    Poll::Pending => break,
                }
            }
            let Some(front) = this.queue.front_mut() else {
                return if this.body.is_none() {
                    Poll::Ready(None)
                } else {
                    Poll::Pending
                };
            };
            let events = match front {
                Batch::Ready(events) => events,
                Batch::Decoding(handle) => match Pin::new(handle).poll(cx) {
                    Poll::Ready(result) => {
                        // A decoding thread only fails by a panic inside a Deserialize impl.
                        let events = result.unwrap_or_else(|e| {
                            VecDeque::from([Err(Error::Body {
                                verb: "WATCH".to_owned(),
                                url: this.origin.url.clone(),
                                detail: format!("a watch decoding thread failed: {e}"),
                            })])
                        });
                        *front = Batch::Ready(events);
                        continue;
                    }
                    Poll::Pending => return Poll::Pending,
                },
            };
            match events.pop_front() {
                Some(Err(err)) => {
                    // An error ends the stream after the events before it.
                    this.queue.clear();
                    this.body = None;
                    this.partial.clear();
                    return Poll::Ready(Some(Err(err)));
                }
                Some(Ok(event)) => return Poll::Ready(Some(Ok(event))),
                None => {
                    this.queue.pop_front();
                }
            }
        }
    }
}

/// Decodes complete lines in order; the first line that does not decode ends the batch with
/// its error.
fn decode_lines<T: DeserializeOwned>(text: &[u8], url: &str) -> Events<T> {
    let mut out = VecDeque::new();
    for line in text.split(|b| *b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match decode_json::<WatchEvent<T>>(line) {
            Ok(event) => out.push_back(Ok(event)),
            Err(e) => {
                out.push_back(Err(Error::Decode {
                    verb: "WATCH".to_owned(),
                    url: url.to_owned(),
                    target: format!("WatchEvent<{}>", std::any::type_name::<T>()),
                    excerpt: excerpt(&line[..line.len().min(200)]),
                    source: e.into(),
                }));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::ObjectMeta;

    #[derive(Debug, serde::Deserialize)]
    struct ConfigMapLike {
        metadata: ObjectMeta,
        #[allow(dead_code)]
        data: std::collections::BTreeMap<String, String>,
    }

    fn origin() -> Origin {
        Origin {
            verb: "GET".into(),
            url: "http://test/api/v1/pods?watch=true".into(),
        }
    }

    fn events(lines: &[String], chunk: usize) -> Vec<Result<WatchEvent<ConfigMapLike>, Error>> {
        let body: String = lines.concat();
        let pieces: Vec<Result<Bytes, Error>> = body
            .as_bytes()
            .chunks(chunk)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        runtime.block_on(
            WatchStream::from_chunks(futures::stream::iter(pieces).boxed(), origin()).collect(),
        )
    }

    fn line(i: usize) -> String {
        format!(
            "{{\"type\":\"MODIFIED\",\"object\":{{\"metadata\":{{\"name\":\"cm-{i}\"}},\"data\":{{\"k\":\"{}\"}}}}}}\n",
            "v".repeat(200)
        )
    }

    fn name(event: &Result<WatchEvent<ConfigMapLike>, Error>) -> String {
        match event {
            Ok(WatchEvent::Modified(obj)) => obj.metadata.name.clone().unwrap_or_default(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn many_events_per_chunk_arrive_in_order() {
        let lines: Vec<String> = (0..2_000).map(line).collect();
        // Large chunks decode on threads, small ones in line (and queue behind threads).
        for chunk in [1 << 20, 40_000, 33_000, 1_000, 7] {
            let got = events(&lines, chunk);
            assert_eq!(got.len(), 2_000, "chunks of {chunk}");
            assert!(got
                .iter()
                .enumerate()
                .all(|(i, e)| name(e) == format!("cm-{i}")));
        }
    }

    #[test]
    fn a_cut_last_line_or_a_broken_body_comes_after_every_event_before_it() {
        let lines: Vec<String> = (0..3_000).map(line).collect();
        let mut body: String = lines.concat();
        body.push_str("{\"type\":\"MODIFIED\",\"obj");
        let mut pieces: Vec<Result<Bytes, Error>> = body
            .as_bytes()
            .chunks(50_000)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        let got: Vec<_> = runtime.block_on(
            WatchStream::<ConfigMapLike>::from_chunks(
                futures::stream::iter(pieces.clone()).boxed(),
                origin(),
            )
            .collect(),
        );
        assert_eq!(got.len(), 3_001);
        assert!(got[..3_000]
            .iter()
            .enumerate()
            .all(|(i, e)| name(e) == format!("cm-{i}")));
        assert!(matches!(got[3_000], Err(Error::StreamTruncated { .. })));
        pieces.truncate(pieces.len() / 2);
        pieces.push(Err(Error::Body {
            verb: "GET".into(),
            url: "u".into(),
            detail: "connection reset".into(),
        }));
        let got: Vec<_> = runtime.block_on(
            WatchStream::<ConfigMapLike>::from_chunks(
                futures::stream::iter(pieces).boxed(),
                origin(),
            )
            .collect(),
        );
        let last = got.last().unwrap().as_ref().unwrap_err().to_string();
        assert!(last.contains("connection reset"), "{last}");
        assert!(got[..got.len() - 1]
            .iter()
            .enumerate()
            .all(|(i, e)| name(e) == format!("cm-{i}")));
    }

    #[test]
    fn a_bad_event_ends_the_stream_after_the_good_ones() {
        let mut lines: Vec<String> = (0..1_000).map(line).collect();
        lines[700] = "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":5}}\n".to_owned();
        for chunk in [1 << 20, 40_000, 1_000] {
            let got = events(&lines, chunk);
            assert_eq!(got.len(), 701, "chunks of {chunk}");
            assert!(got[..700]
                .iter()
                .enumerate()
                .all(|(i, e)| name(e) == format!("cm-{i}")));
        }
        let got = events(&lines, 1 << 20);
        assert_eq!(got.len(), 701);
        assert!(got[..700]
            .iter()
            .enumerate()
            .all(|(i, e)| name(e) == format!("cm-{i}")));
        let err = got[700].as_ref().unwrap_err().to_string();
        assert!(err.contains("WatchEvent"), "{err}");
    }
}
