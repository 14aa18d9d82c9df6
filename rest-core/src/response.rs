//! `Response`: client-go's `Result`. Holds the body once, the status code, content type,
//! warnings and the error (from a `Status` body or the code); decodes on demand.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;

use crate::body::Origin;
use crate::error::{excerpt, Error};
use crate::meta::Status;
use crate::retry::retry_after;
use crate::warnings::{parse_warning_headers, WarningHandler, WarningHeader};

/// The outcome of `Request::send`: the body, read once, and what went wrong if anything
/// did (`send` never returns `Err`: the error is here, for [`error`](Self::error),
/// [`into_result`](Self::into_result) and [`decode`](Self::decode)).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = fixtures::ApiServer::builder().seed(fixtures::seed_pods()).start().await;
/// # let client = rest_core::RestClient::for_config(&rest_core::Config::new(server.url()))?;
/// use rest_core::{List, ObjectMeta};
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct Pod { metadata: ObjectMeta }
///
/// let response = client.get().namespace("default").resource("pods").send().await;
/// assert_eq!(response.status_code(), 200);
/// assert_eq!(response.content_type(), Some("application/json"));
/// let pods: List<Pod> = response.decode()?;
/// assert_eq!(pods.items.len(), 7);
///
/// // A failed call is a Response too: its error is the server's Status.
/// let missing = client.get().namespace("default").resource("pods").name("nope").send().await;
/// assert_eq!(missing.status_code(), 404);
/// assert!(missing.error().is_some_and(|e| e.is_not_found()));
/// assert!(missing.decode::<Pod>().is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Response {
    status: Option<StatusCode>,
    /// Kept as the header value (moved out of the response, not copied).
    content_type: Option<HeaderValue>,
    body: Bytes,
    warnings: Vec<WarningHeader>,
    error: Option<Error>,
    origin: Origin,
}

impl Response {
    /// A response that never reached the server, or whose body could not be read.
    pub(crate) fn failed(error: Error, origin: Origin) -> Response {
        Response {
            status: None,
            content_type: None,
            body: Bytes::new(),
            warnings: Vec::new(),
            error: Some(error),
            origin,
        }
    }

    /// client-go's `transformResponse`: a non-2xx answer becomes the error its `Status`
    /// body describes, or an error with the code and a body excerpt when it has none.
    pub(crate) fn from_parts(
        status: StatusCode,
        mut headers: HeaderMap,
        body: Bytes,
        origin: Origin,
        handler: &dyn WarningHandler,
    ) -> Response {
        let content_type = headers
            .remove(http::header::CONTENT_TYPE)
            .filter(|v| v.to_str().is_ok());
        let warnings = parse_warning_headers(&headers);
        for warning in &warnings {
            handler.handle_warning(warning);
        }
        let error = if status.is_success() || status == StatusCode::SWITCHING_PROTOCOLS {
            (handler.fails_request() && !warnings.is_empty()).then(|| Error::Warnings {
                verb: origin.verb.to_string(),
                url: origin.url.clone(),
                warnings: warnings.clone(),
            })
        } else {
            Some(error_for(
                status,
                &headers,
                content_type.as_ref().and_then(|v| v.to_str().ok()),
                &body,
                &origin,
            ))
        };
        Response {
            status: Some(status),
            content_type,
            body,
            warnings,
            error,
            origin,
        }
    }

    /// The HTTP status code, or 0 when no response arrived.
    pub fn status_code(&self) -> u16 {
        self.status.map(|s| s.as_u16()).unwrap_or(0)
    }

    /// The `Content-Type` the server sent.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_ref().and_then(|v| v.to_str().ok())
    }

    /// The body as received (empty when there was none).
    pub fn raw(&self) -> &[u8] {
        &self.body
    }

    /// The body, without copying it.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// The warnings the server sent with this response.
    pub fn warnings(&self) -> &[WarningHeader] {
        &self.warnings
    }

    /// Why the call failed, if it did.
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// `Err` when the call failed, else the response itself.
    pub fn into_result(self) -> Result<Response, Error> {
        match self.error {
            Some(err) => Err(err),
            None => Ok(self),
        }
    }

    /// The body decoded as `T` (client-go's `Into`), or the call's error.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        if let Some(err) = &self.error {
            return Err(err.clone());
        }
        decode_body(
            &self.body,
            self.content_type(),
            self.status_code(),
            &self.origin,
        )
    }
}

