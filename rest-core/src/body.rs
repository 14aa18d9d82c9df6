//! Reading response bodies: whole (one copy at most, sized by `Content-Length`), as a
//! stream, or as a list decoded while it streams in; a body cut short is told from other failures.

mod list;
mod pool;

use std::error::Error as StdError;

use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt};
use http_body_util::{BodyDataStream, BodyExt};
use hyper::body::Incoming;

use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::meta::List;
use crate::request::Request;
use crate::response::is_json;
use crate::retry::error_chain;
use crate::transport::HttpResponse;

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
        err: &(dyn StdError + 'static),
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

/// The length the server announced (`Content-Length`, as hyper read it; `None` when chunked).
fn announced(body: &Incoming) -> Option<u64> {
    hyper::body::Body::size_hint(body).exact()
}

/// Reads the whole body. A single-chunk body is kept without copying; otherwise chunks are
/// copied once into a buffer sized from `Content-Length`.
pub(crate) async fn read_all(mut body: Incoming, origin: &Origin) -> Result<Bytes, Error> {
    let expected = announced(&body);
    let mut first: Option<Bytes> = None;
    let mut buf: Option<BytesMut> = None;
    let mut received: u64 = 0;
    loop {
        let chunk = match body.frame().await {
            Some(Ok(frame)) => match frame.into_data() {
                Ok(chunk) => chunk,
                // Trailers carry nothing a client of the API server needs.
                Err(_) => continue,
            },
            None => break,
            Some(Err(err)) => return Err(origin.body_error(&err, received, expected)),
        };
        received += chunk.len() as u64;
        match (&mut first, &mut buf) {
            (None, None) => first = Some(chunk),
            (Some(head), None) => {
                // Cap the pre-allocation: a lying Content-Length must not reserve gigabytes.
                let hint = expected.unwrap_or(0).min(64 << 20) as usize;
                let mut joined = BytesMut::with_capacity(hint.max(head.len() + chunk.len()));
                joined.extend_from_slice(head);
                joined.extend_from_slice(&chunk);
                first = None;
                buf = Some(joined);
            }
            (_, Some(joined)) => joined.extend_from_slice(&chunk),
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
    resp: HttpResponse,
    origin: Origin,
) -> impl Stream<Item = Result<Bytes, Error>> + Send + 'static {
    let body = resp.into_body();
    let expected = announced(&body);
    let mut received: u64 = 0;
    BodyDataStream::new(body).map(move |item| match item {
        Ok(chunk) => {
            received += chunk.len() as u64;
            Ok(chunk)
        }
        Err(err) => Err(origin.body_error(&err, received, expected)),
    })
}

impl Request {
    /// Sends a list request and decodes the answer while it arrives: items are decoded as
    /// soon as each is complete (large lists in batches on blocking threads, beside the
    /// download), so the body is never held whole. Errors, retries, timeout and hooks are as
    /// for `send`.
    pub async fn send_list<T: DeserializeOwned + Send + 'static>(self) -> Result<List<T>, Error> {
        let target = std::any::type_name::<List<T>>();
        let (split, origin, code) = self
            .send_list_erased(target, list::decode_batch::<T>)
            .await?;
        list::assemble::<T>(split, &origin, code)
    }

    /// `send_list` without `T`: compiled once, whatever the number of kinds.
    async fn send_list_erased(
        self,
        target: &'static str,
        decode: list::DecodeBatch,
    ) -> Result<(list::Split, Origin, u16), Error> {
        let call = self.into_call().map_err(|(err, _)| err)?;
        let origin = call.origin.clone();
        call.receive(|resp| async move {
            let code = resp.status().as_u16();
            let content_type = resp
                .headers()
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if let Some(ct) = content_type.filter(|ct| !is_json(ct)) {
                return Err(Error::NotDecodable {
                    verb: origin.verb.clone(),
                    url: origin.url.clone(),
                    code,
                    target: target.to_owned(),
                    problem: format!("the server responded with content type {ct:?}, not JSON"),
                });
            }
            let body = chunks(resp, origin.clone()).boxed();
            let split = list::split_and_decode(body, &origin, code, target, decode).await?;
            let received = split.received;
            Ok(((split, origin, code), received))
        })
        .await
    }
}
