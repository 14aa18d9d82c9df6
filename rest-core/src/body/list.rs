//! Decoding a list response as it streams in: the body is split into its `items` one by one
//! and each item is decoded as soon as it is complete, so the whole body is never buffered.
//! Large lists are decoded in batches on blocking threads, in parallel with the download.

use std::any::Any;
use std::collections::VecDeque;

use bytes::{Bytes, BytesMut};
use futures::stream::BoxStream;
use futures::StreamExt;
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::error::{excerpt, Error};
use crate::meta::List;
use crate::response::decode_json;

use super::Origin;

/// Items are handed to a blocking thread in batches of about this many bytes; a list smaller
/// than one batch is decoded inline, without any thread hop.
const BATCH_BYTES: usize = 1 << 20;

/// Batches being decoded at once, at most (bounds the memory held by raw items).
fn max_in_flight() -> usize {
    // `available_parallelism` reads cgroup files on Linux: once per process is enough.
    static LIMIT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *LIMIT.get_or_init(|| std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8)))
}

/// Decodes a streamed JSON list body (`{"kind":..,"metadata":..,"items":[..]}`, members in
/// any order) into `List<T>` (for the tests; `Request::send_list` runs the same two steps).
///
/// Only `assemble` and `decode_batch` are generic: splitting, batching and the threads are
/// compiled once for all kinds, which keeps a clientset of hundreds of kinds quick to build.
#[cfg(test)]
pub(crate) async fn decode_list<T: DeserializeOwned + Send + 'static>(
    body: BoxStream<'_, Result<Bytes, Error>>,
    origin: &Origin,
    code: u16,
) -> Result<(List<T>, u64), Error> {
    let target = std::any::type_name::<List<T>>();
    let split = split_and_decode(body, origin, code, target, decode_batch::<T>).await?;
    let received = split.received;
    Ok((assemble::<T>(split, origin, code)?, received))
}

/// The list from its decoded parts and envelope: the only step that needs `T`.
pub(crate) fn assemble<T: 'static>(
    split: Split,
    origin: &Origin,
    code: u16,
) -> Result<List<T>, Error> {
    let target = std::any::type_name::<List<T>>();
    let mut items: Vec<T> = Vec::new();
    for part in split.parts {
        // Every part is what `decode_batch::<T>` returned, so the downcast always holds.
        let Ok(decoded) = part.downcast::<Vec<T>>() else {
            return Err(not_decodable(
                origin,
                code,
                target,
                "internal: a batch of another type".into(),
            ));
        };
        if items.is_empty() {
            items = *decoded;
        } else {
            items.extend(*decoded);
        }
    }
    let envelope = split.envelope;
    let list = List {
        api_version: envelope.api_version,
        kind: envelope.kind,
        metadata: envelope.metadata,
        items: Vec::new(),
    };
    Ok(List { items, ..list })
}

/// Decodes one batch into a `Vec<T>`, boxed so the driver need not know `T`.
pub(crate) type DecodeBatch = fn(Batch, &Origin) -> Result<Box<dyn Any + Send>, Error>;

pub(crate) fn decode_batch<T: DeserializeOwned + Send + 'static>(
    batch: Batch,
    origin: &Origin,
) -> Result<Box<dyn Any + Send>, Error> {
    Ok(Box::new(batch.decode::<T>(origin)?))
}

/// The decoded items in order (one `Vec<T>` per batch), the envelope text, the body size.
pub(crate) struct Split {
    parts: Vec<Box<dyn Any + Send>>,
    /// Every member of the list but its items.
    envelope: List<IgnoredAny>,
    pub(crate) received: u64,
}

pub(crate) async fn split_and_decode(
    mut body: BoxStream<'_, Result<Bytes, Error>>,
    origin: &Origin,
    code: u16,
    target: &'static str,
    decode: DecodeBatch,
) -> Result<Split, Error> {
    let mut splitter = Splitter::default();
    let mut batch = Batch::new(0, target);
    let mut in_flight = VecDeque::new();
    let mut parts: Vec<Box<dyn Any + Send>> = Vec::new();
    let mut received: u64 = 0;
    let limit = max_in_flight();
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        received += chunk.len() as u64;
        splitter
            .feed(&chunk, &mut |item| batch.push(item))
            .map_err(|problem| not_decodable(origin, code, target, problem))?;
        if batch.bytes >= BATCH_BYTES {
            let next = Batch::new(batch.first + batch.raw.len(), target);
            let full = std::mem::replace(&mut batch, next);
            let thread_origin = origin.clone();
            in_flight.push_back(tokio::task::spawn_blocking(move || {
                decode(full, &thread_origin)
            }));
            while in_flight.len() >= limit {
                if let Some(handle) = in_flight.pop_front() {
                    parts.push(joined(handle.await, origin)?);
                }
            }
        }
    }
    let envelope = splitter
        .finish(received)
        .map_err(|problem| not_decodable(origin, code, target, problem))?;
    while let Some(handle) = in_flight.pop_front() {
        parts.push(joined(handle.await, origin)?);
    }
    parts.push(decode(batch, origin)?);
    let envelope: List<IgnoredAny> = decode_json(&envelope).map_err(|e| Error::Decode {
        verb: origin.verb.clone(),
        url: origin.url.clone(),
        target: target.to_owned(),
        excerpt: excerpt(&envelope[..envelope.len().min(200)]),
        source: e.into(),
    })?;
    Ok(Split {
        parts,
        envelope,
        received,
    })
}

