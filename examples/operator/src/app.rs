//! The custom resource this operator serves: an `App` (`example.com/v1`) that wants a
//! Deployment of `image` with `replicas`, configured by a ConfigMap holding `message`.

use rest_core::meta::Condition;
use rest_core::Resource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What an `App` asks for.
#[derive(Resource, Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
#[resource(
    group = "example.com",
    version = "v1",
    kind = "App",
    namespaced,
    status = "AppStatus",
    shortname = "app",
    derive = "PartialEq"
)]
#[serde(rename_all = "camelCase")]
pub struct AppSpec {
    /// The container image the Deployment runs.
    pub image: String,
    /// How many pods.
    pub replicas: i32,
    /// Put in the ConfigMap (`message`) the pods read.
    pub message: String,
}

/// What the operator last made of an `App`.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    /// `Ready`: the ConfigMap and Deployment match the spec.
    #[serde(default)]
    pub conditions: Vec<Condition>,
}

impl App {
    /// The `Ready` condition, if set.
    pub fn ready(&self) -> Option<&Condition> {
        self.status
            .as_ref()
            .and_then(|s| rest_runtime::conditions::find_status_condition(&s.conditions, "Ready"))
    }
}

/// The names of what an `App` owns.
pub fn config_map_name(app: &str) -> String {
    format!("{app}-config")
}

pub fn deployment_name(app: &str) -> String {
    app.to_owned()
}
