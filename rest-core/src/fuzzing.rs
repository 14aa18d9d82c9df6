//! Entry points for the fuzz targets under `fuzz/` and their seed-corpus tests: each takes
//! any bytes, drives one of the engine's parsers as a response would, and checks its answer.

use std::sync::OnceLock;

use bytes::Bytes;
use futures::StreamExt;
use http::{HeaderMap, HeaderValue, StatusCode};
use serde_json::Value;

use crate::body::{list, Origin};
use crate::error::Error;
use crate::meta::{List, WatchEvent};
use crate::watch::WatchStream;

fn origin() -> Origin {
    Origin {
        verb: http::Method::GET,
        url: "http://fuzz/api/v1/configmaps".to_owned(),
    }
}

/// The input cut into chunks as a network might deliver it: the first byte picks the size.
fn chunked(data: &[u8]) -> (Vec<Result<Bytes, Error>>, &[u8]) {
    let Some((&first, body)) = data.split_first() else {
        return (Vec::new(), data);
    };
    let size = usize::from(first % 64) + 1;
    let chunks = body
        .chunks(size)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    (chunks, body)
}

/// A kubeconfig as text, lowered into a `Config` (no file of its own: paths in it resolve
/// against a folder that does not exist).
pub fn kubeconfig(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = crate::Config::from_kubeconfig_str(text, "/nonexistent/krest-fuzz", None) {
        // Debug must not fail whatever the config holds.
        let _ = format!("{config:?}");
    }
}

/// A watch body: the events the stream yields are exactly the lines that decode on their
/// own, in order, up to the first that does not; a bad line or a cut end is an error item.
pub fn watch(data: &[u8]) {
    let (chunks, body) = chunked(data);
    let stream = WatchStream::<Value>::from_chunks(
        futures::stream::iter(chunks).boxed(),
        origin(),
        usize::MAX,
    );
    let got: Vec<Result<WatchEvent<Value>, Error>> = futures::executor::block_on(stream.collect());
    let mut expected: Vec<Result<WatchEvent<Value>, ()>> = Vec::new();
    let mut lines = body.split(|b| *b == b'\n').peekable();
    while let Some(line) = lines.next() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if lines.peek().is_none() {
            // No newline after it: a cut stream.
            expected.push(Err(()));
            break;
        }
        match crate::response::decode_json::<WatchEvent<Value>>(line) {
            Ok(event) => expected.push(Ok(event)),
            Err(_) => {
                expected.push(Err(()));
                break;
            }
        }
    }
    assert_eq!(
        got.len(),
        expected.len(),
        "events: {got:?}\nexpected: {expected:?}"
    );
    for (got, want) in got.iter().zip(&expected) {
        match (got, want) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(_), Err(())) => {}
            _ => panic!("event {got:?}, expected {want:?}"),
        }
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a tokio runtime for the list target")
    })
}

/// A list body, decoded while it streams in (segments cut at guessed item boundaries and
/// decoded on threads): the same list as decoding the whole body at once, or an error where
/// that is one.
pub fn list(data: &[u8]) {
    let (chunks, body) = chunked(data);
    let target = std::any::type_name::<List<Value>>();
    let streamed = runtime().block_on(async {
        let split = list::split_and_decode(
            futures::stream::iter(chunks).boxed(),
            &origin(),
            200,
            target,
            list::decode_batch::<Value>,
        )
        .await?;
        list::assemble::<Value>(split, &origin(), 200)
    });
    let whole = crate::response::decode_json::<List<Value>>(body);
    match (streamed, whole) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.items, b.items, "items");
            assert_eq!(a.kind, b.kind, "kind");
            assert_eq!(a.api_version, b.api_version, "apiVersion");
            assert_eq!(a.metadata, b.metadata, "metadata");
        }
        (Err(_), Err(_)) => {}
        (Ok(a), Err(e)) => panic!("streamed decoding accepted what serde rejects ({e}): {a:?}"),
        (Err(e), Ok(b)) => panic!("streamed decoding failed ({e}) where serde decodes {b:?}"),
    }
}

