//! Retries as client-go's `withRetry`: 429/5xx with `Retry-After` are retried after the wait
//! the server asked for, up to `max_retries`; a dropped connection is retried for GET only;
//! the timeout bounds a request; metrics hooks see every try.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{client, config, json_reply, raw_server, serve, Raw};
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response as AxumResponse;
use axum::routing::any;
use rest_core::{Error, Metrics, RestClient};
use serde_json::Value;

/// A server whose n-th answer (0-based) is `script(n)`: (status, Retry-After).
async fn scripted(
    script: impl Fn(usize) -> (u16, Option<&'static str>) + Clone + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let url = serve(axum::Router::new().fallback(any(move || {
        let (h, script) = (h.clone(), script.clone());
        async move {
            let n = h.fetch_add(1, Ordering::SeqCst);
            let (status, retry_after) = script(n);
            let body = if status == 200 {
                r#"{"kind":"Pod"}"#.to_owned()
            } else {
                format!(r#"{{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"{}","code":{status}}}"#, if status == 429 { "TooManyRequests" } else { "ServiceUnavailable" })
            };
            let mut resp = AxumResponse::new(Body::from(body));
            *resp.status_mut() = StatusCode::from_u16(status).unwrap();
            resp.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
            if let Some(secs) = retry_after {
                resp.headers_mut().insert("retry-after", HeaderValue::from_static(secs));
            }
            resp
        }
    })))
    .await;
    (url, hits)
}

#[tokio::test]
async fn retry_after_is_honoured_then_the_answer_is_returned() {
    let (url, hits) = scripted(|n| match n {
        0 => (429, Some("3")),
        1 => (503, Some("1")),
        _ => (200, None),
    })
    .await;
    let (c, sleeper) = client(&url);
    let v: Value = c.get().resource("pods").send().await.decode().unwrap();
    assert_eq!(v["kind"], "Pod");
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    assert_eq!(
        sleeper.waits(),
        vec![Duration::from_secs(3), Duration::from_secs(1)]
    );

    // Writes are retried on Retry-After too: the server said it did nothing.
    let (url, hits) = scripted(|n| {
        if n == 0 {
            (429, Some("2"))
        } else {
            (200, None)
        }
    })
    .await;
    let (c, sleeper) = client(&url);
    let r = c.post().resource("pods").body("{}").send().await;
    assert!(r.error().is_none(), "{:?}", r.error());
    assert_eq!(
        (hits.load(Ordering::SeqCst), sleeper.waits()),
        (2, vec![Duration::from_secs(2)])
    );
}

