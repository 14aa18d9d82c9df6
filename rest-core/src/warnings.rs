//! `Warning` response headers (RFC 7234 `299 - "text"`) and the handlers that receive them,
//! as client-go's `warnings.go`.

/// One parsed `Warning` header value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarningHeader {
    pub code: u16,
    pub agent: String,
    pub text: String,
}

/// Receives every warning the server sends.
pub trait WarningHandler: Send + Sync {
    fn handle_warning(&self, warning: &WarningHeader);
}