#[cfg(feature = "protobuf")]
impl Response {
    /// The body as `T`, by the content type the server actually sent: protobuf through
    /// `decode`, anything else as `decode` does (a server may answer JSON when asked for both).
    pub(crate) fn decode_negotiated<T: DeserializeOwned>(
        &self,
        decode: fn(&[u8]) -> Result<T, crate::protobuf::DecodeError>,
    ) -> Result<T, Error> {
        if let Some(err) = &self.error {
            return Err(err.clone());
        }
        match self.content_type() {
            Some(ct) if crate::protobuf::is_protobuf(ct) => {
                decode(&self.body).map_err(|e| Error::NotDecodable {
                    verb: self.origin.verb.to_string(),
                    url: self.origin.url.clone(),
                    code: self.status_code(),
                    target: std::any::type_name::<T>().to_owned(),
                    problem: e.to_string(),
                })
            }
            _ => self.decode(),
        }
    }

    /// Whether the body is protobuf (what the server sent, not what was asked for).
    pub(crate) fn is_protobuf(&self) -> bool {
        self.content_type()
            .is_some_and(crate::protobuf::is_protobuf)
    }
}

/// Decodes a JSON body as `T`, naming the type, the call and the start of the body on failure.
pub(crate) fn decode_body<T: DeserializeOwned>(
    body: &[u8],
    content_type: Option<&str>,
    code: u16,
    origin: &Origin,
) -> Result<T, Error> {
    let not_decodable = |problem: String| Error::NotDecodable {
        verb: origin.verb.to_string(),
        url: origin.url.clone(),
        code,
        target: std::any::type_name::<T>().to_owned(),
        problem,
    };
    if body.is_empty() {
        return Err(not_decodable(format!(
            "the body is empty (content type {})",
            content_type.unwrap_or("none")
        )));
    }
    if let Some(ct) = content_type.filter(|ct| !is_json(ct)) {
        return Err(not_decodable(format!(
            "the server responded with content type {ct:?}, not JSON"
        )));
    }
    decode_json(body).map_err(|e| Error::Decode {
        verb: origin.verb.to_string(),
        url: origin.url.clone(),
        target: std::any::type_name::<T>().to_owned(),
        excerpt: excerpt(&body[..body.len().min(200)]),
        source: e.into(),
    })
}

/// Decodes JSON bytes as `T` with the decoder `Response::decode` uses, for callers that hold
/// a body already (and for the benchmarks, which compare decoders on the same bytes).
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    // JSON is UTF-8: checking the whole body at once (a fast bulk pass) lets serde_json read
    // strings without checking each again, which `from_slice` does one string at a time.
    let text = std::str::from_utf8(body).map_err(|e| {
        <serde_json::Error as serde::de::Error>::custom(format!("the body is not UTF-8: {e}"))
    })?;
    serde_json::from_str(text)
}

/// `application/json`, `application/merge-patch+json` and the like.
pub(crate) fn is_json(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or("").trim();
    // Bytes, not `str` slicing: a non-ASCII media type must not split a character.
    let bytes = media.as_bytes();
    let plus_json = bytes.len() >= 5 && bytes[bytes.len() - 5..].eq_ignore_ascii_case(b"+json");
    media.eq_ignore_ascii_case("application/json") || plus_json || media == "*/*"
}

/// The error a non-2xx answer stands for.
pub(crate) fn error_for(
    status: StatusCode,
    headers: &HeaderMap,
    content_type: Option<&str>,
    body: &[u8],
    origin: &Origin,
) -> Error {
    // The body's `Status`, in the encoding the server sent.
    let mut decoded = None;
    #[cfg(feature = "protobuf")]
    if content_type.is_some_and(crate::protobuf::is_protobuf) {
        decoded = crate::protobuf::decode_object::<Status>(body).ok();
    }
    if content_type.is_none_or(is_json) {
        decoded = serde_json::from_slice::<Status>(body).ok();
    }
    if let Some(mut decoded) = decoded.filter(|d| d.kind.as_deref() == Some("Status")) {
        if decoded.code() == 0 {
            decoded.code = Some(i32::from(status.as_u16()));
        }
        return Error::Api {
            status: Box::new(decoded),
            verb: origin.verb.to_string(),
            url: origin.url.clone(),
        };
    }
    Error::UnexpectedResponse {
        code: status.as_u16(),
        verb: origin.verb.to_string(),
        url: origin.url.clone(),
        excerpt: excerpt(body),
        retry_after: retry_after(headers),
    }
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn json_media_types_in_any_case() {
        for ct in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/merge-patch+json",
            "application/apply-patch+JSON",
            "*/*",
        ] {
            assert!(is_json(ct), "{ct}");
        }
        for ct in [
            "application/yaml",
            "text/plain",
            "application/vnd.kubernetes.protobuf",
            "é",
            "json",
        ] {
            assert!(!is_json(ct), "{ct}");
        }
    }
}
