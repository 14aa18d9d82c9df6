//! Reading response bodies: whole (one copy at most, sized by `Content-Length`), as a
//! stream, or as a list decoded while it streams in; a body cut short is told from other failures.

pub(crate) mod list;
mod pool;
#[cfg(feature = "protobuf")]
pub(crate) mod protobuf_list;

use std::error::Error as StdError;

use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt};
use http_body_util::{BodyDataStream, BodyExt};
use hyper::body::Incoming;

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::meta::List;
use crate::request::Request;
use crate::response::is_json;
use crate::retry::error_chain;
use crate::transport::HttpResponse;

/// Where a body came from, for error messages.
#[derive(Clone, Debug)]
pub(crate) struct Origin {
    pub verb: http::Method,
    pub url: String,
}

impl Origin {
    /// The error for a body that failed after `received` bytes of an announced `expected`.
    pub(crate) fn body_error(
        &self,
        err: &(dyn StdError + 'static),
        received: u64,
        expected: Option<u64>,
    ) -> Error {
        match expected {
            Some(expected) if received < expected => Error::TruncatedBody {
                verb: self.verb.to_string(),
                url: self.url.clone(),
                expected,
                received,
            },
            _ => Error::Body {
                verb: self.verb.to_string(),
                url: self.url.clone(),
                detail: error_chain(err),
            },
        }
    }
}

impl Origin {
    /// The error for an answer over a limit of `Limits`.
    pub(crate) fn too_large(
        &self,
        what: &'static str,
        limit: u64,
        announced: Option<u64>,
    ) -> Error {
        Error::ResponseTooLarge {
            verb: self.verb.to_string(),
            url: self.url.clone(),
            what,
            limit,
            announced,
        }
    }

    /// Refuses a body whose announced length is over `limit` before reading any of it.
    fn check_announced(&self, expected: Option<u64>, limit: u64) -> Result<(), Error> {
        match expected {
            Some(n) if n > limit => Err(self.too_large("response body", limit, Some(n))),
            _ => Ok(()),
        }
    }
}

/// The length the server announced (`Content-Length`, as hyper read it; `None` when chunked).
fn announced(body: &Incoming) -> Option<u64> {
    hyper::body::Body::size_hint(body).exact()
}

/// Reads the whole body. A single-chunk body is kept without copying; otherwise chunks are
/// copied once into a buffer sized from `Content-Length`. More than `limit` bytes is an error.
pub(crate) async fn read_all(
    mut body: Incoming,
    origin: &Origin,
    limit: u64,
) -> Result<Bytes, Error> {
    let expected = announced(&body);
    origin.check_announced(expected, limit)?;
    let mut first: Option<Bytes> = None;
    let mut buf: Option<BytesMut> = None;
    let mut received: u64 = 0;
    loop {
        let chunk = match body.frame().await {
            Some(Ok(frame)) => match frame.into_data() {
                Ok(chunk) => chunk,
                // Trailers carry nothing a client of the API server needs.
                Err(_) => continue,
            },
            None => break,
            Some(Err(err)) => return Err(origin.body_error(&err, received, expected)),
        };
        received += chunk.len() as u64;
        if received > limit {
            return Err(origin.too_large("response body", limit, None));
        }
        match (&mut first, &mut buf) {
            (None, None) => first = Some(chunk),
            (Some(head), None) => {
                // Cap the pre-allocation: a lying Content-Length must not reserve gigabytes.
                let hint = expected.unwrap_or(0).min(64 << 20) as usize;
                let mut joined = BytesMut::with_capacity(hint.max(head.len() + chunk.len()));
                joined.extend_from_slice(head);
                joined.extend_from_slice(&chunk);
                first = None;
                buf = Some(joined);
            }
            (_, Some(joined)) => joined.extend_from_slice(&chunk),
        }
    }
    Ok(match (first, buf) {
        (_, Some(joined)) => joined.freeze(),
        (Some(single), None) => single,
        (None, None) => Bytes::new(),
    })
}

/// The body as a stream of chunks; a broken or short body ends with an error item, and so
/// does one over `limit` bytes (`None`: a stream that may never end, counted by its reader).
pub(crate) fn chunks(
    resp: HttpResponse,
    origin: Origin,
    limit: Option<u64>,
) -> impl Stream<Item = Result<Bytes, Error>> + Send + 'static {
    let body = resp.into_body();
    let expected = announced(&body);
    let limit = limit.unwrap_or(u64::MAX);
    let refused = origin.check_announced(expected, limit).err();
    let mut received: u64 = 0;
    let mut ended = false;
    let data = BodyDataStream::new(body).map(move |item| match item {
        Ok(chunk) => {
            received += chunk.len() as u64;
            if received > limit {
                return Err(origin.too_large("response body", limit, None));
            }
            Ok(chunk)
        }
        Err(err) => Err(origin.body_error(&err, received, expected)),
    });
    // An error item is the last: nothing after it is read (the connection is dropped).
    let data = data.take_while(move |item| {
        let go = !ended;
        ended |= item.is_err();
        std::future::ready(go)
    });
    match refused {
        Some(err) => futures::stream::once(std::future::ready(Err(err))).left_stream(),
        None => data.right_stream(),
    }
}

