//! Servers on 127.0.0.1 that check credentials as an API server does (TLS with a CA made in
//! the test, bearer tokens, basic auth, client certificates), a forwarding proxy that counts
//! what goes through it, and temporary folders for kubeconfigs and plugins.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

/// Client certificates issued so far (DER) and the user each names.
type Issued = Arc<Mutex<Vec<(Vec<u8>, String)>>>;

/// A test CA that signs the server's certificate and client certificates, and remembers
/// which client certificate it issued to whom.
pub struct Pki {
    pub ca_pem: String,
    ca: CertifiedIssuer<'static, KeyPair>,
    server: (CertificateDer<'static>, PrivateKeyDer<'static>),
    issued: Issued,
}

impl Pki {
    /// A CA and a server certificate for `server_names`.
    pub fn new(server_names: &[&str]) -> Pki {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "krest test CA");
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = server_names.iter().map(|s| s.to_string()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let cert = params.signed_by(&key, &ca).unwrap();
        Pki {
            ca_pem: ca.pem(),
            ca,
            server: (
                cert.der().clone(),
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            ),
            issued: Arc::default(),
        }
    }

    /// A client certificate for `user` with a fresh EC key: (certificate PEM, PKCS#8 key PEM).
    pub fn client_cert(&self, user: &str) -> (String, String) {
        let key = KeyPair::generate().unwrap();
        let cert = self.client_cert_for(user, &key.serialize_pem());
        (cert, key.serialize_pem())
    }

    /// A client certificate for `user` and an existing key (PKCS#8 PEM, RSA or EC).
    pub fn client_cert_for(&self, user: &str, key_pkcs8_pem: &str) -> String {
        let key = KeyPair::from_pem(key_pkcs8_pem).unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, user);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let cert = params.signed_by(&key, &self.ca).unwrap();
        self.issued
            .lock()
            .unwrap()
            .push((cert.der().to_vec(), user.to_owned()));
        cert.pem()
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub user: Option<String>,
    pub headers: http::HeaderMap,
    pub version: http::Version,
    /// The name the client sent in the TLS handshake (SNI).
    pub sni: Option<String>,
}

impl Seen {
    pub fn header_all(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }
}

#[derive(Default)]
struct Accepts {
    tokens: BTreeSet<String>,
    basic: Option<(String, String)>,
}

/// An HTTPS API server that answers 200 `{"user": ...}` to an authenticated request and
/// 401 with the apiserver's `Status` otherwise. Lives as long as the test's runtime.
pub struct AuthServer {
    pub url: String,
    pub port: u16,
    accepts: Arc<Mutex<Accepts>>,
    log: Arc<Mutex<Vec<Seen>>>,
}

impl AuthServer {
    pub async fn start(pki: &Pki) -> AuthServer {
        let provider = Arc::new(ring_provider());
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(CertificateDer::from_pem_slice(pki.ca_pem.as_bytes()).unwrap())
            .unwrap();
        let verifier =
            WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .allow_unauthenticated()
                .build()
                .unwrap();
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_client_cert_verifier(verifier)
            .with_single_cert(vec![pki.server.0.clone()], pki.server.1.clone_key())
            .unwrap();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = AuthServer {
            url: format!("https://127.0.0.1:{port}"),
            port,
            accepts: Arc::default(),
            log: Arc::default(),
        };
        let (accepts, log, issued) = (
            server.accepts.clone(),
            server.log.clone(),
            pki.issued.clone(),
        );
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let (acceptor, accepts, log, issued) = (
                    acceptor.clone(),
                    accepts.clone(),
                    log.clone(),
                    issued.clone(),
                );
                tokio::spawn(async move {
                    // A client that refuses the certificate ends the handshake: nothing to do.
                    let Ok(tls) = acceptor.accept(socket).await else {
                        return;
                    };
                    let cert_user = tls
                        .get_ref()
                        .1
                        .peer_certificates()
                        .and_then(|chain| chain.first())
                        .and_then(|der| {
                            let issued = issued.lock().unwrap();
                            issued
                                .iter()
                                .find(|(d, _)| d.as_slice() == der.as_ref())
                                .map(|(_, user)| user.clone())
                        });
                    let sni = tls.get_ref().1.server_name().map(str::to_owned);
                    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                        let answer = answer(&req, &accepts, cert_user.as_deref());
                        log.lock().unwrap().push(Seen {
                            path: req.uri().path().to_owned(),
                            user: answer.0.clone(),
                            headers: req.headers().clone(),
                            version: req.version(),
                            sni: sni.clone(),
                        });
                        async move { Ok::<_, Infallible>(answer.1) }
                    });
                    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        server
    }

    pub fn accept_token(&self, token: &str) {
        self.accepts.lock().unwrap().tokens.insert(token.to_owned());
    }

    pub fn revoke_token(&self, token: &str) {
        self.accepts.lock().unwrap().tokens.remove(token);
    }

