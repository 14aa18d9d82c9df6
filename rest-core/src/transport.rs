//! The connection pool behind a `RestClient`: reqwest with the rustls configuration from
//! `tls.rs` and the proxy choice from `proxy.rs`; rebuilt when an exec plugin rotates the
//! client certificate.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use url::Url;

use crate::config::{Config, TlsConfig};
use crate::env::Env;
use crate::error::Error;
use crate::proxy::{parse_proxy_url, redact_url, EnvRules, Proxy, ProxyEnv};
use crate::tls::{client_config, Identity};

/// What a connection pool is made from; kept by authenticators that rebuild it.
#[derive(Clone, Debug)]
pub(crate) struct TransportSpec {
    pub tls: TlsConfig,
    pub proxy: Proxy,
    /// `tls.server_name` dialled at this address (see `TransportSpec::new`).
    pin: Option<(String, SocketAddr)>,
}

impl TransportSpec {
    /// The spec for `config`, and the URL its requests use: `base`, except that a server
    /// reached directly at an IP address with a `tls.server_name` is addressed by that name,
    /// pinned to the IP. Then TLS sends the name (SNI), as Go's `tls.Config.ServerName`
    /// does, which load balancers routing by name need. Through a proxy, or for a server
    /// given by name, the name is only verified (by `tls.rs`).
    pub(crate) fn new(config: &Config, base: Url) -> Result<(TransportSpec, Url), Error> {
        let mut spec = TransportSpec {
            tls: config.tls.clone(),
            proxy: config.proxy.clone(),
            pin: None,
        };
        let mut base = base;
        let name = config.tls.server_name.as_deref().filter(|n| !n.is_empty());
        let ip = match base.host() {
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            _ => None,
        };
        if let (Some(name), Some(ip)) = (name, ip) {
            let is_dns_name = name.parse::<IpAddr>().is_err() && !name.contains(['/', ':', '@']);
            if is_dns_name && spec.is_direct(&base)? && base.set_host(Some(name)).is_ok() {
                let port = base.port_or_known_default().unwrap_or(443);
                spec.pin = Some((name.to_owned(), SocketAddr::new(ip, port)));
            }
        }
        Ok((spec, base))
    }

    /// Whether requests to `url` connect without a proxy.
    fn is_direct(&self, url: &Url) -> Result<bool, Error> {
        let env = match &self.proxy {
            Proxy::Direct => return Ok(true),
            Proxy::Url(_) => return Ok(false),
            Proxy::FromEnvironment => ProxyEnv::from_env(&Env::process()),
            Proxy::Env(env) => env.clone(),
        };
        let rules = EnvRules::new(&env).map_err(|m| config_error(&m))?;
        Ok(rules.proxy_for(url).is_none())
    }

    /// A pool presenting the configured client certificate (if any).
    pub(crate) fn build(&self) -> Result<reqwest::Client, Error> {
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
    pub(crate) fn build_with(
        &self,
        identity: Option<&Identity<'_>>,
    ) -> Result<reqwest::Client, String> {
        let tls = client_config(&self.tls, identity)?;
        let builder = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            // Redirects are the caller's business, as in client-go's REST client.
            .redirect(reqwest::redirect::Policy::none())
            // reqwest would read the proxy variables itself; the rules below are Go's.
            .no_proxy();
        let builder = match self.proxy_rule()? {
            Some(proxy) => builder.proxy(proxy),
            None => builder,
        };
        let builder = match &self.pin {
            Some((name, addr)) => builder.resolve(name, *addr),
            None => builder,
        };
        builder
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))
    }

    fn proxy_rule(&self) -> Result<Option<reqwest::Proxy>, String> {
        let env = match &self.proxy {
            Proxy::Direct => return Ok(None),
            Proxy::Url(text) => {
                let url = parse_proxy_url(text).map_err(|e| format!("proxy_url: {e}"))?;
                tracing::debug!(proxy = %redact_url(url.as_str()), "all requests go through the proxy");
                let proxy = reqwest::Proxy::all(url)
                    .map_err(|e| format!("proxy_url {:?}: {e}", redact_url(text)))?;
                return Ok(Some(proxy));
            }
            Proxy::FromEnvironment => ProxyEnv::from_env(&Env::process()),
            Proxy::Env(env) => env.clone(),
        };
        let rules = EnvRules::new(&env)?;
        if rules.is_empty() {
            return Ok(None);
        }
        let rules = Arc::new(rules);
        Ok(Some(reqwest::Proxy::custom(move |url| {
            rules.proxy_for(url)
        })))
    }
}

fn config_error(message: &str) -> Error {
    Error::Config {
        message: message.to_owned(),
    }
}
