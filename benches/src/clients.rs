//! The ways to do the same work: krest's generated clientset speaking JSON and speaking
//! protobuf, kube-rs with k8s-openapi types, reqwest + serde_json and a bare hyper client +
//! serde_json (the HTTP floor).
//! The two hand-written clients decode into krest's generated types and send the request
//! headers krest sends (`Accept`, `User-Agent`, as client-go does), so that the floor makes
//! the same request and differs from krest only in the HTTP and engine layers.

use std::fmt;

use bytes::Bytes;
use futures::StreamExt;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::payload::{CONFIG_MAP, NAMESPACE};

type KrestPod = generated::core::v1::Pod;
type KrestConfigMap = generated::core::v1::ConfigMap;
type KubePod = k8s_openapi::api::core::v1::Pod;
type KubeConfigMap = k8s_openapi::api::core::v1::ConfigMap;

pub type BenchResult<T> = Result<T, String>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Krest,
    /// The same clientset with protobuf negotiation on (`Config::protobuf`).
    KrestProtobuf,
    Kube,
    Reqwest,
    Hyper,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Krest,
        Kind::KrestProtobuf,
        Kind::Kube,
        Kind::Reqwest,
        Kind::Hyper,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Krest => "krest",
            Kind::KrestProtobuf => "krest protobuf",
            Kind::Kube => "kube-rs",
            Kind::Reqwest => "reqwest",
            Kind::Hyper => "hyper (floor)",
        }
    }

    pub fn arg(self) -> &'static str {
        match self {
            Kind::Krest => "krest",
            Kind::KrestProtobuf => "krest-protobuf",
            Kind::Kube => "kube",
            Kind::Reqwest => "reqwest",
            Kind::Hyper => "hyper",
        }
    }

    pub fn from_arg(arg: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.arg() == arg)
    }

    /// Whether this client asks for protobuf (the server answers the others JSON).
    pub fn speaks_protobuf(self) -> bool {
        self == Kind::KrestProtobuf
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One client of each kind, built once per run (connection pools stay warm). Both krest
/// kinds are `Krest`: they differ only in their `Config`.
// Five values for the whole run: their sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub enum Client {
    Krest(generated::core::v1::CoreV1Client),
    Kube(kube::Client),
    Reqwest(reqwest::Client, String),
    Hyper(
        hyper_util::client::legacy::Client<HttpConnector, Empty<Bytes>>,
        String,
    ),
}

fn err(e: impl fmt::Display) -> String {
    e.to_string()
}

impl Client {
    pub fn new(kind: Kind, base: &str) -> BenchResult<Client> {
        Ok(match kind {
            Kind::Krest | Kind::KrestProtobuf => {
                let mut config = rest_core::Config::new(base);
                // Client-side throttling off, as the issue asks of every client.
                config.qps = 0.0;
                // `generated` is built with its protobuf codecs (for the protobuf client), and
                // negotiation is on by default: the JSON client turns it off.
                config.protobuf = kind == Kind::KrestProtobuf;
                let rest = rest_core::RestClient::for_config(&config).map_err(err)?;
                Client::Krest(generated::Clientset::new(rest).core_v1())
            }
            Kind::Kube => {
                let uri: http::Uri = base.parse().map_err(err)?;
                let client = kube::Client::try_from(kube::Config::new(uri)).map_err(err)?;
                Client::Kube(client)
            }
            Kind::Reqwest => {
                let client = reqwest::Client::builder()
                    .default_headers(request_headers())
                    .build()
                    .map_err(err)?;
                Client::Reqwest(client, base.to_owned())
            }
            Kind::Hyper => {
                let mut connector = HttpConnector::new();
                connector.set_nodelay(true);
                let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
                    .build(connector);
                Client::Hyper(client, base.to_owned())
            }
        })
    }

    /// GET the ConfigMap into a typed object; returns the number of data entries.
    pub async fn get_config_map(&self) -> BenchResult<usize> {
        let path = format!("/api/v1/namespaces/{NAMESPACE}/configmaps/{CONFIG_MAP}");
        Ok(match self {
            Client::Krest(core) => {
                let cm = core
                    .config_maps(NAMESPACE)
                    .get(CONFIG_MAP, &Default::default())
                    .await
                    .map_err(err)?;
                cm.data.map_or(0, |d| d.len())
            }
            Client::Kube(client) => {
                let api = kube::Api::<KubeConfigMap>::namespaced(client.clone(), NAMESPACE);
                let cm = api.get(CONFIG_MAP).await.map_err(err)?;
                cm.data.map_or(0, |d| d.len())
            }
            Client::Reqwest(client, base) => {
                let body = reqwest_bytes(client, &format!("{base}{path}")).await?;
                let cm: KrestConfigMap = serde_json::from_slice(&body).map_err(err)?;
                cm.data.map_or(0, |d| d.len())
            }
            Client::Hyper(client, base) => {
                let body = hyper_bytes(client, &format!("{base}{path}")).await?;
                let cm: KrestConfigMap = serde_json::from_slice(&body).map_err(err)?;
                cm.data.map_or(0, |d| d.len())
            }
        })
    }