    pub fn accept_basic(&self, user: &str, password: &str) {
        self.accepts.lock().unwrap().basic = Some((user.to_owned(), password.to_owned()));
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }

    pub fn last(&self) -> Seen {
        self.requests()
            .pop()
            .expect("no request reached the server")
    }
}

/// Who the request authenticates as, and the answer.
fn answer(
    req: &Request<Incoming>,
    accepts: &Mutex<Accepts>,
    cert_user: Option<&str>,
) -> (Option<String>, Response<Full<Bytes>>) {
    use base64::Engine as _;
    let accepts = accepts.lock().unwrap();
    let authorization = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let user = if let Some(token) = authorization.strip_prefix("Bearer ") {
        accepts
            .tokens
            .contains(token)
            .then(|| format!("token:{token}"))
    } else if let Some(basic) = authorization.strip_prefix("Basic ") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        let ok = accepts
            .basic
            .as_ref()
            .is_some_and(|(u, p)| decoded == format!("{u}:{p}"));
        ok.then(|| format!("basic:{}", decoded.split(':').next().unwrap_or("")))
    } else {
        cert_user.map(|u| format!("cert:{u}"))
    };
    let (status, body) = match &user {
        Some(user) => (
            StatusCode::OK,
            serde_json::json!({ "user": user }).to_string(),
        ),
        None => (
            StatusCode::UNAUTHORIZED,
            r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#.to_owned(),
        ),
    };
    let resp = Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    (user, resp)
}

/// A forwarding proxy: `CONNECT host:port` tunnels and absolute-form HTTP requests, every
/// target sent to 127.0.0.1 on the target's port (so names like `api.test` need no DNS).
pub struct ForwardProxy {
    pub url: String,
    /// `CONNECT api.test:443` or `GET http://api.test:80/x`, one per connection.
    targets: Arc<Mutex<Vec<String>>>,
    /// The `Proxy-Authorization` of each connection's first request.
    auths: Arc<Mutex<Vec<Option<String>>>>,
}

impl ForwardProxy {
    pub async fn start() -> ForwardProxy {
        ForwardProxy::serve(None).await
    }

    /// The same proxy spoken to over TLS (an `https://` proxy), with `pki`'s server
    /// certificate (HTTP/1.1 only, as CONNECT is).
    pub async fn start_tls(pki: &Pki) -> ForwardProxy {
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(ring_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![pki.server.0.clone()], pki.server.1.clone_key())
            .unwrap();
        ForwardProxy::serve(Some(TlsAcceptor::from(Arc::new(config)))).await
    }

    async fn serve(tls: Option<TlsAcceptor>) -> ForwardProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://{}", listener.local_addr().unwrap());
        let targets: Arc<Mutex<Vec<String>>> = Arc::default();
        let auths: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
        let (seen, seen_auths) = (targets.clone(), auths.clone());
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let (seen, seen_auths) = (seen.clone(), seen_auths.clone());
                match tls.clone() {
                    None => drop(tokio::spawn(forward(socket, seen, seen_auths))),
                    Some(acceptor) => drop(tokio::spawn(async move {
                        // A client that refuses the certificate ends the handshake here.
                        if let Ok(socket) = acceptor.accept(socket).await {
                            forward(socket, seen, seen_auths).await;
                        }
                    })),
                }
            }
        });
        ForwardProxy {
            url,
            targets,
            auths,
        }
    }

    /// The `Proxy-Authorization` header of each connection's first request.
    pub fn auths(&self) -> Vec<Option<String>> {
        self.auths.lock().unwrap().clone()
    }

    pub fn targets(&self) -> Vec<String> {
        self.targets.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.targets.lock().unwrap().len()
    }
}

async fn forward<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    mut client: S,
    seen: Arc<Mutex<Vec<String>>>,
    auths: Arc<Mutex<Vec<Option<String>>>>,
) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        let n = client.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let text = String::from_utf8_lossy(&head[..end]).into_owned();
    let first = text.lines().next().unwrap_or("").to_owned();
    let mut parts = first.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    seen.lock().unwrap().push(format!("{method} {target}"));
    let auth = text.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("proxy-authorization")
            .then(|| value.trim().to_owned())
    });
    auths.lock().unwrap().push(auth);
    let (authority, path) = if method == "CONNECT" {
        (target.to_owned(), None)
    } else {
        let rest = target.strip_prefix("http://").unwrap_or(target);
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        (authority.to_owned(), Some(format!("/{path}")))
    };
    let port = authority.rsplit(':').next().unwrap_or("80");
    let Ok(mut upstream) = TcpStream::connect(format!("127.0.0.1:{port}")).await else {
        let _ = client
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
            .await;
        return;
    };
    match path {
        None => {
            let _ = client
                .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                .await;
            upstream.write_all(&head[end..]).await.unwrap_or(());
        }
        Some(path) => {
            // Rewrite the request line to origin form; the rest goes as it came.
            let rewritten = text.replacen(target, &path, 1);
            upstream.write_all(rewritten.as_bytes()).await.unwrap_or(());
            upstream.write_all(&head[end..]).await.unwrap_or(());
        }
    }
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
}

