//! `ResourceClient<T>`: the typed client for one kind (client-go's `gentype.Client`). Every
//! call is a `Request` built from `T`'s group, version, plural and scope.

use std::future::Future;
use std::marker::PhantomData;

use http::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::address::Address;
use crate::client::RestClient;
use crate::error::Error;
use crate::meta::{
    ApplyOptions, CreateOptions, DeleteOptions, GetOptions, List, ListOptions, Patch, PatchOptions,
    PatchType, Status, UpdateOptions,
};
use crate::path::query_pairs;
use crate::request::{name_problem, namespace_problem, resource_problem, Request};
use crate::resource::{Resource, Scope};
use crate::response::Response;
use crate::stream::ByteStream;
use crate::watch::WatchStream;

/// What a delete answers: the object (still there, being finalized or with a grace period),
/// or a `Status` (gone at once).
// Real `T`s (pods, deployments) outweigh a `Status`; clippy only sees the generic.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Deleted<T> {
    Object(T),
    Status(Status),
}

/// A typed client for the objects of kind `T` in one namespace, across all namespaces, or
/// at cluster scope.
pub struct ResourceClient<T: Resource> {
    client: RestClient,
    /// `Some("")` lists across namespaces; `None` for cluster-scoped kinds.
    namespace: Option<String>,
    _kind: PhantomData<fn() -> T>,
}

impl<T: Resource> Clone for ResourceClient<T> {
    fn clone(&self) -> Self {
        ResourceClient {
            client: self.client.clone(),
            namespace: self.namespace.clone(),
            _kind: PhantomData,
        }
    }
}

impl<T: Resource> std::fmt::Debug for ResourceClient<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResourceClient")
            .field("kind", &T::KIND)
            .field("api_version", &T::API_VERSION)
            .field("namespace", &self.namespace)
            .finish()
    }
}

impl<T: Resource> ResourceClient<T> {
    fn with_namespace(client: &RestClient, namespace: Option<String>) -> Self {
        ResourceClient {
            client: client.for_kind_group_version(T::GROUP, T::VERSION),
            namespace,
            _kind: PhantomData,
        }
    }

    /// Objects in `namespace` (for namespaced kinds; `""` means all namespaces).
    pub fn namespaced(client: &RestClient, namespace: &str) -> Self {
        Self::with_namespace(client, Some(namespace.to_owned()))
    }

    /// Objects across all namespaces: for list, watch and delete_collection of namespaced
    /// kinds. Calls by name need a namespace and fail before any I/O.
    pub fn all_namespaces(client: &RestClient) -> Self {
        Self::with_namespace(client, (T::SCOPE == Scope::Namespaced).then(String::new))
    }

    /// Objects of a cluster-scoped kind.
    pub fn cluster(client: &RestClient) -> Self {
        Self::with_namespace(client, None)
    }

