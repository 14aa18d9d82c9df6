//! From a (merged) kubeconfig to a `Config`: pick the context (or the `--context`,
//! `--cluster`, `--user` overrides), validate it as kubectl does, read the files it names.

use std::fs;
use std::path::{Path, PathBuf};

use super::error::{KubeconfigError, KubeconfigErrorKind as Kind};
use super::file::{AuthInfo, Cluster, Context, ExecConfig, Kubeconfig};
use super::load::{resolve_path, EXEC_API_VERSIONS};
use crate::config::{Config, ConfigSource, Secret};
use crate::env::Env;
use crate::proxy::{parse_proxy_url, Proxy, ProxyEnv};
use crate::Error;

/// The name of the cluster extension handed to exec plugins (client-go's
/// `clusterExtensionKey`).
const EXEC_EXTENSION: &str = "client.authentication.k8s.io/exec";

/// kubectl's `--context`, `--cluster`, `--user` and `--namespace`: each, when set, replaces
/// what the kubeconfig's current context says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KubeconfigOptions {
    /// The context to use instead of `current-context`.
    pub context: Option<String>,
    /// The cluster to use instead of the context's.
    pub cluster: Option<String>,
    /// The user to use instead of the context's.
    pub user: Option<String>,
    /// The default namespace instead of the context's.
    pub namespace: Option<String>,
}

impl KubeconfigOptions {
    /// Options selecting `context`.
    pub fn context(name: impl Into<String>) -> Self {
        KubeconfigOptions {
            context: Some(name.into()),
            ..Default::default()
        }
    }
}

impl Kubeconfig {
    /// The `Config` for the current context (or the one `options` selects). Relative paths
    /// resolve against each entry's file (or the working folder for text not from a file).
    pub fn to_config(&self, options: &KubeconfigOptions) -> Result<Config, Error> {
        Lowering::new(self, &Env::process(), false).run(options)
    }

    /// As [`Kubeconfig::to_config`], with `~` and the proxy variables taken from `env`.
    pub fn to_config_in(&self, options: &KubeconfigOptions, env: &Env) -> Result<Config, Error> {
        Lowering::new(self, env, true).run(options)
    }
}

/// One lowering; carries what every error must name.
pub(crate) struct Lowering<'a> {
    kubeconfig: &'a Kubeconfig,
    env: &'a Env,
    /// Whether `env` was given (its proxy variables then go into the config).
    explicit_env: bool,
    /// Folder for relative paths of entries not read from a file.
    pub(crate) fallback_dir: PathBuf,
    /// The file(s) named by errors not tied to one entry.
    pub(crate) files: Option<PathBuf>,
    context: Option<String>,
}

