//! kubectl's kubeconfig files: parsing, context selection, and lowering into a `Config`.
//! Exec credential plugins, auth providers and in-cluster config are not handled here yet.

mod error;
mod file;

use std::fs;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

use crate::config::{Config, Secret};
use crate::Error;

pub use error::{KubeconfigError, KubeconfigErrorKind};
use file::{Cluster, KubeconfigFile, User};

use KubeconfigErrorKind as Kind;

impl Config {
    /// Reads a kubeconfig file as kubectl does and builds the `Config` of `context`
    /// (`None`: the file's `current-context`). Relative paths in the file are relative to
    /// the file's folder; `*-data` fields are base64.
    pub fn from_kubeconfig(path: impl AsRef<Path>, context: Option<&str>) -> Result<Config, Error> {
        let path = path.as_ref();
        let text = fs::read_to_string(path).map_err(|e| {
            KubeconfigError::new(
                Some(path.to_path_buf()),
                None,
                None,
                Kind::Read {
                    message: e.to_string(),
                },
            )
        })?;
        let base_dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        Loader {
            path: Some(path.to_path_buf()),
            base_dir: base_dir.to_path_buf(),
            context: None,
        }
        .load(&text, context)
        .map_err(Error::from)
    }

    /// Like [`Config::from_kubeconfig`] for kubeconfig text already in memory; relative
    /// paths in it are resolved against `base_dir`.
    pub fn from_kubeconfig_str(
        yaml: &str,
        base_dir: impl AsRef<Path>,
        context: Option<&str>,
    ) -> Result<Config, Error> {
        Loader {
            path: None,
            base_dir: base_dir.as_ref().to_path_buf(),
            context: None,
        }
        .load(yaml, context)
        .map_err(Error::from)
    }
}

/// One kubeconfig being lowered; carries what every error must name.
struct Loader {
    path: Option<PathBuf>,
    base_dir: PathBuf,
    context: Option<String>,
}

impl Loader {
    fn error(&self, field: Option<String>, kind: KubeconfigErrorKind) -> KubeconfigError {
        KubeconfigError::new(self.path.clone(), self.context.clone(), field, kind)
    }