/// The result of a decoding thread.
fn joined(
    result: Result<Result<Box<dyn Any + Send>, Error>, tokio::task::JoinError>,
    origin: &Origin,
) -> Result<Box<dyn Any + Send>, Error> {
    // A decoder thread only fails by a panic inside a Deserialize impl: report, never unwind.
    result.map_err(|e| Error::Body {
        verb: origin.verb.clone(),
        url: origin.url.clone(),
        detail: format!("a list decoding thread failed: {e}"),
    })?
}

fn not_decodable(origin: &Origin, code: u16, target: &str, problem: String) -> Error {
    Error::NotDecodable {
        verb: origin.verb.clone(),
        url: origin.url.clone(),
        code,
        target: target.to_owned(),
        problem,
    }
}

/// Raw items waiting to be decoded, with the index of the first in the list.
pub(crate) struct Batch {
    first: usize,
    raw: Vec<Bytes>,
    bytes: usize,
    /// The list type, for error messages.
    target: &'static str,
}

impl Batch {
    fn new(first: usize, target: &'static str) -> Self {
        Batch {
            first,
            raw: Vec::new(),
            bytes: 0,
            target,
        }
    }

    fn push(&mut self, item: Bytes) {
        self.bytes += item.len();
        self.raw.push(item);
    }

    fn decode<T: DeserializeOwned>(self, origin: &Origin) -> Result<Vec<T>, Error> {
        let mut out = Vec::with_capacity(self.raw.len());
        for (i, raw) in self.raw.iter().enumerate() {
            out.push(decode_json(raw).map_err(|e| self.item_error(origin, i, raw, e))?);
        }
        Ok(out)
    }

    fn item_error(&self, origin: &Origin, i: usize, raw: &[u8], e: serde_json::Error) -> Error {
        Error::Decode {
            verb: origin.verb.clone(),
            url: origin.url.clone(),
            target: format!("item {} of {}", self.first + i, self.target),
            excerpt: excerpt(&raw[..raw.len().min(200)]),
            source: e.into(),
        }
    }
}

/// Where the splitter is in the top-level object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum State {
    /// Before the opening `{`.
    #[default]
    Start,
    /// After `{`: a member name or `}`.
    FirstKey,
    /// After `,`: a member name.
    Key,
    /// After a name: the `:`.
    Colon,
    /// After `:`: the member's value (scanned whole).
    Value,
    /// After `"items":`: `[` or another value (`null`).
    ItemsStart,
    /// After `[`: an item or `]`.
    FirstItem,
    /// After an item's `,`: an item (scanned whole).
    Item,
    /// After an item: `,` or `]`.
    AfterItem,
    /// After a member's value: `,` or `}`.
    AfterValue,
    /// After the closing `}`: only whitespace.
    Done,
}

/// A JSON value being scanned, resumable across chunks.
#[derive(Clone, Copy, Debug, Default)]
struct Scan {
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// A number, `true`, `false` or `null`: ends at the first delimiter.
    scalar: bool,
    started: bool,
}

impl Scan {
    /// Scans `buf` from `at`; returns the offset just past the value once it is complete.
    fn run(&mut self, buf: &[u8], mut at: usize) -> Option<usize> {
        while at < buf.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    at += 1;
                    continue;
                }
                // Most of a Kubernetes object is string bytes: jump to the next quote or escape.
                let off = memchr::memchr2(b'"', b'\\', &buf[at..])?;
                at += off;
                if buf[at] == b'\\' {
                    self.escaped = true;
                } else {
                    self.in_string = false;
                    if self.depth == 0 {
                        return Some(at + 1);
                    }
                }
                at += 1;
                continue;
            }
            let b = buf[at];
            if !self.started {
                if !b.is_ascii_whitespace() {
                    self.started = true;
                    match b {
                        b'"' => self.in_string = true,
                        b'{' | b'[' => self.depth = 1,
                        _ => self.scalar = true,
                    }
                }
                at += 1;
                continue;
            }
            if self.scalar {
                if matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace() {
                    return Some(at);
                }
                at += 1;
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return Some(at + 1);
                    }
                }
                _ => {}
            }
            at += 1;
        }
        None
    }
}

