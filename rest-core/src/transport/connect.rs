//! Opening connections for the pool: TCP to the server or its proxy (HTTP forward proxy,
//! CONNECT tunnel, SOCKS5), then TLS with SNI from `tls-server-name` when set, ALPN h2.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use http::header::HeaderValue;
use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::{SocksV5, Tunnel};
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio_rustls::TlsConnector;
use tower_service::Service;
use url::Url;

use crate::proxy::EnvRules;

pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;
type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T, BoxError>> + Send>>;

/// Which proxy, if any, a connection goes through.
#[derive(Clone, Debug)]
pub(crate) enum Route {
    Direct,
    /// Every connection through this proxy (kubeconfig `proxy-url`).
    All(Url),
    /// Go's `ProxyFromEnvironment` rules.
    Env(Arc<EnvRules>),
}

impl Route {
    fn proxy_for(&self, target: &Url) -> Option<Url> {
        match self {
            Route::Direct => None,
            Route::All(proxy) => Some(proxy.clone()),
            Route::Env(rules) => rules.proxy_for(target),
        }
    }
}

/// The pool's connector: a `tower` service from a server URI to an open connection.
#[derive(Clone)]
pub(crate) struct Connector {
    inner: Arc<Inner>,
}

struct Inner {
    tcp: HttpConnector,
    tls: TlsConnector,
    /// TLS to an `https://` proxy: the same trust, HTTP/1.1 only (CONNECT is HTTP/1.1 here).
    proxy_tls: TlsConnector,
    /// Sent as SNI and verified instead of the host when set (Go's `tls.Config.ServerName`).
    server_name: Option<ServerName<'static>>,
    route: Route,
}

impl Connector {
    pub(crate) fn new(
        tls: rustls::ClientConfig,
        server_name: Option<ServerName<'static>>,
        route: Route,
    ) -> Connector {
        let mut tcp = HttpConnector::new();
        // https:// URIs reach this connector too; TLS is added above it.
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        // As Go's dialer (client-go's default transport).
        tcp.set_keepalive(Some(Duration::from_secs(30)));
        let mut proxy_tls = tls.clone();
        proxy_tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Connector {
            inner: Arc::new(Inner {
                tcp,
                tls: TlsConnector::from(Arc::new(tls)),
                proxy_tls: TlsConnector::from(Arc::new(proxy_tls)),
                server_name,
                route,
            }),
        }
    }
}

impl Service<Uri> for Connector {
    type Response = Conn;
    type Error = BoxError;
    type Future = BoxFuture<Conn>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let inner = self.inner.clone();
        Box::pin(async move { inner.connect(dst).await })
    }
}

impl Inner {
    async fn connect(&self, dst: Uri) -> Result<Conn, BoxError> {
        let https = dst.scheme_str() == Some("https");
        let host = dst.host().ok_or("the URL has no host")?;
        let port = dst.port_u16().unwrap_or(if https { 443 } else { 80 });
        let scheme = if https { "https" } else { "http" };
        let text = format!("{scheme}://{host}:{port}");
        // With the port always written: the proxy connectors default to 443 otherwise.
        let target: Uri = text.parse()?;
        let target_url = Url::parse(&text)?;
        let mut proxied = false;
        let io: Box<dyn Io> = match self.route.proxy_for(&target_url) {
            None => Box::new(self.tcp.clone().call(target.clone()).await?),
            Some(proxy) => {
                let dialer = ProxyDialer {
                    tcp: self.tcp.clone(),
                    tls: self.proxy_tls.clone(),
                };
                let proxy_uri = proxy_address(&proxy)?;
                let (user, password) = credentials(&proxy);
                match proxy.scheme() {
                    "socks5" | "socks5h" => {
                        let socks = SocksV5::new(proxy_uri, dialer)
                            // socks5:// resolves names here, socks5h:// at the proxy (as curl).
                            .local_dns(proxy.scheme() == "socks5");
                        let mut socks = match user {
                            Some(user) => socks.with_auth(user, password.unwrap_or_default()),
                            None => socks,
                        };
                        socks.call(target.clone()).await?
                    }
                    _ if https => {
                        let tunnel = Tunnel::new(proxy_uri, dialer);
                        let mut tunnel = match basic(user, password) {
                            Some(auth) => tunnel.with_auth(auth),
                            None => tunnel,
                        };
                        tunnel.call(target.clone()).await?
                    }
                    _ => {
                        // Plain HTTP goes to the proxy itself, requests in absolute form.
                        proxied = true;
                        dialer.clone().call(proxy_uri).await?
                    }
                }
            }
        };
        if !https {
            return Ok(Conn {
                io,
                proxied,
                h2: false,
            });
        }
        let name = match &self.server_name {
            Some(name) => name.clone(),
            None => server_name_of(host)?,
        };
        let tls = self.tls.connect(name, TokioIo::new(io)).await?;
        let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
        Ok(Conn {
            io: Box::new(TokioIo::new(tls)),
            proxied: false,
            h2,
        })
    }
}

