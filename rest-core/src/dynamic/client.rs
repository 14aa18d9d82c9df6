//! `DynamicClient` (client-go's `dynamic.Interface`): every verb of `ResourceClient` on any
//! group/version/resource, with `DynamicObject`s, through the same `Request` engine.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::object::{DynamicList, DynamicObject};
use crate::client::RestClient;
use crate::config::GroupVersion;
use crate::discovery::ApiResource;
use crate::error::Error;
use crate::gvk::GroupVersionResource;
use crate::meta::{
    ApplyOptions, CreateOptions, DeleteOptions, GetOptions, ListOptions, Patch, PatchOptions,
    UpdateOptions,
};
use crate::request::Request;
use crate::resource_client::{deleted, object_name, Deleted, Target};
use crate::stream::ByteStream;
use crate::watch::WatchStream;

/// Untyped access to any resource. Cheap to clone.
///
/// A resource is named by its group, version and plural, or comes from discovery
/// (`CachedDiscoveryClient::resource_for("deploy")`); objects are [`DynamicObject`]s, which
/// convert to typed ones with `into_typed`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = fixtures::ApiServer::builder().seed(fixtures::seed_pods()).start().await;
/// # let client = rest_core::RestClient::for_config(&rest_core::Config::new(server.url()))?;
/// use rest_core::dynamic::{DynamicClient, DynamicObject};
/// use rest_core::{CreateOptions, GroupVersionResource, ListOptions};
///
/// let dynamic = DynamicClient::new(client);
/// let pods = GroupVersionResource::new("", "v1", "pods");
/// let list = dynamic.resource(&pods).namespace("default").list(&ListOptions::default()).await?;
/// assert_eq!(list.items.len(), 7);
/// assert!(list.items[0].data["spec"]["containers"].is_array());
///
/// let config_maps = GroupVersionResource::new("", "v1", "configmaps");
/// let cm: DynamicObject = serde_json::from_value(serde_json::json!({
///     "apiVersion": "v1", "kind": "ConfigMap",
///     "metadata": {"name": "settings"}, "data": {"mode": "fast"},
/// }))?;
/// let created = dynamic
///     .resource(&config_maps)
///     .namespace("default")
///     .create(&cm, &CreateOptions::default())
///     .await?;
/// assert!(created.metadata.resource_version.is_some());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct DynamicClient {
    client: RestClient,
}

impl DynamicClient {
    /// Dynamic access through `client`'s pool, limiter, credentials and hooks.
    pub fn new(client: RestClient) -> DynamicClient {
        DynamicClient { client }
    }

    /// A resource (client-go's `Resource(gvr)`): cluster scope, or all namespaces for
    /// list and watch, until [`namespace`](DynamicResourceClient::namespace) narrows it.
    pub fn resource(&self, gvr: &GroupVersionResource) -> DynamicResourceClient {
        DynamicResourceClient {
            client: self
                .client
                .for_group_version(GroupVersion::new(&gvr.group, &gvr.version)),
            plural: gvr.resource.clone(),
            namespace: None,
        }
    }

    /// A discovered resource (from a `Discovery` or a `RestMapper`).
    pub fn api_resource(&self, resource: &ApiResource) -> DynamicResourceClient {
        self.resource(&resource.gvr())
    }
}

/// One resource, in one namespace or at cluster scope (client-go's
/// `NamespaceableResourceInterface` and `ResourceInterface` in one).
#[derive(Clone, Debug)]
pub struct DynamicResourceClient {
    client: RestClient,
    plural: String,
    /// `None`: cluster scope (and, for a namespaced resource, every namespace).
    namespace: Option<String>,
}

impl DynamicResourceClient {
    /// The same resource in `namespace` (`""` is all namespaces, as for a typed client).
    pub fn namespace(&self, namespace: &str) -> DynamicResourceClient {
        DynamicResourceClient {
            namespace: Some(namespace.to_owned()),
            ..self.clone()
        }
    }

    /// The client for the resource's group/version.
    pub fn rest_client(&self) -> &RestClient {
        &self.client
    }

