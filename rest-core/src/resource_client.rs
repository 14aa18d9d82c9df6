//! `ResourceClient<T>`: the typed client for one kind (client-go's `gentype.Client`). Every
//! call is a `Request` built from `T`'s group, version, plural and scope.

#[cfg(feature = "protobuf")]
mod protobuf;
mod target;

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::client::RestClient;
use crate::error::Error;
use crate::meta::{
    ApplyOptions, CreateOptions, DeleteOptions, GetOptions, List, ListOptions, Patch, PatchOptions,
    Status, UpdateOptions,
};
use crate::request::Request;
use crate::resource::{HasMetadata, Resource, Scope};
use crate::stream::ByteStream;
use crate::watch::WatchStream;
pub(crate) use target::{deleted, object_name, Target};

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
/// at cluster scope. The same verbs serve `DynamicResourceClient` (`T` = `DynamicObject`,
/// the resource named at run time).
///
/// `T` is any [`Resource`]: a generated type, a `#[derive(Resource)]` struct, or one written
/// by hand as below (what the generator writes for a ConfigMap, cut down). Generated
/// clientsets' clients wrap this one.
///
/// ```
/// use std::collections::BTreeMap;
/// use rest_core::{
///     CreateOptions, DeleteOptions, GetOptions, ListOptions, ObjectMeta, Patch, PatchOptions,
///     Resource, ResourceClient, RestClient, Scope,
/// };
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Clone, Debug, Default, Serialize, Deserialize)]
/// struct ConfigMap {
///     #[serde(default)]
///     metadata: ObjectMeta,
///     #[serde(default)]
///     data: BTreeMap<String, String>,
/// }
///
/// impl Resource for ConfigMap {
///     const GROUP: &'static str = "";
///     const VERSION: &'static str = "v1";
///     const API_VERSION: &'static str = "v1";
///     const KIND: &'static str = "ConfigMap";
///     const PLURAL: &'static str = "configmaps";
///     const SCOPE: Scope = Scope::Namespaced;
///     fn metadata(&self) -> &ObjectMeta { &self.metadata }
///     fn metadata_mut(&mut self) -> &mut ObjectMeta { &mut self.metadata }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = fixtures::ApiServer::builder().seed(fixtures::seed_pods()).start().await;
/// # let client = rest_core::RestClient::for_config(&rest_core::Config::new(server.url()))?;
/// let config_maps = ResourceClient::<ConfigMap>::namespaced(&client, "default");
/// let mut cm = ConfigMap::default();
/// cm.metadata.name = Some("settings".into());
/// cm.data.insert("mode".into(), "fast".into());
/// let created = config_maps.create(&cm, &CreateOptions::default()).await?;
/// assert!(created.metadata.uid.is_some());
///
/// let patch = Patch::Merge(serde_json::json!({"data": {"mode": "safe"}}));
/// config_maps.patch("settings", &patch, &PatchOptions::default()).await?;
/// let got = config_maps.get("settings", &GetOptions::default()).await?;
/// assert_eq!(got.data["mode"], "safe");
///
/// let everywhere = ResourceClient::<ConfigMap>::all_namespaces(&client);
/// let all = everywhere.list(&ListOptions::default()).await?;
/// assert!(all.items.iter().any(|c| c.metadata.name.as_deref() == Some("settings")));
///
/// config_maps.delete("settings", &DeleteOptions::default()).await?;
/// # Ok(())
/// # }
/// ```
pub struct ResourceClient<T> {
    client: RestClient,
    /// `Some("")` lists across namespaces; `None` for cluster-scoped kinds.
    namespace: Option<String>,
    /// The resource in URLs: `T::PLURAL`, or a dynamic client's resource.
    plural: Cow<'static, str>,
    /// How errors name what a call was about: `T::KIND`, or a dynamic client's resource.
    kind: Cow<'static, str>,
    /// Ask for protobuf when the kind has a codec (`Config::protobuf`, `with_protobuf`).
    protobuf: bool,
    /// The kind's codec, taken where the kind is known (`None` for CRDs and dynamic clients).
    #[cfg(feature = "protobuf")]
    codec: Option<protobuf::KindCodec<T>>,
    _kind: PhantomData<fn() -> T>,
}

impl<T> Clone for ResourceClient<T> {
    fn clone(&self) -> Self {
        ResourceClient {
            client: self.client.clone(),
            namespace: self.namespace.clone(),
            plural: self.plural.clone(),
            kind: self.kind.clone(),
            protobuf: self.protobuf,
            #[cfg(feature = "protobuf")]
            codec: self.codec,
            _kind: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for ResourceClient<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResourceClient")
            .field("kind", &self.kind)
            .field("api_version", &self.client.group_version().to_string())
            .field("resource", &self.plural)
            .field("namespace", &self.namespace)
            .finish()
    }
}

impl<T> ResourceClient<T> {
    /// A client for `plural` through `client` (already for its group/version), as the
    /// dynamic client makes them.
    pub(crate) fn for_resource(
        client: RestClient,
        plural: &str,
        namespace: Option<String>,
    ) -> Self {
        ResourceClient {
            client,
            namespace,
            plural: Cow::Owned(plural.to_owned()),
            kind: Cow::Owned(plural.to_owned()),
            protobuf: false,
            #[cfg(feature = "protobuf")]
            codec: None,
            _kind: PhantomData,
        }
    }

