//! Reading response bodies: whole (one copy at most, sized by `Content-Length`) or as a
//! stream, telling a body cut short from other failures.

use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt};

use crate::error::Error;
use crate::retry::error_chain;

/// Where a body came from, for error messages.
#[derive(Clone, Debug)]
pub(crate) struct Origin {
    pub verb: String,
    pub url: String,
}

impl Origin {
    /// The error for a body that failed after `received` bytes of an announced `expected`.
    pub(crate) fn body_error(
        &self,
        err: &reqwest::Error,
        received: u64,
        expected: Option<u64>,
    ) -> Error {
        match expected {
            Some(expected) if received < expected => Error::TruncatedBody {
                verb: self.verb.clone(),
                url: self.url.clone(),
                expected,
                received,
            },
            _ => Error::Body {
                verb: self.verb.clone(),
                url: self.url.clone(),
                detail: error_chain(err),
            },
        }
    }
}

/// Reads the whole body. A single-chunk body is kept without copying; otherwise chunks are
/// copied once into a buffer sized from `Content-Length`.
pub(crate) async fn read_all(mut resp: reqwest::Response, origin: &Origin) -> Result<Bytes, Error> {
    let expected = resp.content_length();
    let mut first: Option<Bytes> = None;
    let mut buf: Option<BytesMut> = None;
    let mut received: u64 = 0;
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                received += chunk.len() as u64;
                match (&mut first, &mut buf) {
                    (None, None) => first = Some(chunk),
                    (Some(head), None) => {
                        // Cap the pre-allocation: a lying Content-Length must not reserve gigabytes.
                        let hint = expected.unwrap_or(0).min(64 << 20) as usize;
                        let mut joined =
                            BytesMut::with_capacity(hint.max(head.len() + chunk.len()));
                        joined.extend_from_slice(head);
                        joined.extend_from_slice(&chunk);
                        first = None;
                        buf = Some(joined);
                    }
                    (_, Some(joined)) => joined.extend_from_slice(&chunk),
                }
            }
            Ok(None) => break,
            Err(err) => return Err(origin.body_error(&err, received, expected)),
        }
    }
    Ok(match (first, buf) {
        (_, Some(joined)) => joined.freeze(),
        (Some(single), None) => single,
        (None, None) => Bytes::new(),
    })
}

/// The body as a stream of chunks; a broken or short body ends with an error item.
pub(crate) fn chunks(
    resp: reqwest::Response,
    origin: Origin,
) -> impl Stream<Item = Result<Bytes, Error>> + Send + 'static {
    let expected = resp.content_length();
    let mut received: u64 = 0;
    resp.bytes_stream().map(move |item| match item {
        Ok(chunk) => {
            received += chunk.len() as u64;
            Ok(chunk)
        }
        Err(err) => Err(origin.body_error(&err, received, expected)),
    })
}