    /// The namespace this client addresses (`None` at cluster scope, `""` for all).
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The underlying client (for `T`'s group/version).
    pub fn rest_client(&self) -> &RestClient {
        &self.client
    }

    /// A request with the namespace and resource filled in, for anything not covered here.
    pub fn request(&self, verb: &str) -> Request {
        let request = self.client.verb(verb);
        let request = match &self.namespace {
            Some(ns) => request.namespace(ns),
            None => request,
        };
        request.resource(T::PLURAL)
    }

    pub async fn get(&self, name: &str, opts: &GetOptions) -> Result<T, Error> {
        // Only the call's future is kept across the `.await` (see `send_get`).
        let sent = self.send_get(name, opts)?;
        sent.await.decode()
    }

    /// What `self.request("GET").name(name).params(opts).send()` does, with the client and
    /// the pieces of the path borrowed for the call instead of copied: a typed GET touches
    /// no reference count other threads touch and copies no piece of its path. Not `async`:
    /// the future holds the call only, not the pieces it was made from as well.
    fn send_get<'a>(
        &'a self,
        name: &str,
        opts: &GetOptions,
    ) -> Result<impl Future<Output = Response> + Send + 'a, Error> {
        let params = self.by_name_checks(name, opts)?;
        let address = Address {
            prefix: self.client.versioned_path(),
            namespace: self.namespace.as_deref(),
            resource: Some(T::PLURAL),
            name: Some(name),
            sub_resource: None,
            sub_path: "",
            params: &params,
            timeout: self.client.shared().timeout,
        };
        match self.client.call(Method::GET, &address) {
            Ok(call) => Ok(call.send()),
            Err((err, _)) => Err(err),
        }
    }

    /// The checks the builder makes of a call by name, in its order (namespace, resource,
    /// name, parameters); the query parameters when all pass.
    fn by_name_checks(
        &self,
        name: &str,
        params: &impl Serialize,
    ) -> Result<Vec<(String, String)>, Error> {
        let problem = self
            .namespace
            .as_deref()
            .and_then(namespace_problem)
            .or_else(|| resource_problem(T::PLURAL))
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

    /// Lists, decoding the items while the body streams in (see `Request::send_list`).
    pub async fn list(&self, opts: &ListOptions) -> Result<List<T>, Error> {
        self.request("GET").params(opts).send_list().await
    }

    /// Watches from `opts` (`watch=true` is set here).
    pub async fn watch(&self, opts: &ListOptions) -> Result<WatchStream<T>, Error> {
        let opts = ListOptions {
            watch: Some(true),
            ..opts.clone()
        };
        self.request("GET").params(&opts).watch().await
    }

    pub async fn create(&self, obj: &T, opts: &CreateOptions) -> Result<T, Error> {
        self.request("POST")
            .params(opts)
            .json_body(obj)
            .send()
            .await
            .decode()
    }

    /// Replaces the object named by `obj.metadata.name`.
    pub async fn update(&self, obj: &T, opts: &UpdateOptions) -> Result<T, Error> {
        let name = object_name(obj, "update")?;
        self.request("PUT")
            .name(name)
            .params(opts)
            .json_body(obj)
            .send()
            .await
            .decode()
    }

    /// Replaces the status of the object named by `obj.metadata.name`.
    pub async fn update_status(&self, obj: &T, opts: &UpdateOptions) -> Result<T, Error> {
        let name = object_name(obj, "update_status")?;
        self.update_subresource("status", name, obj, opts).await
    }

    /// Deletes one object; the options go as the JSON body, as client-go sends them.
    pub async fn delete(&self, name: &str, opts: &DeleteOptions) -> Result<Deleted<T>, Error> {
        let response = self
            .request("DELETE")
            .name(name)
            .json_body(opts)
            .send()
            .await
            .into_result()?;
        let origin_kind: KindOnly = response.decode()?;
        if origin_kind.kind.as_deref() == Some("Status") {
            Ok(Deleted::Status(response.decode()?))
        } else {
            Ok(Deleted::Object(response.decode()?))
        }
    }

    /// Deletes every object `list` selects; answers with the deleted objects.
    pub async fn delete_collection(
        &self,
        opts: &DeleteOptions,
        list: &ListOptions,
    ) -> Result<List<T>, Error> {
        self.request("DELETE")
            .params(list)
            .json_body(opts)
            .send()
            .await
            .decode()
    }

    pub async fn patch<P: Serialize>(
        &self,
        name: &str,
        patch: &Patch<P>,
        opts: &PatchOptions,
    ) -> Result<T, Error> {
        self.patch_request(name, patch, opts).send().await.decode()
    }

    pub async fn patch_status<P: Serialize>(
        &self,
        name: &str,
        patch: &Patch<P>,
        opts: &PatchOptions,
    ) -> Result<T, Error> {
        self.patch_subresource("status", name, patch, opts).await
    }

    /// Server-side apply of `obj` (an apply configuration: only the fields this manager owns).
    pub async fn apply<P: Serialize>(
        &self,
        name: &str,
        obj: &P,
        opts: &ApplyOptions,
    ) -> Result<T, Error> {
        self.apply_request(name, obj, opts).send().await.decode()
    }

    /// Server-side apply of `obj` to the status subresource (client-go's `ApplyStatus`):
    /// only its status fields count, owned by `opts.field_manager` with subresource `status`.
    pub async fn apply_status<P: Serialize>(
        &self,
        name: &str,
        obj: &P,
        opts: &ApplyOptions,
    ) -> Result<T, Error> {
        self.apply_subresource("status", name, obj, opts).await
    }

    /// GET of a subresource (`scale`, `status`, ...).
    pub async fn get_subresource<S: DeserializeOwned>(
        &self,
        sub: &str,
        name: &str,
        params: &impl Serialize,
    ) -> Result<S, Error> {
        self.request("GET")
            .name(name)
            .sub_resource(sub)
            .params(params)
            .send()
            .await
            .decode()
    }

    /// POST to a subresource (`eviction`, `binding`, ...).
    pub async fn create_subresource<B: Serialize, S: DeserializeOwned>(
        &self,
        sub: &str,
        name: &str,
        body: &B,
        opts: &CreateOptions,
    ) -> Result<S, Error> {
        self.request("POST")
            .name(name)
            .sub_resource(sub)
            .params(opts)
            .json_body(body)
            .send()
            .await
            .decode()
    }

    /// PUT of a subresource (`status`, `scale`, `ephemeralcontainers`, ...).
    pub async fn update_subresource<B: Serialize, S: DeserializeOwned>(
        &self,
        sub: &str,
        name: &str,
        body: &B,
        opts: &UpdateOptions,
    ) -> Result<S, Error> {
        self.request("PUT")
            .name(name)
            .sub_resource(sub)
            .params(opts)
            .json_body(body)
            .send()
            .await
            .decode()
    }

    /// PATCH of a subresource.
    pub async fn patch_subresource<P: Serialize, S: DeserializeOwned>(
        &self,
        sub: &str,
        name: &str,
        patch: &Patch<P>,
        opts: &PatchOptions,
    ) -> Result<S, Error> {
        self.patch_request(name, patch, opts)
            .sub_resource(sub)
            .send()
            .await
            .decode()
    }

    /// Server-side apply to a subresource (client-go's `ApplyScale` for `scale`).
    pub async fn apply_subresource<P: Serialize, S: DeserializeOwned>(
        &self,
        sub: &str,
        name: &str,
        obj: &P,
        opts: &ApplyOptions,
    ) -> Result<S, Error> {
        self.apply_request(name, obj, opts)
            .sub_resource(sub)
            .send()
            .await
            .decode()
    }

    /// A subresource's body as a stream (pod `log` with `follow=true`).
    pub async fn stream_subresource(
        &self,
        sub: &str,
        name: &str,
        params: &impl Serialize,
    ) -> Result<ByteStream, Error> {
        self.request("GET")
            .name(name)
            .sub_resource(sub)
            .params(params)
            .stream()
            .await
    }

    fn apply_request<P: Serialize>(&self, name: &str, obj: &P, opts: &ApplyOptions) -> Request {
        self.request("PATCH")
            .header("content-type", PatchType::Apply.content_type())
            .name(name)
            .params(&opts.to_patch_options())
            .json_body(obj)
    }

    fn patch_request<P: Serialize>(
        &self,
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
}

/// Just the `kind` of a body, to tell a `Status` from an object without decoding twice.
#[derive(Deserialize)]
struct KindOnly {
    kind: Option<String>,
}

fn object_name<'a, T: Resource>(obj: &'a T, call: &str) -> Result<&'a str, Error> {
    obj.metadata()
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .ok_or_else(|| Error::InvalidRequest {
            message: format!("{call} of a {} needs metadata.name", T::KIND),
        })
}
