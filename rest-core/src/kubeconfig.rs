//! kubectl's kubeconfig files: parsing, context selection, and lowering into a `Config`.

/// A kubeconfig that could not be read or used, naming the file, the context and the field.
#[derive(Debug, thiserror::Error)]
#[error("kubeconfig: {message}")]
pub struct KubeconfigError {
    pub message: String,
}
