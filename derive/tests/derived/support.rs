//! The kinds the tests derive: `CronTab` (the Kubernetes docs' example, with status, scale,
//! columns and every name attribute), a cluster-scoped `Policy` with nested types, and
//! `Tricky`, with every shape a CRD schema has to be rewritten for.

use std::collections::{BTreeMap, HashSet};

use serde_json::{json, Value};

use rest_core::meta::{IntOrString, MicroTime, Quantity, Time};
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

/// Every shape that needs rewriting to be structural: tagged, untagged and documented
/// enums, recursion, tuples, sets, unsigned and small integers, flattened maps.
#[derive(Resource, Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
#[resource(
    group = "tricky.example.com",
    version = "v1",
    kind = "Tricky",
    plural = "trickies"
)]
pub struct TrickySpec {
    pub action: Action,
    pub port: Port,
    pub level: Level,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tree: Option<Tree>,
    pub pair: (String, u16),
    pub tags: HashSet<String>,
    pub small: u8,
    pub big: u64,
    pub letter: char,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maybe: Vec<Option<i32>>,
    pub extras: Extras,
    pub cpu: Quantity,
    pub max_unavailable: IntOrString,
    pub since: Time,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewed: Option<MicroTime>,
}

/// A struct that keeps members it does not name (a flattened catch-all map).
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Extras {
    pub known: String,
    #[serde(flatten)]
    pub rest: BTreeMap<String, Value>,
}

/// Internally tagged: every variant shares the `type` property.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Action {
    Restart { delay_seconds: u32 },
    Notify { channel: String, urgent: bool },
    Nothing,
}

/// An int or a named port, as Kubernetes' IntOrString.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum Port {
    Number(i32),
    Name(String),
}

/// Unit variants with docs: schemars writes one branch per variant.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Copy, Debug, PartialEq)]
pub enum Level {
    /// Quiet.
    Low,
    /// Loud.
    High,
}

/// Recursive: a CRD schema cannot say it, so the recursion keeps any value.
#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, PartialEq)]
pub struct Tree {
    pub value: i32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Tree>,
}

#[allow(dead_code)]
pub fn tricky_spec() -> TrickySpec {
    TrickySpec {
        action: Action::Notify {
            channel: "ops".into(),
            urgent: true,
        },
        port: Port::Name("http".into()),
        level: Level::High,
        tree: Some(Tree {
            value: 1,
            children: vec![Tree {
                value: 2,
                children: vec![Tree {
                    value: 3,
                    children: vec![],
                }],
            }],
        }),
        pair: ("a".into(), 8080),
        tags: HashSet::from(["x".to_owned()]),
        small: 7,
        big: 1 << 40,
        letter: 'q',
        maybe: vec![Some(1), None],
        extras: Extras {
            known: "k".into(),
            rest: BTreeMap::from([("unlisted".to_owned(), json!({"kept": [1, 2]}))]),
        },
        cpu: Quantity::from("250m"),
        max_unavailable: IntOrString::String("25%".into()),
        since: Time::from("2026-11-27T13:01:18Z"),
        renewed: Some(MicroTime::from("2026-11-27T13:01:18.123456Z")),
    }
}
