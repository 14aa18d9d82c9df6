//! Decoding a list response as it streams in: the items array is cut into segments of about
//! 1 MiB at item boundaries (`segment`), decoded by a pool of threads beside the download
//! (`pool`) and put together in order here, so the whole body is never buffered.

use std::any::Any;

use bytes::{Bytes, BytesMut};
use futures::stream::BoxStream;
use futures::StreamExt;
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::error::{excerpt, Error};
use crate::meta::List;
use crate::response::decode_json;

use super::pool::Pool;
use super::Origin;

mod envelope;
mod segment;

use envelope::{skip_ws, Splitter, State};
use segment::Segmenter;

/// Items are handed to a decoding thread in segments of about this many bytes; a list smaller
/// than one segment is decoded inline, without any thread hop. Fuzzing builds (`cfg(fuzzing)`,
/// set by cargo-fuzz) cut tiny segments, so that inputs of a few KiB exercise the segmenting.
pub(super) const BATCH_BYTES: usize = if cfg!(fuzzing) { 64 } else { 1 << 20 };

/// The buffer a segment is gathered in: a segment and the chunk that completes it.
const SEGMENT_ROOM: usize = BATCH_BYTES + (128 << 10);

/// Threads decoding one list at once: one per core. They take segments from one queue, so
/// the download is never held up waiting for a particular segment.
pub(super) fn workers() -> usize {
    // `available_parallelism` reads cgroup files on Linux: once per process is enough.
    static WORKERS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *WORKERS.get_or_init(|| std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 8)))
}

/// How far the download may run ahead of the decoding, in bytes of segments not decoded yet
/// (bounds the raw text held besides the decoded items): a few segments per thread, so a
/// thread finishing a segment always finds the next one queued, even when the receiving
/// task was not scheduled for a while. It replaced a limit of three segments in flight, one
/// blocking task each, which made the receiving task wait for the oldest segment while the
/// others sat decoded: 2 cores, LIST of 10,000 pods, interleaved pairs (see the commit).
pub(super) fn read_ahead() -> usize {
    (4 * workers()).max(8) * BATCH_BYTES
}

/// Decodes a streamed JSON list body (`{"kind":..,"metadata":..,"items":[..]}`, members in
/// any order) into `List<T>` (for the tests; `Request::send_list` runs the same two steps).
///
/// Only `assemble`, `decode_batch` and `append` are generic: splitting, batching and the threads are
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

/// The list from its decoded items and envelope.
pub(crate) fn assemble<T: 'static>(
    split: Split,
    origin: &Origin,
    code: u16,
) -> Result<List<T>, Error> {
    let items = match split.items {
        None => Vec::new(),
        // The items are what `decode_batch::<T>` returned, so the downcast always holds.
        Some(items) => match items.downcast::<Vec<T>>() {
            Ok(mut items) => {
                // The room left from growing goes back (in place: no copy) rather than
                // staying with a list a cache may hold until its last item is taken.
                items.shrink_to_fit();
                *items
            }
            Err(_) => return Err(internal(origin, code, std::any::type_name::<List<T>>())),
        },
    };
    let envelope = split.envelope;
    Ok(List {
        api_version: envelope.api_version,
        kind: envelope.kind,
        metadata: envelope.metadata,
        items,
    })
}

fn internal(origin: &Origin, code: u16, target: &str) -> Error {
    not_decodable(
        origin,
        code,
        target,
        "internal: a batch of another type".into(),
    )
}

/// Decodes one segment of the items array into a `Vec<T>`, boxed so the driver need not
/// know `T`.
pub(crate) type DecodeBatch = fn(Bytes) -> Decoded;

pub(crate) fn decode_batch<T: DeserializeOwned + Send + 'static>(raw: Bytes) -> Decoded {
    let (items, end) = decode_items::<T>(&raw);
    Decoded {
        count: items.len(),
        items: Box::new(items),
        append: append::<T>,
        end,
        raw,
    }
}

