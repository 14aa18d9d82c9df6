//! Watches (one JSON event per line, every event type, lines split across chunks) and raw
//! byte streams; a broken, truncated or undecodable stream ends with an error item.

use crate::support::{client, corpus, raw_server, serve, ConfigMap, Log, Raw};
use axum::body::Body;
use axum::extract::Request as AxumRequest;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response as AxumResponse;
use axum::routing::any;
use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use rest_core::{Error, ListOptions, ResourceClient, WatchEvent};

/// Serves `chunks` as one chunked 200 body, recording the request.
async fn streaming(chunks: Vec<Vec<u8>>) -> (String, Log) {
    let log = Log::default();
    let l = log.clone();
    let url = serve(axum::Router::new().fallback(any(move |req: AxumRequest| {
        let (l, chunks) = (l.clone(), chunks.clone());
        async move {
            l.record(req.method(), req.uri(), req.headers(), b"");
            let stream = futures::stream::iter(
                chunks
                    .into_iter()
                    .map(|c| Ok::<_, std::io::Error>(Bytes::from(c))),
            );
            let mut resp = AxumResponse::new(Body::from_stream(stream));
            resp.headers_mut()
                .insert("content-type", HeaderValue::from_static("application/json"));
            resp
        }
    })))
    .await;
    (url, log)
}

/// The real apiserver's watch lines plus an ERROR (410 Expired), as newline-terminated JSON.
fn watch_lines() -> Vec<u8> {
    let transcript = corpus("watch-events");
    let mut body = Vec::new();
    for line in transcript["response"]["lines"].as_array().unwrap() {
        body.extend_from_slice(line.to_string().as_bytes());
        body.push(b'\n');
    }
    let gone = corpus("list-expired-rv")["response"]["body"].clone();
    body.extend_from_slice(
        serde_json::json!({"type": "ERROR", "object": gone})
            .to_string()
            .as_bytes(),
    );
    body.push(b'\n');
    body
}

/// `body` cut into pieces of `size` bytes, so lines straddle chunks.
fn split(body: &[u8], size: usize) -> Vec<Vec<u8>> {
    body.chunks(size).map(<[u8]>::to_vec).collect()
}

#[tokio::test]
async fn a_watch_yields_every_event_type_across_chunk_boundaries() {
    for size in [7, 100, 100_000] {
        let (url, log) = streaming(split(&watch_lines(), size)).await;
        let (c, _) = client(&url);
        let cms = ResourceClient::<ConfigMap>::namespaced(&c, "transcripts");
        let opts = ListOptions {
            resource_version: Some("226".into()),
            allow_watch_bookmarks: Some(true),
            ..Default::default()
        };
        let events: Vec<WatchEvent<ConfigMap>> =
            cms.watch(&opts).await.unwrap().try_collect().await.unwrap();
        let kinds: Vec<&str> = events.iter().map(WatchEvent::type_name).collect();
        assert_eq!(
            kinds,
            ["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"],
            "chunk size {size}"
        );
        match &events[1] {
            WatchEvent::Modified(cm) => assert_eq!(cm.data["k"], "v2"),
            other => panic!("{other:?}"),
        }
        match &events[3] {
            WatchEvent::Bookmark(b) => assert_eq!(b.metadata.resource_version, "229"),
            other => panic!("{other:?}"),
        }
        match &events[4] {
            WatchEvent::Error(status) => assert!(Error::from_status(status.clone()).is_gone()),
            other => panic!("{other:?}"),
        }
        let seen = log.last();
        assert_eq!(seen.path, "/api/v1/namespaces/transcripts/configmaps");
        assert_eq!(
            seen.query.as_deref(),
            Some("allowWatchBookmarks=true&resourceVersion=226&watch=true")
        );
    }
}

#[tokio::test]
async fn a_request_watch_adds_watch_true_once() {
    let (url, log) = streaming(vec![]).await;
    let (c, _) = client(&url);
    let w = c
        .get()
        .resource("pods")
        .watch::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(
        w.count().await,
        0,
        "a clean end is the end of the stream, without error"
    );
    assert_eq!(log.last().query.as_deref(), Some("watch=true"));
    let _ = c
        .get()
        .resource("pods")
        .param("watch", "1")
        .watch::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(log.last().query.as_deref(), Some("watch=1"));
}

