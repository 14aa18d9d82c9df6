//! Exec credential plugins (`client.authentication.k8s.io/v1` and `v1beta1`): run the
//! command, read an `ExecCredential` (token or client certificate), cache it until its
//! `expirationTimestamp`, run again after a 401. Nothing the plugin prints reaches a log.

use std::fmt;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::HeaderValue;
use serde::Deserialize;

use crate::config::{Config, ConfigSource, Secret};
use crate::error::{excerpt, Error};
use crate::kubeconfig::ExecConfig;
use crate::proxy::Proxy;
use crate::timestamp::parse_rfc3339;
use crate::tls::Identity;
use crate::transport::{HttpClient, TransportSpec};

/// client-go's help text for a plugin that is not installed.
const INSTALL_HELP: &str = "It looks like you are trying to use a client-go credential plugin that is not installed. To learn more about this feature, consult the documentation available at: https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins";

/// An exec credential plugin that could not provide credentials, naming the kubeconfig,
/// context and user it was configured in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecError(Box<ExecErrorDetails>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct ExecErrorDetails {
    source: Option<ConfigSource>,
    command: String,
    kind: ExecErrorKind,
}

/// The ways a plugin run fails. Messages end with what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExecErrorKind {
    #[error("executable not found. {INSTALL_HELP}{}", .install_hint.as_deref().map(|h| format!("\n\n{h}")).unwrap_or_default())]
    NotFound { install_hint: Option<String> },
    #[error("cannot be started: {message}; check that it is an executable file (chmod +x)")]
    Spawn { message: String },
    #[error("failed with {status}{}{stderr}; run it by hand to see why", if .stderr.is_empty() { "" } else { ": " })]
    Failed {
        status: String,
        /// The end of what it wrote to stderr.
        stderr: String,
    },
    #[error("returned unusable output: {problem}; it must print a client.authentication.k8s.io ExecCredential as JSON")]
    Output { problem: String },
    #[error("wants a terminal (interactiveMode: Always) but krest has none to offer; set interactiveMode to IfAvailable or Never")]
    Interactive,
    #[error("returned a client certificate that cannot be used: {message}")]
    Certificate { message: String },
}

impl ExecError {
    fn new(source: Option<ConfigSource>, command: &str, kind: ExecErrorKind) -> Self {
        ExecError(Box::new(ExecErrorDetails {
            source,
            command: command.to_owned(),
            kind,
        }))
    }

    /// The plugin's command.
    pub fn command(&self) -> &str {
        &self.0.command
    }

    /// Where it was configured, for configs loaded from a kubeconfig.
    pub fn config_source(&self) -> Option<&ConfigSource> {
        self.0.source.as_ref()
    }

    pub fn kind(&self) -> &ExecErrorKind {
        &self.0.kind
    }
}

impl fmt::Display for ExecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        if let Some(source) = &d.source {
            write!(f, "{source}, ")?;
            match &source.user {
                Some(user) => write!(f, "users[{user}].exec: ")?,
                None => f.write_str("exec: ")?,
            }
        }
        write!(f, "exec plugin {:?} {}", d.command, d.kind)
    }
}

impl std::error::Error for ExecError {}

/// What a plugin run produced, shared by the requests that use it.
pub(crate) struct Issued {
    pub id: u64,
    pub authorization: Option<HeaderValue>,
    /// A pool presenting the returned client certificate.
    pub http: Option<HttpClient>,
    expires: Option<SystemTime>,
    identity: Option<(Vec<u8>, Secret<Vec<u8>>)>,
}

impl Issued {
    fn expired(&self, now: SystemTime) -> bool {
        self.expires.is_some_and(|at| now >= at)
    }
}

pub(crate) struct ExecAuthenticator {
    exec: ExecConfig,
    source: Option<ConfigSource>,
    /// `KUBERNETES_EXEC_INFO`, fixed for the client's life.
    exec_info: String,
    transport: TransportSpec,
    state: tokio::sync::Mutex<Option<Arc<Issued>>>,
    runs: AtomicU64,
}

impl ExecAuthenticator {
    pub(crate) fn new(
        config: &Config,
        exec: &ExecConfig,
        transport: TransportSpec,
    ) -> ExecAuthenticator {
        ExecAuthenticator {
            exec: exec.clone(),
            source: config.source.clone(),
            exec_info: exec_info(config, exec),
            transport,
            state: tokio::sync::Mutex::new(None),
            runs: AtomicU64::new(0),
        }
    }

    /// The cached credentials, or a fresh plugin run when there are none or they expired.
    /// Concurrent callers wait for the one run.
    pub(crate) async fn credentials(&self) -> Result<Arc<Issued>, Error> {
        let mut state = self.state.lock().await;
        if let Some(issued) = state.as_ref() {
            if !issued.expired(SystemTime::now()) {
                return Ok(issued.clone());
            }
            tracing::debug!(command = %self.exec.command, "exec credentials expired, running the plugin again");
        }
        let previous = state.take();
        let issued = Arc::new(self.run(previous.as_deref()).await?);
        *state = Some(issued.clone());
        Ok(issued)
    }

