//! Discovery documents: `APIVersions` (`/api`), `APIGroupList` (`/apis`), `APIResourceList`
//! (`/api/v1`, `/apis/<group>/<version>`) and their parts.

use serde::{Deserialize, Serialize};

use super::de::null_as_default;

/// The versions of the legacy core API, served at `/api`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIVersions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Server address to use per client CIDR.
    #[serde(
        rename = "serverAddressByClientCIDRs",
        default,
        deserialize_with = "null_as_default"
    )]
    pub server_address_by_client_cidrs: Vec<ServerAddressByClientCIDR>,
    /// The API versions available (`v1`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub versions: Vec<String>,
}

/// The API groups a server serves, at `/apis`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIGroupList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// The groups.
    #[serde(default, deserialize_with = "null_as_default")]
    pub groups: Vec<APIGroup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// One API group: its name, versions and preferred version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIGroup {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The group name (`apps`).
    #[serde(default)]
    pub name: String,
    /// The version the server prefers, usually the storage version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_version: Option<GroupVersionForDiscovery>,
    /// Server address to use per client CIDR.
    #[serde(
        rename = "serverAddressByClientCIDRs",
        skip_serializing_if = "Option::is_none"
    )]
    pub server_address_by_client_cidrs: Option<Vec<ServerAddressByClientCIDR>>,
    /// The versions served.
    #[serde(default, deserialize_with = "null_as_default")]
    pub versions: Vec<GroupVersionForDiscovery>,
}

/// A `group/version` string and its version part.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupVersionForDiscovery {
    /// `group/version` (`apps/v1`).
    #[serde(default)]
    pub group_version: String,
    /// `version` (`v1`).
    #[serde(default)]
    pub version: String,
}

/// The server address a client in a CIDR should use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServerAddressByClientCIDR {
    /// The CIDR clients match their IP against.
    #[serde(rename = "clientCIDR", default)]
    pub client_cidr: String,
    /// Host, host:port, IP or IP:port.
    #[serde(rename = "serverAddress", default)]
    pub server_address: String,
}

/// The resources of one group/version, at `/api/v1` or `/apis/<group>/<version>`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIResourceList {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// The group/version listed (`apps/v1`).
    #[serde(default)]
    pub group_version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The resources, subresources included (`deployments/scale`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub resources: Vec<APIResource>,
}

/// One resource (or `resource/subresource`) of a group/version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct APIResource {
    /// Groupings this resource belongs to (`all`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// Group of the resource when it differs from the list's (subresources).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The kind (`Deployment`).
    #[serde(default)]
    pub kind: String,
    /// The plural name (`deployments`, `deployments/scale`).
    #[serde(default)]
    pub name: String,
    /// Whether objects live in namespaces.
    #[serde(default)]
    pub namespaced: bool,
    /// Short names for the CLI (`deploy`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_names: Option<Vec<String>>,
    /// The singular name (`deployment`).
    #[serde(default)]
    pub singular_name: String,
    /// Opaque hash of the storage version; compare for equality only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_version_hash: Option<String>,
    /// Supported verbs (`get`, `list`, `watch`, `create`, ...).
    #[serde(default, deserialize_with = "null_as_default")]
    pub verbs: Vec<String>,
    /// Version of the resource when it differs from the list's (subresources).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}
