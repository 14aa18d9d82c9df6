//! The kubeconfig document as kubectl reads and prints it (client-go's `clientcmd/api/v1`):
//! reads any file kubectl reads, and serializes to what `kubectl config view -o json` prints.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::config::Secret;

/// A whole kubeconfig (one file, or several merged). Unknown keys are ignored.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Kubeconfig {
    #[serde(default, deserialize_with = "null_as_default")]
    pub preferences: Preferences,
    #[serde(default, deserialize_with = "null_as_default")]
    pub clusters: Vec<NamedCluster>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub users: Vec<NamedAuthInfo>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub contexts: Vec<NamedContext>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub current_context: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub extensions: Vec<NamedExtension>,
    /// `Config` (or unset); anything else is not a kubeconfig. Always printed as `Config`.
    #[serde(default)]
    pub kind: Option<String>,
    /// `v1` (or unset). Always printed as `v1`.
    #[serde(default, rename = "apiVersion")]
    pub api_version: Option<String>,
}

impl Serialize for Kubeconfig {
    /// kubectl's shape: `kind`/`apiVersion` always, empty lists as `null`. Secrets are
    /// written as they are (as `kubectl config view --raw`): this is for writing files.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename_all = "kebab-case")]
        struct View<'a> {
            kind: &'static str,
            #[serde(rename = "apiVersion")]
            api_version: &'static str,
            preferences: &'a Preferences,
            #[serde(serialize_with = "null_if_empty")]
            clusters: &'a Vec<NamedCluster>,
            #[serde(serialize_with = "null_if_empty")]
            users: &'a Vec<NamedAuthInfo>,
            #[serde(serialize_with = "null_if_empty")]
            contexts: &'a Vec<NamedContext>,
            current_context: &'a str,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            extensions: &'a Vec<NamedExtension>,
        }
        View {
            kind: "Config",
            api_version: "v1",
            preferences: &self.preferences,
            clusters: &self.clusters,
            users: &self.users,
            contexts: &self.contexts,
            current_context: &self.current_context,
            extensions: &self.extensions,
        }
        .serialize(serializer)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Preferences {
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "is_false"
    )]
    pub colors: bool,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extensions: Vec<NamedExtension>,
}

/// `- name: x` + `extension: <anything>`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedExtension {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default)]
    pub extension: serde_json::Value,
}

/// `- name: x` + `cluster:`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NamedCluster {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub cluster: Cluster,
    /// The file this entry was read from (client-go's `LocationOfOrigin`); relative paths in
    /// the entry are relative to its folder.
    #[serde(skip)]
    pub location_of_origin: Option<PathBuf>,
}

/// `- name: x` + `user:`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NamedAuthInfo {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub user: AuthInfo,
    /// The file this entry was read from.
    #[serde(skip)]
    pub location_of_origin: Option<PathBuf>,
}

/// `- name: x` + `context:`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct NamedContext {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub context: Context,
    /// The file this entry was read from.
    #[serde(skip)]
    pub location_of_origin: Option<PathBuf>,
}

/// How to reach one API server.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Cluster {
    #[serde(default, deserialize_with = "null_as_default")]
    pub server: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub tls_server_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "is_false"
    )]
    pub insecure_skip_tls_verify: bool,
    /// A path to a PEM file.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub certificate_authority: Option<String>,
    /// Base64 of a PEM bundle, as written in the file.
    #[serde(
        default,
        skip_serializing_if = "is_empty",
        serialize_with = "canonical_base64"
    )]
    pub certificate_authority_data: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub proxy_url: Option<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "is_false"
    )]
    pub disable_compression: bool,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extensions: Vec<NamedExtension>,
}

/// Who to be: credentials and impersonation.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct AuthInfo {
    #[serde(default, skip_serializing_if = "is_empty")]
    pub client_certificate: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "is_empty",
        serialize_with = "canonical_base64"
    )]
    pub client_certificate_data: Option<String>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub client_key: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "is_empty_secret",
        serialize_with = "canonical_base64_secret",
        deserialize_with = "secret"
    )]
    pub client_key_data: Option<Secret>,
    #[serde(
        default,
        skip_serializing_if = "is_empty_secret",
        serialize_with = "expose_secret",
        deserialize_with = "secret"
    )]
    pub token: Option<Secret>,
    #[serde(default, rename = "tokenFile", skip_serializing_if = "is_empty")]
    pub token_file: Option<String>,
    #[serde(default, rename = "as", skip_serializing_if = "is_empty")]
    pub impersonate: Option<String>,
    #[serde(default, rename = "as-uid", skip_serializing_if = "is_empty")]
    pub impersonate_uid: Option<String>,
    #[serde(
        default,
        rename = "as-groups",
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub impersonate_groups: Vec<String>,
    #[serde(
        default,
        rename = "as-user-extra",
        deserialize_with = "null_as_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub impersonate_user_extra: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub username: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "is_empty_secret",
        serialize_with = "expose_secret",
        deserialize_with = "secret"
    )]
    pub password: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_provider: Option<AuthProviderConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecConfig>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extensions: Vec<NamedExtension>,
}

