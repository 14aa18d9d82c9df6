//! `Request::watch`: the Kubernetes watch protocol, one JSON `WatchEvent` per line over a
//! long response, as a `Stream`. A body that breaks off or cannot be decoded ends the stream
//! with an error item, never silently.

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{Stream, StreamExt};
use serde::de::DeserializeOwned;

use crate::body::{chunks, Origin};
use crate::error::{excerpt, Error};
use crate::meta::WatchEvent;
use crate::request::Request;
use crate::response::decode_json;
use read_ahead::ReadAhead;

#[cfg(feature = "protobuf")]
mod frames;
mod read_ahead;

/// The events of one watch call, until the server ends it (`timeoutSeconds`) or it fails.
///
/// A `Stream` of `Result<WatchEvent<T>, Error>`: a body that breaks off or a line that does
/// not decode ends it with an `Err` item, never silently. It is one watch call; the
/// `rest-runtime` crate's watcher resumes, re-lists on 410 and never loses an event.
///
/// ```
/// # #[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
/// # struct ConfigMap {
/// #     #[serde(default)]
/// #     metadata: rest_core::ObjectMeta,
/// #     #[serde(default)]
/// #     data: std::collections::BTreeMap<String, String>,
/// # }
/// # impl rest_core::Resource for ConfigMap {
/// #     const GROUP: &'static str = "";
/// #     const VERSION: &'static str = "v1";
/// #     const API_VERSION: &'static str = "v1";
/// #     const KIND: &'static str = "ConfigMap";
/// #     const PLURAL: &'static str = "configmaps";
/// #     const SCOPE: rest_core::Scope = rest_core::Scope::Namespaced;
/// #     fn metadata(&self) -> &rest_core::ObjectMeta { &self.metadata }
/// #     fn metadata_mut(&mut self) -> &mut rest_core::ObjectMeta { &mut self.metadata }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = fixtures::ApiServer::builder().seed(fixtures::seed_pods()).start().await;
/// # let client = rest_core::RestClient::for_config(&rest_core::Config::new(server.url()))?;
/// // ConfigMap: a generated type, or any impl of Resource (ResourceClient shows one).
/// use futures::StreamExt;
/// use rest_core::{CreateOptions, ListOptions, ResourceClient, WatchEvent};
///
/// let config_maps = ResourceClient::<ConfigMap>::namespaced(&client, "default");
/// let list = config_maps.list(&ListOptions::default()).await?;
/// let mut events = config_maps
///     .watch(&ListOptions { resource_version: list.metadata.resource_version, ..Default::default() })
///     .await?;
///
/// let mut cm = ConfigMap::default();
/// cm.metadata.name = Some("watched".into());
/// config_maps.create(&cm, &CreateOptions::default()).await?;
///
/// match events.next().await {
///     Some(Ok(WatchEvent::Added(added))) => assert_eq!(added.metadata.name.as_deref(), Some("watched")),
///     other => panic!("expected ADDED, got {other:?}"),
/// }
/// // The same stream from the raw builder: client.get().resource("configmaps").watch::<ConfigMap>().
/// # Ok(())
/// # }
/// ```
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
        let body = chunks(resp, call.origin.clone(), None).boxed();
        let max_event = call.limits().max_watch_event_bytes;
        Ok(WatchStream::from_chunks(
            body,
            call.origin.clone(),
            max_event,
        ))
    }
}

impl<T: DeserializeOwned + Send + 'static> WatchStream<T> {
    /// Decodes newline-delimited watch events from a stream of body chunks, read ahead on a
    /// task of the current runtime while this stream's consumer decodes. A line longer than
    /// `max_event` bytes ends the stream with `Error::ResponseTooLarge`.
    pub(crate) fn from_chunks(
        body: BoxStream<'static, Result<Bytes, Error>>,
        origin: Origin,
        max_event: usize,
    ) -> Self {
        let source = match ReadAhead::spawn(body, &origin) {
            Ok(read_ahead) => Source::ReadAhead(read_ahead, VecDeque::new()),
            Err(body) => Source::InLine(body),
        };
        let lines = Lines::<T> {
            source,
            partial: Vec::new(),
            ready: VecDeque::new(),
            done: false,
            origin,
            max_event,
            _event: PhantomData,
        };
        WatchStream {
            inner: lines.boxed(),
        }
    }
}

/// The largest buffer for split lines kept between lines.
const MAX_KEPT_PARTIAL: usize = 1 << 20;

