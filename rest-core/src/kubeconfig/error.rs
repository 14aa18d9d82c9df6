//! `KubeconfigError`: what was wrong with a kubeconfig, where (file, context, field), and
//! what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A kubeconfig that could not be read or used, naming the file, the context and the field.
///
/// Boxed so that `rest_core::Error`, which carries it, stays small on the hot path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeconfigError(Box<Details>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Details {
    path: Option<PathBuf>,
    context: Option<String>,
    field: Option<String>,
    kind: KubeconfigErrorKind,
}

/// The ways a kubeconfig can be unusable. Each message ends with what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KubeconfigErrorKind {
    #[error("cannot read it: {message}; check the path (or KUBECONFIG)")]
    Read { message: String },
    #[error("not a valid kubeconfig: {message}")]
    Parse { message: String },
    #[error("no context was given and current-context is not set; name one of the contexts ({})", list(.available))]
    NoContext { available: Vec<String> },
    #[error("context {name:?} not found; use one of: {}", list(.available))]
    ContextNotFound {
        name: String,
        available: Vec<String>,
    },
    #[error("the context names no cluster; set contexts[].context.cluster")]
    NoCluster,
    #[error("cluster {name:?} not found; add it under clusters or use one of: {}", list(.available))]
    ClusterNotFound {
        name: String,
        available: Vec<String>,
    },
    #[error("user {name:?} not found; add it under users or use one of: {}", list(.available))]
    UserNotFound {
        name: String,
        available: Vec<String>,
    },
    #[error("no server URL; set it to the API server's address (https://host:port)")]
    MissingServer,
    #[error("{message}")]
    InvalidValue { message: String },
    #[error("not valid base64 ({message}); it must hold the base64 of the PEM file, or use the field without -data and a path")]
    InvalidBase64 { message: String },
    #[error("cannot read {file}: {message}; fix the path (a relative path is relative to the kubeconfig's folder)")]
    ReadFile { file: PathBuf, message: String },
    #[error("both {first} and {second} are set; keep only one")]
    Conflict {
        first: &'static str,
        second: &'static str,
    },
    #[error("{present} is set but {missing} is not; set both")]
    Incomplete {
        present: &'static str,
        missing: &'static str,
    },
    #[error(
        "{what} is not supported yet; use a token (token or tokenFile) or a client certificate"
    )]
    Unsupported { what: &'static str },
    #[error("{section} lists {name:?} twice; names must be unique within a file")]
    DuplicateName { section: &'static str, name: String },
    #[error("more than one authentication method found ({}); keep only one", .found.join(", "))]
    MultipleAuthMethods { found: Vec<&'static str> },
    #[error("uid, groups or user-extra are set for impersonation but no user is; set `as` too")]
    ImpersonationWithoutUser,
    #[error("the exec credential plugin is not usable: {message}")]
    Exec { message: String },
    #[error("auth-provider {name:?} is not supported; use an exec credential plugin instead (gcp: gke-gcloud-auth-plugin, azure: kubelogin, oidc: kubelogin/oidc-login)")]
    AuthProvider { name: String },
    #[error("no configuration found: {}; and not running in a cluster (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not both set, or {} does not exist); set KUBECONFIG or create ~/.kube/config", describe_files(.files), .token_file.display())]
    NoConfiguration {
        /// The kubeconfig files looked for (missing or empty).
        files: Vec<PathBuf>,
        /// The service-account token in-cluster configuration needs.
        token_file: PathBuf,
    },
}

fn describe_files(paths: &[PathBuf]) -> String {
    match paths {
        [] => "no kubeconfig file to read (no KUBECONFIG, no home folder)".to_owned(),
        [one] => format!("{} is missing or empty", one.display()),
        many => {
            let names: Vec<String> = many.iter().map(|p| p.display().to_string()).collect();
            format!("{} are missing or empty", names.join(", "))
        }
    }
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "(the file defines none)".to_owned()
    } else {
        names.join(", ")
    }
}

impl KubeconfigError {
    pub(crate) fn new(
        path: Option<PathBuf>,
        context: Option<String>,
        field: Option<String>,
        kind: KubeconfigErrorKind,
    ) -> Self {
        KubeconfigError(Box::new(Details {
            path,
            context,
            field,
            kind,
        }))
    }

    /// The kubeconfig file; for a merged config, its files joined as in `KUBECONFIG`;
    /// `None` for text given directly.
    pub fn path(&self) -> Option<&Path> {
        self.0.path.as_deref()
    }

    /// The context being used, once known.
    pub fn context(&self) -> Option<&str> {
        self.0.context.as_deref()
    }

    /// The entry and field at fault, as `users[alice].client-key-data`.
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// What went wrong.
    pub fn kind(&self) -> &KubeconfigErrorKind {
        &self.0.kind
    }
}

impl fmt::Display for KubeconfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        f.write_str("kubeconfig")?;
        if let Some(path) = &d.path {
            write!(f, " {}", path.display())?;
        }
        if let Some(context) = &d.context {
            write!(f, ", context {context:?}")?;
        }
        if let Some(field) = &d.field {
            write!(f, ", {field}")?;
        }
        write!(f, ": {}", d.kind)
    }
}

impl std::error::Error for KubeconfigError {}
