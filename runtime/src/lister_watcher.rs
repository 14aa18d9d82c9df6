//! `ListerWatcher` (client-go's `cache.ListerWatcher`): the two calls a watcher makes, so one
//! watcher serves typed clients, metadata-only reads and the dynamic client alike.

use std::future::Future;
use std::marker::PhantomData;

use rest_core::discovery::ApiResource;
use rest_core::dynamic::{DynamicClient, DynamicObject, DynamicResourceClient};
use rest_core::WatchStream;
use rest_core::{Error, List, ListOptions, PartialObjectMetadata, Resource, ResourceClient};

use crate::object::Object;

/// Lists and watches one collection (one resource in one namespace, or across them).
pub trait ListerWatcher: Clone + Send + Sync + 'static {
    type Object: Object;

    /// One list call (a page when `opts.limit` is set).
    fn list(
        &self,
        opts: &ListOptions,
    ) -> impl Future<Output = Result<List<Self::Object>, Error>> + Send;

    /// One watch call; `watch=true` is the implementation's to add.
    fn watch(
        &self,
        opts: &ListOptions,
    ) -> impl Future<Output = Result<WatchStream<Self::Object>, Error>> + Send;

    /// What is listed (`v1/pods in default`), for logs and for telling shared informers apart.
    fn describe(&self) -> String;

    /// The resource listed (group, version, kind, plural, scope): what a controller matches
    /// owner references against.
    fn api_resource(&self) -> ApiResource;
}

fn describe(api_version: &str, plural: &str, namespace: Option<&str>, form: &str) -> String {
    let scope = match namespace {
        Some("") => " in all namespaces".to_owned(),
        Some(ns) => format!(" in {ns}"),
        None => String::new(),
    };
    format!("{api_version}/{plural}{scope}{form}")
}

impl<T: Resource> ListerWatcher for ResourceClient<T> {
    type Object = T;

    fn list(&self, opts: &ListOptions) -> impl Future<Output = Result<List<T>, Error>> + Send {
        ResourceClient::list(self, opts)
    }

    fn watch(
        &self,
        opts: &ListOptions,
    ) -> impl Future<Output = Result<WatchStream<T>, Error>> + Send {
        ResourceClient::watch(self, opts)
    }

    fn describe(&self) -> String {
        describe(T::API_VERSION, T::PLURAL, self.namespace(), "")
    }

    fn api_resource(&self) -> ApiResource {
        ApiResource::of::<T>()
    }
}

/// Lists and watches only the metadata of `K`s ([`PartialObjectMetadata<K>`]): the server
/// sends names, labels, owners and versions, never specs or statuses.
pub struct Metadata<K: Resource> {
    client: ResourceClient<K>,
    _kind: PhantomData<fn() -> K>,
}

impl<K: Resource> Metadata<K> {
    /// Metadata of the objects `client` addresses.
    pub fn new(client: ResourceClient<K>) -> Self {
        Metadata {
            client,
            _kind: PhantomData,
        }
    }
}

impl<K: Resource> Clone for Metadata<K> {
    fn clone(&self) -> Self {
        Metadata::new(self.client.clone())
    }
}

impl<K: Resource> std::fmt::Debug for Metadata<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Metadata").field(&self.client).finish()
    }
}

impl<K: Resource> ListerWatcher for Metadata<K> {
    type Object = PartialObjectMetadata<K>;

    async fn list(&self, opts: &ListOptions) -> Result<List<Self::Object>, Error> {
        self.client
            .request("GET")
            .params(opts)
            .header("accept", PartialObjectMetadata::<K>::ACCEPT_LIST)
            .send_list()
            .await
    }

    async fn watch(&self, opts: &ListOptions) -> Result<WatchStream<Self::Object>, Error> {
        let opts = ListOptions {
            watch: Some(true),
            ..opts.clone()
        };
        self.client
            .request("GET")
            .params(&opts)
            .header("accept", PartialObjectMetadata::<K>::ACCEPT)
            .watch()
            .await
    }

    fn describe(&self) -> String {
        describe(
            K::API_VERSION,
            K::PLURAL,
            self.client.namespace(),
            " (metadata)",
        )
    }

    fn api_resource(&self) -> ApiResource {
        ApiResource::of::<K>()
    }
}

/// Lists and watches [`DynamicObject`]s of a resource known at run time only (a CRD without
/// generated types, a kind found by discovery), through the dynamic client.
#[derive(Clone, Debug)]
pub struct Dynamic {
    client: DynamicResourceClient,
    resource: ApiResource,
    namespace: Option<String>,
}

impl Dynamic {
    /// Every object of `resource` (in all namespaces, when it is namespaced).
    pub fn all(client: &DynamicClient, resource: &ApiResource) -> Self {
        Dynamic {
            client: client.api_resource(resource),
            resource: resource.clone(),
            namespace: None,
        }
    }

    /// The objects of the namespaced `resource` in `namespace`.
    pub fn namespaced(client: &DynamicClient, resource: &ApiResource, namespace: &str) -> Self {
        Dynamic {
            client: client.api_resource(resource).namespace(namespace),
            resource: resource.clone(),
            namespace: Some(namespace.to_owned()),
        }
    }
}

impl ListerWatcher for Dynamic {
    type Object = DynamicObject;

    fn list(
        &self,
        opts: &ListOptions,
    ) -> impl Future<Output = Result<List<DynamicObject>, Error>> + Send {
        self.client.list(opts)
    }

    fn watch(
        &self,
        opts: &ListOptions,
    ) -> impl Future<Output = Result<WatchStream<DynamicObject>, Error>> + Send {
        self.client.watch(opts)
    }

    fn describe(&self) -> String {
        let namespace = match (&self.namespace, self.resource.namespaced) {
            (None, true) => Some(""),
            (ns, _) => ns.as_deref(),
        };
        describe(
            &self.resource.api_version(),
            &self.resource.plural,
            namespace,
            "",
        )
    }

    fn api_resource(&self) -> ApiResource {
        self.resource.clone()
    }
}
