//! `Config`: everything needed to reach and authenticate to one API server, as client-go's
//! `rest.Config`. `kubeconfig.rs` fills it from kubectl's files; `RestClient::for_config` uses it.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::kubeconfig::ExecConfig;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::proxy::Proxy;
use crate::sleeper::Sleeper;
use crate::throttle::RateLimiter;
use crate::warnings::WarningHandler;

/// A string or bytes that must never reach a log line or a `Debug` string.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret<T = String>(T);

impl<T> Secret<T> {
    pub fn new(value: T) -> Self {
        Secret(value)
    }
    /// The secret value itself: call only where it is sent or used, never to log it.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret<String> {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// An API group and version (`apps/v1`); the core group has an empty `group`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct GroupVersion {
    pub group: String,
    pub version: String,
}

impl GroupVersion {
    pub fn new(group: impl Into<String>, version: impl Into<String>) -> Self {
        GroupVersion {
            group: group.into(),
            version: version.into(),
        }
    }
    /// The core group's `v1`.
    pub fn core_v1() -> Self {
        GroupVersion::new("", "v1")
    }
}

impl fmt::Display for GroupVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.group.is_empty() {
            f.write_str(&self.version)
        } else {
            write!(f, "{}/{}", self.group, self.version)
        }
    }
}

/// How requests prove who they are. Only one scheme is used: a bearer token (or token
/// file) wins over basic auth; a client certificate is part of `TlsConfig`; the exec plugin
/// is used only when none of the others is set (as client-go).
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    pub bearer_token: Option<Secret>,
    /// Read when the client is built, then again whenever the file changes (projected
    /// service-account tokens rotate) and at least every minute; wins over `bearer_token`.
    pub bearer_token_file: Option<PathBuf>,
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// A credential plugin run for a token or client certificate, cached until it expires
    /// and run again after a 401 (client-go's `ExecProvider`).
    pub exec: Option<ExecConfig>,
}

/// TLS settings. Verification is on unless `insecure_skip_tls_verify` is set explicitly.
#[derive(Clone, Debug, Default)]
pub struct TlsConfig {
    /// PEM bundle of CA certificates to trust, in addition to nothing else when set.
    pub ca_data: Option<Vec<u8>>,
    /// PEM client certificate (chain).
    pub cert_data: Option<Vec<u8>>,
    /// PEM private key for `cert_data`.
    pub key_data: Option<Secret<Vec<u8>>>,
    /// Name to verify the server certificate against instead of the host's.
    pub server_name: Option<String>,
    pub insecure_skip_tls_verify: bool,
}

/// Who to act as (`Impersonate-User`, `Impersonate-Group`, `Impersonate-Extra-*` headers).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Impersonate {
    pub user: Option<String>,
    pub uid: Option<String>,
    pub groups: Vec<String>,
    pub extra: Vec<(String, Vec<String>)>,
}

/// Where a `Config` was loaded from, named in errors that surface later (an exec plugin
/// failing at the first request).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigSource {
    /// The kubeconfig file the user entry came from.
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub user: Option<String>,
}

impl fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("kubeconfig")?;
        if let Some(path) = &self.kubeconfig {
            write!(f, " {}", path.display())?;
        }
        if let Some(context) = &self.context {
            write!(f, ", context {context:?}")?;
        }
        Ok(())
    }
}

