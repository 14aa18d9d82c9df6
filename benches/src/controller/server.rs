//! The controller bench's server: a list of N ConfigMaps at `/api/v1/configmaps` (what both
//! controllers list across namespaces), and watches that stay open with nothing to say.

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http::{header, Request, Response};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

pub struct Server {
    pub url: String,
}

/// The list, built once: small ConfigMaps with the metadata a server sets.
fn list(objects: usize) -> Bytes {
    let mut body = String::from(
        r#"{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"20000"},"items":["#,
    );
    for i in 0..objects {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"cm-{i:05}","namespace":"ns-{ns}","uid":"00000000-0000-4000-8000-{i:012}","resourceVersion":"{rv}","creationTimestamp":"2026-12-01T00:00:00Z","labels":{{"app":"bench"}}}},"data":{{"key":"value-{i}"}}}}"#,
            ns = i % 10,
            rv = 10_000 + i
        ));
    }
    body.push_str("]}");
    Bytes::from(body)
}

pub fn start(objects: usize) -> Server {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}", listener.local_addr().expect("local addr"));
    let body = list(objects);
    std::thread::Builder::new()
        .name("controller-bench-server".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(serve(listener, body));
        })
        .expect("server thread");
    Server { url }
}

async fn serve(listener: std::net::TcpListener, body: Bytes) {
    let listener = TcpListener::from_std(listener).expect("tokio listener");
    let body = Arc::new(body);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let body = body.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req: Request<Incoming>| {
                let body = body.clone();
                async move { Ok::<_, Infallible>(answer(&body, &req)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn answer(list: &Bytes, req: &Request<Incoming>) -> Response<BoxBody<Bytes, Infallible>> {
    let watching = req
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .any(|kv| kv == "watch=true" || kv == "watch=1");
    let body = if watching {
        // A watch with nothing to report: open until the client goes.
        StreamBody::new(futures::stream::pending::<Result<Frame<Bytes>, Infallible>>()).boxed()
    } else {
        Full::new(list.clone()).boxed()
    };
    let mut resp = Response::new(body);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    resp
}