/// Splits the top-level list object into its items and an envelope of every other member.
#[derive(Default)]
struct Splitter {
    state: State,
    /// Bytes not consumed yet: a value or name that continues in the next chunk.
    pending: BytesMut,
    /// How far the current `scan` got into `pending`.
    scanned: usize,
    scan: Scan,
    /// The name of the member being read, as it appears in the body (still escaped).
    key: Vec<u8>,
    /// `{` + every member but `items`, as JSON text; `}` is added at the end.
    envelope: Vec<u8>,
    items: usize,
}

impl Splitter {
    /// Consumes `chunk`, handing each complete item to `emit` (in order).
    fn feed(&mut self, chunk: &[u8], emit: &mut dyn FnMut(Bytes)) -> Result<(), String> {
        self.pending.extend_from_slice(chunk);
        loop {
            if matches!(self.state, State::Value | State::Item) {
                let Some(end) = self.scan.run(&self.pending, self.scanned) else {
                    self.scanned = self.pending.len();
                    return Ok(());
                };
                let value = self.pending.split_to(end).freeze();
                self.scanned = 0;
                self.scan = Scan::default();
                if self.state == State::Item {
                    self.items += 1;
                    emit(value);
                    self.state = State::AfterItem;
                } else {
                    if self.envelope.len() > 1 {
                        self.envelope.push(b',');
                    }
                    self.envelope.push(b'"');
                    self.envelope.extend_from_slice(&self.key);
                    self.envelope.extend_from_slice(b"\":");
                    self.envelope.extend_from_slice(value.trim_ascii_start());
                    self.state = State::AfterValue;
                }
                continue;
            }
            // Every other state starts at a structural byte after optional whitespace.
            let Some(at) = self.pending.iter().position(|b| !b.is_ascii_whitespace()) else {
                self.pending.clear();
                return Ok(());
            };
            let _ = self.pending.split_to(at);
            let b = self.pending[0];
            match (self.state, b) {
                (State::Start, b'{') => {
                    self.envelope.push(b'{');
                    self.state = State::FirstKey;
                }
                (State::FirstKey, b'}') | (State::AfterValue, b'}') => self.state = State::Done,
                (State::FirstKey | State::Key, b'"') => {
                    let mut scan = Scan::default();
                    let Some(end) = scan.run(&self.pending, 0) else {
                        // A name cut in two: wait for the rest.
                        return Ok(());
                    };
                    self.key.clear();
                    self.key.extend_from_slice(&self.pending[1..end - 1]);
                    let _ = self.pending.split_to(end);
                    self.state = State::Colon;
                    continue;
                }
                (State::Colon, b':') => {
                    self.state = if self.key == b"items" {
                        State::ItemsStart
                    } else {
                        State::Value
                    };
                }
                (State::ItemsStart, b'[') => self.state = State::FirstItem,
                (State::ItemsStart, _) => {
                    // `"items": null` and the like: left to `List`'s own decoding.
                    self.state = State::Value;
                    continue;
                }
                (State::FirstItem, b']') | (State::AfterItem, b']') => {
                    self.state = State::AfterValue
                }
                (State::FirstItem, _) => {
                    self.state = State::Item;
                    continue;
                }
                (State::AfterItem, b',') => self.state = State::Item,
                (State::AfterValue, b',') => self.state = State::Key,
                (state, other) => return Err(unexpected(other, state)),
            }
            let _ = self.pending.split_to(1);
        }
    }

    /// The envelope text once the body has ended, or why the body is not a whole list.
    fn finish(mut self, received: u64) -> Result<Vec<u8>, String> {
        match self.state {
            State::Done => {
                self.envelope.push(b'}');
                Ok(self.envelope)
            }
            State::Start => Err("the body is empty".to_owned()),
            _ => Err(format!(
                "the body ended after {received} bytes, inside the list (after {} items): it was cut short",
                self.items
            )),
        }
    }
}