    /// LIST the pods into typed objects; returns them (as an opaque value to drop later,
    /// outside the timed region) and their count.
    pub async fn list_pods(&self) -> BenchResult<(Box<dyn std::any::Any + Send>, usize)> {
        let path = format!("/api/v1/namespaces/{NAMESPACE}/pods");
        Ok(match self {
            Client::Krest(core) => {
                let list = core
                    .pods(NAMESPACE)
                    .list(&Default::default())
                    .await
                    .map_err(err)?;
                let n = list.items.len();
                (Box::new(list), n)
            }
            Client::Kube(client) => {
                let api = kube::Api::<KubePod>::namespaced(client.clone(), NAMESPACE);
                let list = api.list(&Default::default()).await.map_err(err)?;
                let n = list.items.len();
                (Box::new(list), n)
            }
            Client::Reqwest(client, base) => {
                let body = reqwest_bytes(client, &format!("{base}{path}")).await?;
                let list: rest_core::List<KrestPod> = serde_json::from_slice(&body).map_err(err)?;
                let n = list.items.len();
                (Box::new(list), n)
            }
            Client::Hyper(client, base) => {
                let body = hyper_bytes(client, &format!("{base}{path}")).await?;
                let list: rest_core::List<KrestPod> = serde_json::from_slice(&body).map_err(err)?;
                let n = list.items.len();
                (Box::new(list), n)
            }
        })
    }

    /// WATCH the pods until the server ends the stream; returns the number of events.
    pub async fn watch_pods(&self) -> BenchResult<usize> {
        let url_path = format!("/api/v1/namespaces/{NAMESPACE}/pods?watch=true");
        let mut events = 0;
        match self {
            Client::Krest(core) => {
                let mut stream = core
                    .pods(NAMESPACE)
                    .watch(&Default::default())
                    .await
                    .map_err(err)?;
                while let Some(event) = stream.next().await {
                    std::hint::black_box(event.map_err(err)?);
                    events += 1;
                }
            }
            Client::Kube(client) => {
                let api = kube::Api::<KubePod>::namespaced(client.clone(), NAMESPACE);
                let stream = api.watch(&Default::default(), "0").await.map_err(err)?;
                let mut stream = std::pin::pin!(stream);
                while let Some(event) = stream.next().await {
                    std::hint::black_box(event.map_err(err)?);
                    events += 1;
                }
            }
            Client::Reqwest(client, base) => {
                let resp = client
                    .get(format!("{base}{url_path}"))
                    .send()
                    .await
                    .and_then(|r| r.error_for_status())
                    .map_err(err)?;
                let mut lines = Lines::default();
                let mut body = resp.bytes_stream();
                while let Some(chunk) = body.next().await {
                    events += lines.feed(&chunk.map_err(err)?)?;
                }
            }
            Client::Hyper(client, base) => {
                let resp = client
                    .request(hyper_get(&format!("{base}{url_path}"))?)
                    .await
                    .map_err(err)?;
                if !resp.status().is_success() {
                    return Err(format!("watch answered {}", resp.status()));
                }
                let mut lines = Lines::default();
                let mut body = resp.into_body();
                while let Some(frame) = body.frame().await {
                    if let Ok(data) = frame.map_err(err)?.into_data() {
                        events += lines.feed(&data)?;
                    }
                }
            }
        }
        Ok(events)
    }
}

/// The headers krest sends with every request: the same request bytes for every client but
/// kube-rs (which sends its own), so the server does the same work for each.
fn request_headers() -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    for (name, value) in fixed_headers() {
        headers.insert(name.clone(), value.clone());
    }
    headers
}

/// `Accept` and `User-Agent` as krest sends them by default, made once.
fn fixed_headers() -> &'static [(http::HeaderName, http::HeaderValue); 2] {
    static HEADERS: std::sync::OnceLock<[(http::HeaderName, http::HeaderValue); 2]> =
        std::sync::OnceLock::new();
    HEADERS.get_or_init(|| {
        let agent = rest_core::config::default_user_agent();
        [
            (
                http::header::USER_AGENT,
                http::HeaderValue::from_str(&agent)
                    .unwrap_or(http::HeaderValue::from_static("krest")),
            ),
            (
                http::header::ACCEPT,
                http::HeaderValue::from_static("application/json, */*"),
            ),
        ]
    })
}

/// A GET of `url` for the hyper floor, with krest's request headers.
fn hyper_get(url: &str) -> BenchResult<http::Request<Empty<Bytes>>> {
    let mut request = http::Request::get(url);
    for (name, value) in fixed_headers() {
        request = request.header(name, value);
    }
    request.body(Empty::new()).map_err(err)
}

async fn reqwest_bytes(client: &reqwest::Client, url: &str) -> BenchResult<Bytes> {
    client
        .get(url)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(err)?
        .bytes()
        .await
        .map_err(err)
}

async fn hyper_bytes(
    client: &hyper_util::client::legacy::Client<HttpConnector, Empty<Bytes>>,
    url: &str,
) -> BenchResult<Bytes> {
    let resp = client.request(hyper_get(url)?).await.map_err(err)?;
    if !resp.status().is_success() {
        return Err(format!("GET {url} answered {}", resp.status()));
    }
    Ok(resp.into_body().collect().await.map_err(err)?.to_bytes())
}

/// Newline-delimited watch events, decoded one line at a time as a hand-written client would.
#[derive(Default)]
struct Lines {
    carry: Vec<u8>,
}

impl Lines {
    fn feed(&mut self, chunk: &[u8]) -> BenchResult<usize> {
        let mut decoded = 0;
        let mut rest = chunk;
        while let Some(end) = memchr::memchr(b'\n', rest) {
            let line = &rest[..end];
            if self.carry.is_empty() {
                decoded += decode_line(line)?;
            } else {
                self.carry.extend_from_slice(line);
                let joined = std::mem::take(&mut self.carry);
                decoded += decode_line(&joined)?;
            }
            rest = &rest[end + 1..];
        }
        self.carry.extend_from_slice(rest);
        Ok(decoded)
    }
}

fn decode_line(line: &[u8]) -> BenchResult<usize> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Ok(0);
    }
    let event: rest_core::WatchEvent<KrestPod> = serde_json::from_slice(line).map_err(err)?;
    std::hint::black_box(event);
    Ok(1)
}