impl<'a> Lowering<'a> {
    pub(crate) fn new(kubeconfig: &'a Kubeconfig, env: &'a Env, explicit_env: bool) -> Self {
        // Name the file(s) the entries came from, in order, each once.
        let mut origins: Vec<&PathBuf> = Vec::new();
        let all = (kubeconfig.contexts.iter().map(|c| &c.location_of_origin))
            .chain(kubeconfig.clusters.iter().map(|c| &c.location_of_origin))
            .chain(kubeconfig.users.iter().map(|u| &u.location_of_origin))
            .flatten();
        for origin in all {
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        let files = match origins.as_slice() {
            [] => None,
            [one] => Some((*one).clone()),
            many => std::env::join_paths(many.iter()).ok().map(PathBuf::from),
        };
        Lowering {
            kubeconfig,
            env,
            explicit_env,
            fallback_dir: PathBuf::from("."),
            files,
            context: None,
        }
    }

    fn error(&self, origin: Option<&Path>, field: Option<String>, kind: Kind) -> KubeconfigError {
        let path = origin.map(Path::to_path_buf).or_else(|| self.files.clone());
        KubeconfigError::new(path, self.context.clone(), field, kind)
    }

    fn resolve(&self, path: &str, origin: Option<&Path>) -> PathBuf {
        resolve_path(path, origin, &self.fallback_dir, self.env)
    }

    pub(crate) fn run(mut self, options: &KubeconfigOptions) -> Result<Config, Error> {
        Ok(self.lower(options)?)
    }

    fn lower(&mut self, options: &KubeconfigOptions) -> Result<Config, KubeconfigError> {
        let kc = self.kubeconfig;
        let context_names = || kc.contexts.iter().map(|c| c.name.clone()).collect();
        let context_name = options
            .context
            .clone()
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| kc.current_context.clone());
        let empty = Context::default();
        let (ctx, ctx_origin) = if context_name.is_empty() {
            // `kubectl --cluster x --user y` works without any context.
            if options.cluster.is_none() {
                return Err(self.error(
                    None,
                    None,
                    Kind::NoContext {
                        available: context_names(),
                    },
                ));
            }
            (&empty, None)
        } else {
            self.context = Some(context_name.clone());
            match kc.contexts.iter().find(|c| c.name == context_name) {
                Some(named) => (&named.context, named.location_of_origin.as_deref()),
                None => {
                    return Err(self.error(
                        None,
                        None,
                        Kind::ContextNotFound {
                            name: context_name,
                            available: context_names(),
                        },
                    ))
                }
            }
        };
        let context_field = |field: &str| {
            if context_name.is_empty() {
                None
            } else {
                Some(format!("contexts[{context_name}].context.{field}"))
            }
        };

        let cluster_name = options
            .cluster
            .as_deref()
            .filter(|c| !c.is_empty())
            .unwrap_or(&ctx.cluster);
        if cluster_name.is_empty() {
            return Err(self.error(ctx_origin, context_field("cluster"), Kind::NoCluster));
        }
        let Some(cluster) = kc.clusters.iter().find(|c| c.name == cluster_name) else {
            let available = kc.clusters.iter().map(|c| c.name.clone()).collect();
            return Err(self.error(
                ctx_origin,
                context_field("cluster"),
                Kind::ClusterNotFound {
                    name: cluster_name.to_owned(),
                    available,
                },
            ));
        };
        let mut config = Config::new(String::new());
        let cluster_origin = cluster.location_of_origin.as_deref();
        self.apply_cluster(&mut config, cluster_name, &cluster.cluster, cluster_origin)?;

        // A context without a user talks to the server anonymously, as kubectl does.
        let user_name = options
            .user
            .as_deref()
            .filter(|u| !u.is_empty())
            .unwrap_or(&ctx.user);
        let mut user_origin = None;
        if !user_name.is_empty() {
            let Some(user) = kc.users.iter().find(|u| u.name == user_name) else {
                let available = kc.users.iter().map(|u| u.name.clone()).collect();
                return Err(self.error(
                    ctx_origin,
                    context_field("user"),
                    Kind::UserNotFound {
                        name: user_name.to_owned(),
                        available,
                    },
                ));
            };
            user_origin = user.location_of_origin.clone();
            self.apply_user(&mut config, user_name, &user.user, user_origin.as_deref())?;
            if let Some(exec) = &mut config.credentials.exec {
                exec.config = cluster
                    .cluster
                    .extensions
                    .iter()
                    .find(|e| e.name == EXEC_EXTENSION)
                    .map(|e| e.extension.clone());
            }
        }

        let namespace = options
            .namespace
            .as_deref()
            .or(ctx.namespace.as_deref())
            .filter(|n| !n.is_empty());
        if let Some(namespace) = namespace {
            config.default_namespace = namespace.to_owned();
        }
        config.source = Some(ConfigSource {
            kubeconfig: user_origin
                .or_else(|| ctx_origin.map(Path::to_path_buf))
                .or_else(|| self.files.clone()),
            context: self.context.clone(),
            user: Some(user_name.to_owned()).filter(|u| !u.is_empty()),
        });
        tracing::debug!(
            context = %context_name,
            cluster = %cluster_name,
            user = %user_name,
            host = %config.host,
            "loaded kubeconfig"
        );
        Ok(config)
    }

    fn apply_cluster(
        &self,
        config: &mut Config,
        name: &str,
        cluster: &Cluster,
        origin: Option<&Path>,
    ) -> Result<(), KubeconfigError> {
        let at = |field: &str| Some(format!("clusters[{name}].{field}"));
        config.tls.ca_data = self.data_or_file(
            origin,
            &format!("clusters[{name}]"),
            (
                "certificate-authority-data",
                cluster.certificate_authority_data.as_deref(),
            ),
            (
                "certificate-authority",
                cluster.certificate_authority.as_deref(),
            ),
        )?;
        if cluster.insecure_skip_tls_verify && config.tls.ca_data.is_some() {
            // client-go refuses this too: verification is either skipped or done with the CA.
            return Err(self.error(
                origin,
                at("insecure-skip-tls-verify"),
                Kind::Conflict {
                    first: "insecure-skip-tls-verify",
                    second: "a certificate authority",
                },
            ));
        }
        config.tls.insecure_skip_tls_verify = cluster.insecure_skip_tls_verify;
        config.tls.server_name = non_empty(&cluster.tls_server_name).map(str::to_owned);
        config.disable_compression = cluster.disable_compression;
        config.proxy = match non_empty(&cluster.proxy_url) {
            Some(url) => {
                parse_proxy_url(url).map_err(|message| {
                    self.error(origin, at("proxy-url"), Kind::InvalidValue { message })
                })?;
                Proxy::Url(url.to_owned())
            }
            None if self.explicit_env => Proxy::Env(ProxyEnv::from_env(self.env)),
            None => Proxy::FromEnvironment,
        };
        config.host = self.server_url(origin, name, &cluster.server, config)?;
        Ok(())
    }