/// Appends `part` (a `Vec<T>`) to `items` (a `Vec<T>`), leaving room for `ahead` more parts
/// of its size (the segments known to be on their way); false if either is not a `Vec<T>`.
fn append<T: 'static>(
    items: &mut (dyn Any + Send),
    part: Box<dyn Any + Send>,
    ahead: usize,
) -> bool {
    match (items.downcast_mut::<Vec<T>>(), part.downcast::<Vec<T>>()) {
        (Some(items), Ok(part)) => {
            // Grown (doubled: a copy of every item so far) while the segments that may still
            // be on their way are being decoded, not after the last: then the list would be
            // copied on the critical path, once the body has ended.
            let room = part.len() * (ahead + 1);
            if items.capacity() - items.len() < room {
                items.reserve(room.max(items.len()));
            }
            items.extend(*part);
            true
        }
        _ => false,
    }
}

/// The decoded items in order (a `Vec<T>`), the envelope, the body size.
pub(crate) struct Split {
    items: Option<Box<dyn Any + Send>>,
    /// Every member of the list but its items.
    envelope: List<IgnoredAny>,
    pub(crate) received: u64,
}

/// What a segment of the items array decoded to.
pub(crate) struct Decoded {
    items: Box<dyn Any + Send>,
    count: usize,
    /// `append::<T>` for this `T`.
    append: fn(&mut (dyn Any + Send), Box<dyn Any + Send>, usize) -> bool,
    end: End,
    /// The segment's text, kept until the segment before it is known to end where it begins.
    raw: Bytes,
}

/// How the items of a segment ended.
enum End {
    /// After an item and its `,`, exactly at the end of the segment.
    Comma,
    /// At the `]` closing the items: the rest of the segment from this offset is envelope.
    Close(usize),
    /// The item at this offset did not decode (or ran past the segment's end).
    Failed(usize, serde_json::Error),
}

/// Decodes the items of `raw` (`item , item , ... ,` or `... item ]tail`) one by one.
fn decode_items<T: DeserializeOwned>(raw: &[u8]) -> (Vec<T>, End) {
    let mut out = Vec::new();
    let text = match std::str::from_utf8(raw) {
        Ok(text) => text,
        Err(e) => {
            let e = <serde_json::Error as serde::de::Error>::custom(format!(
                "the body is not UTF-8: {e}"
            ));
            return (out, End::Failed(0, e));
        }
    };
    let bytes = text.as_bytes();
    let mut at = skip_ws(bytes, 0);
    while at < bytes.len() {
        let mut stream = serde_json::Deserializer::from_str(&text[at..]).into_iter::<T>();
        match stream.next() {
            Some(Ok(item)) => out.push(item),
            Some(Err(e)) => return (out, End::Failed(at, e)),
            None => break,
        }
        if out.len() == 1 {
            out.reserve(expected_items::<T>(bytes.len(), stream.byte_offset()));
        }
        let after = skip_ws(bytes, at + stream.byte_offset());
        match bytes.get(after) {
            Some(b',') => at = skip_ws(bytes, after + 1),
            Some(b']') => return (out, End::Close(after + 1)),
            // The segment ends right after an item: the separator is in the next one (a
            // boundary guessed inside an item); decoded again with the next segment.
            None => return (out, End::Failed(at, eof())),
            Some(_) => {
                let e = <serde_json::Error as serde::de::Error>::custom(
                    "expected ',' or ']' after an item",
                );
                return (out, End::Failed(at, e));
            }
        }
    }
    (out, End::Comma)
}

/// Room for the items of a segment of `len` bytes whose first item took `first` bytes, with an
/// eighth more for items of other sizes: grown from one, a segment's `Vec` was copied nine
/// times. At most twice the segment's size is reserved, whatever a small first item suggests.
fn expected_items<T>(len: usize, first: usize) -> usize {
    let guess = len / first.max(1);
    let most = 2 * len / std::mem::size_of::<T>().max(1);
    (guess + guess / 8).min(most)
}

