//! `DynamicClient` (client-go's `dynamic.Interface`): `ResourceClient`'s verbs on any
//! group/version/resource, with `DynamicObject`s, through the same `Request` engine.

use super::object::DynamicObject;
use crate::client::RestClient;
use crate::config::GroupVersion;
use crate::discovery::ApiResource;
use crate::gvk::GroupVersionResource;
use crate::resource_client::ResourceClient;

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
        let client = self
            .client
            .for_group_version(GroupVersion::new(&gvr.group, &gvr.version));
        DynamicResourceClient(ResourceClient::for_resource(client, &gvr.resource, None))
    }

    /// A discovered resource (from a `Discovery` or a `RestMapper`).
    pub fn api_resource(&self, resource: &ApiResource) -> DynamicResourceClient {
        self.resource(&resource.gvr())
    }
}

/// One resource, in one namespace or at cluster scope (client-go's
/// `NamespaceableResourceInterface` and `ResourceInterface` in one): a
/// `ResourceClient<DynamicObject>`, whose verbs (get, list, watch, create, update,
/// update_status, delete, delete_collection, patch, apply, subresources) it has, for a
/// resource named at run time.
#[derive(Clone, Debug)]
pub struct DynamicResourceClient(ResourceClient<DynamicObject>);

impl DynamicResourceClient {
    /// The same resource in `namespace` (`""` is all namespaces, as for a typed client).
    pub fn namespace(&self, namespace: &str) -> DynamicResourceClient {
        DynamicResourceClient(self.0.in_namespace(Some(namespace.to_owned())))
    }
}

impl std::ops::Deref for DynamicResourceClient {
    type Target = ResourceClient<DynamicObject>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