    fn target(&self) -> Target<'_> {
        Target {
            client: &self.client,
            namespace: self.namespace.as_deref(),
            plural: &self.plural,
        }
    }

    /// A request with the namespace and resource filled in, for anything not covered here.
    pub fn request(&self, verb: &str) -> Request {
        self.target().request(verb)
    }

    pub async fn get(&self, name: &str, opts: &GetOptions) -> Result<DynamicObject, Error> {
        let sent = self.target().send_get(name, opts)?;
        sent.await.decode()
    }

    /// One page with `limit` and `continue` in `opts`, as a typed list pages.
    pub async fn list(&self, opts: &ListOptions) -> Result<DynamicList, Error> {
        self.target().list(opts).send_list().await
    }

    /// Watches from `opts` (`watch=true` is set here).
    pub async fn watch(&self, opts: &ListOptions) -> Result<WatchStream<DynamicObject>, Error> {
        self.target().watch(opts).watch().await
    }

    pub async fn create(
        &self,
        obj: &DynamicObject,
        opts: &CreateOptions,
    ) -> Result<DynamicObject, Error> {
        self.target().create(obj, opts).send().await.decode()
    }

    /// Replaces the object named by `obj.metadata.name`.
    pub async fn update(
        &self,
        obj: &DynamicObject,
        opts: &UpdateOptions,
    ) -> Result<DynamicObject, Error> {
        let name = object_name(&obj.metadata, "update", &self.plural)?;
        self.target().update(name, obj, opts).send().await.decode()
    }

    /// Replaces the status of the object named by `obj.metadata.name`.
    pub async fn update_status(
        &self,
        obj: &DynamicObject,
        opts: &UpdateOptions,
    ) -> Result<DynamicObject, Error> {
        let name = object_name(&obj.metadata, "update_status", &self.plural)?;
        self.update_subresource("status", name, obj, opts).await
    }

    pub async fn delete(
        &self,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Deleted<DynamicObject>, Error> {
        deleted(self.target().delete(name, opts).send().await)
    }

    pub async fn delete_collection(
        &self,
        opts: &DeleteOptions,
        list: &ListOptions,
    ) -> Result<DynamicList, Error> {
        self.target()
            .delete_collection(opts, list)
            .send()
            .await
            .decode()
    }

    /// A patch of any type (`Patch::Merge`, `Json`, `Strategic`, `Apply`).
    pub async fn patch<P: Serialize>(
        &self,
        name: &str,
        patch: &Patch<P>,
        opts: &PatchOptions,
    ) -> Result<DynamicObject, Error> {
        self.target().patch(name, patch, opts).send().await.decode()
    }

    pub async fn patch_status<P: Serialize>(
        &self,
        name: &str,
        patch: &Patch<P>,
        opts: &PatchOptions,
    ) -> Result<DynamicObject, Error> {
        self.patch_subresource("status", name, patch, opts).await
    }

    /// Server-side apply of `obj` (only the fields this manager owns).
    pub async fn apply<P: Serialize>(
        &self,
        name: &str,
        obj: &P,
        opts: &ApplyOptions,
    ) -> Result<DynamicObject, Error> {
        self.target().apply(name, obj, opts).send().await.decode()
    }

    pub async fn apply_status<P: Serialize>(
        &self,
        name: &str,
        obj: &P,
        opts: &ApplyOptions,
    ) -> Result<DynamicObject, Error> {
        self.apply_subresource("status", name, obj, opts).await
    }

    /// GET of a subresource (`scale`, `status`, ...), as any type (`DynamicObject` fits all).
    pub async fn get_subresource<S: DeserializeOwned>(
        &self,
        sub: &str,
        name: &str,
        params: &impl Serialize,
    ) -> Result<S, Error> {
        self.target()
            .get_subresource(sub, name, params)
            .send()
            .await
            .decode()
    }

    pub async fn create_subresource<B: Serialize, S: DeserializeOwned>(
        &self,
        sub: &str,
        name: &str,
        body: &B,
        opts: &CreateOptions,
    ) -> Result<S, Error> {
        self.target()
            .create_subresource(sub, name, body, opts)
            .send()
            .await
            .decode()
    }

    pub async fn update_subresource<B: Serialize, S: DeserializeOwned>(
        &self,
        sub: &str,
        name: &str,
        body: &B,
        opts: &UpdateOptions,
    ) -> Result<S, Error> {
        self.target()
            .update_subresource(sub, name, body, opts)
            .send()
            .await
            .decode()
    }

    pub async fn patch_subresource<P: Serialize, S: DeserializeOwned>(
        &self,
        sub: &str,
        name: &str,
        patch: &Patch<P>,
        opts: &PatchOptions,
    ) -> Result<S, Error> {
        self.target()
            .patch(name, patch, opts)
            .sub_resource(sub)
            .send()
            .await
            .decode()
    }

    pub async fn apply_subresource<P: Serialize, S: DeserializeOwned>(
        &self,
        sub: &str,
        name: &str,
        obj: &P,
        opts: &ApplyOptions,
    ) -> Result<S, Error> {
        self.target()
            .apply(name, obj, opts)
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
        self.target()
            .get_subresource(sub, name, params)
            .stream()
            .await
    }
}
