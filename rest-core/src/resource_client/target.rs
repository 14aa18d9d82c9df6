//! The calls of a resource client without its type: the requests (URL and options of every
//! verb) `ResourceClient<T>`'s verbs send, for typed and dynamic objects alike.

use std::future::Future;

use http::{HeaderMap, Method};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::Deleted;
use crate::address::Address;
use crate::client::RestClient;
use crate::error::Error;
use crate::meta::{
    ApplyOptions, CreateOptions, DeleteOptions, GetOptions, ListOptions, ObjectMeta, Patch,
    PatchOptions, PatchType, UpdateOptions,
};
use crate::path::query_pairs;
use crate::request::{name_problem, namespace_problem, resource_problem, Request};
use crate::response::Response;

/// What a call addresses: the client (for the resource's group/version), the namespace
/// (`Some("")` for all namespaces, `None` at cluster scope) and the resource's plural.
#[derive(Clone, Copy)]
pub(crate) struct Target<'a> {
    pub(crate) client: &'a RestClient,
    pub(crate) namespace: Option<&'a str>,
    pub(crate) plural: &'a str,
}

impl<'a> Target<'a> {
    /// A request with the namespace and resource filled in.
    pub(crate) fn request(self, verb: &str) -> Request {
        let request = self.client.verb(verb);
        let request = match self.namespace {
            Some(ns) => request.namespace(ns),
            None => request,
        };
        request.resource(self.plural)
    }

    /// What `self.request("GET").name(name).params(opts).send()` does, with the client and
    /// the pieces of the path borrowed for the call instead of copied: a typed GET touches
    /// no reference count other threads touch and copies no piece of its path. Not `async`:
    /// the future holds the call only, not the pieces it was made from as well. With the
    /// request's own `headers` (each replaces the client's of its name): none for JSON,
    /// `Accept` for protobuf.
    pub(crate) fn send_get_with(
        self,
        name: &str,
        opts: &GetOptions,
        headers: HeaderMap,
    ) -> Result<impl Future<Output = Response> + Send + 'a, Error> {
        let params = self.by_name_checks(name, opts)?;
        let address = Address {
            prefix: self.client.versioned_path(),
            namespace: self.namespace,
            resource: Some(self.plural),
            name: Some(name),
            sub_resource: None,
            sub_path: "",
            params: &params,
            timeout: self.client.shared().timeout,
        };
        match self.client.call(Method::GET, &address) {
            Ok(call) => Ok(call.with_headers(headers).send()),
            Err((err, _)) => Err(err),
        }
    }

    /// The checks the builder makes of a call by name, in its order (namespace, resource,
    /// name, parameters); the query parameters when all pass.
    fn by_name_checks(
        self,
        name: &str,
        params: &impl Serialize,
    ) -> Result<Vec<(String, String)>, Error> {
        let problem = self
            .namespace
            .and_then(namespace_problem)
            .or_else(|| resource_problem(self.plural))
            .or_else(|| name_problem(name));
        let err = match problem {
            Some(message) => Error::InvalidRequest { message },
            None => match query_pairs(params) {
                Ok(pairs) => return Ok(pairs),
                Err(message) => Error::InvalidRequest { message },
            },
        };
        tracing::debug!(verb = "GET", "error in request: {err}");
        Err(err)
    }

    pub(crate) fn list(self, opts: &ListOptions) -> Request {
        self.request("GET").params(opts)
    }

    /// A watch from `opts` (`watch=true` is set here).
    pub(crate) fn watch(self, opts: &ListOptions) -> Request {
        let opts = ListOptions {
            watch: Some(true),
            ..opts.clone()
        };
        self.request("GET").params(&opts)
    }

    pub(crate) fn create(self, obj: &impl Serialize, opts: &CreateOptions) -> Request {
        self.request("POST").params(opts).json_body(obj)
    }

    pub(crate) fn update(self, name: &str, obj: &impl Serialize, opts: &UpdateOptions) -> Request {
        self.request("PUT").name(name).params(opts).json_body(obj)
    }

    /// One object's delete; the options go as the JSON body, as client-go sends them.
    pub(crate) fn delete(self, name: &str, opts: &DeleteOptions) -> Request {
        self.request("DELETE").name(name).json_body(opts)
    }

    pub(crate) fn delete_collection(self, opts: &DeleteOptions, list: &ListOptions) -> Request {
        self.request("DELETE").params(list).json_body(opts)
    }

    pub(crate) fn patch<P: Serialize>(
        self,
        name: &str,
        patch: &Patch<P>,
        opts: &PatchOptions,
    ) -> Request {
        self.request("PATCH")
            .header("content-type", patch.content_type())
            .name(name)
            .params(opts)
            .json_body(patch)
    }

    pub(crate) fn apply(self, name: &str, obj: &impl Serialize, opts: &ApplyOptions) -> Request {
        self.request("PATCH")
            .header("content-type", PatchType::Apply.content_type())
            .name(name)
            .params(&opts.to_patch_options())
            .json_body(obj)
    }

    /// A GET (or a stream) of a subresource.
    pub(crate) fn get_subresource(self, sub: &str, name: &str, params: &impl Serialize) -> Request {
        self.request("GET")
            .name(name)
            .sub_resource(sub)
            .params(params)
    }

    pub(crate) fn create_subresource(
        self,
        sub: &str,
        name: &str,
        body: &impl Serialize,
        opts: &CreateOptions,
    ) -> Request {
        self.request("POST")
            .name(name)
            .sub_resource(sub)
            .params(opts)
            .json_body(body)
    }

    pub(crate) fn update_subresource(
        self,
        sub: &str,
        name: &str,
        body: &impl Serialize,
        opts: &UpdateOptions,
    ) -> Request {
        self.request("PUT")
            .name(name)
            .sub_resource(sub)
            .params(opts)
            .json_body(body)
    }
}

/// What a delete answered: the object (still there, being finalized), or a `Status`.
pub(crate) fn deleted<T: DeserializeOwned>(response: Response) -> Result<Deleted<T>, Error> {
    let response = response.into_result()?;
    let origin_kind: KindOnly = response.decode()?;
    if origin_kind.kind.as_deref() == Some("Status") {
        Ok(Deleted::Status(response.decode()?))
    } else {
        Ok(Deleted::Object(response.decode()?))
    }
}

/// Just the `kind` of a body, to tell a `Status` from an object without decoding twice.
#[derive(Deserialize)]
struct KindOnly {
    kind: Option<String>,
}

/// The name an update addresses, from the object's metadata.
pub(crate) fn object_name<'m>(
    meta: &'m ObjectMeta,
    call: &str,
    kind: &str,
) -> Result<&'m str, Error> {
    meta.name
        .as_deref()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Error::InvalidRequest {
            message: format!("{call} of a {kind} needs metadata.name"),
        })
}