/// Where the chunks come from: the read-ahead task's batches, or the body itself.
enum Source {
    ReadAhead(ReadAhead, VecDeque<Result<Bytes, Error>>),
    InLine(BoxStream<'static, Result<Bytes, Error>>),
}

impl Source {
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Error>>> {
        match self {
            Source::ReadAhead(read_ahead, batch) => loop {
                if let Some(chunk) = batch.pop_front() {
                    return Poll::Ready(Some(chunk));
                }
                match read_ahead.poll_batch(cx, batch) {
                    Poll::Ready(true) => continue,
                    Poll::Ready(false) => return Poll::Ready(None),
                    Poll::Pending => return Poll::Pending,
                }
            },
            Source::InLine(body) => body.poll_next_unpin(cx),
        }
    }
}

/// Splits chunks into lines and decodes each; complete lines inside a chunk are decoded in
/// place, only a line split across chunks is copied (into a buffer kept for the next one).
struct Lines<T> {
    source: Source,
    partial: Vec<u8>,
    ready: VecDeque<Result<WatchEvent<T>, Error>>,
    done: bool,
    origin: Origin,
    max_event: usize,
    _event: PhantomData<fn() -> T>,
}

// Nothing in `Lines` is ever pinned in place: events are moved out of the queue by value.
impl<T> Unpin for Lines<T> {}

impl<T: DeserializeOwned> Stream for Lines<T> {
    type Item = Result<WatchEvent<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.ready.pop_front() {
                return Poll::Ready(Some(item));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match this.source.poll_chunk(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.feed(&chunk),
                Poll::Ready(Some(Err(err))) => this.finish(Some(err)),
                Poll::Ready(None) => {
                    let pending = this
                        .partial
                        .iter()
                        .filter(|b| !b.is_ascii_whitespace())
                        .count();
                    let err = (pending > 0).then(|| Error::StreamTruncated {
                        url: this.origin.url.clone(),
                        pending: this.partial.len(),
                    });
                    this.finish(err);
                }
            }
        }
    }
}

impl<T: DeserializeOwned> Lines<T> {
    fn feed(&mut self, chunk: &[u8]) {
        let mut rest = chunk;
        if !self.partial.is_empty() {
            let Some(end) = memchr::memchr(b'\n', rest) else {
                self.keep_partial(rest);
                return;
            };
            if self.partial.len() + end > self.max_event {
                return self.too_large();
            }
            self.partial.extend_from_slice(&rest[..end]);
            let line = std::mem::take(&mut self.partial);
            self.decode(&line);
            // Keep the buffer for the next split line, unless one huge object grew it.
            if line.capacity() <= MAX_KEPT_PARTIAL {
                self.partial = line;
                self.partial.clear();
            }
            rest = &rest[end + 1..];
        }
        while !self.done {
            let Some(end) = memchr::memchr(b'\n', rest) else {
                break;
            };
            if end > self.max_event {
                return self.too_large();
            }
            self.decode(&rest[..end]);
            rest = &rest[end + 1..];
        }
        if !self.done {
            self.keep_partial(rest);
        }
    }

    /// Keeps the start of a line for the next chunk, unless the line is already too long.
    fn keep_partial(&mut self, start: &[u8]) {
        if self.partial.len() + start.len() > self.max_event {
            return self.too_large();
        }
        self.partial.extend_from_slice(start);
    }

    fn too_large(&mut self) {
        let limit = u64::try_from(self.max_event).unwrap_or(u64::MAX);
        self.finish(Some(self.origin.too_large("watch event", limit, None)));
    }

    fn decode(&mut self, line: &[u8]) {
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        match decode_json::<WatchEvent<T>>(line) {
            Ok(event) => self.ready.push_back(Ok(event)),
            Err(e) => self.finish(Some(Error::Decode {
                verb: "WATCH".to_owned(),
                url: self.origin.url.clone(),
                target: format!("WatchEvent<{}>", std::any::type_name::<T>()),
                excerpt: excerpt(&line[..line.len().min(200)]),
                source: e.into(),
            })),
        }
    }