/// A cluster, a user and a namespace.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Context {
    #[serde(default, deserialize_with = "null_as_default")]
    pub cluster: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub user: String,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub namespace: Option<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub extensions: Vec<NamedExtension>,
}

/// An in-tree auth provider (`oidc`, the removed `gcp`/`azure`); kept to print it back.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct AuthProviderConfig {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub config: BTreeMap<String, String>,
}

impl fmt::Debug for AuthProviderConfig {
    /// Provider settings hold refresh tokens and client secrets: names only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthProviderConfig")
            .field("name", &self.name)
            .field("config", &self.config.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// An exec credential plugin (`client.authentication.k8s.io/v1` or `v1beta1`), as client-go's
/// `ExecConfig`: run `command` with `args` and `env`, read an `ExecCredential` from stdout.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecConfig {
    #[serde(default, deserialize_with = "null_as_default")]
    pub command: String,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        serialize_with = "null_if_empty"
    )]
    pub args: Vec<String>,
    #[serde(
        default,
        deserialize_with = "null_as_default",
        serialize_with = "null_if_empty"
    )]
    pub env: Vec<ExecEnvVar>,
    #[serde(default, skip_serializing_if = "is_empty")]
    pub api_version: Option<String>,
    /// Shown when `command` is not installed.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub install_hint: Option<String>,
    /// Pass the cluster (server, CA, and `config` below) to the plugin in `KUBERNETES_EXEC_INFO`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub provide_cluster_info: bool,
    /// `Never`, `IfAvailable` or `Always`; krest never has a terminal to offer, so `Always`
    /// is refused.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub interactive_mode: Option<String>,
    /// The cluster's `client.authentication.k8s.io/exec` extension, handed to the plugin
    /// with the cluster info (client-go's `ExecConfig.Config`; not part of the file).
    #[serde(skip)]
    pub config: Option<serde_json::Value>,
}

impl fmt::Debug for ExecConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExecConfig")
            .field("command", &self.command)
            .field("args", &self.args)
            .field("env", &self.env)
            .field("api_version", &self.api_version)
            .field("install_hint", &self.install_hint)
            .field("provide_cluster_info", &self.provide_cluster_info)
            .field("interactive_mode", &self.interactive_mode)
            .field("config", &self.config.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// One `name`/`value` pair of an exec plugin's environment.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecEnvVar {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub value: String,
}

impl fmt::Debug for ExecEnvVar {
    /// Values often carry credentials (client-go redacts them too).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}=<redacted>", self.name)
    }
}

/// Go writes an empty list or map as `null`; read it as empty.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

fn secret<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Secret>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.map(Secret::new))
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_empty(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(str::is_empty)
}

fn is_empty_secret(value: &Option<Secret>) -> bool {
    value.as_ref().is_none_or(|s| s.expose().is_empty())
}

/// Go's `omitempty`-less slices: `null` when empty.
fn null_if_empty<S: Serializer, T: Serialize>(items: &[T], s: S) -> Result<S::Ok, S::Error> {
    if items.is_empty() {
        s.serialize_none()
    } else {
        items.serialize(s)
    }
}

fn expose_secret<S: Serializer>(value: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
    value.as_ref().map(|v| v.expose().as_str()).serialize(s)
}

/// Go stores `-data` fields as bytes and prints them as padded standard base64.
fn canonical_base64<S: Serializer>(value: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    value.as_deref().map(normalize_base64).serialize(s)
}

fn canonical_base64_secret<S: Serializer>(value: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
    value
        .as_ref()
        .map(|v| normalize_base64(v.expose()))
        .serialize(s)
}

fn normalize_base64(text: &str) -> String {
    use base64::Engine as _;
    match super::decode_base64(text) {
        Ok(bytes) => base64::engine::general_purpose::STANDARD.encode(bytes),
        Err(_) => text.to_owned(),
    }
}
