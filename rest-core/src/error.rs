//! `Error`: everything a request can fail with. API failures carry the server's `Status`,
//! and the `is_*` helpers answer client-go's `errors.IsNotFound` family for both.

use std::sync::Arc;
use std::time::Duration;

use crate::exec::ExecError;
use crate::kubeconfig::KubeconfigError;
use crate::meta::Status;
use crate::warnings::WarningHeader;

/// Every failure rest-core reports.
///
/// Match on the variant for the transport's failures, or ask the `is_*` helpers, which read
/// the server's `Status` reason (or the bare HTTP code) as client-go's `errors.Is*` do.
///
/// ```
/// # #[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
/// # struct ConfigMap {
/// #     #[serde(default)]
/// #     metadata: rest_core::ObjectMeta,
/// #     #[serde(default)]
/// #     data: std::collections::BTreeMap<String, String>,
/// # }
/// # impl rest_core::Resource for ConfigMap {
/// #     const GROUP: &'static str = "";
/// #     const VERSION: &'static str = "v1";
/// #     const API_VERSION: &'static str = "v1";
/// #     const KIND: &'static str = "ConfigMap";
/// #     const PLURAL: &'static str = "configmaps";
/// #     const SCOPE: rest_core::Scope = rest_core::Scope::Namespaced;
/// #     fn metadata(&self) -> &rest_core::ObjectMeta { &self.metadata }
/// #     fn metadata_mut(&mut self) -> &mut rest_core::ObjectMeta { &mut self.metadata }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = fixtures::ApiServer::builder().seed(fixtures::seed_pods()).start().await;
/// # let client = rest_core::RestClient::for_config(&rest_core::Config::new(server.url()))?;
/// // ConfigMap: a generated type, or any impl of Resource (ResourceClient shows one).
/// use rest_core::{CreateOptions, GetOptions, ResourceClient};
///
/// let config_maps = ResourceClient::<ConfigMap>::namespaced(&client, "default");
/// let err = config_maps.get("nope", &GetOptions::default()).await.unwrap_err();
/// assert!(err.is_not_found());
/// assert_eq!(err.code(), Some(404));
/// let status = err.status().expect("the server's Status");
/// assert_eq!(status.message.as_deref(), Some(r#"configmaps "nope" not found"#));
///
/// let mut cm = ConfigMap::default();
/// cm.metadata.name = Some("once".into());
/// config_maps.create(&cm, &CreateOptions::default()).await?;
/// let again = config_maps.create(&cm, &CreateOptions::default()).await.unwrap_err();
/// assert!(again.is_already_exists());
/// // Messages say where: the verb, the URL and the server's message.
/// assert!(again.to_string().starts_with("POST http://"));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A kubeconfig could not be read or used.
    #[error(transparent)]
    Kubeconfig(#[from] KubeconfigError),

    /// An exec credential plugin could not provide credentials (not installed, failed,
    /// printed something unusable).
    #[error(transparent)]
    Exec(#[from] ExecError),

    /// The `Config` cannot make a client (bad host, unreadable token file, bad PEM, ...).
    #[error("invalid client configuration: {message}")]
    Config { message: String },

    /// The request was built wrong (a builder error deferred to send time, as client-go does).
    #[error("invalid request: {message}")]
    InvalidRequest { message: String },

    /// The server answered with a `Status` describing a failure.
    #[error("{verb} {url}: {status}")]
    Api {
        status: Box<Status>,
        verb: String,
        url: String,
    },

    /// The server answered with an error code but no `Status` body.
    #[error("{verb} {url}: the server answered {code} {}{}{excerpt}", reason_phrase(*.code), if .excerpt.is_empty() { "" } else { ": " })]
    UnexpectedResponse {
        code: u16,
        verb: String,
        url: String,
        /// The start of the body, at most `EXCERPT_LIMIT` bytes, lossily decoded.
        excerpt: String,
        retry_after: Option<Duration>,
    },

    /// No response: the connection failed, was refused, or was reset.
    #[error("{verb} {url}: {detail}")]
    Http {
        verb: String,
        url: String,
        /// The whole chain of causes, innermost last.
        detail: String,
        #[source]
        source: Arc<dyn std::error::Error + Send + Sync>,
    },

    /// The request (all its tries) took longer than its timeout.
    #[error("{verb} {url}: no complete answer within the {timeout:?} timeout")]
    Timeout {
        verb: String,
        url: String,
        timeout: Duration,
    },

    /// The response body broke off while being read.
    #[error("{verb} {url}: reading the response body failed, the connection may have been closed (retry): {detail}")]
    Body {
        verb: String,
        url: String,
        detail: String,
    },

    /// The body ended before the length the server announced.
    #[error("{verb} {url}: response body truncated: received {received} of the {expected} bytes announced by Content-Length")]
    TruncatedBody {
        verb: String,
        url: String,
        expected: u64,
        received: u64,
    },

    /// The body is not the JSON the caller expected.
    #[error("{verb} {url}: cannot decode the response as {target}: {source}{}{excerpt}", if .excerpt.is_empty() { "" } else { "; body starts with: " })]
    Decode {
        verb: String,
        url: String,
        target: String,
        excerpt: String,
        #[source]
        source: Arc<serde_json::Error>,
    },

    /// The body has a content type rest-core cannot decode, or is empty.
    #[error("{verb} {url}: cannot decode a {code} response as {target}: {problem}")]
    NotDecodable {
        verb: String,
        url: String,
        code: u16,
        target: String,
        problem: String,
    },

    /// The warning handler turns warnings into failures (`WarningsAsErrors`).
    #[error("{verb} {url}: the server sent {} warning(s): {}", .warnings.len(), join_warnings(.warnings))]
    Warnings {
        verb: String,
        url: String,
        warnings: Vec<WarningHeader>,
    },

    /// The answer is larger than the client's `Limits` allow (a body, or one watch event).
    #[error("{verb} {url}: the {what} is larger than the {limit}-byte limit{}; raise `Config::limits` if the server is right to send this much", announced.map(|n| format!(" (the server announced {n} bytes)")).unwrap_or_default())]
    ResponseTooLarge {
        verb: String,
        url: String,
        /// `"response body"` or `"watch event"`.
        what: &'static str,
        limit: u64,
        /// The `Content-Length` announced, when the answer was refused on it.
        announced: Option<u64>,
    },

    /// Discovery read some group/versions but not these (client-go's
    /// `ErrGroupDiscoveryFailed`); the others were returned.
    #[error("unable to retrieve the complete list of server APIs: {}", join_failed(.failed))]
    GroupDiscoveryFailed {
        failed: Vec<crate::discovery::FailedGroupVersion>,
    },

    /// A name or kind did not map to one resource (see `RestMapper`).
    #[error(transparent)]
    Mapping(#[from] crate::rest_mapper::MappingError),

    /// An object did not convert between its dynamic and typed forms.
    #[error(transparent)]
    Conversion(#[from] crate::dynamic::ConversionError),

    /// A watch or byte stream ended in the middle of an item.
    #[error("{url}: the stream ended in the middle of an event ({pending} bytes without a closing newline)")]
    StreamTruncated { url: String, pending: usize },
}

fn join_failed(failed: &[crate::discovery::FailedGroupVersion]) -> String {
    let parts: Vec<String> = failed
        .iter()
        .map(|f| format!("{}: {}", f.group_version, f.error))
        .collect();
    parts.join(", ")
}

/// How much of a non-`Status` error body an error keeps.
pub const EXCERPT_LIMIT: usize = 512;

/// Reasons client-go knows; an unknown reason falls back to the HTTP code in the `is_*` checks.
const KNOWN_REASONS: &[&str] = &[
    "Unauthorized",
    "Forbidden",
    "NotFound",
    "AlreadyExists",
    "Conflict",
    "Gone",
    "Invalid",
    "ServerTimeout",
    "StoreReadError",
    "Timeout",
    "TooManyRequests",
    "BadRequest",
    "MethodNotAllowed",
    "NotAcceptable",
    "RequestEntityTooLarge",
    "UnsupportedMediaType",
    "InternalError",
    "Expired",
    "ServiceUnavailable",
];

impl Error {
    /// An API error from a `Status` met outside a response (a watch `ERROR` event).
    pub fn from_status(status: Status) -> Error {
        Error::Api {
            status: Box::new(status),
            verb: String::new(),
            url: String::new(),
        }
    }

    /// The server's `Status`, for API failures.
    pub fn status(&self) -> Option<&Status> {
        match self {
            Error::Api { status, .. } => Some(status),
            _ => None,
        }
    }

    /// The HTTP code of a failure the server answered, from the `Status` or the response.
    pub fn code(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } => u16::try_from(status.code()).ok().filter(|c| *c != 0),
            Error::UnexpectedResponse { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The `Status` reason (`NotFound`, ...), or for a body without `Status` the reason
    /// client-go would give its code; `""` when neither applies.
    pub fn reason(&self) -> &str {
        match self {
            Error::Api { status, .. } if !status.reason().is_empty() => status.reason(),
            _ => self.code().map(reason_for_code).unwrap_or(""),
        }
    }

    /// How long the server asked to wait before retrying (`Retry-After`, `retryAfterSeconds`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { status, .. } => status
                .retry_after_seconds()
                .and_then(|s| u64::try_from(s).ok())
                .map(Duration::from_secs),
            Error::UnexpectedResponse { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The reason is `reason`, or the reason is unknown and the code is `code` (client-go's rule).
    fn is_reason(&self, reason: &str, code: u16) -> bool {
        let own = self.reason();
        own == reason || (!KNOWN_REASONS.contains(&own) && self.code() == Some(code))
    }

    pub fn is_not_found(&self) -> bool {
        self.is_reason("NotFound", 404)
    }
    pub fn is_already_exists(&self) -> bool {
        self.reason() == "AlreadyExists"
    }
    pub fn is_conflict(&self) -> bool {
        self.is_reason("Conflict", 409)
    }
    pub fn is_invalid(&self) -> bool {
        self.is_reason("Invalid", 422)
    }
    pub fn is_forbidden(&self) -> bool {
        self.is_reason("Forbidden", 403)
    }
    pub fn is_unauthorized(&self) -> bool {
        self.is_reason("Unauthorized", 401)
    }
    pub fn is_too_many_requests(&self) -> bool {
        self.is_reason("TooManyRequests", 429)
    }
    pub fn is_bad_request(&self) -> bool {
        self.is_reason("BadRequest", 400)
    }
    pub fn is_method_not_allowed(&self) -> bool {
        self.is_reason("MethodNotAllowed", 405)
    }
    pub fn is_internal_error(&self) -> bool {
        self.is_reason("InternalError", 500)
    }
    pub fn is_service_unavailable(&self) -> bool {
        self.is_reason("ServiceUnavailable", 503)
    }
    /// The server timed out (`ServerTimeout`, or `Timeout`/504).
    pub fn is_server_timeout(&self) -> bool {
        self.reason() == "ServerTimeout" || self.is_reason("Timeout", 504)
    }
    /// The client gave up waiting (the request's timeout).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }
    /// 410: the resource version is gone (`Gone`) or compacted away (`Expired`); a watcher
    /// must list again.
    pub fn is_gone(&self) -> bool {
        self.reason() == "Expired" || self.is_reason("Gone", 410)
    }
    /// 410 `Expired` only (client-go's `IsResourceExpired`).
    pub fn is_resource_expired(&self) -> bool {
        self.reason() == "Expired"
    }
    /// No response came: connection refused, reset, or closed early.
    pub fn is_connection(&self) -> bool {
        matches!(self, Error::Http { .. })
    }
    /// The answer was larger than the client's `Limits` allow.
    pub fn is_too_large(&self) -> bool {
        matches!(self, Error::ResponseTooLarge { .. })
    }
}

/// The reason client-go's `NewGenericServerResponse` gives a code.
fn reason_for_code(code: u16) -> &'static str {
    match code {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Gone",
        413 => "RequestEntityTooLarge",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "",
    }
}

fn reason_phrase(code: u16) -> &'static str {
    http::StatusCode::from_u16(code)
        .ok()
        .and_then(|c| c.canonical_reason())
        .unwrap_or("")
}

fn join_warnings(warnings: &[WarningHeader]) -> String {
    let texts: Vec<&str> = warnings.iter().map(|w| w.text.as_str()).collect();
    texts.join("; ")
}

/// At most `EXCERPT_LIMIT` bytes of `body`, cut at a character boundary.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let cut = &body[..body.len().min(EXCERPT_LIMIT)];
    let mut text = String::from_utf8_lossy(cut).into_owned();
    if body.len() > EXCERPT_LIMIT {
        // The cut may have split a multi-byte character; lossy decoding marks it, drop it.
        while text.ends_with('\u{FFFD}') {
            text.pop();
        }
        text.push_str(&format!("... ({} bytes in all)", body.len()));
    }
    text.trim_end().to_owned()
}

impl Clone for Error {
    /// Responses hand their error out by reference and by value (`decode`), so errors clone;
    /// the sources that are not `Clone` (hyper, serde_json) are shared through `Arc`.
    fn clone(&self) -> Self {
        match self {
            Error::Kubeconfig(e) => Error::Kubeconfig(e.clone()),
            Error::Exec(e) => Error::Exec(e.clone()),
            Error::Config { message } => Error::Config {
                message: message.clone(),
            },
            Error::InvalidRequest { message } => Error::InvalidRequest {
                message: message.clone(),
            },
            Error::Api { status, verb, url } => Error::Api {
                status: status.clone(),
                verb: verb.clone(),
                url: url.clone(),
            },
            Error::UnexpectedResponse {
                code,
                verb,
                url,
                excerpt,
                retry_after,
            } => Error::UnexpectedResponse {
                code: *code,
                verb: verb.clone(),
                url: url.clone(),
                excerpt: excerpt.clone(),
                retry_after: *retry_after,
            },
            Error::Http {
                verb,
                url,
                detail,
                source,
            } => Error::Http {
                verb: verb.clone(),
                url: url.clone(),
                detail: detail.clone(),
                source: source.clone(),
            },
            Error::Timeout { verb, url, timeout } => Error::Timeout {
                verb: verb.clone(),
                url: url.clone(),
                timeout: *timeout,
            },
            Error::Body { verb, url, detail } => Error::Body {
                verb: verb.clone(),
                url: url.clone(),
                detail: detail.clone(),
            },
            Error::TruncatedBody {
                verb,
                url,
                expected,
                received,
            } => Error::TruncatedBody {
                verb: verb.clone(),
                url: url.clone(),
                expected: *expected,
                received: *received,
            },
            Error::Decode {
                verb,
                url,
                target,
                excerpt,
                source,
            } => Error::Decode {
                verb: verb.clone(),
                url: url.clone(),
                target: target.clone(),
                excerpt: excerpt.clone(),
                source: source.clone(),
            },
            Error::NotDecodable {
                verb,
                url,
                code,
                target,
                problem,
            } => Error::NotDecodable {
                verb: verb.clone(),
                url: url.clone(),
                code: *code,
                target: target.clone(),
                problem: problem.clone(),
            },
            Error::Warnings {
                verb,
                url,
                warnings,
            } => Error::Warnings {
                verb: verb.clone(),
                url: url.clone(),
                warnings: warnings.clone(),
            },
            Error::ResponseTooLarge {
                verb,
                url,
                what,
                limit,
                announced,
            } => Error::ResponseTooLarge {
                verb: verb.clone(),
                url: url.clone(),
                what,
                limit: *limit,
                announced: *announced,
            },
            Error::StreamTruncated { url, pending } => Error::StreamTruncated {
                url: url.clone(),
                pending: *pending,
            },
            Error::GroupDiscoveryFailed { failed } => Error::GroupDiscoveryFailed {
                failed: failed.clone(),
            },
            Error::Mapping(e) => Error::Mapping(e.clone()),
            Error::Conversion(e) => Error::Conversion(e.clone()),
        }
    }
}
