//! The typed client's protobuf paths (feature `protobuf`): for kinds with a codec it asks
//! for protobuf, sends protobuf bodies on create and update (patches stay JSON, as in
//! client-go), and decodes each answer by the content type the server actually sent.

use http::{HeaderMap, HeaderValue};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{Deleted, ResourceClient};
use crate::error::Error;
use crate::meta::{CreateOptions, DeleteOptions, List, ListOptions, Status, UpdateOptions};
use crate::protobuf::{decode_object, Codec, Unknown, ACCEPT, MEDIA_TYPE};
use crate::request::Request;
use crate::resource::{HasMetadata, Resource};
use crate::response::Response;
use crate::watch::WatchStream;

/// A kind's codec with the `apiVersion` and `kind` its bodies carry: taken where the kind is
/// known (`T: Resource`), so the verbs, which serve dynamic objects too, need no such bound.
pub(crate) struct KindCodec<T> {
    codec: Codec<T>,
    api_version: &'static str,
    kind: &'static str,
}

impl<T> Clone for KindCodec<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for KindCodec<T> {}

impl<T> KindCodec<T> {
    /// The decoder of a whole body of the kind (a GET's answer).
    pub(crate) fn decoder(self) -> fn(&[u8]) -> Result<T, crate::protobuf::DecodeError> {
        self.codec.decode
    }
}

impl<T: Resource> KindCodec<T> {
    /// `T`'s codec, when it has one (built-in kinds; CRDs and derived kinds have none).
    pub(crate) fn of() -> Option<Self> {
        T::protobuf_codec().map(|codec| KindCodec {
            codec,
            api_version: T::API_VERSION,
            kind: T::KIND,
        })
    }
}

impl<T: Serialize + DeserializeOwned + HasMetadata + Send + 'static> ResourceClient<T> {
    /// The kind's codec, when it has one and this client asks for protobuf.
    pub(crate) fn codec(&self) -> Option<KindCodec<T>> {
        if self.protobuf {
            self.codec
        } else {
            None
        }
    }

    /// The request headers of a GET asking for protobuf: a GET takes the typed GET's own
    /// path (`Target::send_get_with`: the client and the path borrowed, no `Request` built)
    /// with these, so that it costs what a JSON GET does.
    pub(crate) fn get_headers() -> HeaderMap {
        let mut headers = HeaderMap::with_capacity(1);
        headers.insert(http::header::ACCEPT, HeaderValue::from_static(ACCEPT));
        headers
    }

    pub(crate) async fn list_protobuf(
        &self,
        codec: KindCodec<T>,
        opts: &ListOptions,
    ) -> Result<List<T>, Error> {
        // Decoded while the body streams in (JSON too, when the server answers JSON).
        self.target()
            .list(opts)
            .send_list_protobuf(codec.codec)
            .await
    }

    pub(crate) async fn watch_protobuf(
        &self,
        codec: KindCodec<T>,
        opts: &ListOptions,
    ) -> Result<WatchStream<T>, Error> {
        self.target()
            .watch(opts)
            .watch_protobuf(codec.codec.decode_event)
            .await
    }

    pub(crate) async fn create_protobuf(
        &self,
        codec: KindCodec<T>,
        obj: &T,
        opts: &CreateOptions,
    ) -> Result<T, Error> {
        let request = self.target().request("POST").params(opts);
        with_body(request, codec, obj)
            .send()
            .await
            .decode_negotiated(codec.codec.decode)
    }

    pub(crate) async fn update_protobuf(
        &self,
        codec: KindCodec<T>,
        name: &str,
        sub: Option<&str>,
        obj: &T,
        opts: &UpdateOptions,
    ) -> Result<T, Error> {
        let mut request = self.target().request("PUT").name(name).params(opts);
        if let Some(sub) = sub {
            request = request.sub_resource(sub);
        }
        with_body(request, codec, obj)
            .send()
            .await
            .decode_negotiated(codec.codec.decode)
    }

    /// The options go as JSON, as for every client (the server reads either).
    pub(crate) async fn delete_protobuf(
        &self,
        codec: KindCodec<T>,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Deleted<T>, Error> {
        let request = self.target().delete(name, opts);
        deleted(accept(request).send().await, codec)
    }
}

fn accept(request: Request) -> Request {
    request.header("accept", ACCEPT)
}

/// `obj` as the protobuf body of `request`; an object that cannot be encoded fails the
/// request before any I/O.
fn with_body<T>(request: Request, codec: KindCodec<T>, obj: &T) -> Request {
    match (codec.codec.encode)(obj, codec.api_version, codec.kind) {
        Ok(body) => accept(request)
            .header("content-type", MEDIA_TYPE)
            .body(body),
        Err(e) => request.fail(format!("{} {}", codec.kind, e)),
    }
}

/// A delete's answer in either encoding: the object, or a `Status` when it is gone.
fn deleted<T: DeserializeOwned>(
    response: Response,
    codec: KindCodec<T>,
) -> Result<Deleted<T>, Error> {
    if !response.is_protobuf() {
        return super::deleted(response);
    }
    let response = response.into_result()?;
    let kind = Unknown::from_body(response.raw()).map(|u| u.kind == "Status");
    if kind.unwrap_or(false) {
        Ok(Deleted::Status(
            response.decode_negotiated(decode_object::<Status>)?,
        ))
    } else {
        Ok(Deleted::Object(
            response.decode_negotiated(codec.codec.decode)?,
        ))
    }
}