/// The name TLS sends and verifies for `host` (an IP address is verified, never sent).
fn server_name_of(host: &str) -> Result<ServerName<'static>, BoxError> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    ServerName::try_from(bare.to_owned())
        .map_err(|_| format!("{host:?} is not a DNS name or IP address for TLS").into())
}

/// `scheme://host:port` of a proxy, with the scheme's default port written out.
fn proxy_address(proxy: &Url) -> Result<Uri, BoxError> {
    let host = proxy.host_str().ok_or("the proxy URL has no host")?;
    let port = proxy.port().unwrap_or(match proxy.scheme() {
        "https" => 443,
        "socks5" | "socks5h" => 1080,
        _ => 80,
    });
    let scheme = if proxy.scheme() == "https" {
        "https"
    } else {
        "http"
    };
    Ok(format!("{scheme}://{host}:{port}").parse()?)
}

/// The user and password of a proxy URL, percent-decoded.
fn credentials(proxy: &Url) -> (Option<String>, Option<String>) {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let user = Some(proxy.username()).filter(|u| !u.is_empty()).map(decode);
    (user, proxy.password().map(decode))
}

/// `Proxy-Authorization: Basic ...` for a proxy URL with credentials.
pub(crate) fn proxy_authorization(proxy: &Url) -> Option<HeaderValue> {
    let (user, password) = credentials(proxy);
    basic(user, password)
}

fn basic(user: Option<String>, password: Option<String>) -> Option<HeaderValue> {
    let user = user?;
    let text = format!("{user}:{}", password.unwrap_or_default());
    let mut value =
        HeaderValue::from_str(&format!("Basic {}", crate::auth::base64(text.as_bytes()))).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Connects to a proxy: TCP, and TLS for an `https://` proxy.
#[derive(Clone)]
struct ProxyDialer {
    tcp: HttpConnector,
    tls: TlsConnector,
}

impl Service<Uri> for ProxyDialer {
    type Response = Box<dyn Io>;
    type Error = BoxError;
    type Future = BoxFuture<Box<dyn Io>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, proxy: Uri) -> Self::Future {
        let mut tcp = self.tcp.clone();
        let tls = self.tls.clone();
        Box::pin(async move {
            let stream = tcp.call(proxy.clone()).await?;
            if proxy.scheme_str() != Some("https") {
                return Ok(Box::new(stream) as Box<dyn Io>);
            }
            let name = server_name_of(proxy.host().unwrap_or_default())?;
            let tls = tls.connect(name, TokioIo::new(stream)).await?;
            Ok(Box::new(TokioIo::new(tls)) as Box<dyn Io>)
        })
    }
}

/// A byte stream hyper can use.
pub(crate) trait Io: Read + Write + Send + Unpin + 'static {}
impl<T: Read + Write + Send + Unpin + 'static> Io for T {}

/// An open connection, and what the pool must know of it.
pub(crate) struct Conn {
    io: Box<dyn Io>,
    /// Talks to an HTTP proxy, which wants requests in absolute form.
    proxied: bool,
    /// ALPN chose HTTP/2.
    h2: bool,
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        let connected = Connected::new().proxy(self.proxied);
        if self.h2 {
            connected.negotiated_h2()
        } else {
            connected
        }
    }
}

impl Read for Conn {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.io).poll_read(cx, buf)
    }
}

impl Write for Conn {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut *self.io).poll_write_vectored(cx, bufs)
    }
}