    fn apply_user(
        &self,
        config: &mut Config,
        name: &str,
        user: &AuthInfo,
        origin: Option<&Path>,
    ) -> Result<(), KubeconfigError> {
        let at = |field: &str| Some(format!("users[{name}].{field}"));
        let error = |field: &str, kind| self.error(origin, at(field), kind);

        // client-go's validateAuthInfo: one way to authenticate, besides a certificate.
        let mut methods = Vec::new();
        if non_empty(&user.token_file).is_some()
            || user.token.as_ref().is_some_and(|t| !t.expose().is_empty())
        {
            methods.push("token");
        }
        if non_empty(&user.username).is_some()
            || user
                .password
                .as_ref()
                .is_some_and(|p| !p.expose().is_empty())
        {
            methods.push("basicAuth");
        }
        if methods.len() > 1 {
            return Err(error("token", Kind::MultipleAuthMethods { found: methods }));
        }
        if let Some(provider) = &user.auth_provider {
            if user.exec.is_some() {
                return Err(error(
                    "auth-provider",
                    Kind::Conflict {
                        first: "auth-provider",
                        second: "exec",
                    },
                ));
            }
            return Err(error(
                "auth-provider",
                Kind::AuthProvider {
                    name: provider.name.clone(),
                },
            ));
        }
        if let Some(exec) = &user.exec {
            config.credentials.exec = Some(self.exec(name, exec, origin)?);
        }

        // As client-go: an inline token wins; the token file is used only without one.
        let token = user.token.as_ref().filter(|t| !t.expose().is_empty());
        match (token, non_empty(&user.token_file)) {
            (Some(token), _) => config.credentials.bearer_token = Some(token.clone()),
            (None, Some(file)) => {
                let file = self.resolve(file, origin);
                // Fail here, naming the kubeconfig, rather than at the first request.
                fs::File::open(&file).map_err(|e| {
                    error(
                        "tokenFile",
                        Kind::ReadFile {
                            file: file.clone(),
                            message: e.to_string(),
                        },
                    )
                })?;
                config.credentials.bearer_token_file = Some(file);
            }
            (None, None) => {}
        }
        config.credentials.username = non_empty(&user.username).map(str::to_owned);
        config.credentials.password = user.password.clone().filter(|p| !p.expose().is_empty());

        let entry = format!("users[{name}]");
        let cert = self.data_or_file(
            origin,
            &entry,
            (
                "client-certificate-data",
                user.client_certificate_data.as_deref(),
            ),
            ("client-certificate", user.client_certificate.as_deref()),
        )?;
        let key = self.data_or_file(
            origin,
            &entry,
            (
                "client-key-data",
                user.client_key_data.as_ref().map(|k| k.expose().as_str()),
            ),
            ("client-key", user.client_key.as_deref()),
        )?;
        match (&cert, &key) {
            (Some(_), None) => {
                return Err(error(
                    "client-key",
                    Kind::Incomplete {
                        present: "client-certificate",
                        missing: "client-key (or client-key-data)",
                    },
                ))
            }
            (None, Some(_)) => {
                return Err(error(
                    "client-certificate",
                    Kind::Incomplete {
                        present: "client-key",
                        missing: "client-certificate (or client-certificate-data)",
                    },
                ))
            }
            _ => {}
        }
        config.tls.cert_data = cert;
        config.tls.key_data = key.map(Secret::new);

        let imp = &mut config.impersonate;
        imp.user = non_empty(&user.impersonate).map(str::to_owned);
        imp.uid = non_empty(&user.impersonate_uid).map(str::to_owned);
        imp.groups = user.impersonate_groups.clone();
        imp.extra = user
            .impersonate_user_extra
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if imp.user.is_none()
            && (imp.uid.is_some() || !imp.groups.is_empty() || !imp.extra.is_empty())
        {
            return Err(error("as", Kind::ImpersonationWithoutUser));
        }
        Ok(())
    }

