//! Answers decoded the way client-go's `transformResponse` does: `Status` bodies from a real
//! kube-apiserver become errors with the right reason helpers; other failures keep the code,
//! verb, URL and a short excerpt; decode problems and cut bodies say what happened.

use crate::support::{client, corpus, json_reply, raw_server, serve, Log, Raw};
use axum::body::Body;
use axum::extract::Request as AxumRequest;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response as AxumResponse;
use axum::routing::any;
use rest_core::{Error, Request, RestClient, Status};
use serde_json::Value;

/// Serves one transcript's answer to whatever comes, recording the request.
async fn replay(scenario: &str) -> (RestClient, Log, Value) {
    let transcript = corpus(scenario);
    let answer = transcript["response"].clone();
    let log = Log::default();
    let l = log.clone();
    let url = serve(axum::Router::new().fallback(any(move |req: AxumRequest| {
        let (l, answer) = (l.clone(), answer.clone());
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            l.record(&parts.method, &parts.uri, &parts.headers, &body);
            let mut resp = AxumResponse::new(Body::from(answer["body"].to_string()));
            *resp.status_mut() =
                StatusCode::from_u16(answer["status"].as_u64().unwrap() as u16).unwrap();
            resp.headers_mut()
                .insert("content-type", HeaderValue::from_static("application/json"));
            resp
        }
    })))
    .await;
    (client(&url).0, log, transcript)
}

/// Sends `build(client)` to the replayed scenario and checks the request matched it.
async fn run(scenario: &str, build: impl FnOnce(&RestClient) -> Request) -> rest_core::Response {
    let (c, log, transcript) = replay(scenario).await;
    let response = build(&c).send().await;
    let seen = log.last();
    // Same method, path and parameters (the order of parameters is the client's choice).
    let (want_path, want_query) = split(transcript["request"]["path"].as_str().unwrap());
    assert_eq!(
        seen.method,
        transcript["request"]["method"].as_str().unwrap()
    );
    assert_eq!(
        (seen.path.as_str(), sorted(seen.query.as_deref())),
        (want_path, sorted(want_query))
    );
    response
}

fn split(path: &str) -> (&str, Option<&str>) {
    match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    }
}

fn sorted(query: Option<&str>) -> Vec<&str> {
    let mut pairs: Vec<&str> = query.map(|q| q.split('&').collect()).unwrap_or_default();
    pairs.sort();
    pairs
}

fn cm() -> Value {
    serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "one"}})
}

#[tokio::test]
async fn real_apiserver_failures_map_to_reason_helpers() {
    let ns =
        |c: &RestClient, verb: &str| c.verb(verb).namespace("transcripts").resource("configmaps");

    let r = run("get-missing", |c| ns(c, "GET").name("missing")).await;
    let err = r.error().unwrap();
    assert!(err.is_not_found() && !err.is_conflict(), "{err}");
    assert_eq!(r.status_code(), 404);
    let status = err.status().unwrap();
    assert_eq!(
        status.details.as_ref().unwrap().name.as_deref(),
        Some("missing")
    );
    assert!(
        err.to_string().contains("configmaps \"missing\" not found"),
        "{err}"
    );
    assert!(err.to_string().contains("GET http://127.0.0.1:"), "{err}");

    let err = run("create-again", |c| ns(c, "POST").json_body(&cm()))
        .await
        .error()
        .unwrap()
        .clone();
    assert!(
        err.is_already_exists() && !err.is_conflict(),
        "already-exists is a 409 but not a conflict: {err}"
    );

    let err = run("update-conflict", |c| {
        ns(c, "PUT").name("one").json_body(&cm())
    })
    .await
    .error()
    .unwrap()
    .clone();
    assert!(err.is_conflict(), "{err}");

    let err = run("create-invalid-name", |c| ns(c, "POST").json_body(&cm()))
        .await
        .error()
        .unwrap()
        .clone();
    assert!(err.is_invalid(), "{err}");
    assert_eq!(
        err.status().unwrap().causes()[0].field.as_deref(),
        Some("metadata.name")
    );

    let err = run("unauthorized", |c| c.get().resource("namespaces"))
        .await
        .error()
        .unwrap()
        .clone();
    assert!(err.is_unauthorized() && err.code() == Some(401), "{err}");

    let err = run("forbidden-anonymous", |c| c.get().resource("namespaces"))
        .await
        .error()
        .unwrap()
        .clone();
    assert!(err.is_forbidden(), "{err}");

    let err = run("method-not-allowed", |c| {
        ns(c, "POST").name("x").json_body(&cm())
    })
    .await
    .error()
    .unwrap()
    .clone();
    assert!(err.is_method_not_allowed(), "{err}");

    let err = run("list-expired-rv", |c| {
        ns(c, "GET")
            .param("resourceVersion", 5)
            .param("resourceVersionMatch", "Exact")
            .param("limit", 1)
    })
    .await;
    let err = err.error().unwrap();
    assert!(
        err.is_gone() && err.is_resource_expired() && !err.is_not_found(),
        "{err}"
    );
}

