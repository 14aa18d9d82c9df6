//! When to try again, as client-go's `withRetry`: a 429 or 5xx carrying `Retry-After` (any
//! verb), or a GET whose connection was reset or closed early; at most `max_retries` times.

use std::error::Error as StdError;
use std::time::Duration;

use http::{HeaderMap, Method, StatusCode};
use hyper_util::client::legacy;

use crate::transport::HttpResponse;

/// Counts tries and decides whether the outcome of the last one calls for another.
#[derive(Debug)]
pub(crate) struct Retry {
    max_retries: u32,
    retries: u32,
}

/// Why a retry happens, for the metrics hook and the log.
pub(crate) struct NextTry {
    pub wait: Duration,
    /// The HTTP code that caused it, or `"<error>"` for a dropped connection.
    pub cause: String,
}

impl Retry {
    pub(crate) fn new(max_retries: u32) -> Retry {
        Retry {
            max_retries,
            retries: 0,
        }
    }

    /// Retries made so far.
    pub(crate) fn retries(&self) -> u32 {
        self.retries
    }

    /// The wait before another try, or `None` when this outcome is final.
    pub(crate) fn next(
        &mut self,
        method: &Method,
        outcome: &Result<HttpResponse, legacy::Error>,
    ) -> Option<NextTry> {
        if self.retries >= self.max_retries {
            return None;
        }
        let next = match outcome {
            // Writes are not idempotent: a write may have happened before the connection broke.
            Err(err) if *method == Method::GET && is_probable_eof(err) => NextTry {
                wait: Duration::ZERO,
                cause: "<error>".to_owned(),
            },
            Err(_) => return None,
            Ok(resp) => {
                let wait = retry_wait(resp.status(), resp.headers())?;
                NextTry {
                    wait,
                    cause: resp.status().as_u16().to_string(),
                }
            }
        };
        self.retries += 1;
        Some(next)
    }
}

/// client-go's `checkWait`: 429 and 5xx are retried only when they say when.
pub(crate) fn retry_wait(status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        retry_after(headers)
    } else {
        None
    }
}

/// `Retry-After` in whole seconds (the only form the API server sends).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    let secs: u64 = text.trim().parse().ok()?;
    Some(Duration::from_secs(secs))
}

/// client-go's `IsConnectionReset || IsProbableEOF`: the connection was reset, or closed
/// before a complete answer.
pub(crate) fn is_probable_eof(err: &(dyn StdError + 'static)) -> bool {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(
                io.kind(),
                ConnectionReset | ConnectionAborted | UnexpectedEof | BrokenPipe
            ) {
                return true;
            }
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>() {
            if h.is_incomplete_message() || h.is_closed() {
                return true;
            }
        }
        current = e.source();
    }
    false
}

/// The error and all its causes, for messages (hyper's own text omits the causes).
pub(crate) fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut text = err.to_string();
    let mut current = err.source();
    while let Some(e) = current {
        let more = e.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        current = e.source();
    }
    text
}
