//! `PartialObjectMetadata<K>`: an object of kind `K` as a metadata-only read sees it (the
//! server's `meta.k8s.io/v1` form, asked for with [`PartialObjectMetadata::ACCEPT`]).

use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

use super::object_meta::ObjectMeta;
use crate::resource::{Resource, Scope};

/// Only the metadata of a `K` (client-go's `metav1.PartialObjectMetadata`): what a consumer
/// that needs names, labels, owners or versions can cache at a fraction of the memory.
///
/// It addresses the same URLs as `K` (it implements [`Resource`] with `K`'s group, version,
/// plural and scope); only the `Accept` header asks the server for the short form.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartialObjectMetadata<K> {
    /// `meta.k8s.io/v1` as the server sends it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `PartialObjectMetadata` as the server sends it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(skip)]
    _kind: PhantomData<fn() -> K>,
}

impl<K> PartialObjectMetadata<K> {
    /// The `Accept` header of a metadata-only GET or watch (each object, each event).
    pub const ACCEPT: &'static str = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
    /// The `Accept` header of a metadata-only list (the server answers 406 to the object form).
    pub const ACCEPT_LIST: &'static str =
        "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

    /// The metadata of a `K`, as the server would send it.
    pub fn new(metadata: ObjectMeta) -> Self {
        PartialObjectMetadata {
            api_version: Some("meta.k8s.io/v1".to_owned()),
            kind: Some("PartialObjectMetadata".to_owned()),
            metadata,
            _kind: PhantomData,
        }
    }
}

impl<K> Default for PartialObjectMetadata<K> {
    /// No type and empty metadata (what a decoder starts from).
    fn default() -> Self {
        PartialObjectMetadata {
            api_version: None,
            kind: None,
            metadata: ObjectMeta::default(),
            _kind: PhantomData,
        }
    }
}

impl<K> Clone for PartialObjectMetadata<K> {
    fn clone(&self) -> Self {
        PartialObjectMetadata {
            api_version: self.api_version.clone(),
            kind: self.kind.clone(),
            metadata: self.metadata.clone(),
            _kind: PhantomData,
        }
    }
}

impl<K> PartialEq for PartialObjectMetadata<K> {
    fn eq(&self, other: &Self) -> bool {
        self.api_version == other.api_version
            && self.kind == other.kind
            && self.metadata == other.metadata
    }
}

impl<K: Resource> std::fmt::Debug for PartialObjectMetadata<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PartialObjectMetadata")
            .field("of", &K::KIND)
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl<K: Resource> Resource for PartialObjectMetadata<K> {
    const GROUP: &'static str = K::GROUP;
    const VERSION: &'static str = K::VERSION;
    const API_VERSION: &'static str = K::API_VERSION;
    const KIND: &'static str = K::KIND;
    const PLURAL: &'static str = K::PLURAL;
    const SCOPE: Scope = K::SCOPE;

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}