#[tokio::test]
async fn successes_decode_into_types() {
    let r = run("get", |c| {
        c.get()
            .namespace("transcripts")
            .resource("configmaps")
            .name("one")
    })
    .await;
    assert!(r.error().is_none());
    assert_eq!(r.content_type(), Some("application/json"));
    let obj: Value = r.decode().unwrap();
    assert_eq!(obj["metadata"]["name"], "one");
    // The raw bytes are the body exactly as received.
    assert_eq!(serde_json::from_slice::<Value>(r.raw()).unwrap(), obj);

    let r = run("delete-configmap", |c| {
        c.delete()
            .namespace("transcripts")
            .resource("configmaps")
            .name("one")
    })
    .await;
    let status: Status = r.decode().unwrap();
    assert!(status.is_success());

    // Decoding into the wrong type names the type, the call and the start of the body.
    let r = run("get", |c| {
        c.get()
            .namespace("transcripts")
            .resource("configmaps")
            .name("one")
    })
    .await;
    let err = r.decode::<Vec<String>>().unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("alloc::vec::Vec<alloc::string::String>")
            && text.contains("\"kind\":\"ConfigMap\""),
        "{text}"
    );
}

/// A server answering every request with `status`, `content_type` and `body`.
async fn fixed(
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    headers: Vec<(&'static str, &'static str)>,
) -> RestClient {
    let url = serve(axum::Router::new().fallback(any(move || {
        let (body, headers) = (body.clone(), headers.clone());
        async move {
            let mut resp = AxumResponse::new(Body::from(body));
            *resp.status_mut() = StatusCode::from_u16(status).unwrap();
            if !content_type.is_empty() {
                resp.headers_mut()
                    .insert("content-type", HeaderValue::from_static(content_type));
            }
            for (k, v) in headers {
                resp.headers_mut().insert(k, HeaderValue::from_static(v));
            }
            resp
        }
    })))
    .await;
    client(&url).0
}

#[tokio::test]
async fn failures_without_status_keep_code_verb_url_and_a_bounded_excerpt() {
    let page = format!("<html><body>{}</body></html>", "bad gateway ".repeat(200));
    let c = fixed(502, "text/html", page.into_bytes(), vec![]).await;
    let r = c.get().resource("pods").send().await;
    let err = r.error().unwrap();
    match err {
        Error::UnexpectedResponse {
            code,
            verb,
            url,
            excerpt,
            ..
        } => {
            assert_eq!((*code, verb.as_str()), (502, "GET"));
            assert!(url.ends_with("/api/v1/pods"), "{url}");
            assert!(excerpt.starts_with("<html><body>bad gateway"), "{excerpt}");
            assert!(
                excerpt.len() < 600 && excerpt.ends_with("bytes in all)"),
                "{excerpt}"
            );
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("502 Bad Gateway") && text.contains("/api/v1/pods"),
        "{text}"
    );

    // The code alone still answers the reason helpers, as client-go's generic errors do.
    let c = fixed(404, "text/plain", b"404 page not found\n".to_vec(), vec![]).await;
    let err = c
        .get()
        .resource("widgets")
        .send()
        .await
        .error()
        .unwrap()
        .clone();
    assert!(err.is_not_found(), "{err}");
    assert!(
        err.to_string()
            .ends_with("404 Not Found: 404 page not found"),
        "{err}"
    );

    // A JSON error body that is not a Status is not mistaken for one.
    let c = fixed(
        409,
        "application/json",
        br#"{"kind":"Pod"}"#.to_vec(),
        vec![],
    )
    .await;
    let err = c
        .get()
        .resource("pods")
        .send()
        .await
        .error()
        .unwrap()
        .clone();
    assert!(err.status().is_none() && err.is_conflict(), "{err:?}");
}

#[tokio::test]
async fn empty_and_non_json_bodies_say_why_they_cannot_be_decoded() {
    let c = fixed(200, "application/json", Vec::new(), vec![]).await;
    let err = c
        .get()
        .resource("pods")
        .send()
        .await
        .decode::<Value>()
        .unwrap_err();
    assert!(err.to_string().contains("the body is empty"), "{err}");

    let c = fixed(
        200,
        "application/vnd.kubernetes.protobuf",
        b"k8s\0...".to_vec(),
        vec![],
    )
    .await;
    let r = c.get().resource("pods").send().await;
    assert_eq!(r.raw(), b"k8s\0...");
    let err = r.decode::<Value>().unwrap_err();
    assert!(
        err.to_string()
            .contains("content type \"application/vnd.kubernetes.protobuf\", not JSON"),
        "{err}"
    );
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_a_truncation_error() {
    let (url, connections) = raw_server(|_| {
        let mut reply =
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n"
                .to_vec();
        reply.extend_from_slice(br#"{"kind":"Pod","#);
        Raw::Reply(reply)
    })
    .await;
    let (c, _) = client(&url);
    let r = c.get().resource("pods").send().await;
    let err = r.error().unwrap();
    match err {
        Error::TruncatedBody {
            expected, received, ..
        } => assert_eq!((*expected, *received), (100, 14)),
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .contains("truncated: received 14 of the 100 bytes"),
        "{err}"
    );
    // A body problem is not a connection failure the request loop retries.
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1);

    // An intact raw answer decodes.
    let (url, _) = raw_server(|_| Raw::Reply(json_reply(200, r#"{"kind":"Pod"}"#))).await;
    let v: Value = client(&url)
        .0
        .get()
        .resource("pods")
        .send()
        .await
        .decode()
        .unwrap();
    assert_eq!(v["kind"], "Pod");
}
