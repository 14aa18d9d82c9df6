//! The kubeconfig file as kubectl writes it (`clusters`, `users`, `contexts`,
//! `current-context`), deserialized as is; `kubeconfig.rs` turns it into a `Config`.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// Go writes an empty list or map as `null`; read it as empty.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A whole kubeconfig file. Unknown keys (`preferences`, `extensions`) are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct KubeconfigFile {
    #[serde(default, deserialize_with = "null_as_default")]
    pub clusters: Vec<NamedCluster>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub users: Vec<NamedUser>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub contexts: Vec<NamedContext>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub current_context: String,
}

/// `- name: x` + `cluster:` entries.
#[derive(Debug, Deserialize)]
pub(crate) struct NamedCluster {
    #[serde(default)]
    pub name: String,
    pub cluster: Option<Cluster>,
}

/// `- name: x` + `context:` entries.
#[derive(Debug, Deserialize)]
pub(crate) struct NamedContext {
    #[serde(default)]
    pub name: String,
    pub context: Option<Context>,
}

/// `- name: x` + `user:` entries.
#[derive(Debug, Deserialize)]
pub(crate) struct NamedUser {
    #[serde(default)]
    pub name: String,
    pub user: Option<User>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Cluster {
    #[serde(default, deserialize_with = "null_as_default")]
    pub server: String,
    pub certificate_authority: Option<String>,
    pub certificate_authority_data: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub insecure_skip_tls_verify: bool,
    pub tls_server_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct User {
    pub token: Option<String>,
    #[serde(rename = "tokenFile")]
    pub token_file: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub client_certificate: Option<String>,
    pub client_certificate_data: Option<String>,
    pub client_key: Option<String>,
    pub client_key_data: Option<String>,
    #[serde(rename = "as")]
    pub as_user: Option<String>,
    pub as_uid: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub as_groups: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub as_user_extra: BTreeMap<String, Vec<String>>,
    /// Only checked for presence: exec plugins are not supported yet.
    pub exec: Option<serde_norway::Value>,
    /// Only checked for presence: auth providers are not supported.
    pub auth_provider: Option<serde_norway::Value>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Context {
    #[serde(default, deserialize_with = "null_as_default")]
    pub cluster: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub user: String,
    pub namespace: Option<String>,
}
