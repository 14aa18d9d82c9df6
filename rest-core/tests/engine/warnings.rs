//! `Warning` headers: several per response (several headers, several warnings in one
//! header), handed to the handler: logged once per text by default, collected, or failing
//! the request.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::support::{config, serve};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response as AxumResponse};
use axum::routing::any;
use rest_core::{CollectingWarningHandler, Error, RestClient, WarningHeader, WarningsAsErrors};

async fn warning_server() -> String {
    serve(axum::Router::new().fallback(any(|| async {
        let mut r: AxumResponse = r#"{"kind":"Pod"}"#.into_response();
        let h = r.headers_mut();
        h.append("warning", HeaderValue::from_static(r#"299 - "policy/v1beta1 PodSecurityPolicy is deprecated""#));
        h.append(
            "warning",
            HeaderValue::from_static(r#"299 - "unknown field \"spec.foo\"", 299 kube-apiserver "duplicate field \"x\"" "Wed, 21 Oct 2015 07:28:00 GMT""#),
        );
        h.append("warning", HeaderValue::from_static("this is not a warning"));
        r
    })))
    .await
}

fn texts(warnings: &[WarningHeader]) -> Vec<&str> {
    warnings.iter().map(|w| w.text.as_str()).collect()
}

const ALL: [&str; 3] = [
    "policy/v1beta1 PodSecurityPolicy is deprecated",
    "unknown field \"spec.foo\"",
    "duplicate field \"x\"",
];

#[tokio::test]
async fn every_warning_reaches_the_response_and_the_handler() {
    let url = warning_server().await;
    let handler = Arc::new(CollectingWarningHandler::new());
    let (mut cfg, _) = config(&url);
    cfg.warning_handler = Some(handler.clone());
    let c = RestClient::for_config(&cfg).unwrap();
    let r = c.get().resource("pods").send().await;
    assert!(r.error().is_none());
    assert_eq!(texts(r.warnings()), ALL);
    assert_eq!(r.warnings()[2].agent, "kube-apiserver");
    assert_eq!(r.warnings()[2].code, 299);
    c.get().resource("pods").send().await;
    assert_eq!(handler.take().len(), 6);
    assert!(handler.warnings().is_empty());
}

#[tokio::test]
async fn warnings_as_errors_fails_the_request() {
    let url = warning_server().await;
    let (mut cfg, _) = config(&url);
    cfg.warning_handler = Some(Arc::new(WarningsAsErrors));
    let c = RestClient::for_config(&cfg).unwrap();
    let r = c.get().resource("pods").send().await;
    match r.error() {
        Some(Error::Warnings { warnings, .. }) => assert_eq!(texts(warnings), ALL),
        other => panic!("{other:?}"),
    }
    // The body is still there for whoever wants it.
    assert_eq!(r.raw(), br#"{"kind":"Pod"}"#);
    assert!(r.decode::<serde_json::Value>().is_err());
}

/// Counts WARN events, to see what the default handler logs.
struct CountWarnings(Arc<AtomicUsize>);

impl tracing::Subscriber for CountWarnings {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if *event.metadata().level() == tracing::Level::WARN {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn the_default_handler_logs_each_distinct_warning_once() {
    let url = warning_server().await;
    let count = Arc::new(AtomicUsize::new(0));
    let _guard = tracing::subscriber::set_default(CountWarnings(count.clone()));
    let (cfg, _) = config(&url);
    let c = RestClient::for_config(&cfg).unwrap();
    for _ in 0..3 {
        let r = c.get().resource("pods").send().await;
        assert_eq!(r.warnings().len(), 3);
    }
    assert_eq!(count.load(Ordering::SeqCst), 3);
}