fn eof() -> serde_json::Error {
    // An error of serde_json's EOF category, the same as an item cut short.
    match serde_json::from_str::<IgnoredAny>("[") {
        Err(e) => e,
        Ok(_) => <serde_json::Error as serde::de::Error>::custom("EOF"),
    }
}

pub(crate) async fn split_and_decode(
    mut body: BoxStream<'_, Result<Bytes, Error>>,
    origin: &Origin,
    code: u16,
    target: &'static str,
    decode: DecodeBatch,
) -> Result<Split, Error> {
    let mut splitter = Splitter::default();
    let mut received: u64 = 0;
    let mut assembly = Assembly::new(origin, code, target, decode);
    // The envelope up to the first item, through the exact splitter.
    let mut items_begun = false;
    while !items_begun {
        let Some(chunk) = body.next().await else {
            break;
        };
        let chunk = chunk?;
        received += chunk.len() as u64;
        items_begun = splitter
            .feed(&chunk, true)
            .map_err(|problem| not_decodable(origin, code, target, problem))?;
    }
    if items_begun {
        // The items: cut into segments at guessed item boundaries, decoded beside the
        // download; every boundary is checked when the segment before it is assembled.
        let mut segments = Segmenter::new(std::mem::take(&mut splitter.pending));
        let mut pool = Pool::new(workers(), decode);
        let read_ahead = read_ahead();
        loop {
            while let Some(segment) = segments.next_segment() {
                let size = segment.len();
                pool.submit(segment, size);
            }
            // Assemble what is done (freeing its text), and stop reading while the threads
            // are far enough behind.
            while let Some(done) = pool.try_next() {
                // The segments still decoding, and the one being read.
                assembly.add(thread_result(done, origin)?, pool.outstanding() + 1)?;
            }
            while pool.pending_bytes() > read_ahead {
                if let Some(done) = pool.next().await {
                    assembly.add(thread_result(done, origin)?, pool.outstanding() + 1)?;
                }
            }
            let Some(chunk) = body.next().await else {
                break;
            };
            let chunk = chunk?;
            received += chunk.len() as u64;
            segments.push(&chunk);
        }
        let last = segments.rest();
        // The last segment is decoded here while the threads finish theirs.
        let last = (!last.is_empty()).then(|| decode(last));
        let after = usize::from(last.is_some());
        while let Some(done) = pool.next().await {
            assembly.add(thread_result(done, origin)?, pool.outstanding() + after)?;
        }
        if let Some(last) = last {
            assembly.add(last, 0)?;
        }
        let tail = assembly.finish(received)?;
        splitter.state = State::AfterValue;
        splitter
            .feed(&tail, false)
            .map_err(|problem| not_decodable(origin, code, target, problem))?;
        splitter.items = assembly.count;
    }
    let envelope = splitter
        .finish(received)
        .map_err(|problem| not_decodable(origin, code, target, problem))?;
    let envelope: List<IgnoredAny> = decode_json(&envelope).map_err(|e| Error::Decode {
        verb: origin.verb.to_string(),
        url: origin.url.clone(),
        target: target.to_owned(),
        excerpt: excerpt(&envelope[..envelope.len().min(200)]),
        source: e.into(),
    })?;
    Ok(Split {
        items: assembly.items,
        envelope,
        received,
    })
}

