//! `RestClient`: one connection pool, one rate limiter, one set of hooks, addressing one
//! group/version; `for_group_version` derives clients for other groups sharing all of it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::Method;
use url::Url;

use crate::auth::{default_headers, ClientHeaders, DynamicAuth};
use crate::config::{Config, GroupVersion};
use crate::error::Error;
use crate::limits::Limits;
use crate::meta::PatchType;
use crate::metrics::Metrics;
use crate::path::join;
use crate::request::Request;
use crate::sleeper::{Sleeper, TokioSleeper};
use crate::throttle::{RateLimiter, TokenBucket};
use crate::transport::{HttpClient, TransportSpec};
use crate::warnings::{LogOnceWarningHandler, WarningHandler};

/// A client for one API server, as client-go's `RESTClient`. Cheap to clone.
///
/// It addresses one group/version (the config's, core `v1` by default): `get()`, `post()`,
/// `put()`, `patch(..)`, `delete()` and `verb(..)` each start a [`Request`] there. Typed,
/// dynamic and discovery clients take a `RestClient` and share its pool, rate limiter and
/// credentials; [`for_group_version`](Self::for_group_version) derives one for another group.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = fixtures::ApiServer::builder().seed(fixtures::seed_pods()).start().await;
/// use rest_core::{Config, GroupVersion, RestClient};
/// use serde_json::Value;
///
/// let client = RestClient::for_config(&Config::new(server.url()))?;
/// let pods: Value = client.get().namespace("default").resource("pods").send().await.decode()?;
/// assert_eq!(pods["items"].as_array().map(Vec::len), Some(7));
///
/// let apps = client.for_group_version(GroupVersion::new("apps", "v1"));
/// assert!(apps.shares_pool_with(&client));
/// let deployments = apps.get().namespace("default").resource("deployments");
/// assert_eq!(deployments.url()?.path(), "/apis/apps/v1/namespaces/default/deployments");
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct RestClient {
    /// One `Arc` only: a typed client derives a `RestClient` for every call, and each clone
    /// and drop is an atomic operation on a line every worker thread touches.
    addressed: Arc<Addressed>,
}

/// The group/version a client addresses, and what all clients share.
struct Addressed {
    shared: Arc<Shared>,
    group_version: GroupVersion,
    /// `<base path>/api/v1` or `<base path>/apis/<group>/<version>`.
    versioned_path: String,
}

/// What every client derived from one `Config` shares.
pub(crate) struct Shared {
    pub(crate) http: HttpClient,
    /// User agent, credentials and impersonation (and an HTTP proxy's credentials), sent
    /// with every request.
    pub(crate) headers: ClientHeaders,
    /// Credentials looked up for each try (a token file, an exec plugin).
    pub(crate) auth: Option<DynamicAuth>,
    /// Scheme, host and port; its path is replaced per request.
    pub(crate) base: Url,
    /// `base` up to its path (`https://host:port`), which every request URL starts with.
    pub(crate) base_origin: String,
    /// The path part of `Config::host`, prefixed to every request.
    pub(crate) base_path: String,
    /// A non-Kubernetes API path from the config, kept for every group.
    custom_api_path: Option<String>,
    pub(crate) limiter: Option<Arc<dyn RateLimiter>>,
    pub(crate) warning_handler: Arc<dyn WarningHandler>,
    pub(crate) metrics: Option<Arc<dyn Metrics>>,
    pub(crate) sleeper: Arc<dyn Sleeper>,
    pub(crate) max_retries: u32,
    pub(crate) timeout: Option<Duration>,
    pub(crate) limits: Limits,
    /// `Config::protobuf`: typed clients of kinds with a codec ask for protobuf.
    pub(crate) protobuf: bool,
    default_namespace: String,
}

impl RestClient {
    /// A client for `config` (client-go's `RESTClientFor`): builds the connection pool, TLS,
    /// credentials and the rate limiter. Fails on a host, certificate or key it cannot use.
    pub fn for_config(config: &Config) -> Result<RestClient, Error> {
        let base = server_url(config)?;
        let base_path = join(base.path(), &[]);
        let base_path = if base_path == "/" {
            String::new()
        } else {
            base_path
        };
        let mut headers = default_headers(config)?;
        let transport = TransportSpec::new(config);
        if let Some(auth) = transport.forward_proxy_authorization(&base)? {
            headers.insert(http::header::PROXY_AUTHORIZATION, auth);
        }
        let http = transport.build()?;
        let auth = DynamicAuth::for_config(config, &transport)?;
        let limiter = match &config.rate_limiter {
            Some(limiter) => Some(limiter.clone()),
            None if config.qps > 0.0 => {
                Some(Arc::new(TokenBucket::new(config.qps, config.burst)) as Arc<dyn RateLimiter>)
            }
            None => None,
        };
        let custom_api_path = match config.api_path.trim_matches('/') {
            "" | "api" | "apis" => None,
            other => Some(format!("/{other}")),
        };
        let base_origin = base[..url::Position::BeforePath].to_owned();
        let shared = Arc::new(Shared {
            http,
            headers,
            auth,
            base,
            base_origin,
            base_path,
            custom_api_path,
            limiter,
            warning_handler: config
                .warning_handler
                .clone()
                .unwrap_or_else(|| Arc::new(LogOnceWarningHandler::new())),
            metrics: config.metrics.clone(),
            sleeper: config
                .sleeper
                .clone()
                .unwrap_or_else(|| Arc::new(TokioSleeper)),
            max_retries: config.max_retries,
            timeout: config.timeout,
            limits: config.limits,
            protobuf: config.protobuf,
            default_namespace: config.default_namespace.clone(),
        });
        Ok(RestClient::with_shared(
            shared,
            config.group_version.clone(),
        ))
    }

