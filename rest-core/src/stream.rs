//! `Request::stream`: the response body as raw chunks (pod logs, `follow=true`), with a
//! body cut short reported as the stream's last item.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::Stream;

use crate::body::chunks;
use crate::error::Error;
use crate::request::Request;

/// The chunks of a response body as they arrive.
pub struct ByteStream {
    inner: BoxStream<'static, Result<Bytes, Error>>,
}

impl ByteStream {
    pub(crate) fn new(inner: BoxStream<'static, Result<Bytes, Error>>) -> Self {
        ByteStream { inner }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ByteStream")
    }
}

impl Request {
    /// Sends the request and returns the body as a stream (client-go's `Stream`). A non-2xx
    /// answer is an `Err` here, decoded like `send`'s; the timeout bounds the response head only.
    pub async fn stream(self) -> Result<ByteStream, Error> {
        let call = self.into_call().map_err(|(err, _)| err)?;
        let resp = call.open().await?;
        Ok(ByteStream::new(Box::pin(chunks(
            resp,
            call.origin.clone(),
            None,
        ))))
    }
}
