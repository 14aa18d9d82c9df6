//! A tiny hyper server on 127.0.0.1 answering with prebuilt bytes, on its own thread and
//! runtime, so that serving costs next to nothing and never decides a result.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use http::{header, Request, Response, StatusCode};
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::payload::{Payloads, CONFIG_MAP, NAMESPACE};

/// Large bodies go out in pieces of this size, chunked (no `Content-Length`), as
/// kube-apiserver sends lists and watches.
const CHUNK: usize = 64 << 10;

pub struct Server {
    pub url: String,
    /// Connections accepted so far (a client's pool that keeps opening new ones pays for it).
    accepted: Arc<AtomicUsize>,
    /// The CPU clock of the server's one thread, to take its work out of the client's.
    clock: libc::clockid_t,
}

impl Server {
    /// Connections the server has accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::Relaxed)
    }

    /// CPU time the server thread has used so far.
    pub fn cpu_time(&self) -> std::time::Duration {
        crate::cpu::clock(self.clock)
    }
}

/// Starts the server on a free port and returns once it accepts connections.
pub fn start(payloads: Arc<Payloads>) -> Server {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    std_listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}", std_listener.local_addr().expect("local addr"));
    let (clock_tx, clock_rx) = std::sync::mpsc::channel();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    std::thread::Builder::new()
        .name("bench-server".into())
        .spawn(move || {
            let _ = clock_tx.send(crate::cpu::this_thread_clock());
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(serve(std_listener, payloads, counter));
        })
        .expect("server thread");
    let clock = clock_rx.recv().expect("the server thread starts");
    Server {
        url,
        accepted,
        clock,
    }
}

async fn serve(
    std_listener: std::net::TcpListener,
    payloads: Arc<Payloads>,
    accepted: Arc<AtomicUsize>,
) {
    let listener = TcpListener::from_std(std_listener).expect("tokio listener");
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        accepted.fetch_add(1, Ordering::Relaxed);
        let _ = stream.set_nodelay(true);
        let payloads = payloads.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let payloads = payloads.clone();
                async move { Ok::<_, Infallible>(answer(&payloads, &req)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn answer(payloads: &Payloads, req: &Request<Incoming>) -> Response<BoxBody<Bytes, Infallible>> {
    let path = req.uri().path();
    let query = req.uri().query().unwrap_or("");
    let watching = query
        .split('&')
        .any(|kv| kv == "watch=true" || kv == "watch=1");
    let pods = format!("/api/v1/namespaces/{NAMESPACE}/pods");
    let config_map = format!("/api/v1/namespaces/{NAMESPACE}/configmaps/{CONFIG_MAP}");
    let cache_pods = format!("/api/v1/namespaces/{}/pods", crate::cache::NAMESPACE);
    if path == cache_pods && watching {
        // What the watch after the cache scenario's list does, by the selector it carries.
        let silent = || futures::stream::pending::<Result<Frame<Bytes>, Infallible>>();
        return json(match crate::cache::Mode::of_query(query) {
            crate::cache::Mode::Sync => StreamBody::new(silent()).boxed(),
            crate::cache::Mode::Relist => {
                Full::new(Bytes::from_static(crate::cache::EXPIRED)).boxed()
            }
            crate::cache::Mode::Events => {
                let events = chunked(payloads.watch.clone()).into_data_stream();
                let frames = futures::StreamExt::map(events, |r| r.map(Frame::data));
                StreamBody::new(futures::StreamExt::chain(frames, silent())).boxed()
            }
        });
    }
    if path == cache_pods {
        // Pages when asked for (`limit`), as a real server pages.
        let page = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("continue=page-"))
            .and_then(|n| n.parse::<usize>().ok())
            .or_else(|| {
                query
                    .split('&')
                    .any(|kv| kv.starts_with("limit="))
                    .then_some(0)
            });
        return match page.and_then(|n| payloads.pod_pages.get(n)) {
            Some(bytes) => json(chunked(bytes.clone())),
            None => json(chunked(payloads.pod_list.clone())),
        };
    }
    if path == config_map {
        json(Full::new(payloads.config_map.clone()).boxed())
    } else if path == pods && watching {
        json(chunked(payloads.watch.clone()))
    } else if path == pods {
        json(chunked(payloads.pod_list.clone()))
    } else {
        let mut resp = Response::new(Full::new(Bytes::from_static(b"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}")).boxed());
        *resp.status_mut() = StatusCode::NOT_FOUND;
        resp
    }
}

fn json(body: BoxBody<Bytes, Infallible>) -> Response<BoxBody<Bytes, Infallible>> {
    let mut resp = Response::new(body);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    resp
}

/// `bytes` as a stream of zero-copy slices.
fn chunked(bytes: Bytes) -> BoxBody<Bytes, Infallible> {
    let pieces = (0..bytes.len().div_ceil(CHUNK)).map(move |i| {
        let end = ((i + 1) * CHUNK).min(bytes.len());
        Ok::<_, Infallible>(Frame::data(bytes.slice(i * CHUNK..end)))
    });
    StreamBody::new(futures::stream::iter(pieces)).boxed()
}