#[tokio::test]
async fn retries_stop_at_max_retries_with_the_last_answer() {
    let (url, hits) = scripted(|_| (503, Some("1"))).await;
    let (c, sleeper) = client(&url);
    let err = c
        .get()
        .resource("pods")
        .max_retries(2)
        .send()
        .await
        .error()
        .unwrap()
        .clone();
    assert!(err.is_service_unavailable(), "{err}");
    assert_eq!(hits.load(Ordering::SeqCst), 3, "one try and two retries");
    assert_eq!(sleeper.waits().len(), 2);

    // The config's max_retries (default 10) applies when the request sets none.
    let (url, hits) = scripted(|_| (429, Some("0"))).await;
    let (c, _) = client(&url);
    let err = c
        .get()
        .resource("pods")
        .send()
        .await
        .error()
        .unwrap()
        .clone();
    assert!(err.is_too_many_requests());
    assert_eq!(hits.load(Ordering::SeqCst), 11);

    let (url, hits) = scripted(|_| (429, Some("1"))).await;
    let (mut cfg, _) = config(&url);
    cfg.max_retries = 0;
    let c = RestClient::for_config(&cfg).unwrap();
    assert!(c
        .get()
        .resource("pods")
        .send()
        .await
        .error()
        .unwrap()
        .is_too_many_requests());
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn failures_without_retry_after_are_not_retried() {
    for status in [500, 503, 429, 404] {
        let (url, hits) = scripted(move |_| (status, None)).await;
        let (c, sleeper) = client(&url);
        let r = c.get().resource("pods").send().await;
        assert_eq!(r.status_code(), status);
        assert_eq!(
            (hits.load(Ordering::SeqCst), sleeper.waits().len()),
            (1, 0),
            "{status}"
        );
    }
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_get_only() {
    let script = |n| {
        if n < 2 {
            Raw::Drop
        } else {
            Raw::Reply(json_reply(200, r#"{"kind":"Pod"}"#))
        }
    };
    let (url, connections) = raw_server(script).await;
    let (c, _) = client(&url);
    let v: Value = c.get().resource("pods").send().await.decode().unwrap();
    assert_eq!(v["kind"], "Pod");
    assert_eq!(connections.load(Ordering::SeqCst), 3);

    for verb in ["POST", "PUT", "PATCH", "DELETE"] {
        let (url, connections) = raw_server(script).await;
        let (c, _) = client(&url);
        let r = c
            .verb(verb)
            .resource("pods")
            .name("p")
            .body("{}")
            .send()
            .await;
        let err = r.error().unwrap();
        assert!(err.is_connection(), "{verb}: {err:?}");
        assert_eq!(
            connections.load(Ordering::SeqCst),
            1,
            "{verb} must not be retried"
        );
    }

    // A GET gives up after max_retries, with the connection error.
    let (url, connections) = raw_server(|_| Raw::Drop).await;
    let (c, _) = client(&url);
    let err = c
        .get()
        .resource("pods")
        .max_retries(3)
        .send()
        .await
        .error()
        .unwrap()
        .clone();
    assert!(err.is_connection(), "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn the_timeout_bounds_a_request_that_never_answers() {
    let url = serve(axum::Router::new().fallback(any(std::future::pending::<&'static str>))).await;
    let (c, _) = client(&url);
    let r = c
        .get()
        .resource("pods")
        .timeout(Duration::from_millis(100))
        .send()
        .await;
    let err = r.error().unwrap();
    assert!(
        matches!(err, Error::Timeout { timeout, .. } if *timeout == Duration::from_millis(100)),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert!(
        err.to_string().contains("within the 100ms timeout"),
        "{err}"
    );
}

#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);

impl Recorder {
    fn push(&self, s: String) {
        self.0.lock().unwrap().push(s);
    }
    fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

impl Metrics for Recorder {
    fn request_latency(&self, verb: &str, url_template: &str, _latency: Duration) {
        let path = &url_template[url_template.find("/api").unwrap()..];
        self.push(format!("latency {verb} {path}"));
    }
    fn request_size(&self, verb: &str, _host: &str, bytes: u64) {
        self.push(format!("request_size {verb} {bytes}"));
    }
    fn response_size(&self, verb: &str, _host: &str, bytes: u64) {
        self.push(format!("response_size {verb} {bytes}"));
    }
    fn request_result(&self, code: &str, verb: &str, host: &str) {
        assert!(host.starts_with("127.0.0.1:"), "{host}");
        self.push(format!("result {code} {verb}"));
    }
    fn request_retry(&self, code: &str, verb: &str, _host: &str) {
        self.push(format!("retry {code} {verb}"));
    }
}

#[tokio::test]
async fn metrics_hooks_see_each_try_retry_size_and_latency() {
    let (url, _) = scripted(|n| {
        if n == 0 {
            (429, Some("1"))
        } else {
            (200, None)
        }
    })
    .await;
    let recorder = Arc::new(Recorder::default());
    let (mut cfg, _) = config(&url);
    cfg.metrics = Some(recorder.clone());
    let c = RestClient::for_config(&cfg).unwrap();
    let r = c
        .put()
        .namespace("ns")
        .resource("pods")
        .name("web")
        .body("{\"a\":1}")
        .send()
        .await;
    assert!(r.error().is_none());
    assert_eq!(
        recorder.all(),
        vec![
            "request_size PUT 7",
            "result 429 PUT",
            "retry 429 PUT",
            "request_size PUT 7",
            "result 200 PUT",
            "latency PUT /api/v1/namespaces/{namespace}/pods/{name}",
            "response_size PUT 14",
        ]
    );

    let (url, _) = raw_server(|_| Raw::Drop).await;
    let (mut cfg, _) = config(&url);
    cfg.metrics = Some(recorder.clone());
    let c = RestClient::for_config(&cfg).unwrap();
    c.get().resource("pods").max_retries(1).send().await;
    let tail: Vec<String> = recorder.all().into_iter().skip(7).collect();
    assert_eq!(
        tail,
        vec![
            "result <error> GET",
            "retry <error> GET",
            "result <error> GET",
            "latency GET /api/v1/pods"
        ]
    );
}