/// Segments decoded again because their start was guessed wrong (for the tests).
#[cfg(test)]
static REDECODED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Puts decoded segments together in order, checking that each segment began where the one
/// before it ended; a segment whose start was guessed wrong is decoded again from there.
struct Assembly<'a> {
    origin: &'a Origin,
    code: u16,
    target: &'static str,
    decode: DecodeBatch,
    /// The items accepted so far (a `Vec<T>`): each segment's are appended as it is accepted,
    /// while the others are still decoding, so no copy of the whole list is left for the end.
    items: Option<Box<dyn Any + Send>>,
    /// Items accepted so far.
    count: usize,
    /// Text of an item cut by a wrong boundary, to decode with the next segment.
    carry: Option<BytesMut>,
    /// The envelope after the items (`]` was seen).
    tail: Option<BytesMut>,
}

impl<'a> Assembly<'a> {
    fn new(origin: &'a Origin, code: u16, target: &'static str, decode: DecodeBatch) -> Self {
        Assembly {
            origin,
            code,
            target,
            decode,
            items: None,
            count: 0,
            carry: None,
            tail: None,
        }
    }

    /// Accepts the next segment; `ahead` more are known to follow (room is reserved for
    /// them, not for the most the read-ahead allows: that reserved room for twelve segments
    /// whatever the list's size, 25 MB for a one-page list of 10,000 ConfigMaps).
    fn add(&mut self, decoded: Decoded, ahead: usize) -> Result<(), Error> {
        if let Some(tail) = &mut self.tail {
            tail.extend_from_slice(&decoded.raw);
            return Ok(());
        }
        let decoded = match self.carry.take() {
            // This segment's start was a guess that did not hold: decode it again behind the
            // cut item.
            Some(mut carry) => {
                #[cfg(test)]
                REDECODED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                carry.extend_from_slice(&decoded.raw);
                (self.decode)(carry.freeze())
            }
            None => decoded,
        };
        if decoded.count > 0 {
            match &mut self.items {
                None => self.items = Some(decoded.items),
                Some(items) => {
                    if !(decoded.append)(items.as_mut(), decoded.items, ahead) {
                        return Err(internal(self.origin, self.code, self.target));
                    }
                }
            }
        }
        self.count += decoded.count;
        match decoded.end {
            End::Comma => {}
            End::Close(at) => self.tail = Some(BytesMut::from(&decoded.raw[at..])),
            End::Failed(at, e) if e.is_eof() => {
                self.carry = Some(BytesMut::from(&decoded.raw[at..]));
            }
            End::Failed(at, e) => {
                let raw = &decoded.raw[at..];
                return Err(Error::Decode {
                    verb: self.origin.verb.to_string(),
                    url: self.origin.url.clone(),
                    target: format!("item {} of {}", self.count, self.target),
                    excerpt: excerpt(&raw[..raw.len().min(200)]),
                    source: e.into(),
                });
            }
        }
        Ok(())
    }

    /// The envelope text after the items, or the error for a body cut inside them.
    fn finish(&mut self, received: u64) -> Result<BytesMut, Error> {
        match self.tail.take() {
            Some(tail) => Ok(tail),
            None => Err(not_decodable(
                self.origin,
                self.code,
                self.target,
                format!(
                    "the body ended after {received} bytes, inside the list (after {} items): it was cut short",
                    self.count
                ),
            )),
        }
    }
}

/// The result of a decoding thread.
fn thread_result(result: Result<Decoded, String>, origin: &Origin) -> Result<Decoded, Error> {
    // A decoder thread only fails by a panic inside a Deserialize impl: report, never unwind.
    result.map_err(|panic| Error::Body {
        verb: origin.verb.to_string(),
        url: origin.url.clone(),
        detail: format!("a list decoding thread failed: {panic}"),
    })
}