    /// client-go's exec validation; a command with a path is resolved like other paths.
    fn exec(
        &self,
        user: &str,
        exec: &ExecConfig,
        origin: Option<&Path>,
    ) -> Result<ExecConfig, KubeconfigError> {
        let invalid = |field: &str, message: String| {
            self.error(
                origin,
                Some(format!("users[{user}].exec.{field}")),
                Kind::Exec { message },
            )
        };
        if exec.command.is_empty() {
            return Err(invalid(
                "command",
                "no command is set; name the credential plugin to run".into(),
            ));
        }
        let version = exec.api_version.as_deref().unwrap_or("");
        if !EXEC_API_VERSIONS.contains(&version) {
            return Err(invalid(
                "apiVersion",
                format!(
                    "apiVersion {version:?} is not supported; use {} (see the plugin's documentation)",
                    EXEC_API_VERSIONS.join(" or ")
                ),
            ));
        }
        if exec.env.iter().any(|v| v.name.is_empty()) {
            return Err(invalid(
                "env",
                "an env entry has no name; set name and value".into(),
            ));
        }
        match exec.interactive_mode.as_deref().unwrap_or("") {
            "Never" | "IfAvailable" | "Always" => {}
            "" => {
                return Err(invalid(
                    "interactiveMode",
                    "interactiveMode must be set with apiVersion client.authentication.k8s.io/v1; use Never, IfAvailable or Always".into(),
                ))
            }
            other => {
                return Err(invalid(
                    "interactiveMode",
                    format!("interactiveMode {other:?} is not one of Never, IfAvailable, Always"),
                ))
            }
        }
        let mut exec = exec.clone();
        // As client-go: a command with a path separator is a path (relative to the
        // kubeconfig's folder); a bare name is looked up in PATH.
        if exec.command.contains('/')
            || exec.command.contains(std::path::MAIN_SEPARATOR)
            || exec.command.starts_with('~')
        {
            exec.command = self
                .resolve(&exec.command, origin)
                .to_string_lossy()
                .into_owned();
        }
        Ok(exec)
    }

    /// The bytes of a `<field>-data` (base64) or `<field>` (a path) pair; setting both is
    /// an error, as in client-go's validation.
    fn data_or_file(
        &self,
        origin: Option<&Path>,
        entry: &str,
        (data_field, data): (&'static str, Option<&str>),
        (file_field, file): (&'static str, Option<&str>),
    ) -> Result<Option<Vec<u8>>, KubeconfigError> {
        let at = |field: &str| Some(format!("{entry}.{field}"));
        match (
            data.filter(|d| !d.is_empty()),
            file.filter(|f| !f.is_empty()),
        ) {
            (Some(_), Some(_)) => Err(self.error(
                origin,
                at(data_field),
                Kind::Conflict {
                    first: data_field,
                    second: file_field,
                },
            )),
            (Some(data), None) => super::decode_base64(data).map(Some).map_err(|message| {
                self.error(origin, at(data_field), Kind::InvalidBase64 { message })
            }),
            (None, Some(file)) => {
                let file = self.resolve(file, origin);
                fs::read(&file).map(Some).map_err(|e| {
                    self.error(
                        origin,
                        at(file_field),
                        Kind::ReadFile {
                            file,
                            message: e.to_string(),
                        },
                    )
                })
            }
            (None, None) => Ok(None),
        }
    }

    /// The server URL, defaulting a missing scheme as client-go's `DefaultServerURL`:
    /// `https` when any TLS setting is present, `http` otherwise.
    fn server_url(
        &self,
        origin: Option<&Path>,
        cluster: &str,
        server: &str,
        config: &Config,
    ) -> Result<String, KubeconfigError> {
        let field = Some(format!("clusters[{cluster}].server"));
        let server = server.trim();
        if server.is_empty() {
            return Err(self.error(origin, field, Kind::MissingServer));
        }
        let url = if server.contains("://") {
            server.to_owned()
        } else {
            let tls = &config.tls;
            let scheme =
                if tls.ca_data.is_some() || tls.cert_data.is_some() || tls.insecure_skip_tls_verify
                {
                    "https"
                } else {
                    "http"
                };
            format!("{scheme}://{server}")
        };
        let invalid =
            |message: String| self.error(origin, field.clone(), Kind::InvalidValue { message });
        match url::Url::parse(&url) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {
                Ok(url.trim_end_matches('/').to_owned())
            }
            Ok(_) => Err(invalid(format!(
                "server {server:?} is not an http(s) URL with a host; write it as https://host:port"
            ))),
            Err(e) => Err(invalid(format!(
                "server {server:?} is not a URL ({e}); write it as https://host:port"
            ))),
        }
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}