impl Request {
    /// Sends a list request and decodes the answer while it arrives: items are decoded as
    /// soon as each is complete (large lists in batches on blocking threads, beside the
    /// download), so the body is never held whole. Errors, retries, timeout and hooks are as
    /// for `send`.
    pub async fn send_list<T: DeserializeOwned + Send + 'static>(self) -> Result<List<T>, Error> {
        let target = std::any::type_name::<List<T>>();
        let (split, origin, code) = self
            .send_list_erased(target, list::decode_batch::<T>)
            .await?;
        list::assemble::<T>(split, &origin, code)
    }

    /// `send_list` without `T`: compiled once, whatever the number of kinds.
    async fn send_list_erased(
        self,
        target: &'static str,
        decode: list::DecodeBatch,
    ) -> Result<(list::Split, Origin, u16), Error> {
        let call = self.into_call().map_err(|(err, _)| err)?;
        let origin = call.origin.clone();
        let limit = call.limits().max_body_bytes;
        call.receive(|resp| async move {
            let code = resp.status().as_u16();
            let content_type = resp
                .headers()
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if let Some(ct) = content_type.filter(|ct| !is_json(ct)) {
                return Err(Error::NotDecodable {
                    verb: origin.verb.to_string(),
                    url: origin.url.clone(),
                    code,
                    target: target.to_owned(),
                    problem: format!("the server responded with content type {ct:?}, not JSON"),
                });
            }
            let body = chunks(resp, origin.clone(), Some(limit)).boxed();
            let split = receive_on_runtime(body, origin.clone(), code, target, decode).await?;
            let received = split.received;
            Ok(((split, origin, code), received))
        })
        .await
    }
}

/// Runs the list's receiving loop (reading the body, cutting and assembling segments) as a
/// task of the current runtime, where hyper's connection task runs: each body chunk then
/// passes from the connection task to the loop on the same worker thread, instead of waking
/// the caller's thread (a `block_on` thread, as under `#[tokio::main]`) and being woken back
/// for the next one, about 600 thread wake-ups each way per 38 MB list, each waiting for a
/// core the decoding threads hold. Dropping the future stops the task (and the download).
async fn receive_on_runtime(
    body: futures::stream::BoxStream<'static, Result<Bytes, Error>>,
    origin: Origin,
    code: u16,
    target: &'static str,
    decode: list::DecodeBatch,
) -> Result<list::Split, Error> {
    let (verb, url) = (origin.verb.to_string(), origin.url.clone());
    let work = async move { list::split_and_decode(body, &origin, code, target, decode).await };
    let task = AbortOnDrop(tokio::spawn(tracing::Instrument::in_current_span(work)));
    match task.await {
        Ok(result) => result,
        // A panic in a `Deserialize` impl (the last segment is decoded on this task) or the
        // runtime shutting down: the list's error, as a panic on a decoding thread is.
        Err(err) => Err(Error::Body {
            verb,
            url,
            detail: format!("the list's receiving task failed: {}", join_detail(err)),
        }),
    }
}