fn unexpected(byte: u8, state: State) -> String {
    let wanted = match state {
        State::Start => "'{' starting the list",
        State::FirstKey => "a member name or '}'",
        State::Key => "a member name",
        State::Colon => "':'",
        State::AfterItem => "',' or ']' after an item",
        State::AfterValue => "',' or '}' after a member",
        State::Done => "the end of the body",
        State::ItemsStart | State::FirstItem | State::Item | State::Value => "a value",
    };
    format!(
        "the body is not a JSON list object: found {:?} where {wanted} belongs",
        char::from(byte)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        name: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    fn origin() -> Origin {
        Origin {
            verb: "GET".into(),
            url: "http://test/api/v1/items".into(),
        }
    }

    /// Decodes `body` fed in pieces of `size` bytes.
    fn decode_in(body: &str, size: usize) -> Result<List<Item>, Error> {
        let pieces: Vec<Result<Bytes, Error>> = body
            .as_bytes()
            .chunks(size.max(1))
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime
            .block_on(decode_list(
                futures::stream::iter(pieces).boxed(),
                &origin(),
                200,
            ))
            .map(|(list, _)| list)
    }

    const BODY: &str = r#" {"kind":"ItemList","apiVersion":"v1","metadata":{"resourceVersion":"7","continue":"a\"b]}"},
        "items": [ {"name":"a","tags":["x","}{"]} , {"name":"b\\\"]"} ,{"name":"c","tags":[]}] ,"extra":[1,{"k":null}],"n":12 } "#;

    #[test]
    fn items_and_envelope_survive_any_chunking() {
        let whole = decode_in(BODY, BODY.len()).unwrap();
        assert_eq!(whole.kind.as_deref(), Some("ItemList"));
        assert_eq!(whole.metadata.resource_version.as_deref(), Some("7"));
        assert_eq!(whole.metadata.continue_.as_deref(), Some("a\"b]}"));
        let names: Vec<_> = whole.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["a", "b\\\"]", "c"]);
        assert_eq!(whole.items[0].tags, ["x", "}{"]);
        for size in 1..40 {
            assert_eq!(
                decode_in(BODY, size).unwrap(),
                whole,
                "chunks of {size} bytes"
            );
        }
    }

    #[test]
    fn items_first_empty_or_null() {
        let list = decode_in(
            r#"{"items":[{"name":"z"}],"metadata":{"resourceVersion":"3"}}"#,
            5,
        )
        .unwrap();
        assert_eq!(list.items.len(), 1);
        assert_eq!(list.metadata.resource_version.as_deref(), Some("3"));
        assert!(decode_in(r#"{"items":[],"kind":"L"}"#, 3)
            .unwrap()
            .items
            .is_empty());
        assert!(decode_in(r#"{"kind":"L","items":null}"#, 2)
            .unwrap()
            .items
            .is_empty());
        assert!(decode_in("{}", 1).unwrap().items.is_empty());
    }

    #[test]
    fn a_large_list_is_decoded_in_order_across_batches() {
        let items: Vec<String> = (0..20_000)
            .map(|i| format!(r#"{{"name":"item-{i}","tags":["{}"]}}"#, "t".repeat(100)))
            .collect();
        let body = format!(r#"{{"kind":"ItemList","items":[{}]}}"#, items.join(","));
        assert!(body.len() > 2 * BATCH_BYTES);
        let pieces: Vec<Result<Bytes, Error>> = body
            .as_bytes()
            .chunks(65536)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        let (list, read) = runtime
            .block_on(decode_list::<Item>(
                futures::stream::iter(pieces).boxed(),
                &origin(),
                200,
            ))
            .unwrap();
        assert_eq!(read, body.len() as u64);
        assert_eq!(list.items.len(), 20_000);
        assert!(list
            .items
            .iter()
            .enumerate()
            .all(|(i, item)| item.name == format!("item-{i}")));
    }

    #[test]
    fn a_cut_body_says_so() {
        let err = decode_in(r#"{"kind":"L","items":[{"name":"a"},{"na"#, 4).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("cut short") && text.contains("after 1 items"),
            "{text}"
        );
        assert!(decode_in("", 1).unwrap_err().to_string().contains("empty"));
    }

    #[test]
    fn a_bad_item_names_its_index_and_a_non_list_is_refused() {
        let err = decode_in(r#"{"items":[{"name":"a"},{"name":5}]}"#, 7).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("item 1 of ") && text.contains("List<"),
            "{text}"
        );
        let err = decode_in(r#"[{"name":"a"}]"#, 3).unwrap_err();
        assert!(err.to_string().contains("not a JSON list object"), "{err}");
        let err = decode_in(r#"{"items":[{"name":"a"}] "x"}"#, 3).unwrap_err();
        assert!(
            err.to_string().contains("',' or '}' after a member"),
            "{err}"
        );
    }
}