    /// The same client in `namespace` instead.
    pub(crate) fn in_namespace(&self, namespace: Option<String>) -> Self {
        ResourceClient {
            namespace,
            ..self.clone()
        }
    }
}

impl<T: Resource> ResourceClient<T> {
    fn with_namespace(client: &RestClient, namespace: Option<String>) -> Self {
        ResourceClient {
            client: client.for_kind_group_version(T::GROUP, T::VERSION),
            namespace,
            plural: Cow::Borrowed(T::PLURAL),
            kind: Cow::Borrowed(T::KIND),
            protobuf: client.shared().protobuf,
            #[cfg(feature = "protobuf")]
            codec: protobuf::KindCodec::of(),
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
}

// The verbs, for generated, derived and dynamic objects alike.
impl<T: Serialize + DeserializeOwned + HasMetadata + Send + 'static> ResourceClient<T> {
    /// The namespace this client addresses (`None` at cluster scope, `""` for all).
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// This client with protobuf asked for (`true`, the default from `Config::protobuf`) or
    /// not: the per-call override. Kinds without a codec (CRDs) speak JSON either way.
    pub fn with_protobuf(mut self, protobuf: bool) -> Self {
        self.protobuf = protobuf;
        self
    }

    /// The underlying client (for `T`'s group/version).
    pub fn rest_client(&self) -> &RestClient {
        &self.client
    }

    /// What this client's calls address.
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

    pub async fn get(&self, name: &str, opts: &GetOptions) -> Result<T, Error> {
        // A protobuf GET is the same call with its own `Accept` (not a boxed path as the
        // other verbs': a GET is short enough for an allocation to show), decoded by the
        // answer's content type.
        #[cfg(feature = "protobuf")]
        let decode = self.codec().map(protobuf::KindCodec::decoder);
        #[cfg(feature = "protobuf")]
        let headers = match decode {
            Some(_) => Self::get_headers(),
            None => http::HeaderMap::new(),
        };
        #[cfg(not(feature = "protobuf"))]
        let headers = http::HeaderMap::new();
        // Only the call's future is kept across the `.await` (see `Target::send_get_with`).
        let sent = self.target().send_get_with(name, opts, headers)?;
        let response = sent.await;
        #[cfg(feature = "protobuf")]
        if let Some(decode) = decode {
            return response.decode_negotiated(decode);
        }
        response.decode()
    }

    /// Lists, decoding the items while the body streams in (see `Request::send_list`).
    pub async fn list(&self, opts: &ListOptions) -> Result<List<T>, Error> {
        #[cfg(feature = "protobuf")]
        if let Some(codec) = self.codec() {
            return Box::pin(self.list_protobuf(codec, opts)).await;
        }
        self.target().list(opts).send_list().await
    }

    /// Watches from `opts` (`watch=true` is set here).
    pub async fn watch(&self, opts: &ListOptions) -> Result<WatchStream<T>, Error> {
        #[cfg(feature = "protobuf")]
        if let Some(codec) = self.codec() {
            return Box::pin(self.watch_protobuf(codec, opts)).await;
        }
        self.target().watch(opts).watch().await
    }

    pub async fn create(&self, obj: &T, opts: &CreateOptions) -> Result<T, Error> {
        #[cfg(feature = "protobuf")]
        if let Some(codec) = self.codec() {
            return Box::pin(self.create_protobuf(codec, obj, opts)).await;
        }
        self.target().create(obj, opts).send().await.decode()
    }

    /// Replaces the object named by `obj.metadata.name`.
    pub async fn update(&self, obj: &T, opts: &UpdateOptions) -> Result<T, Error> {
        let name = object_name(obj.meta(), "update", &self.kind)?;
        #[cfg(feature = "protobuf")]
        if let Some(codec) = self.codec() {
            return Box::pin(self.update_protobuf(codec, name, None, obj, opts)).await;
        }
        self.target().update(name, obj, opts).send().await.decode()
    }

    /// Replaces the status of the object named by `obj.metadata.name`.
    pub async fn update_status(&self, obj: &T, opts: &UpdateOptions) -> Result<T, Error> {
        let name = object_name(obj.meta(), "update_status", &self.kind)?;
        #[cfg(feature = "protobuf")]
        if let Some(codec) = self.codec() {
            return Box::pin(self.update_protobuf(codec, name, Some("status"), obj, opts)).await;
        }
        self.update_subresource("status", name, obj, opts).await
    }

    /// Deletes one object; the options go as the JSON body, as client-go sends them.
    pub async fn delete(&self, name: &str, opts: &DeleteOptions) -> Result<Deleted<T>, Error> {
        #[cfg(feature = "protobuf")]
        if let Some(codec) = self.codec() {
            return Box::pin(self.delete_protobuf(codec, name, opts)).await;
        }
        deleted(self.target().delete(name, opts).send().await)
    }

    /// Deletes every object `list` selects; answers with the deleted objects.
    pub async fn delete_collection(
        &self,
        opts: &DeleteOptions,
        list: &ListOptions,
    ) -> Result<List<T>, Error> {
        self.target()
            .delete_collection(opts, list)
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
        self.target().patch(name, patch, opts).send().await.decode()
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
        self.target().apply(name, obj, opts).send().await.decode()
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
        self.target()
            .get_subresource(sub, name, params)
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
        self.target()
            .create_subresource(sub, name, body, opts)
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
        self.target()
            .update_subresource(sub, name, body, opts)
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
        self.target()
            .patch(name, patch, opts)
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