    /// Ends the stream after the events already decoded, with `err` as its last item.
    fn finish(&mut self, err: Option<Error>) {
        if let Some(err) = err {
            self.ready.push_back(Err(err));
        }
        self.done = true;
        self.partial.clear();
    }
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
            verb: http::Method::GET,
            url: "http://test/api/v1/pods?watch=true".into(),
        }
    }

    fn pieces(lines: &[String], chunk: usize) -> Vec<Result<Bytes, Error>> {
        let body: String = lines.concat();
        body.as_bytes()
            .chunks(chunk)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect()
    }

    /// The events of a body cut into chunks, read ahead by a task of a tokio runtime.
    fn events(lines: &[String], chunk: usize) -> Vec<Result<WatchEvent<ConfigMapLike>, Error>> {
        let pieces = pieces(lines, chunk);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        runtime.block_on(
            WatchStream::from_chunks(futures::stream::iter(pieces).boxed(), origin(), usize::MAX)
                .collect(),
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
        for chunk in [1 << 20, 1_000, 7] {
            let got = events(&lines, chunk);
            assert_eq!(got.len(), 2_000, "chunks of {chunk}");
            assert!(got
                .iter()
                .enumerate()
                .all(|(i, e)| name(e) == format!("cm-{i}")));
        }
    }

    #[test]
    fn an_event_over_the_limit_ends_the_watch_after_the_events_before_it() {
        let mut lines: Vec<String> = (0..3).map(line).collect();
        let limit = lines[0].len() * 2;
        lines.push(format!(
            "{{\"type\":\"ADDED\",\"object\":\"{}",
            "x".repeat(limit)
        ));
        lines.push(line(4));
        // Split across chunks (kept partial) and inside one chunk.
        for chunk in [100, 1 << 20] {
            let body = futures::stream::iter(pieces(&lines, chunk)).boxed();
            let got: Vec<_> = futures::executor::block_on(
                WatchStream::<ConfigMapLike>::from_chunks(body, origin(), limit).collect(),
            );
            assert_eq!(got.len(), 4, "chunks of {chunk}");
            assert_eq!(name(&got[2]), "cm-2");
            let err = got[3].as_ref().unwrap_err();
            assert!(err.is_too_large(), "{err}");
            let text = err.to_string();
            assert!(
                text.contains("watch event is larger than the")
                    && text.contains(&limit.to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn without_a_tokio_runtime_the_body_is_read_in_line() {
        let lines: Vec<String> = (0..500).map(line).collect();
        let body = futures::stream::iter(pieces(&lines, 333)).boxed();
        let got: Vec<_> = futures::executor::block_on(
            WatchStream::from_chunks(body, origin(), usize::MAX).collect(),
        );
        assert_eq!(got.len(), 500);
        assert!(got
            .iter()
            .enumerate()
            .all(|(i, e)| name(e) == format!("cm-{i}")));
    }

    #[test]
    fn a_watch_whose_runtime_shuts_down_ends_with_an_error() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        let lines: Vec<String> = (0..3).map(line).collect();
        let body = futures::stream::iter(pieces(&lines, 1 << 20))
            .chain(futures::stream::pending())
            .boxed();
        let mut stream = {
            let _inside = runtime.enter();
            WatchStream::<ConfigMapLike>::from_chunks(body, origin(), usize::MAX)
        };
        let first: Vec<_> = futures::executor::block_on((&mut stream).take(3).collect::<Vec<_>>());
        assert!(first
            .iter()
            .enumerate()
            .all(|(i, e)| name(e) == format!("cm-{i}")));
        drop(runtime);
        let last = futures::executor::block_on(stream.next()).unwrap();
        let err = last.unwrap_err().to_string();
        assert!(err.contains("runtime shut down"), "{err}");
        assert!(futures::executor::block_on(stream.next()).is_none());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_quiet_stream_yields_each_event_as_its_line_arrives() {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Bytes, Error>>(1);
        let body = futures::stream::poll_fn(move |cx| rx.poll_recv(cx)).boxed();
        let mut stream = WatchStream::<ConfigMapLike>::from_chunks(body, origin(), usize::MAX);
        for i in 0..50 {
            let text = line(i);
            // A line split over two chunks, the second sent only after the first was read.
            let (head, tail) = text.split_at(text.len() / 2);
            tx.send(Ok(Bytes::copy_from_slice(head.as_bytes())))
                .await
                .unwrap();
            tx.send(Ok(Bytes::copy_from_slice(tail.as_bytes())))
                .await
                .unwrap();
            assert_eq!(name(&stream.next().await.unwrap()), format!("cm-{i}"));
        }
        drop(tx);
        assert!(stream.next().await.is_none());
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
                usize::MAX,
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
                usize::MAX,
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
