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

    /// The kubeconfig file; `None` for text given directly.
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
