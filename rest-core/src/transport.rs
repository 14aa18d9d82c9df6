//! The connection pool behind a `RestClient`: hyper's pooled client over the connector of
//! `connect.rs`, with the rustls configuration from `tls.rs` and the proxy choice from
//! `proxy.rs`; rebuilt when an exec plugin rotates the client certificate.

mod connect;

use std::sync::Arc;

use bytes::Bytes;
use http::HeaderValue;
use http_body_util::Full;
use hyper_util::client::legacy;
use hyper_util::rt::TokioExecutor;
use rustls::pki_types::ServerName;
use url::Url;

use crate::config::{Config, TlsConfig};
use crate::env::Env;
use crate::error::Error;
use crate::proxy::{parse_proxy_url, redact_url, EnvRules, Proxy, ProxyEnv};
use crate::tls::{client_config, Identity};
use connect::{proxy_authorization, Connector, Route};

/// A request body: the whole body at once (`Bytes` clones share it, so a retry resends
/// without copying); empty for requests without one.
pub(crate) type Body = Full<Bytes>;
/// A response whose body is still to be read.
pub(crate) type HttpResponse = http::Response<hyper::body::Incoming>;
/// One connection pool (cheap to clone: `Arc` inside).
pub(crate) type HttpClient = legacy::Client<Connector, Body>;

/// What a connection pool is made from; kept by authenticators that rebuild it.
#[derive(Clone, Debug)]
pub(crate) struct TransportSpec {
    pub tls: TlsConfig,
    pub proxy: Proxy,
    /// Bounds the response heads the pool reads.
    pub max_header_bytes: usize,
}

impl TransportSpec {
    /// The spec for `config`. A `tls.server_name` is sent as SNI and verified, whatever the
    /// URL's host and whether through a proxy or not, as Go's `tls.Config.ServerName`; the
    /// URL, and so the `Host` header, stay as configured.
    pub(crate) fn new(config: &Config) -> TransportSpec {
        TransportSpec {
            tls: config.tls.clone(),
            proxy: config.proxy.clone(),
            max_header_bytes: config.limits.max_header_bytes,
        }
    }

    /// `Proxy-Authorization` for the requests to `base` when they go to an HTTP proxy with
    /// credentials in absolute form (a CONNECT tunnel carries its own on the CONNECT).
    pub(crate) fn forward_proxy_authorization(
        &self,
        base: &Url,
    ) -> Result<Option<HeaderValue>, Error> {
        if base.scheme() != "http" {
            return Ok(None);
        }
        let route = self.route().map_err(|m| config_error(&m))?;
        let proxy = match route {
            Route::Direct => None,
            Route::All(proxy) => Some(proxy),
            Route::Env(rules) => rules.proxy_for(base),
        };
        Ok(proxy
            .filter(|p| matches!(p.scheme(), "http" | "https"))
            .and_then(|p| proxy_authorization(&p)))
    }

    /// A pool presenting the configured client certificate (if any).
    pub(crate) fn build(&self) -> Result<HttpClient, Error> {
        let tls = &self.tls;
        let identity = match (&tls.cert_data, &tls.key_data) {
            (Some(cert), Some(key)) => Some(Identity {
                cert_pem: cert,
                key_pem: key.expose(),
                what: "cert_data and key_data",
            }),
            (None, None) => None,
            (Some(_), None) => {
                return Err(config_error("cert_data is set but key_data is missing"))
            }
            (None, Some(_)) => {
                return Err(config_error("key_data is set but cert_data is missing"))
            }
        };
        self.build_with(identity.as_ref())
            .map_err(|m| config_error(&m))
    }

    /// A pool presenting `identity` instead of the configured certificate.
    pub(crate) fn build_with(&self, identity: Option<&Identity<'_>>) -> Result<HttpClient, String> {
        let tls = client_config(&self.tls, identity)?;
        let server_name = match self.tls.server_name.as_deref().filter(|n| !n.is_empty()) {
            Some(name) => Some(ServerName::try_from(name.to_owned()).map_err(|_| {
                format!("tls server_name {name:?} is not a DNS name or IP address")
            })?),
            None => None,
        };
        let connector = Connector::new(tls, server_name, self.route()?);
        // Redirects are the caller's business, as in client-go's REST client: this pool
        // follows none.
        // Idle connections expire after 90 s (Go's default), checked when the pool is next
        // used. No pool timer on purpose: its reaper keeps a sleep pending in the runtime,
        // which makes every worker park read the clock (a system call on some VMs), about
        // 2 µs of CPU per request in the 64-way benchmark.
        // Response heads are bounded: HTTP/1's read buffer holds the whole head (hyper's
        // floor is 8 KiB), HTTP/2 announces the header list size it accepts.
        let head = self.max_header_bytes;
        Ok(legacy::Client::builder(TokioExecutor::new())
            .http1_max_buf_size(head.max(8192))
            .http2_max_header_list_size(u32::try_from(head).unwrap_or(u32::MAX))
            .build(connector))
    }

    fn route(&self) -> Result<Route, String> {
        let env = match &self.proxy {
            Proxy::Direct => return Ok(Route::Direct),
            Proxy::Url(text) => {
                let url = parse_proxy_url(text).map_err(|e| format!("proxy_url: {e}"))?;
                tracing::debug!(proxy = %redact_url(url.as_str()), "all requests go through the proxy");
                return Ok(Route::All(url));
            }
            Proxy::FromEnvironment => ProxyEnv::from_env(&Env::process()),
            Proxy::Env(env) => env.clone(),
        };
        let rules = EnvRules::new(&env)?;
        if rules.is_empty() {
            return Ok(Route::Direct);
        }
        Ok(Route::Env(Arc::new(rules)))
    }
}

fn config_error(message: &str) -> Error {
    Error::Config {
        message: message.to_owned(),
    }
}
