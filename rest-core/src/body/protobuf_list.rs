//! A protobuf list decoded while it streams in: the envelope and the list's fields are read
//! as bytes arrive, each item decoded as soon as its bytes are complete, so the body is never
//! held whole (only one item and one chunk at a time). A JSON answer goes the JSON way.

use std::any::Any;

use bytes::{Buf, Bytes, BytesMut};
use futures::{Stream, StreamExt};
use serde::de::DeserializeOwned;

use super::pool::Pool;
use super::{chunks, list, receive_on_runtime};
use crate::error::Error;
use crate::meta::{List, ListMeta};
use crate::protobuf::{is_protobuf, Codec, DecodeError, Message, Reader, ACCEPT, MAGIC};
use crate::request::Request;
use crate::response::is_json;

/// What the server answered with.
enum Got<T> {
    Protobuf(List<T>),
    Json(list::Split),
}

impl Request {
    /// Sends a list request asking for protobuf: decodes protobuf items while the body
    /// streams in, or the JSON list as `send_list` does when the server answers JSON.
    pub(crate) async fn send_list_protobuf<T: DeserializeOwned + Send + 'static>(
        self,
        codec: Codec<T>,
    ) -> Result<List<T>, Error> {
        let target = std::any::type_name::<List<T>>();
        let call = self
            .header("accept", ACCEPT)
            .into_call()
            .map_err(|(err, _)| err)?;
        let origin = call.origin.clone();
        let limit = call.limits().max_body_bytes;
        let (got, code) = call
            .receive(|resp| async move {
                let code = resp.status().as_u16();
                let content_type = resp
                    .headers()
                    .get(http::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let not_decodable = |problem: String| Error::NotDecodable {
                    verb: origin.verb.to_string(),
                    url: origin.url.clone(),
                    code,
                    target: target.to_owned(),
                    problem,
                };
                let body = chunks(resp, origin.clone(), Some(limit));
                match content_type.as_deref() {
                    Some(ct) if is_protobuf(ct) => {
                        let mut input = Input {
                            body: Box::pin(body),
                            buf: BytesMut::new(),
                            consumed: 0,
                            limit,
                        };
                        let list = read_list(&mut input, codec)
                            .await
                            .map_err(|e| e.into_error(not_decodable))?;
                        Ok(((Got::Protobuf(list), code), input.consumed))
                    }
                    Some(ct) if !is_json(ct) => Err(not_decodable(format!(
                        "the server responded with content type {ct:?}, neither protobuf nor JSON"
                    ))),
                    _ => {
                        let split = receive_on_runtime(
                            body.boxed(),
                            origin.clone(),
                            code,
                            target,
                            list::decode_batch::<T>,
                        )
                        .await?;
                        let received = split.received;
                        Ok(((Got::Json(split), code), received))
                    }
                }
            })
            .await?;
        match got {
            Got::Protobuf(list) => Ok(list),
            Got::Json(split) => list::assemble::<T>(split, &call.origin, code),
        }
    }
}

/// Why reading stopped: the body's own error, or bytes that are not the list.
enum Failure {
    Body(Error),
    Decode(String),
}

impl Failure {
    fn into_error(self, not_decodable: impl FnOnce(String) -> Error) -> Error {
        match self {
            Failure::Body(err) => err,
            Failure::Decode(problem) => not_decodable(problem),
        }
    }
}

impl From<DecodeError> for Failure {
    fn from(e: DecodeError) -> Self {
        Failure::Decode(e.to_string())
    }
}

/// The body as bytes on demand; `consumed` counts what the parser took.
struct Input<S> {
    body: std::pin::Pin<Box<S>>,
    buf: BytesMut,
    consumed: u64,
    limit: u64,
}

impl<S: Stream<Item = Result<Bytes, Error>>> Input<S> {
    /// At least `n` bytes buffered; `false` when the body ends first.
    async fn fill(&mut self, n: usize) -> Result<bool, Failure> {
        while self.buf.len() < n {
            match self.body.next().await {
                Some(Ok(chunk)) => self.buf.extend_from_slice(&chunk),
                Some(Err(err)) => return Err(Failure::Body(err)),
                None => return Ok(false),
            }
        }
        Ok(true)
    }