fn not_decodable(origin: &Origin, code: u16, target: &str, problem: String) -> Error {
    Error::NotDecodable {
        verb: origin.verb.to_string(),
        url: origin.url.clone(),
        code,
        target: target.to_owned(),
        problem,
    }
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
            verb: http::Method::GET,
            url: "http://test/api/v1/items".into(),
        }
    }

    /// Decodes `body` fed in pieces of `size` bytes.
    /// `body` as a stream would bring it, in pieces of `size` bytes.
    fn pieces(body: &str, size: usize) -> Vec<Result<Bytes, Error>> {
        body.as_bytes()
            .chunks(size.max(1))
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect()
    }

    /// `decode_list` of `pieces` on a runtime of one thread (`current`) or with a worker.
    fn run_list<T: DeserializeOwned + Send + 'static>(
        pieces: Vec<Result<Bytes, Error>>,
        current: bool,
    ) -> Result<(List<T>, u64), Error> {
        let runtime = if current {
            tokio::runtime::Builder::new_current_thread().build()
        } else {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .build()
        };
        runtime.unwrap().block_on(decode_list::<T>(
            futures::stream::iter(pieces).boxed(),
            &origin(),
            200,
        ))
    }

    /// `n` items of about 120 bytes each, as a list body.
    fn item_list(n: usize) -> String {
        let items: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"name":"item-{i}","tags":["{}"]}}"#, "t".repeat(100)))
            .collect();
        format!(r#"{{"kind":"ItemList","items":[{}]}}"#, items.join(","))
    }

    fn decode_in(body: &str, size: usize) -> Result<List<Item>, Error> {
        run_list(pieces(body, size), true).map(|(list, _)| list)
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
        let body = item_list(20_000);
        assert!(body.len() > 2 * BATCH_BYTES);
        let (list, read) = run_list::<Item>(pieces(&body, 65536), false).unwrap();
        assert_eq!(read, body.len() as u64);
        assert_eq!(list.items.len(), 20_000);
        assert!(list
            .items
            .iter()
            .enumerate()
            .all(|(i, item)| item.name == format!("item-{i}")));
        // No room kept beyond the items (it was once reserved for a dozen more segments).
        assert_eq!(list.items.capacity(), list.items.len());
    }

    /// Decodes a large body in chunks of `size` on a runtime with blocking threads.
    fn decode_large(body: &str, size: usize) -> Result<List<Item>, Error> {
        run_list(pieces(body, size), false).map(|(list, _)| list)
    }

    fn assert_items(list: &List<Item>, n: usize) {
        assert_eq!(list.items.len(), n);
        for (i, item) in list.items.iter().enumerate() {
            assert_eq!(item.name, format!("item-{i}"));
        }
    }

    #[test]
    fn boundaries_guessed_inside_items_are_caught() {
        // Every item holds `},{"name":` inside it, just like the start of an item; some
        // segment cuts fall there and must be decoded again behind the cut.
        let items: Vec<String> = (0..20_000)
            .map(|i| {
                format!(
                    r#"{{"name":"item-{i}","tags":["{}"],"x":[{{"a":1}},{{"name":"inner","tags":[]}}]}}"#,
                    "p".repeat(i % 300)
                )
            })
            .collect();
        let body = format!(r#"{{"kind":"ItemList","items":[{}]}}"#, items.join(","));
        assert!(body.len() > 3 * BATCH_BYTES);
        let before = REDECODED.load(std::sync::atomic::Ordering::Relaxed);
        for size in [65536, 4093] {
            let list = decode_large(&body, size).unwrap();
            assert_items(&list, 20_000);
            assert_eq!(list.kind.as_deref(), Some("ItemList"));
        }
        assert!(REDECODED.load(std::sync::atomic::Ordering::Relaxed) > before);
    }

    #[test]
    fn pretty_printed_and_unlike_items_and_members_after_the_items() {
        // Items with different first members (no common opening to look for: the first
        // segments are cut by an exact scan) and pretty printing, with the list metadata
        // after the items.
        let items: Vec<String> = (0..50_000)
            .map(|i| match i % 3 {
                _ if i == 0 => r#"{"zz":0,"name":"item-0"}"#.to_owned(),
                0 => format!("{{\n    \"name\": \"item-{i}\",\n    \"tags\": [ \"a\" ]\n  }}"),
                1 => format!(
                    "{{ \"tags\": [\"{}\"], \"name\": \"item-{i}\" }}",
                    "q".repeat(i % 300)
                ),
                _ => format!("{{\"extra\":{{\"k\":[1,2]}},\"name\":\"item-{i}\"}}"),
            })
            .collect();
        let body = format!(
            "{{\n  \"items\": [\n  {}\n  ],\n  \"metadata\": {{\"resourceVersion\": \"42\"}}\n}}\n",
            items.join(",\n  ")
        );
        assert!(body.len() > 4 * BATCH_BYTES);
        let list = decode_large(&body, 65536).unwrap();
        assert_items(&list, 50_000);
        assert_eq!(list.metadata.resource_version.as_deref(), Some("42"));
    }

    #[test]
    fn a_bad_or_cut_item_far_into_a_large_list_is_named() {
        let mut items: Vec<String> = (0..20_000)
            .map(|i| format!(r#"{{"name":"item-{i}","tags":["{}"]}}"#, "t".repeat(100)))
            .collect();
        items[15_001] = r#"{"name":"item-15001","tags":[7]}"#.to_owned();
        let body = format!(r#"{{"kind":"ItemList","items":[{}]}}"#, items.join(","));
        let err = decode_large(&body, 65536).unwrap_err().to_string();
        assert!(err.contains("item 15001 of "), "{err}");
        items[15_001] = r#"{"name":"item-15001"}"#.to_owned();
        let body = format!(r#"{{"kind":"ItemList","items":[{}]}}"#, items.join(","));
        let cut = &body[..body.len() * 3 / 4];
        let err = decode_large(cut, 65536).unwrap_err().to_string();
        assert!(err.contains("cut short"), "{err}");
        let whole = decode_large(&body, 65536).unwrap();
        assert_items(&whole, 20_000);
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

    #[test]
    fn a_list_far_larger_than_the_read_ahead_comes_out_whole_and_in_order() {
        // More segments than the threads may hold undecoded, so the receiving task waits for
        // them; every item also holds a false item start, so some guessed cuts are wrong.
        let items: Vec<String> = (0..24_000)
            .map(|i| {
                format!(
                    r#"{{"name":"item-{i}","tags":["{}"],"x":[{{"a":1}},{{"name":"inner","tags":[]}}]}}"#,
                    "r".repeat(300 + i % 400)
                )
            })
            .collect();
        let body = format!(r#"{{"kind":"ItemList","items":[{}]}}"#, items.join(","));
        assert!(body.len() > read_ahead() + 2 * BATCH_BYTES);
        let list = decode_large(&body, 65536).unwrap();
        assert_items(&list, 24_000);
    }

    /// An item that panics while it is decoded (a broken `Deserialize` impl).
    #[derive(Debug)]
    struct Touchy;

    impl<'de> Deserialize<'de> for Touchy {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let item = Item::deserialize(d)?;
            assert!(item.name != "item-7000", "cannot take {}", item.name);
            Ok(Touchy)
        }
    }

    #[test]
    fn a_panic_on_a_decoding_thread_fails_the_list_instead_of_hanging() {
        let body = item_list(20_000);
        let err = run_list::<Touchy>(pieces(&body, 65536), false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("decoding thread failed") && err.contains("cannot take item-7000"),
            "{err}"
        );
    }

    #[test]
    fn a_body_failing_between_segments_fails_the_list_with_its_error() {
        let body = item_list(40_000);
        let mut pieces = pieces(&body, 65536);
        // After several segments have gone to the threads.
        pieces.truncate(60);
        pieces.push(Err(Error::Body {
            verb: "GET".into(),
            url: "http://test/api/v1/items".into(),
            detail: "connection reset".into(),
        }));
        let err = run_list::<Item>(pieces, false).unwrap_err().to_string();
        assert!(err.contains("connection reset"), "{err}");
    }
}
