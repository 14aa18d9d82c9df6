//! A tiny hyper server on 127.0.0.1 answering with prebuilt bytes, on its own thread and
//! runtime, so that serving costs next to nothing and never decides a result. It answers
//! protobuf when the request's `Accept` prefers `application/vnd.kubernetes.protobuf`, and
//! JSON otherwise, and counts the answers of each sort (so a bench can check each client
//! got the encoding it is meant to measure).

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
    answers: Arc<Answers>,
}

/// Answers of the scenarios' GET, LIST and WATCH so far, by encoding.
#[derive(Default)]
struct Answers {
    protobuf: AtomicUsize,
    json: AtomicUsize,
}

/// How many answers were protobuf and how many JSON (the scenarios' three requests only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Encodings {
    pub protobuf: usize,
    pub json: usize,
}

impl std::ops::Sub for Encodings {
    type Output = Encodings;
    fn sub(self, earlier: Encodings) -> Encodings {
        Encodings {
            protobuf: self.protobuf - earlier.protobuf,
            json: self.json - earlier.json,
        }
    }
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

    /// The answers so far, by encoding.
    pub fn encodings(&self) -> Encodings {
        Encodings {
            protobuf: self.answers.protobuf.load(Ordering::Relaxed),
            json: self.answers.json.load(Ordering::Relaxed),
        }
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
    let answers = Arc::new(Answers::default());
    let counts = answers.clone();
    std::thread::Builder::new()
        .name("bench-server".into())
        .spawn(move || {
            let _ = clock_tx.send(crate::cpu::this_thread_clock());
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(serve(std_listener, payloads, counter, counts));
        })
        .expect("server thread");
    let clock = clock_rx.recv().expect("the server thread starts");
    Server {
        url,
        accepted,
        clock,
        answers,
    }
}

async fn serve(
    std_listener: std::net::TcpListener,
    payloads: Arc<Payloads>,
    accepted: Arc<AtomicUsize>,
    answers: Arc<Answers>,
) {
    let listener = TcpListener::from_std(std_listener).expect("tokio listener");
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        accepted.fetch_add(1, Ordering::Relaxed);
        let _ = stream.set_nodelay(true);
        let payloads = payloads.clone();
        let answers = answers.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let payloads = payloads.clone();
                let answers = answers.clone();
                async move { Ok::<_, Infallible>(answer(&payloads, &answers, &req)) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn answer(
    payloads: &Payloads,
    answers: &Answers,
    req: &Request<Incoming>,
) -> Response<BoxBody<Bytes, Infallible>> {
    let path = req.uri().path();
    let query = req.uri().query().unwrap_or("");
    let watching = query
        .split('&')
        .any(|kv| kv == "watch=true" || kv == "watch=1");
    let pods = format!("/api/v1/namespaces/{NAMESPACE}/pods");
    let config_map = format!("/api/v1/namespaces/{NAMESPACE}/configmaps/{CONFIG_MAP}");
    let cache_pods = format!(
        "/api/v1/namespaces/{}/pods",
        crate::cache_protocol::NAMESPACE
    );
    if path == cache_pods && watching {
        // What the watch after the cache scenario's list does, by the selector it carries.
        let silent = || futures::stream::pending::<Result<Frame<Bytes>, Infallible>>();
        return json(match crate::cache_protocol::Mode::of_query(query) {
            crate::cache_protocol::Mode::Sync => StreamBody::new(silent()).boxed(),
            crate::cache_protocol::Mode::Relist => {
                Full::new(Bytes::from_static(crate::cache_protocol::EXPIRED)).boxed()
            }
            crate::cache_protocol::Mode::Events => {
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
    let scenario = path == config_map || path == pods;
    if scenario && prefers_protobuf(req.headers()) {
        answers.protobuf.fetch_add(1, Ordering::Relaxed);
        let pb = &payloads.protobuf;
        if path == config_map {
            protobuf(Full::new(pb.config_map.clone()).boxed(), PROTOBUF)
        } else if watching {
            protobuf(chunked(pb.watch.clone()), PROTOBUF_WATCH)
        } else {
            protobuf(chunked(pb.pod_list.clone()), PROTOBUF)
        }
    } else if scenario {
        answers.json.fetch_add(1, Ordering::Relaxed);
        if path == config_map {
            json(Full::new(payloads.config_map.clone()).boxed())
        } else if watching {
            json(chunked(payloads.watch.clone()))
        } else {
            json(chunked(payloads.pod_list.clone()))
        }
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

const PROTOBUF: &str = "application/vnd.kubernetes.protobuf";
const PROTOBUF_WATCH: &str = "application/vnd.kubernetes.protobuf;stream=watch";

fn protobuf(
    body: BoxBody<Bytes, Infallible>,
    content_type: &'static str,
) -> Response<BoxBody<Bytes, Infallible>> {
    let mut resp = Response::new(body);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    resp
}

/// Whether the media type `Accept` ranks first (highest `q`, the earliest of equals) is
/// protobuf. No `Accept`, or one that ranks anything else first, gets JSON.
fn prefers_protobuf(headers: &http::HeaderMap) -> bool {
    let mut best: Option<(f32, bool)> = None;
    for value in headers.get_all(header::ACCEPT) {
        let Ok(value) = value.to_str() else { continue };
        for entry in value.split(',') {
            let mut parts = entry.split(';');
            let media = parts.next().unwrap_or("").trim();
            if media.is_empty() {
                continue;
            }
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if best.is_none_or(|(b, _)| q > b) {
                best = Some((q, media.eq_ignore_ascii_case(PROTOBUF)));
            }
        }
    }
    best.is_some_and(|(q, protobuf)| protobuf && q > 0.0)
}

/// `bytes` as a stream of zero-copy slices.
fn chunked(bytes: Bytes) -> BoxBody<Bytes, Infallible> {
    let pieces = (0..bytes.len().div_ceil(CHUNK)).map(move |i| {
        let end = ((i + 1) * CHUNK).min(bytes.len());
        Ok::<_, Infallible>(Frame::data(bytes.slice(i * CHUNK..end)))
    });
    StreamBody::new(futures::stream::iter(pieces)).boxed()
}