    /// A varint, or `None` when the body ends cleanly before it.
    async fn varint(&mut self) -> Result<Option<u64>, Failure> {
        loop {
            match crate::protobuf::wire::read_varint(&self.buf, "a varint") {
                Ok((value, used)) => {
                    self.advance(used);
                    return Ok(Some(value));
                }
                Err(_) if self.buf.len() < 10 => {
                    let want = self.buf.len() + 1;
                    if !self.fill(want).await? {
                        return if self.buf.is_empty() {
                            Ok(None)
                        } else {
                            Err(truncated())
                        };
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Exactly `n` bytes, checked against the body limit before any is waited for.
    async fn take(&mut self, n: u64) -> Result<BytesMut, Failure> {
        if n > self.limit {
            return Err(Failure::Decode(format!(
                "a field of {n} bytes is over the body limit ({} bytes)",
                self.limit
            )));
        }
        let n = n as usize;
        if !self.fill(n).await? {
            return Err(truncated());
        }
        self.consumed += n as u64;
        Ok(self.buf.split_to(n))
    }

    fn advance(&mut self, n: usize) {
        self.buf.advance(n);
        self.consumed += n as u64;
    }

    /// The next field's number and, for a length-delimited one, its length (other wire types
    /// are read and dropped here: nothing in an envelope or list has them).
    async fn field(&mut self) -> Result<Option<(u64, Option<u64>)>, Failure> {
        let Some(tag) = self.varint().await? else {
            return Ok(None);
        };
        let (number, wire) = (tag >> 3, tag & 7);
        let length = match wire {
            0 => {
                self.varint().await?.ok_or_else(truncated)?;
                None
            }
            1 => {
                self.take(8).await?;
                None
            }
            5 => {
                self.take(4).await?;
                None
            }
            2 => Some(self.varint().await?.ok_or_else(truncated)?),
            other => {
                return Err(Failure::Decode(format!(
                    "protobuf: wire type {other} is not used by Kubernetes"
                )))
            }
        };
        Ok(Some((number, length)))
    }
}

fn truncated() -> Failure {
    Failure::Decode("protobuf: the list body ends inside a field".to_owned())
}

async fn read_list<T, S>(input: &mut Input<S>, codec: Codec<T>) -> Result<List<T>, Failure>
where
    T: Send + 'static,
    S: Stream<Item = Result<Bytes, Error>>,
{
    if !input.fill(MAGIC.len()).await? || input.buf[..MAGIC.len()] != MAGIC {
        let found: Vec<u8> = input.buf.iter().take(MAGIC.len()).copied().collect();
        return Err(Failure::Decode(format!(
            "protobuf: the body does not start with Kubernetes' magic `k8s\\0` (starts with {found:02x?})"
        )));
    }
    input.advance(MAGIC.len());
    let mut list = List::default();
    let (mut api_version, mut kind) = (String::new(), String::new());
    while let Some((number, length)) = input.field().await? {
        let Some(length) = length else { continue };
        match number {
            // The list itself, read field by field as it arrives.
            2 => read_items(input, length, codec, &mut list).await?,
            1 => {
                let bytes = input.take(length).await?;
                let mut reader = Reader::new(&bytes);
                while let Some(f) = reader.next_field()? {
                    match f.number {
                        1 => api_version = f.string()?,
                        2 => kind = f.string()?,
                        _ => {}
                    }
                }
            }
            3 => {
                let encoding = input.take(length).await?;
                if !encoding.is_empty() {
                    return Err(Failure::Decode(format!(
                        "protobuf: the envelope's content encoding {:?} is not supported",
                        String::from_utf8_lossy(&encoding)
                    )));
                }
            }
            _ => {
                input.take(length).await?;
            }
        }
    }
    list.api_version = (!api_version.is_empty()).then_some(api_version);
    list.kind = (!kind.is_empty()).then_some(kind);
    Ok(list)
}

/// A segment's decoded items: a kind's `Vec<T>`, erased, so that the pool and its threads
/// are compiled once for all kinds (as the JSON list's are), not once per kind.
type Decoded = Result<Box<dyn Any + Send>, String>;

/// What a decoding thread is given: a segment's items with their kind's decoder.
type ItemsJob = Box<dyn FnOnce() -> Decoded + Send>;

/// The threads decoding segments of items.
type ItemsPool = Pool<Decoded, ItemsJob>;

fn run_job(job: ItemsJob) -> Decoded {
    job()
}

/// A segment's items, in order, or the first one's error.
fn decode_items<T>(
    decode: fn(&[u8]) -> Result<T, DecodeError>,
    items: &[Bytes],
) -> Result<Vec<T>, String> {
    items
        .iter()
        .map(|item| decode(item).map_err(|e| e.to_string()))
        .collect()
}

/// The items of a list as they arrive: gathered into segments of about `BATCH_BYTES`, which
/// the JSON list's threads decode (one per core) while the download goes on. A list smaller
/// than a segment, or one read outside a tokio runtime (the fuzz target), is decoded here.
struct Items<T: Send + 'static> {
    decode: fn(&[u8]) -> Result<T, DecodeError>,
    segment: Vec<Bytes>,
    segment_bytes: usize,
    /// Started with the first full segment.
    pool: Option<ItemsPool>,
    threads: bool,
}

impl<T: Send + 'static> Items<T> {
    fn new(decode: fn(&[u8]) -> Result<T, DecodeError>) -> Self {
        Items {
            decode,
            segment: Vec::new(),
            segment_bytes: 0,
            pool: None,
            threads: list::workers() > 1 && tokio::runtime::Handle::try_current().is_ok(),
        }
    }

    /// One item's bytes; decoded items are appended to `out` in order.
    async fn push(&mut self, item: Bytes, out: &mut Vec<T>) -> Result<(), Failure> {
        if !self.threads {
            out.push((self.decode)(&item)?);
            return Ok(());
        }
        self.segment_bytes += item.len();
        self.segment.push(item);
        if self.segment_bytes < list::BATCH_BYTES {
            return Ok(());
        }
        let (decode, items) = (self.decode, std::mem::take(&mut self.segment));
        let job: ItemsJob = Box::new(move || {
            decode_items(decode, &items).map(|v| Box::new(v) as Box<dyn Any + Send>)
        });
        let size = std::mem::take(&mut self.segment_bytes);
        let pool = self
            .pool
            .get_or_insert_with(|| Pool::new(list::workers(), run_job));
        pool.submit(job, size);
        while let Some(done) = pool.try_next() {
            out.extend(thread_result(done)?);
        }
        // The download waits while the threads are far enough behind (bounds the bytes held).
        while pool.pending_bytes() > list::read_ahead() {
            if let Some(done) = pool.next().await {
                out.extend(thread_result(done)?);
            }
        }
        Ok(())
    }

    /// The items still decoding, then the last segment's, appended in order.
    async fn finish(mut self, out: &mut Vec<T>) -> Result<(), Failure> {
        // The last segment is decoded here while the threads finish theirs.
        let last = decode_items(self.decode, &self.segment);
        if let Some(pool) = &mut self.pool {
            while let Some(done) = pool.next().await {
                out.extend(thread_result(done)?);
            }
        }
        out.extend(last.map_err(Failure::Decode)?);
        Ok(())
    }
}

/// A thread's result: its items, or the decode error or panic that stopped it.
fn thread_result<T: 'static>(done: Result<Decoded, String>) -> Result<Vec<T>, Failure> {
    let items = done
        .map_err(|panic| {
            Failure::Decode(format!(
                "protobuf: decoding the list's items panicked: {panic}"
            ))
        })?
        .map_err(Failure::Decode)?;
    // Each job boxes its own kind's `Vec<T>`: the cast cannot fail.
    items
        .downcast::<Vec<T>>()
        .map(|items| *items)
        .map_err(|_| Failure::Decode("protobuf: a segment of another kind".to_owned()))
}

/// The list message's `length` bytes: metadata (1) and items (2), each item decoded when
/// its bytes are complete (on the decoding threads, for a large list).
async fn read_items<T, S>(
    input: &mut Input<S>,
    length: u64,
    codec: Codec<T>,
    list: &mut List<T>,
) -> Result<(), Failure>
where
    T: Send + 'static,
    S: Stream<Item = Result<Bytes, Error>>,
{
    // Lengths come from the server: checked, never added blindly (a length near u64::MAX
    // overflowed here; the fuzzer found it).
    let past_end =
        || Failure::Decode("protobuf: a list field runs past the end of the list".to_owned());
    let end = input.consumed.checked_add(length).ok_or_else(past_end)?;
    let mut items = Items::new(codec.decode_message);
    while input.consumed < end {
        let Some((number, field_length)) = input.field().await? else {
            return Err(truncated());
        };
        let Some(field_length) = field_length else {
            continue;
        };
        // The tag itself may have run past the end.
        if end
            .checked_sub(input.consumed)
            .is_none_or(|left| field_length > left)
        {
            return Err(past_end());
        }
        let bytes = input.take(field_length).await?;
        match number {
            1 => list.metadata = ListMeta::decode(&bytes)?,
            2 => items.push(bytes.freeze(), &mut list.items).await?,
            _ => {}
        }
    }
    if input.consumed != end {
        return Err(past_end());
    }
    items.finish(&mut list.items).await
}

/// The streaming decoder over `chunks` (for the fuzz target, which checks it against
/// decoding the body whole): the list, or why not.
#[doc(hidden)]
pub(crate) fn decode_chunks<T: Send + 'static>(
    chunks: Vec<Bytes>,
    codec: Codec<T>,
) -> Result<List<T>, String> {
    let mut input = Input {
        body: Box::pin(futures::stream::iter(chunks.into_iter().map(Ok))),
        buf: BytesMut::new(),
        consumed: 0,
        limit: u64::MAX,
    };
    futures::executor::block_on(read_list(&mut input, codec)).map_err(|f| match f {
        Failure::Body(err) => err.to_string(),
        Failure::Decode(problem) => problem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::ObjectMeta;
    use crate::protobuf::encode_object;

    /// A list of `n` objects' metadata, over a megabyte each 5,000, as protobuf body chunks.
    fn body(n: usize, broken: Option<usize>) -> Vec<Bytes> {
        let items = (0..n)
            .map(|i| ObjectMeta {
                annotations: Some([("note".to_owned(), format!("{i:0>180}"))].into()),
                ..ObjectMeta::namespaced("default", format!("item-{i:06}"))
            })
            .collect();
        let list = List {
            items,
            ..List::default()
        };
        let mut body = encode_object(&list, "v1", "ConfigMapList").unwrap();
        if let Some(i) = broken {
            // The name's tag made a varint: that item (alone) no longer decodes.
            let name = format!("item-{i:06}");
            let at = body
                .windows(name.len())
                .position(|w| w == name.as_bytes())
                .unwrap();
            body[at - 2] = 0x08;
        }
        body.chunks(16 << 10).map(Bytes::copy_from_slice).collect()
    }

    fn read_on_threads(chunks: Vec<Bytes>) -> Result<List<ObjectMeta>, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut input = Input {
                body: Box::pin(futures::stream::iter(chunks.into_iter().map(Ok))),
                buf: BytesMut::new(),
                consumed: 0,
                limit: u64::MAX,
            };
            let threads = Items::<ObjectMeta>::new(ObjectMeta::decode).threads;
            assert_eq!(threads, list::workers() > 1);
            read_list(&mut input, Codec::of())
                .await
                .map_err(|f| match f {
                    Failure::Body(err) => err.to_string(),
                    Failure::Decode(problem) => problem,
                })
        })
    }

    #[test]
    fn a_large_list_decoded_on_the_threads_is_the_list_decoded_here_in_order() {
        let chunks = body(30_000, None);
        assert!(chunks.iter().map(Bytes::len).sum::<usize>() > 4 * list::BATCH_BYTES);
        let threaded = read_on_threads(chunks.clone()).unwrap();
        // Outside a runtime the same decoder decodes every item itself.
        let here = decode_chunks(chunks, Codec::<ObjectMeta>::of()).unwrap();
        assert_eq!(threaded.items.len(), 30_000);
        assert_eq!(threaded, here);
        assert_eq!(threaded.items[29_999].name.as_deref(), Some("item-029999"));
    }

    #[test]
    fn a_bad_item_on_a_thread_fails_the_list_as_it_does_here() {
        let chunks = body(30_000, Some(17_000));
        let threaded = read_on_threads(chunks.clone()).unwrap_err();
        let here = decode_chunks(chunks, Codec::<ObjectMeta>::of()).unwrap_err();
        assert_eq!(threaded, here);
        assert!(threaded.contains("ObjectMeta"), "{threaded}");
    }
}
