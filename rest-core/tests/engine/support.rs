//! Test servers on 127.0.0.1 for the engine tests: an axum router, a raw TCP server that
//! can drop connections or cut bodies short, and configs that record waits.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, Method, Uri};
use rest_core::{Config, RecordingSleeper, RestClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Serves `router` on a free loopback port; the server lives as long as the test's runtime.
pub async fn serve(router: axum::Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    format!("http://{addr}")
}

/// A config for `url` with no throttling and a sleeper that records instead of waiting.
pub fn config(url: &str) -> (Config, Arc<RecordingSleeper>) {
    let sleeper = Arc::new(RecordingSleeper::new());
    let mut config = Config::new(url);
    config.qps = 0.0;
    config.sleeper = Some(sleeper.clone());
    (config, sleeper)
}

pub fn client(url: &str) -> (RestClient, Arc<RecordingSleeper>) {
    let (config, sleeper) = config(url);
    (RestClient::for_config(&config).unwrap(), sleeper)
}

/// One request as a server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    }
    pub fn header_all(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }
}

/// A log of the requests a server received.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<Seen>>>);

impl Log {
    pub fn record(&self, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> usize {
        let mut log = self.0.lock().unwrap();
        log.push(Seen {
            method: method.to_string(),
            path: uri.path().to_owned(),
            query: uri.query().map(str::to_owned),
            headers: headers.clone(),
            body: body.to_vec(),
        });
        log.len()
    }
    pub fn all(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }
    pub fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }
    pub fn last(&self) -> Seen {
        self.0
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("no request reached the server")
    }
}

/// What the raw server does with the n-th connection (0-based).
pub enum Raw {
    /// Reads the request, then closes the socket without answering.
    Drop,
    /// Reads the request, writes these bytes, then closes.
    Reply(Vec<u8>),
}

/// A bare TCP server answering each connection as `script` says; counts connections.
pub async fn raw_server(
    script: impl Fn(usize) -> Raw + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let n = counter.fetch_add(1, Ordering::SeqCst);
            read_request(&mut socket).await;
            match script(n) {
                Raw::Drop => drop(socket),
                Raw::Reply(bytes) => {
                    let _ = socket.write_all(&bytes).await;
                    let _ = socket.shutdown().await;
                }
            }
        }
    });
    (format!("http://{addr}"), count)
}

/// Reads one HTTP/1.1 request head and its Content-Length body.
async fn read_request(socket: &mut TcpStream) {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = socket.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse().unwrap())
                .unwrap_or(0);
            while data.len() < end + 4 + length {
                let n = socket.read(&mut buf).await.unwrap_or(0);
                if n == 0 {
                    return;
                }
                data.extend_from_slice(&buf[..n]);
            }
            return;
        }
    }
}

/// An HTTP/1.1 answer with a JSON body and a Content-Length.
pub fn json_reply(status: u16, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A transcript from `fixtures/apiserver/` (what a real kube-apiserver answered).
pub fn corpus(name: &str) -> serde_json::Value {
    let path = format!(
        "{}/../fixtures/apiserver/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// A ConfigMap, as generated code would define it.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ConfigMap {
    #[serde(rename = "apiVersion", skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: rest_core::ObjectMeta,
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub data: std::collections::BTreeMap<String, String>,
}

impl rest_core::Resource for ConfigMap {
    const GROUP: &'static str = "";
    const VERSION: &'static str = "v1";
    const API_VERSION: &'static str = "v1";
    const KIND: &'static str = "ConfigMap";
    const PLURAL: &'static str = "configmaps";
    const SCOPE: rest_core::Scope = rest_core::Scope::Namespaced;
    fn metadata(&self) -> &rest_core::ObjectMeta {
        &self.metadata
    }
    fn metadata_mut(&mut self) -> &mut rest_core::ObjectMeta {
        &mut self.metadata
    }
}

impl ConfigMap {
    pub fn named(name: &str) -> Self {
        let mut cm = ConfigMap::default();
        cm.metadata.name = Some(name.to_owned());
        cm
    }
}