#[tokio::test]
async fn a_watch_cut_mid_event_ends_with_an_error() {
    let body = watch_lines();
    let first_line = body.iter().position(|b| *b == b'\n').unwrap() + 1;
    // The server ends the body cleanly, but in the middle of the second event.
    let (url, _) = streaming(vec![body[..first_line + 40].to_vec()]).await;
    let items: Vec<_> = client(&url)
        .0
        .get()
        .resource("configmaps")
        .watch::<ConfigMap>()
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert!(matches!(items[0], Ok(WatchEvent::Added(_))));
    match &items[1] {
        Err(e @ Error::StreamTruncated { pending: 40, .. }) => {
            assert!(e.to_string().contains("middle of an event"), "{e}")
        }
        other => panic!("{other:?}"),
    }

    // The connection breaks (no final chunk): the last item is a body error.
    let mut raw =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
            .to_vec();
    raw.extend_from_slice(format!("{:x}\r\n", first_line + 10).as_bytes());
    raw.extend_from_slice(&body[..first_line + 10]);
    raw.extend_from_slice(b"\r\n");
    let (url, _) = raw_server(move |_| Raw::Reply(raw.clone())).await;
    let items: Vec<_> = client(&url)
        .0
        .get()
        .resource("configmaps")
        .watch::<ConfigMap>()
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(items[0], Ok(WatchEvent::Added(_))));
    assert!(
        matches!(items[1], Err(Error::Body { .. })),
        "{:?}",
        items[1]
    );
}

#[tokio::test]
async fn an_undecodable_event_ends_the_stream_with_a_decode_error() {
    let body = b"{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\"}}}\n{\"type\":\"EXPLODED\",\"object\":{}}\n{\"type\":\"ADDED\",\"object\":{}}\n";
    let (url, _) = streaming(vec![body.to_vec()]).await;
    let items: Vec<_> = client(&url)
        .0
        .get()
        .resource("configmaps")
        .watch::<ConfigMap>()
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    let err = items[1].as_ref().unwrap_err();
    assert!(
        matches!(err, Error::Decode { .. }) && err.to_string().contains("EXPLODED"),
        "{err}"
    );
}

#[tokio::test]
async fn a_watch_refused_by_the_server_is_an_error_up_front() {
    let gone = corpus("list-expired-rv")["response"]["body"].to_string();
    let url = serve(axum::Router::new().fallback(any(move || {
        let gone = gone.clone();
        async move {
            let mut r = AxumResponse::new(Body::from(gone));
            *r.status_mut() = StatusCode::GONE;
            r.headers_mut()
                .insert("content-type", HeaderValue::from_static("application/json"));
            r
        }
    })))
    .await;
    let err = client(&url)
        .0
        .get()
        .resource("configmaps")
        .watch::<ConfigMap>()
        .await
        .unwrap_err();
    assert!(err.is_gone(), "{err}");
    let err = client(&url)
        .0
        .get()
        .resource("pods")
        .name("p")
        .sub_resource("log")
        .stream()
        .await
        .unwrap_err();
    assert!(err.is_resource_expired(), "{err}");
}

#[tokio::test]
async fn stream_hands_over_the_raw_bytes() {
    let lines: Vec<Vec<u8>> = (0..50)
        .map(|i| format!("log line {i}\n").into_bytes())
        .collect();
    let (url, log) = streaming(lines.clone()).await;
    let (c, _) = client(&url);
    let stream = c
        .get()
        .namespace("ns")
        .resource("pods")
        .name("p")
        .sub_resource("log")
        .param("follow", true)
        .stream()
        .await
        .unwrap();
    let chunks: Vec<Bytes> = stream.try_collect().await.unwrap();
    assert_eq!(chunks.concat(), lines.concat());
    assert_eq!(log.last().query.as_deref(), Some("follow=true"));

    // A body shorter than its Content-Length ends with a truncation error.
    let (url, _) = raw_server(|_| {
        Raw::Reply(b"HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\nonly this".to_vec())
    })
    .await;
    let items: Vec<_> = client(&url)
        .0
        .get()
        .abs_path("/logs")
        .stream()
        .await
        .unwrap()
        .collect()
        .await;
    let last = items.last().unwrap();
    assert!(
        matches!(
            last,
            Err(Error::TruncatedBody {
                expected: 50,
                received: 9,
                ..
            })
        ),
        "{items:?}"
    );
}
