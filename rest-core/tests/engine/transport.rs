//! What the transport leaves to the caller: redirects are answered, not followed (as
//! client-go's REST client), and the headers a request sends are the client's plus its own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::support::{client, serve};
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::get;

#[tokio::test]
async fn redirects_are_not_followed() {
    let followed = Arc::new(AtomicUsize::new(0));
    let counter = followed.clone();
    let router = axum::Router::new()
        .route(
            "/old",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/new")], "") }),
        )
        .route(
            "/new",
            get(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                async { "{}" }
            }),
        );
    let url = serve(router).await;
    let (client, _) = client(&url);
    let resp = client.get().abs_path("/old").send().await;
    assert_eq!(resp.status_code(), 302);
    assert_eq!(resp.error().and_then(|e| e.code()), Some(302), "{resp:?}");
    assert_eq!(
        followed.load(Ordering::SeqCst),
        0,
        "the redirect was followed"
    );
}

#[tokio::test]
async fn every_request_carries_the_client_headers_and_its_own_replace_them() {
    let router = axum::Router::new().route(
        "/echo",
        get(|headers: HeaderMap| async move {
            let get = |name: &str| {
                headers
                    .get_all(name)
                    .iter()
                    .map(|v| v.to_str().unwrap().to_owned())
                    .collect::<Vec<_>>()
            };
            axum::Json(serde_json::json!({
                "agent": get("user-agent"),
                "accept": get("accept"),
                "auth": get("authorization"),
                "host": get("host"),
            }))
        }),
    );
    let url = serve(router).await;
    let (mut config, _) = crate::support::config(&url);
    config.credentials.bearer_token = Some("t".into());
    let client = rest_core::RestClient::for_config(&config).unwrap();
    for _ in 0..2 {
        let seen: serde_json::Value = client
            .get()
            .abs_path("/echo")
            .send()
            .await
            .decode()
            .unwrap();
        assert!(
            seen["agent"][0].as_str().unwrap().starts_with("krest/"),
            "{seen}"
        );
        assert_eq!(seen["accept"], serde_json::json!(["application/json, */*"]));
        assert_eq!(seen["auth"], serde_json::json!(["Bearer t"]));
        assert_eq!(
            seen["host"],
            serde_json::json!([url.trim_start_matches("http://")])
        );
    }
    let seen: serde_json::Value = client
        .get()
        .abs_path("/echo")
        .header("accept", "application/yaml")
        .header("authorization", "Bearer mine")
        .send()
        .await
        .decode()
        .unwrap();
    assert_eq!(seen["accept"], serde_json::json!(["application/yaml"]));
    assert_eq!(seen["auth"], serde_json::json!(["Bearer mine"]));
}