/// One `Warning` header value.
pub fn warning(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut out = Vec::new();
    if crate::warnings::parse_warning_header(text, &mut out).is_ok() {
        for w in &out {
            assert!(text.contains(w.agent.as_str()) || w.agent.is_empty());
        }
    }
    if let Ok(value) = HeaderValue::from_bytes(data) {
        let mut headers = HeaderMap::new();
        headers.append(http::header::WARNING, value);
        let _ = crate::warnings::parse_warning_headers(&headers);
    }
}

/// A `Retry-After` value on a 429 and a 503: whole seconds or nothing.
pub fn retry_after(data: &[u8]) {
    let Ok(value) = HeaderValue::from_bytes(data) else {
        return;
    };
    let mut headers = HeaderMap::new();
    headers.insert(http::header::RETRY_AFTER, value);
    for status in [
        StatusCode::TOO_MANY_REQUESTS,
        StatusCode::SERVICE_UNAVAILABLE,
    ] {
        let wait = crate::retry::retry_wait(status, &headers);
        if let Some(wait) = wait {
            let text = std::str::from_utf8(data).unwrap_or_default().trim();
            assert_eq!(text.parse::<u64>().ok(), Some(wait.as_secs()));
        }
    }
    assert_eq!(
        crate::retry::retry_wait(StatusCode::NOT_FOUND, &headers),
        None
    );
}

/// Any bytes as a protobuf body, a watch frame and a bare message (feature `protobuf`):
/// decoding never panics, and what decodes re-encodes into bytes that decode the same.
#[cfg(feature = "protobuf")]
pub fn protobuf_decode(data: &[u8]) {
    use crate::meta::{ObjectMeta, PartialObjectMetadata, Status};
    use crate::protobuf::{decode_object, decode_watch_event, encode_object, Message};

    type Partial = PartialObjectMetadata<()>;
    if let Ok(status) = decode_object::<Status>(data) {
        // Re-encoded with the envelope's own apiVersion and kind, which decoding kept (the
        // fuzzer's first finding, fuzz/regressions). The encoder writes what Go always writes
        // (an empty ListMeta where the input had none), so one round trip normalises; after
        // it, nothing may change.
        let encode = |s: &Status| {
            let api_version = s.api_version.clone().unwrap_or_default();
            let kind = s.kind.clone().unwrap_or_default();
            encode_object(s, &api_version, &kind).expect("a decoded Status encodes")
        };
        let once = encode(&status);
        let back: Status = decode_object(&once).expect("an encoded Status decodes");
        assert_eq!(
            back.message, status.message,
            "Status message changed through protobuf"
        );
        assert_eq!(
            back.details, status.details,
            "Status details changed through protobuf"
        );
        assert_eq!(encode(&back), once, "Status changed through protobuf");
    }
    if let Ok(meta) = ObjectMeta::decode(data) {
        if let Ok(again) = meta.encode_to_vec() {
            let back = ObjectMeta::decode(&again).expect("an encoded ObjectMeta decodes");
            assert_eq!(back, meta, "ObjectMeta changed through protobuf");
        }
    }
    let _ = decode_watch_event::<Partial>(data);
    // The streaming list decoder, the input cut into chunks, agrees with decoding it whole.
    let (chunks, body) = chunked(data);
    let streamed = crate::body::protobuf_list::decode_chunks(
        chunks.into_iter().filter_map(Result::ok).collect(),
        crate::protobuf::Codec::<Partial>::of(),
    );
    if let Ok(list) = decode_object::<crate::meta::List<Partial>>(body) {
        assert!(
            matches!(&streamed, Ok(l) if *l == list),
            "the streamed list differs from the whole body's: streamed {:?}, whole {:?}",
            streamed.as_ref().map(|l| (&l.metadata, l.items.len())),
            (&list.metadata, list.items.len())
        );
    }
}
