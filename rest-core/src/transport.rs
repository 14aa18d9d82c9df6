//! The connection pool behind a `RestClient`: reqwest with the rustls configuration from
//! `tls.rs` and the proxy choice from `proxy.rs`; rebuilt when an exec plugin rotates the
//! client certificate.

use std::sync::Arc;

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
}

impl TransportSpec {
    pub(crate) fn of(config: &Config) -> TransportSpec {
        TransportSpec {
            tls: config.tls.clone(),
            proxy: config.proxy.clone(),
        }
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