    /// After a 401 with credentials `id`: forget them so the next try runs the plugin
    /// (unless another request already did). Always worth one more try.
    pub(crate) async fn unauthorized(&self, id: u64) -> bool {
        let mut state = self.state.lock().await;
        if state.as_ref().is_some_and(|issued| issued.id == id) {
            tracing::debug!(command = %self.exec.command, "401 Unauthorized: exec credentials dropped");
            *state = None;
        }
        true
    }

    fn error(&self, kind: ExecErrorKind) -> Error {
        Error::Exec(ExecError::new(
            self.source.clone(),
            &self.exec.command,
            kind,
        ))
    }

    async fn run(&self, previous: Option<&Issued>) -> Result<Issued, Error> {
        let exec = &self.exec;
        if exec.interactive_mode.as_deref() == Some("Always") {
            return Err(self.error(ExecErrorKind::Interactive));
        }
        tracing::debug!(command = %exec.command, args = exec.args.len(), "running exec credential plugin");
        let mut command = tokio::process::Command::new(&exec.command);
        command
            .args(&exec.args)
            .envs(exec.env.iter().map(|v| (&v.name, &v.value)))
            .env("KUBERNETES_EXEC_INFO", &self.exec_info)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // A request given up (timeout, dropped future) does not leave the plugin behind.
            .kill_on_drop(true);
        let output = output_of(&mut command).await.map_err(|e| {
            self.error(match e.kind() {
                std::io::ErrorKind::NotFound => ExecErrorKind::NotFound {
                    install_hint: exec.install_hint.clone().filter(|h| !h.is_empty()),
                },
                _ => ExecErrorKind::Spawn {
                    message: e.to_string(),
                },
            })
        })?;
        self.runs.fetch_add(1, Ordering::Relaxed);
        if !output.status.success() {
            let stderr = tail(&output.stderr);
            return Err(self.error(ExecErrorKind::Failed {
                status: output.status.to_string(),
                stderr,
            }));
        }
        let credential = self.parse(&output.stdout)?;
        let id = self.runs.load(Ordering::Relaxed);
        let authorization = match credential.token.filter(|t| !t.is_empty()) {
            Some(token) => {
                let mut header =
                    HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                        self.output_error(
                            "the token holds characters not allowed in an HTTP header",
                        )
                    })?;
                header.set_sensitive(true);
                Some(header)
            }
            None => None,
        };
        let (http, identity) = match credential.identity {
            None => (None, None),
            Some((cert, key)) => {
                // The same certificate again keeps the pool (and its open connections).
                let reuse = previous.and_then(|p| match (&p.identity, &p.http) {
                    (Some((c, k)), Some(http)) if *c == cert && k.expose() == key.expose() => {
                        Some(http.clone())
                    }
                    _ => None,
                });
                let http = match reuse {
                    Some(http) => http,
                    None => self
                        .transport
                        .build_with(Some(&Identity {
                            cert_pem: &cert,
                            key_pem: key.expose(),
                            what: "exec plugin credential",
                        }))
                        .map_err(|message| self.error(ExecErrorKind::Certificate { message }))?,
                };
                (Some(http), Some((cert, key)))
            }
        };
        Ok(Issued {
            id,
            authorization,
            http,
            expires: credential.expires,
            identity,
        })
    }

    fn output_error(&self, problem: &str) -> Error {
        self.error(ExecErrorKind::Output {
            problem: problem.to_owned(),
        })
    }

    /// client-go's checks on the `ExecCredential`; the output itself is never quoted (it
    /// holds the secret).
    fn parse(&self, stdout: &[u8]) -> Result<Credential, Error> {
        let parsed: ExecCredential = serde_json::from_slice(stdout).map_err(|e| {
            self.output_error(&format!(
                "not JSON ({} bytes; {}: line {}, column {})",
                stdout.len(),
                match e.classify() {
                    serde_json::error::Category::Eof => "ends early",
                    serde_json::error::Category::Syntax => "syntax error",
                    _ => "unexpected shape",
                },
                e.line(),
                e.column()
            ))
        })?;
        let wanted = self.exec.api_version.as_deref().unwrap_or("");
        if parsed.kind.as_deref() != Some("ExecCredential") {
            return Err(self.output_error(&format!(
                "kind is {:?}, not ExecCredential",
                parsed.kind.as_deref().unwrap_or("")
            )));
        }
        if parsed.api_version.as_deref() != Some(wanted) {
            return Err(self.output_error(&format!(
                "the plugin is configured for apiVersion {wanted} but returned {:?}",
                parsed.api_version.as_deref().unwrap_or("")
            )));
        }
        let Some(status) = parsed.status else {
            return Err(self.output_error("no status field"));
        };
        let token = status.token.filter(|t| !t.is_empty());
        let cert = status.client_certificate_data.filter(|c| !c.is_empty());
        let key = status.client_key_data.filter(|k| !k.is_empty());
        if token.is_none() && cert.is_none() && key.is_none() {
            return Err(
                self.output_error("status holds neither a token nor a client certificate and key")
            );
        }
        let identity = match (cert, key) {
            (Some(cert), Some(key)) => Some((cert.into_bytes(), Secret::new(key.into_bytes()))),
            (None, None) => None,
            _ => return Err(self.output_error(
                "status holds only one of clientCertificateData and clientKeyData; both are needed",
            )),
        };
        let expires = match status.expiration_timestamp.as_deref() {
            None | Some("") => None,
            Some(text) => Some(parse_rfc3339(text).ok_or_else(|| {
                self.output_error(&format!(
                    "expirationTimestamp {text:?} is not an RFC 3339 time"
                ))
            })?),
        };
        Ok(Credential {
            token,
            identity,
            expires,
        })
    }
}