    fn load(mut self, text: &str, context: Option<&str>) -> Result<Config, KubeconfigError> {
        let file: KubeconfigFile = if text.trim().is_empty() {
            KubeconfigFile::default()
        } else {
            serde_norway::from_str(text).map_err(|e| {
                self.error(
                    None,
                    Kind::Parse {
                        message: e.to_string(),
                    },
                )
            })?
        };

        let context_name = match context {
            Some(name) => name.to_owned(),
            None if !file.current_context.is_empty() => file.current_context.clone(),
            None => {
                let available = file.contexts.iter().map(|c| c.name.clone()).collect();
                return Err(self.error(None, Kind::NoContext { available }));
            }
        };
        self.context = Some(context_name.clone());
        let Some(named) = file.contexts.iter().find(|c| c.name == context_name) else {
            let available = file.contexts.iter().map(|c| c.name.clone()).collect();
            return Err(self.error(
                None,
                Kind::ContextNotFound {
                    name: context_name,
                    available,
                },
            ));
        };
        let ctx = named.context.as_ref();
        let cluster_name = ctx.map(|c| c.cluster.as_str()).unwrap_or_default();
        let user_name = ctx.map(|c| c.user.as_str()).unwrap_or_default();
        let context_field = format!("contexts[{context_name}].context");

        if cluster_name.is_empty() {
            return Err(self.error(Some(format!("{context_field}.cluster")), Kind::NoCluster));
        }
        let Some(cluster) = file.clusters.iter().find(|c| c.name == cluster_name) else {
            let available = file.clusters.iter().map(|c| c.name.clone()).collect();
            return Err(self.error(
                Some(format!("{context_field}.cluster")),
                Kind::ClusterNotFound {
                    name: cluster_name.to_owned(),
                    available,
                },
            ));
        };
        let default_cluster = Cluster::default();
        let cluster_info = cluster.cluster.as_ref().unwrap_or(&default_cluster);

        let mut config = Config::new(String::new());
        self.apply_cluster(&mut config, cluster_name, cluster_info)?;

        // A context without a user talks to the server anonymously, as kubectl does.
        if !user_name.is_empty() {
            let Some(user) = file.users.iter().find(|u| u.name == user_name) else {
                let available = file.users.iter().map(|u| u.name.clone()).collect();
                return Err(self.error(
                    Some(format!("{context_field}.user")),
                    Kind::UserNotFound {
                        name: user_name.to_owned(),
                        available,
                    },
                ));
            };
            if let Some(info) = &user.user {
                self.apply_user(&mut config, user_name, info)?;
            }
        }

        config.host = self.server_url(cluster_name, &cluster_info.server, &config)?;
        if let Some(namespace) = ctx.and_then(|c| c.namespace.as_deref()) {
            if !namespace.is_empty() {
                config.default_namespace = namespace.to_owned();
            }
        }
        tracing::debug!(
            kubeconfig = ?self.path,
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
    ) -> Result<(), KubeconfigError> {
        let at = |field: &str| Some(format!("clusters[{name}].{field}"));
        config.tls.ca_data = self.data_or_file(
            name,
            "clusters",
            "certificate-authority-data",
            cluster.certificate_authority_data.as_deref(),
            "certificate-authority",
            cluster.certificate_authority.as_deref(),
        )?;
        if cluster.insecure_skip_tls_verify && config.tls.ca_data.is_some() {
            // client-go refuses this too: verification is either skipped or done with the CA.
            return Err(self.error(
                at("insecure-skip-tls-verify"),
                Kind::Conflict {
                    first: "insecure-skip-tls-verify",
                    second: "a certificate authority",
                },
            ));
        }
        config.tls.insecure_skip_tls_verify = cluster.insecure_skip_tls_verify;
        config.tls.server_name = cluster
            .tls_server_name
            .as_ref()
            .filter(|s| !s.is_empty())
            .cloned();
        Ok(())
    }

    fn apply_user(
        &self,
        config: &mut Config,
        name: &str,
        user: &User,
    ) -> Result<(), KubeconfigError> {
        let at = |field: &str| Some(format!("users[{name}].{field}"));
        if user.exec.is_some() {
            return Err(self.error(
                at("exec"),
                Kind::Unsupported {
                    what: "an exec credential plugin",
                },
            ));
        }
        if user.auth_provider.is_some() {
            return Err(self.error(
                at("auth-provider"),
                Kind::Unsupported {
                    what: "an auth-provider",
                },
            ));
        }

        // As client-go: an inline token wins; the token file is used only without one.
        match (non_empty(&user.token), non_empty(&user.token_file)) {
            (Some(token), _) => config.credentials.bearer_token = Some(Secret::new(token.into())),
            (None, Some(file)) => {
                let file = self.base_dir.join(file);
                // Fail here, naming the kubeconfig, rather than at the first request.
                fs::File::open(&file).map_err(|e| {
                    self.error(
                        at("tokenFile"),
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
        config.credentials.password = non_empty(&user.password).map(|p| Secret::new(p.into()));

        let cert = self.data_or_file(
            name,
            "users",
            "client-certificate-data",
            user.client_certificate_data.as_deref(),
            "client-certificate",
            user.client_certificate.as_deref(),
        )?;
        let key = self.data_or_file(
            name,
            "users",
            "client-key-data",
            user.client_key_data.as_deref(),
            "client-key",
            user.client_key.as_deref(),
        )?;
        match (&cert, &key) {
            (Some(_), None) => {
                return Err(self.error(
                    at("client-key"),
                    Kind::Incomplete {
                        present: "client-certificate",
                        missing: "client-key (or client-key-data)",
                    },
                ))
            }
            (None, Some(_)) => {
                return Err(self.error(
                    at("client-certificate"),
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
        imp.user = non_empty(&user.as_user).map(str::to_owned);
        imp.uid = non_empty(&user.as_uid).map(str::to_owned);
        imp.groups = user.as_groups.clone();
        imp.extra = user
            .as_user_extra
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(())
    }

    /// The bytes of a `<field>-data` (base64) or `<field>` (a path) pair; setting both is
    /// an error, as in client-go's validation.
    fn data_or_file(
        &self,
        entry: &str,
        section: &str,
        data_field: &'static str,
        data: Option<&str>,
        file_field: &'static str,
        file: Option<&str>,
    ) -> Result<Option<Vec<u8>>, KubeconfigError> {
        let at = |field: &str| Some(format!("{section}[{entry}].{field}"));
        match (
            data.filter(|d| !d.is_empty()),
            file.filter(|f| !f.is_empty()),
        ) {
            (Some(_), Some(_)) => Err(self.error(
                at(data_field),
                Kind::Conflict {
                    first: data_field,
                    second: file_field,
                },
            )),
            (Some(data), None) => decode_base64(data)
                .map(Some)
                .map_err(|message| self.error(at(data_field), Kind::InvalidBase64 { message })),
            (None, Some(file)) => {
                let file = self.base_dir.join(file);
                fs::read(&file).map(Some).map_err(|e| {
                    self.error(
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
        cluster: &str,
        server: &str,
        config: &Config,
    ) -> Result<String, KubeconfigError> {
        let field = Some(format!("clusters[{cluster}].server"));
        let server = server.trim();
        if server.is_empty() {
            return Err(self.error(field, Kind::MissingServer));
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
        match url::Url::parse(&url) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {
                Ok(url.trim_end_matches('/').to_owned())
            }
            Ok(_) => Err(self.error(
                field,
                Kind::InvalidValue {
                    message: format!(
                        "server {server:?} is not an http(s) URL with a host; write it as https://host:port"
                    ),
                },
            )),
            Err(e) => Err(self.error(
                field,
                Kind::InvalidValue {
                    message: format!(
                        "server {server:?} is not a URL ({e}); write it as https://host:port"
                    ),
                },
            )),
        }
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// Standard base64, padded or not, ignoring line breaks (kubeconfigs are hand-edited).
fn decode_base64(data: &str) -> Result<Vec<u8>, String> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let compact: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    LENIENT.decode(compact).map_err(|e| e.to_string())
}
