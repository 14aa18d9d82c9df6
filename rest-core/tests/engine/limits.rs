//! `Config::limits`: bodies, watch events and response heads over their caps fail with an
//! error that names the limit, whether the server announced the size or just kept sending.

use crate::support::{config, json_reply, raw_server, ConfigMap, Raw};
use futures::StreamExt;
use rest_core::{Error, Limits, RestClient};

const LIMIT: u64 = 64 << 10;

fn limited(url: &str) -> RestClient {
    let (mut config, _) = config(url);
    config.limits = Limits {
        max_body_bytes: LIMIT,
        max_watch_event_bytes: 16 << 10,
        max_header_bytes: 16 << 10,
    };
    RestClient::for_config(&config).unwrap()
}

/// A chunked HTTP/1.1 answer: no length announced, the size found only by reading.
fn chunked(status: u16, body: &[u8]) -> Vec<u8> {
    let mut out =
        format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n")
            .into_bytes();
    for piece in body.chunks(4096) {
        out.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        out.extend_from_slice(piece);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

fn big_list(bytes: usize) -> String {
    let item = r#"{"metadata":{"name":"cm"},"data":{"k":"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"}}"#;
    let items: Vec<&str> = std::iter::repeat_n(item, bytes / item.len() + 1).collect();
    format!(
        r#"{{"kind":"ConfigMapList","items":[{}]}}"#,
        items.join(",")
    )
}

fn assert_too_large(err: &Error, what: &str, announced: bool) {
    assert!(err.is_too_large(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains(&format!("the {what} is larger than the {LIMIT}-byte limit"))
            && text.contains("Config::limits"),
        "{text}"
    );
    assert_eq!(text.contains("the server announced"), announced, "{text}");
}

#[tokio::test]
async fn a_body_announced_over_the_limit_is_refused_before_it_is_read() {
    let body = big_list(LIMIT as usize * 2);
    let (url, _) = raw_server(move |_| Raw::Reply(json_reply(200, &body))).await;
    let client = limited(&url);
    let err = client
        .get()
        .resource("configmaps")
        .send()
        .await
        .into_result()
        .unwrap_err();
    assert_too_large(&err, "response body", true);
    let err = client
        .get()
        .resource("configmaps")
        .send_list::<ConfigMap>()
        .await
        .unwrap_err();
    assert_too_large(&err, "response body", true);
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_fails_once_the_limit_is_passed() {
    let body = big_list(LIMIT as usize * 4);
    let (url, _) = raw_server(move |_| Raw::Reply(chunked(200, body.as_bytes()))).await;
    let client = limited(&url);
    let err = client
        .get()
        .resource("configmaps")
        .send()
        .await
        .into_result()
        .unwrap_err();
    assert_too_large(&err, "response body", false);
    let err = client
        .get()
        .resource("configmaps")
        .send_list::<ConfigMap>()
        .await
        .unwrap_err();
    assert_too_large(&err, "response body", false);
}

#[tokio::test]
async fn an_error_page_over_the_limit_is_refused_too() {
    let page = format!(
        "<html><body>{}</body></html>",
        "x".repeat(LIMIT as usize * 2)
    );
    let (url, _) = raw_server(move |_| Raw::Reply(chunked(502, page.as_bytes()))).await;
    let err = limited(&url)
        .get()
        .resource("configmaps")
        .send()
        .await
        .into_result()
        .unwrap_err();
    assert_too_large(&err, "response body", false);
}

#[tokio::test]
async fn a_body_under_the_limit_is_read_whole() {
    let body = big_list(LIMIT as usize / 2);
    let (url, _) = raw_server(move |_| Raw::Reply(chunked(200, body.as_bytes()))).await;
    let list = limited(&url)
        .get()
        .resource("configmaps")
        .send_list::<ConfigMap>()
        .await
        .unwrap();
    assert!(list.items.len() > 100);
}

#[tokio::test]
async fn a_watch_event_over_the_limit_ends_the_watch_with_an_error() {
    let small = r#"{"type":"ADDED","object":{"metadata":{"name":"a"},"data":{}}}"#;
    let huge = format!(
        r#"{{"type":"ADDED","object":{{"metadata":{{"name":"b"}},"data":{{"k":"{}"}}}}}}"#,
        "v".repeat(32 << 10)
    );
    let body = format!("{small}\n{huge}\n{small}\n");
    let (url, _) = raw_server(move |_| Raw::Reply(chunked(200, body.as_bytes()))).await;
    let mut watch = limited(&url)
        .get()
        .resource("configmaps")
        .watch::<ConfigMap>()
        .await
        .unwrap();
    assert!(matches!(watch.next().await, Some(Ok(_))));
    let err = watch.next().await.unwrap().unwrap_err();
    assert!(err.is_too_large(), "{err:?}");
    assert!(
        err.to_string()
            .contains("the watch event is larger than the 16384-byte limit"),
        "{err}"
    );
    assert!(
        watch.next().await.is_none(),
        "the watch goes on after the error"
    );
}

#[tokio::test]
async fn a_response_head_over_the_limit_fails_as_a_connection_error() {
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-padding: {}\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}",
        "p".repeat(64 << 10)
    );
    let (url, _) = raw_server(move |_| Raw::Reply(head.clone().into_bytes())).await;
    let mut config = config(&url).0;
    config.max_retries = 0;
    config.limits.max_header_bytes = 16 << 10;
    let client = RestClient::for_config(&config).unwrap();
    let err = client
        .get()
        .resource("configmaps")
        .send()
        .await
        .into_result()
        .unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    assert!(err.to_string().contains("too large"), "{err}");
    // The default is generous: the same head passes.
    config.limits = Limits::default();
    let client = RestClient::for_config(&config).unwrap();
    let resp = client.get().resource("configmaps").send().await;
    assert_eq!(resp.status_code(), 200, "{:?}", resp.error());
}
