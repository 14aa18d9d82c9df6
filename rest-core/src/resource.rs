//! The `Resource` trait: what the engine needs to know about a Kubernetes kind to build its
//! URLs (group, version, plural, scope) and to read its metadata.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::meta::ObjectMeta;

/// Whether objects of a kind live inside a namespace or at cluster level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Namespaced,
    Cluster,
}

/// A top-level Kubernetes kind served by an API server (Pod, Deployment, a CRD's kind).
///
/// Generated and derived types implement it; `ResourceClient<T>` builds every request from it.
pub trait Resource: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// API group, empty for the core group (`""`, `"apps"`, `"cert-manager.io"`).
    const GROUP: &'static str;
    /// API version within the group (`"v1"`, `"v1beta1"`).
    const VERSION: &'static str;
    /// `group/version`, or just `version` for the core group: the `apiVersion` field.
    const API_VERSION: &'static str;
    /// The kind (`"Pod"`).
    const KIND: &'static str;
    /// The resource name in URLs (`"pods"`).
    const PLURAL: &'static str;
    /// Namespaced or cluster-scoped.
    const SCOPE: Scope;

    /// The `apiVersion` this kind serializes with.
    fn api_version() -> &'static str {
        Self::API_VERSION
    }

    fn metadata(&self) -> &ObjectMeta;
    fn metadata_mut(&mut self) -> &mut ObjectMeta;

    /// This kind's protobuf codec, when it has one (built-in kinds generated with their
    /// crate's `protobuf` feature). `None`, the default (CRDs, derived kinds), speaks JSON.
    #[cfg(feature = "protobuf")]
    fn protobuf_codec() -> Option<crate::protobuf::Codec<Self>> {
        None
    }
}

/// Anything with an `ObjectMeta`: every [`Resource`] and
/// [`DynamicObject`](crate::dynamic::DynamicObject) (whose kind is known at run time only);
/// what code holding objects of either sort (caches, watchers) reads names and versions from.
pub trait HasMetadata {
    fn meta(&self) -> &ObjectMeta;
    fn meta_mut(&mut self) -> &mut ObjectMeta;
}

impl<T: Resource> HasMetadata for T {
    fn meta(&self) -> &ObjectMeta {
        self.metadata()
    }

    fn meta_mut(&mut self) -> &mut ObjectMeta {
        self.metadata_mut()
    }
}