/// A fresh folder under the system temp dir, removed on drop.
/// What a SOCKS5 proxy was asked: `host:port` and the user, per connection.
type SocksLog = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// A SOCKS5 proxy (RFC 1928, no authentication or user/password) that connects every
/// target to 127.0.0.1 at the target's port and records what it was asked.
pub struct Socks5Proxy {
    pub port: u16,
    /// `host:port` as the client sent it (a name for socks5h, an address for socks5), and
    /// the user it authenticated as.
    seen: SocksLog,
}

impl Socks5Proxy {
    pub async fn start() -> Socks5Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen: SocksLog = Arc::default();
        let record = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let record = record.clone();
                tokio::spawn(async move {
                    let _ = socks5(socket, record).await;
                });
            }
        });
        Socks5Proxy { port, seen }
    }

    pub fn seen(&self) -> Vec<(String, Option<String>)> {
        self.seen.lock().unwrap().clone()
    }
}

async fn socks5(mut client: TcpStream, seen: SocksLog) -> std::io::Result<()> {
    let mut head = [0u8; 2];
    client.read_exact(&mut head).await?;
    let mut methods = vec![0u8; usize::from(head[1])];
    client.read_exact(&mut methods).await?;
    let mut user = None;
    if methods.contains(&2) {
        client.write_all(&[5, 2]).await?;
        let mut ver_len = [0u8; 2];
        client.read_exact(&mut ver_len).await?;
        let mut name = vec![0u8; usize::from(ver_len[1])];
        client.read_exact(&mut name).await?;
        let mut len = [0u8; 1];
        client.read_exact(&mut len).await?;
        let mut password = vec![0u8; usize::from(len[0])];
        client.read_exact(&mut password).await?;
        user = Some(format!(
            "{}:{}",
            String::from_utf8_lossy(&name),
            String::from_utf8_lossy(&password)
        ));
        client.write_all(&[1, 0]).await?;
    } else {
        client.write_all(&[5, 0]).await?;
    }
    let mut request = [0u8; 4];
    client.read_exact(&mut request).await?;
    let host = match request[3] {
        1 => {
            let mut ip = [0u8; 4];
            client.read_exact(&mut ip).await?;
            std::net::Ipv4Addr::from(ip).to_string()
        }
        3 => {
            let mut len = [0u8; 1];
            client.read_exact(&mut len).await?;
            let mut name = vec![0u8; usize::from(len[0])];
            client.read_exact(&mut name).await?;
            String::from_utf8_lossy(&name).into_owned()
        }
        _ => {
            let mut ip = [0u8; 16];
            client.read_exact(&mut ip).await?;
            std::net::Ipv6Addr::from(ip).to_string()
        }
    };
    let mut port = [0u8; 2];
    client.read_exact(&mut port).await?;
    let port = u16::from_be_bytes(port);
    seen.lock().unwrap().push((format!("{host}:{port}"), user));
    let mut upstream = TcpStream::connect(("127.0.0.1", port)).await?;
    client.write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0, 0]).await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "krest-{tag}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    /// An executable script (`#!/bin/sh` + `body`).
    #[cfg(unix)]
    pub fn script(&self, name: &str, body: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt as _;
        let path = self.write(name, &format!("#!/bin/sh\n{body}\n"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Standard base64.
pub fn b64(data: impl AsRef<[u8]>) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// A one-context kubeconfig for `server` trusting `ca_pem`, with `user` (YAML flow map).
pub fn kubeconfig(server: &str, ca_pem: &str, user: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: test\n\
         clusters: [{{name: test, cluster: {{server: '{server}', certificate-authority-data: {ca}}}}}]\n\
         users: [{{name: me, user: {user}}}]\n\
         contexts: [{{name: test, context: {{cluster: test, user: me}}}}]\n",
        ca = b64(ca_pem)
    )
}

/// A key from `tests/data`.
pub fn data(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .unwrap()
}

/// The identity the server saw for a GET of `/version` through `config`.
pub async fn whoami(config: &rest_core::Config) -> Result<String, rest_core::Error> {
    let client = rest_core::RestClient::for_config(config)?;
    let v: serde_json::Value = client.get().abs_path("/version").send().await.decode()?;
    Ok(v["user"].as_str().unwrap_or("").to_owned())
}

/// A `tracing` subscriber keeping every event as `LEVEL message field=value ...`.
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<String>>>);

impl LogCapture {
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for LogCapture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Fields(format!("SPAN {}", span.metadata().name()));
        span.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = Fields("RECORD".to_owned());
        values.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = Fields(event.metadata().level().to_string());
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// rustls's *ring* provider; its constructor is deprecated from rustls 0.23.48 (no
/// post-quantum key exchange), which a test server does not need.
#[allow(deprecated)]
fn ring_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}
