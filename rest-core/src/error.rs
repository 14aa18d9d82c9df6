//! `Error`: everything a request can fail with. API failures carry the server's `Status`.

use crate::kubeconfig::KubeconfigError;

/// Every failure rest-core reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A kubeconfig could not be read or used.
    #[error(transparent)]
    Kubeconfig(#[from] KubeconfigError),
}