fn join_detail(err: tokio::task::JoinError) -> String {
    if !err.is_panic() {
        return err.to_string();
    }
    pool::panic_message(&*err.into_panic())
}

/// A spawned task that is aborted when its handle is dropped (the caller gave up on the list).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> std::future::Future for AbortOnDrop<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(cx)
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn origin() -> Origin {
        Origin {
            verb: http::Method::GET,
            url: "http://test/api/v1/items".into(),
        }
    }

    /// An item whose `Deserialize` panics on one name.
    #[derive(Debug)]
    struct Touchy;

    impl<'de> Deserialize<'de> for Touchy {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let item = Named::deserialize(d)?;
            assert!(item.name != "b", "cannot take {}", item.name);
            Ok(Touchy)
        }
    }

    #[test]
    fn a_panic_on_the_receiving_task_fails_the_list_with_its_message() {
        // A small list is decoded whole on the receiving task, not on a decoding thread.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let body: &'static [u8] = br#"{"kind":"L","items":[{"name":"a"},{"name":"b"}]}"#;
        let stream = futures::stream::iter([Ok(Bytes::from_static(body))]).boxed();
        let err = runtime
            .block_on(receive_on_runtime(
                stream,
                origin(),
                200,
                "L",
                list::decode_batch::<Touchy>,
            ))
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("receiving task failed") && err.contains("cannot take b"),
            "{err}"
        );
    }

    #[derive(Debug, Deserialize)]
    struct Named {
        name: String,
    }

    #[test]
    fn a_large_list_comes_whole_through_the_receiving_task_on_either_runtime() {
        // Several segments, so the decoding threads take part; on a current-thread runtime
        // the task runs on the caller's thread whenever the caller waits.
        let items: Vec<String> = (0..30_000)
            .map(|i| format!(r#"{{"name":"item-{i}","pad":"{}"}}"#, "x".repeat(64)))
            .collect();
        let body = format!(r#"{{"kind":"L","items":[{}]}}"#, items.join(","));
        assert!(body.len() > 2 << 20);
        for current in [true, false] {
            let runtime = if current {
                tokio::runtime::Builder::new_current_thread().build()
            } else {
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .build()
            }
            .unwrap();
            let chunks: Vec<Result<Bytes, Error>> = body
                .as_bytes()
                .chunks(65536)
                .map(|c| Ok(Bytes::copy_from_slice(c)))
                .collect();
            let stream = futures::stream::iter(chunks).boxed();
            let split = runtime
                .block_on(receive_on_runtime(
                    stream,
                    origin(),
                    200,
                    "L",
                    list::decode_batch::<Named>,
                ))
                .unwrap();
            assert_eq!(split.received, body.len() as u64);
            let list = list::assemble::<Named>(split, &origin(), 200).unwrap();
            assert_eq!(list.items.len(), 30_000);
            assert!(list
                .items
                .iter()
                .enumerate()
                .all(|(i, item)| item.name == format!("item-{i}")));
        }
    }

    #[test]
    fn dropping_a_list_mid_way_stops_its_download() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, Error>>(1);
            let stream = futures::stream::unfold(rx, |mut rx| async move {
                rx.recv().await.map(|chunk| (chunk, rx))
            })
            .boxed();
            let list = receive_on_runtime(stream, origin(), 200, "L", list::decode_batch::<Touchy>);
            let mut list = Box::pin(list);
            // The list has begun: its task has taken the first chunk (the channel holds one,
            // so the second is accepted only then) and waits for more.
            let chunks = async {
                tx.send(Ok(Bytes::from_static(br#"{"items":[{"name":"a"},"#)))
                    .await
                    .unwrap();
                tx.send(Ok(Bytes::from_static(br#"{"name":"c"},"#)))
                    .await
                    .unwrap();
            };
            tokio::select! {
                _ = &mut list => panic!("the list ended without its body"),
                () = chunks => {}
            }
            drop(list);
            // The task was stopped and dropped the body (the connection, in a real list).
            let closed =
                tokio::time::timeout(std::time::Duration::from_secs(30), tx.closed()).await;
            assert!(closed.is_ok(), "the list's task still holds the body");
        });
    }
}