    fn with_shared(shared: Arc<Shared>, group_version: GroupVersion) -> RestClient {
        let api_path = match &shared.custom_api_path {
            Some(custom) => custom.as_str(),
            None if group_version.group.is_empty() => "/api",
            None => "/apis",
        };
        let versioned_path = join(
            &shared.base_path,
            &[api_path, &group_version.group, &group_version.version],
        );
        RestClient {
            addressed: Arc::new(Addressed {
                shared,
                group_version,
                versioned_path,
            }),
        }
    }

    /// Same pool, limiter, auth and hooks; requests address another group/version.
    pub fn for_group_version(&self, gv: GroupVersion) -> RestClient {
        if gv == self.addressed.group_version {
            // What every typed call of a kind in this client's own group asks for.
            return self.clone();
        }
        RestClient::with_shared(self.shared().clone(), gv)
    }

    /// `for_group_version` for a kind's constants: a typed client is made per call, so the
    /// common case (the client's own group/version) allocates nothing.
    pub(crate) fn for_kind_group_version(&self, group: &str, version: &str) -> RestClient {
        let own = &self.addressed.group_version;
        if own.group == group && own.version == version {
            return self.clone();
        }
        self.for_group_version(GroupVersion::new(group, version))
    }

    /// What every client derived from the same `Config` shares.
    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.addressed.shared
    }

    /// The namespace of the kubeconfig context (`default` when it names none).
    pub fn default_namespace(&self) -> &str {
        &self.shared().default_namespace
    }

    /// The group/version this client's requests address.
    pub fn group_version(&self) -> &GroupVersion {
        &self.addressed.group_version
    }

    /// The server's scheme, host and port (and base path).
    pub fn base_url(&self) -> &Url {
        &self.shared().base
    }

    /// The path requests start from: `/api/v1`, `/apis/apps/v1`.
    pub fn versioned_path(&self) -> &str {
        &self.addressed.versioned_path
    }

    /// Whether two clients share one connection pool and rate limiter.
    pub fn shares_pool_with(&self, other: &RestClient) -> bool {
        Arc::ptr_eq(self.shared(), other.shared())
    }

    pub fn get(&self) -> Request {
        self.verb_method(Method::GET)
    }
    pub fn post(&self) -> Request {
        self.verb_method(Method::POST)
    }
    pub fn put(&self) -> Request {
        self.verb_method(Method::PUT)
    }
    pub fn delete(&self) -> Request {
        self.verb_method(Method::DELETE)
    }
    /// A PATCH whose body is sent with `patch_type`'s content type.
    pub fn patch(&self, patch_type: PatchType) -> Request {
        self.verb_method(Method::PATCH)
            .header("content-type", patch_type.content_type())
    }
    /// Any verb; an invalid one is reported by `send`.
    pub fn verb(&self, verb: &str) -> Request {
        // The usual upper-case verbs parse without a copy.
        let method = match Method::from_bytes(verb.as_bytes()) {
            Ok(method) if method.as_str().bytes().all(|b| !b.is_ascii_lowercase()) => Ok(method),
            _ => Method::from_bytes(verb.to_ascii_uppercase().as_bytes()),
        };
        match method {
            Ok(method) => self.verb_method(method),
            Err(_) => self
                .verb_method(Method::GET)
                .fail(format!("{verb:?} is not a valid HTTP verb")),
        }
    }

    fn verb_method(&self, method: Method) -> Request {
        Request::new(self.clone(), method)
    }
}

/// client-go's `DefaultServerURL`: a host without a scheme gets `https://` when TLS settings
/// are present, `http://` otherwise.
fn server_url(config: &Config) -> Result<Url, Error> {
    let host = if config.host.is_empty() {
        "localhost"
    } else {
        config.host.as_str()
    };
    let tls = &config.tls;
    let wants_tls =
        tls.ca_data.is_some() || tls.cert_data.is_some() || tls.insecure_skip_tls_verify;
    let parsed = Url::parse(host)
        .ok()
        .filter(|u| u.has_host() && matches!(u.scheme(), "http" | "https"));
    let url = match parsed {
        Some(url) => url,
        None => {
            let scheme = if wants_tls { "https" } else { "http" };
            Url::parse(&format!("{scheme}://{host}")).map_err(|e| Error::Config {
                message: format!("host {host:?} is not a URL: {e}"),
            })?
        }
    };
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config {
            message: format!("host {host:?} must not have a query or fragment"),
        });
    }
    Ok(url)
}

impl fmt::Debug for RestClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestClient")
            .field("base", &self.shared().base.as_str())
            .field("group_version", &self.addressed.group_version)
            .field("versioned_path", &self.addressed.versioned_path)
            .finish_non_exhaustive()
    }
}
