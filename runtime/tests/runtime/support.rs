//! What the runtime's server tests share: a ConfigMap type (rest-runtime depends on
//! rest-core alone, so not the generated one) and a client for a fixture API server.

#![allow(dead_code)]

use std::collections::BTreeMap;

use rest_core::meta::ObjectMeta;
use rest_core::{Config, Resource, RestClient, Scope};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ConfigMap {
    #[serde(
        default,
        rename = "apiVersion",
        skip_serializing_if = "Option::is_none"
    )]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<BTreeMap<String, String>>,
}

impl ConfigMap {
    pub fn new(name: &str, data: &[(&str, &str)]) -> Self {
        ConfigMap {
            api_version: Some("v1".into()),
            kind: Some("ConfigMap".into()),
            metadata: ObjectMeta::namespaced("default", name),
            data: Some(
                data.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
        }
    }
}

impl Resource for ConfigMap {
    const GROUP: &'static str = "";
    const VERSION: &'static str = "v1";
    const API_VERSION: &'static str = "v1";
    const KIND: &'static str = "ConfigMap";
    const PLURAL: &'static str = "configmaps";
    const SCOPE: Scope = Scope::Namespaced;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

/// A fixture server and a client for it.
pub async fn server() -> (fixtures::ApiServer, RestClient) {
    let server = fixtures::ApiServer::start().await;
    // Candidates and workers share one client: lift client-go's 5 qps default so the
    // client-side throttle does not stretch the timing under test.
    let config = Config {
        qps: 1000.0,
        burst: 1000,
        ..Config::new(server.url())
    };
    let client = RestClient::for_config(&config).expect("client");
    (server, client)
}

/// A Secret with only metadata: an object the tests make a ConfigMap own.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    #[serde(
        default,
        rename = "apiVersion",
        skip_serializing_if = "Option::is_none"
    )]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
}

impl Resource for Secret {
    const GROUP: &'static str = "";
    const VERSION: &'static str = "v1";
    const API_VERSION: &'static str = "v1";
    const KIND: &'static str = "Secret";
    const PLURAL: &'static str = "secrets";
    const SCOPE: Scope = Scope::Namespaced;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}
