//! The kinds the tests derive: `CronTab` (the Kubernetes docs' example, with status, scale,
//! columns and every name attribute) and a cluster-scoped `Policy` with nested types.

use std::collections::BTreeMap;

use rest_core::Resource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Resource, Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
#[resource(
    group = "stable.example.com",
    version = "v1",
    kind = "CronTab",
    namespaced,
    status = "CronTabStatus",
    shortname = "ct",
    category = "all",
    printcolumn(name = "Spec", type = "string", json_path = ".spec.cronSpec"),
    printcolumn(
        name = "Replicas",
        type = "integer",
        json_path = ".spec.replicas",
        priority = 1
    ),
    selectable_field = ".spec.image",
    scale(
        spec_replicas_path = ".spec.replicas",
        status_replicas_path = ".status.replicas",
        label_selector_path = ".status.labelSelector"
    ),
    derive = "PartialEq"
)]
#[serde(rename_all = "camelCase")]
pub struct CronTabSpec {
    /// When to run, in cron syntax.
    pub cron_spec: String,
    pub image: String,
    pub replicas: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CronTabStatus {
    pub replicas: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_schedule_time: Option<String>,
}

// Not every test crate that includes this module uses it.
#[allow(dead_code)]
pub fn crontab_spec(cron: &str, replicas: i32) -> CronTabSpec {
    CronTabSpec {
        cron_spec: cron.to_owned(),
        image: "my-cron-image".to_owned(),
        replicas,
        suspend: None,
        env: BTreeMap::new(),
    }
}

/// A cluster-scoped kind whose spec holds enums, maps, nested structs and free-form JSON.
#[derive(Resource, Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
#[resource(
    group = "policy.example.com",
    version = "v1alpha1",
    kind = "Policy",
    cluster
)]
#[serde(rename_all = "camelCase")]
pub struct PolicySpec {
    pub mode: Mode,
    pub rules: Vec<Rule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub limits: BTreeMap<String, u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<serde_json::Value>,
}

#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    Enforce,
    Audit,
}

#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verbs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age_seconds: Option<i64>,
}

/// What a rule applies to: externally tagged, one shape per variant.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub enum Target {
    Namespace { name: String },
    Labels { selector: BTreeMap<String, String> },
}
