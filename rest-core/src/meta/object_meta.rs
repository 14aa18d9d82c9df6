//! `ObjectMeta` and what hangs off it (`OwnerReference`, `ManagedFieldsEntry`): the metadata
//! every persisted object carries.

use super::Map;

use serde::{Deserialize, Serialize};

use super::raw::FieldsV1;
use super::time::Time;

/// Metadata all persisted resources have: name, namespace, labels, versions, owners.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// Unstructured key/value data set by tools; not queryable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Map<String, String>>,
    /// When the object was created (server-set, RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<Time>,
    /// Seconds allowed for graceful termination; set with `deletion_timestamp`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_grace_period_seconds: Option<i64>,
    /// When the object will be deleted; set by the server on graceful deletion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_timestamp: Option<Time>,
    /// Identifiers that must be removed before the object is deleted.
    #[serde(
        default,
        deserialize_with = "super::de::exact_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub finalizers: Option<Vec<String>>,
    /// Prefix from which the server generates a unique name when `name` is empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generate_name: Option<String>,
    /// Sequence number of the desired state (server-set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generation: Option<i64>,
    /// Key/value pairs used to organise and select objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Map<String, String>>,
    /// Which manager owns which fields (server-side apply bookkeeping).
    #[serde(
        default,
        deserialize_with = "super::de::exact_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub managed_fields: Option<Vec<ManagedFieldsEntry>>,
    /// Unique within a namespace; required on create unless `generate_name` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The namespace the name is unique in; empty for cluster-scoped objects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Objects this one depends on; it is garbage collected when all are gone.
    #[serde(
        default,
        deserialize_with = "super::de::exact_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub owner_references: Option<Vec<OwnerReference>>,
    /// Opaque version for optimistic concurrency and watches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    /// Deprecated and no longer populated by the server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_link: Option<String>,
    /// Unique in time and space (server-set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

impl ObjectMeta {
    /// Metadata with just a name, the usual start of an object to create.
    pub fn named(name: impl Into<String>) -> Self {
        ObjectMeta {
            name: Some(name.into()),
            ..ObjectMeta::default()
        }
    }

    /// Metadata with a namespace and a name.
    pub fn namespaced(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        ObjectMeta {
            name: Some(name.into()),
            namespace: Some(namespace.into()),
            ..ObjectMeta::default()
        }
    }
}

/// Identifies an owning object (same namespace or cluster-scoped).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerReference {
    /// API version of the owner.
    #[serde(default)]
    pub api_version: String,
    /// When true and the owner has the `foregroundDeletion` finalizer, the owner is not
    /// deleted until this reference is removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_owner_deletion: Option<bool>,
    /// When true, the owner is the managing controller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller: Option<bool>,
    /// Kind of the owner.
    #[serde(default)]
    pub kind: String,
    /// Name of the owner.
    #[serde(default)]
    pub name: String,
    /// UID of the owner.
    #[serde(default)]
    pub uid: String,
}

/// One manager's claim on a set of fields (server-side apply).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedFieldsEntry {
    /// Version of the resource the field set applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Format of the field set; currently always `FieldsV1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields_type: Option<String>,
    /// The field set, in the `FieldsV1` format.
    #[serde(rename = "fieldsV1", skip_serializing_if = "Option::is_none")]
    pub fields_v1: Option<FieldsV1>,
    /// Who manages these fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// `Apply` or `Update`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Subresource the update went through, empty for the main resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subresource: Option<String>,
    /// When the entry was last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<Time>,
}