/// Connection settings for one API server, as client-go's `rest.Config`.
///
/// Usually read from a kubeconfig ([`Config::infer`], [`Config::from_kubeconfig`]) or a
/// pod's service account ([`Config::in_cluster`]); every field is public, so a config can
/// also be written out or adjusted after reading. `Debug` never shows a secret.
///
/// ```
/// use std::time::Duration;
/// use rest_core::{Config, Credentials};
///
/// // kubectl's own files: Config::from_kubeconfig(path, None) or Config::infer().
/// let kubeconfig = "
/// apiVersion: v1
/// kind: Config
/// clusters: [{name: dev, cluster: {server: 'https://10.0.0.1:6443'}}]
/// users: [{name: me, user: {token: s3cr3t}}]
/// contexts: [{name: dev, context: {cluster: dev, user: me, namespace: team-a}}]
/// current-context: dev
/// ";
/// let from_file = Config::from_kubeconfig_str(kubeconfig, ".", None)?;
/// assert_eq!(from_file.host, "https://10.0.0.1:6443");
/// assert_eq!(from_file.default_namespace, "team-a");
///
/// // Or by hand, with client-go's defaults (qps 5, burst 10, 10 retries) for the rest.
/// let config = Config {
///     credentials: Credentials { bearer_token: Some("s3cr3t".into()), ..Default::default() },
///     timeout: Some(Duration::from_secs(30)),
///     qps: 50.0,
///     burst: 100,
///     ..Config::new("https://10.0.0.1:6443")
/// };
/// assert!(!format!("{config:?}").contains("s3cr3t"));
/// # Ok::<(), rest_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Config {
    /// Scheme, host and port: `https://127.0.0.1:6443`. A path after it is kept as a prefix.
    pub host: String,
    /// Path before group/version; empty means the Kubernetes rule: `/api` for the core
    /// group, `/apis` for the others.
    pub api_path: String,
    /// The group/version requests built by this client address.
    pub group_version: GroupVersion,
    /// The namespace the kubeconfig context names (`default` when it names none).
    pub default_namespace: String,
    pub credentials: Credentials,
    pub tls: TlsConfig,
    pub impersonate: Impersonate,
    /// Which proxy requests go through (default: the `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`
    /// environment, with Go's rules).
    pub proxy: Proxy,
    /// Do not ask the server to compress responses (kubeconfig `disable-compression`). The
    /// engine asks for no compression in any case (decoding is faster than inflating on the
    /// networks clusters live on); the field is kept so configs round-trip.
    pub disable_compression: bool,
    /// The kubeconfig, context and user this config came from, when it came from one.
    pub source: Option<ConfigSource>,
    /// Sustained requests per second of the client-side token bucket; `<= 0` disables it.
    pub qps: f32,
    /// Bucket size: requests allowed at once before throttling starts.
    pub burst: u32,
    /// Default timeout of each request (all its tries, and its body for `send`; only the
    /// response head for `watch` and `stream`), also sent as the `timeout` parameter, as
    /// client-go does with `Config.Timeout`. `None` waits as long as the server takes.
    pub timeout: Option<Duration>,
    pub user_agent: String,
    /// Retries on `Retry-After` responses and on GET connection failures.
    pub max_retries: u32,
    /// Replaces the token bucket built from `qps` and `burst`.
    pub rate_limiter: Option<Arc<dyn RateLimiter>>,
    /// Receives `Warning` headers; `None` logs each distinct warning once.
    pub warning_handler: Option<Arc<dyn WarningHandler>>,
    /// Receives latency, size, result and retry observations; `None` records nothing.
    pub metrics: Option<Arc<dyn Metrics>>,
    /// Waits for `Retry-After` and throttling; `None` uses tokio's timer. Tests set a
    /// `RecordingSleeper` to check the waits without spending them.
    pub sleeper: Option<Arc<dyn Sleeper>>,
    /// How much of an answer is read before giving up (body, watch event and header sizes).
    pub limits: Limits,
    /// Ask for protobuf for kinds that have a codec (built-ins, with the `protobuf`
    /// features), as client-go does; JSON otherwise and always for CRDs. Default on;
    /// `ResourceClient::with_protobuf` overrides it per client.
    pub protobuf: bool,
}

impl Config {
    /// A config for `host` with client-go's defaults (qps 5, burst 10, 10 retries, core/v1).
    pub fn new(host: impl Into<String>) -> Self {
        Config {
            host: host.into(),
            api_path: String::new(),
            group_version: GroupVersion::core_v1(),
            default_namespace: "default".to_owned(),
            credentials: Credentials::default(),
            tls: TlsConfig::default(),
            impersonate: Impersonate::default(),
            proxy: Proxy::default(),
            disable_compression: false,
            source: None,
            qps: 5.0,
            burst: 10,
            timeout: None,
            user_agent: default_user_agent(),
            max_retries: 10,
            rate_limiter: None,
            warning_handler: None,
            metrics: None,
            sleeper: None,
            limits: Limits::default(),
            protobuf: true,
        }
    }
}

/// `krest/<version> (<os>/<arch>)`, as client-go's `DefaultKubernetesUserAgent`.
pub fn default_user_agent() -> String {
    format!(
        "krest/{} ({}/{})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Secrets are `Secret` and print redacted; hooks print only whether they are set.
        f.debug_struct("Config")
            .field("host", &self.host)
            .field("api_path", &self.api_path)
            .field("group_version", &self.group_version)
            .field("default_namespace", &self.default_namespace)
            .field("credentials", &self.credentials)
            .field("tls", &self.tls)
            .field("impersonate", &self.impersonate)
            .field("proxy", &self.proxy)
            .field("disable_compression", &self.disable_compression)
            .field("source", &self.source)
            .field("qps", &self.qps)
            .field("burst", &self.burst)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("max_retries", &self.max_retries)
            .field("rate_limiter", &self.rate_limiter.is_some())
            .field("warning_handler", &self.warning_handler.is_some())
            .field("metrics", &self.metrics.is_some())
            .field("sleeper", &self.sleeper.is_some())
            .field("limits", &self.limits)
            .field("protobuf", &self.protobuf)
            .finish()
    }
}