struct Credential {
    token: Option<String>,
    identity: Option<(Vec<u8>, Secret<Vec<u8>>)>,
    expires: Option<SystemTime>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExecCredential {
    kind: Option<String>,
    api_version: Option<String>,
    status: Option<ExecCredentialStatus>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExecCredentialStatus {
    expiration_timestamp: Option<String>,
    token: Option<String>,
    client_certificate_data: Option<String>,
    client_key_data: Option<String>,
}

/// The `ExecCredential` handed to the plugin in `KUBERNETES_EXEC_INFO`: never interactive,
/// and the cluster when `provideClusterInfo` is set.
fn exec_info(config: &Config, exec: &ExecConfig) -> String {
    use base64::Engine as _;
    let mut spec = serde_json::json!({ "interactive": false });
    if exec.provide_cluster_info {
        let tls = &config.tls;
        let mut cluster = serde_json::Map::new();
        cluster.insert("server".into(), config.host.clone().into());
        if let Some(name) = &tls.server_name {
            cluster.insert("tls-server-name".into(), name.clone().into());
        }
        if tls.insecure_skip_tls_verify {
            cluster.insert("insecure-skip-tls-verify".into(), true.into());
        }
        if let Some(ca) = &tls.ca_data {
            let data = base64::engine::general_purpose::STANDARD.encode(ca);
            cluster.insert("certificate-authority-data".into(), data.into());
        }
        if let Proxy::Url(url) = &config.proxy {
            cluster.insert("proxy-url".into(), url.clone().into());
        }
        if config.disable_compression {
            cluster.insert("disable-compression".into(), true.into());
        }
        if let Some(extension) = &exec.config {
            cluster.insert("config".into(), extension.clone());
        }
        spec["cluster"] = cluster.into();
    }
    serde_json::json!({
        "kind": "ExecCredential",
        "apiVersion": exec.api_version.as_deref().unwrap_or("client.authentication.k8s.io/v1"),
        "spec": spec,
    })
    .to_string()
}

/// Runs `command` to completion. A script written moments ago may still be open for writing
/// in a child another thread is forking (`ETXTBSY`); that clears within milliseconds, so
/// retry a few times (a back-off, not a synchronisation).
async fn output_of(command: &mut tokio::process::Command) -> std::io::Result<std::process::Output> {
    const ETXTBSY: i32 = 26;
    let mut attempts = 0;
    loop {
        match command.output().await {
            Err(e) if cfg!(unix) && e.raw_os_error() == Some(ETXTBSY) && attempts < 20 => {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            other => return other,
        }
    }
}

/// The last 1 KiB of the plugin's stderr (where plugins explain themselves).
fn tail(stderr: &[u8]) -> String {
    const KEEP: usize = 1024;
    let start = stderr.len().saturating_sub(KEEP);
    excerpt(&stderr[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_info_carries_the_cluster_only_when_asked() {
        let mut config = Config::new("https://h:6443");
        config.tls.ca_data = Some(b"CA".to_vec());
        let mut exec = ExecConfig {
            command: "p".into(),
            api_version: Some("client.authentication.k8s.io/v1beta1".into()),
            ..Default::default()
        };
        let info: serde_json::Value = serde_json::from_str(&exec_info(&config, &exec)).unwrap();
        assert_eq!(
            info,
            serde_json::json!({"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1beta1", "spec": {"interactive": false}})
        );
        exec.provide_cluster_info = true;
        exec.config = Some(serde_json::json!({"audience": "x"}));
        let info: serde_json::Value = serde_json::from_str(&exec_info(&config, &exec)).unwrap();
        assert_eq!(
            info["spec"]["cluster"],
            serde_json::json!({"server": "https://h:6443", "certificate-authority-data": "Q0E=", "config": {"audience": "x"}})
        );
    }
}
