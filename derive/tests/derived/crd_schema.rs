//! `crd()`: the manifest a user prints (checked in as YAML), and schemas that pass the
//! apiserver's structural-schema rules for every shape serde and schemars produce, while
//! losing no data (objects of a kind with every tricky shape round-trip through the fixture
//! server, which prunes what the schema does not describe).

use std::path::Path;

use crate::support::*;
use rest_core::meta::{CreateOptions, GetOptions};
use rest_core::{Config, Resource, RestClient};
use serde_json::{json, Map, Value};

/// Where the expected manifests live; `BLESS=1` rewrites them.
fn golden(name: &str, actual: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/crd")
        .join(name);
    let yaml = serde_norway::to_string(actual).unwrap();
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &yaml).unwrap();
    }
    let expected: Value = serde_norway::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(
        expected == *actual,
        "{} differs from crd(); if intended: BLESS=1 cargo test -p rest-derive --test crd_schema\n{yaml}",
        path.display()
    );
}

#[test]
fn the_crontab_manifest_is_the_checked_in_yaml() {
    golden("crontab.yaml", &CronTab::crd());
}

#[test]
fn a_manifest_names_the_kind_and_its_subresources() {
    let crd = CronTab::crd();
    assert_eq!(crd["metadata"]["name"], "crontabs.stable.example.com");
    assert_eq!(crd["spec"]["scope"], "Namespaced");
    assert_eq!(crd["spec"]["names"]["shortNames"], json!(["ct"]));
    let version = &crd["spec"]["versions"][0];
    assert_eq!(version["subresources"]["status"], json!({}));
    assert_eq!(
        version["subresources"]["scale"]["specReplicasPath"],
        ".spec.replicas"
    );
    assert_eq!(
        version["selectableFields"],
        json!([{"jsonPath": ".spec.image"}])
    );
    let policy = Policy::crd();
    assert_eq!(policy["spec"]["scope"], "Cluster");
    assert_eq!(policy["spec"]["names"]["plural"], "policies");
    assert!(policy["spec"]["versions"][0].get("subresources").is_none());
}

#[test]
fn every_schema_is_structural() {
    for crd in [CronTab::crd(), Policy::crd(), Tricky::crd()] {
        let schema = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
        let mut problems = Vec::new();
        check_node(schema, "openAPIV3Schema", &mut problems);
        assert_eq!(schema["properties"]["metadata"], json!({"type": "object"}));
        assert!(
            problems.is_empty(),
            "{}: not structural:\n{}",
            crd["metadata"]["name"],
            problems.join("\n")
        );
    }
}

#[test]
fn tricky_shapes_become_what_the_apiserver_accepts() {
    let crd = Tricky::crd();
    let spec = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"];
    let props = &spec["properties"];
    // The internally tagged enum: one object, its tag an enum of the variants.
    assert_eq!(props["action"]["type"], "object");
    assert_eq!(
        props["action"]["properties"]["type"]["enum"],
        json!(["restart", "notify", "nothing"])
    );
    assert_eq!(props["port"]["x-kubernetes-int-or-string"], true);
    assert!(props["port"].get("type").is_none());
    assert_eq!(props["level"]["enum"], json!(["Low", "High"]));
    assert_eq!(props["tags"]["items"]["type"], "string");
    assert!(props["tags"].get("uniqueItems").is_none());
    assert_eq!(props["small"]["format"], "int32");
    assert_eq!(props["big"]["format"], "int64");
    // The recursion stops at the first repeat (schemars inlined one level already).
    let child = &props["tree"]["properties"]["children"]["items"];
    assert_eq!(child["properties"]["value"]["type"], "integer");
    let grandchild = &child["properties"]["children"]["items"];
    assert_eq!(grandchild["x-kubernetes-preserve-unknown-fields"], true);
    // Flattened catch-all: unknown members are kept.
    let extras = &props["extras"];
    assert_eq!(extras["x-kubernetes-preserve-unknown-fields"], true);
    assert_eq!(extras["properties"]["known"]["type"], "string");
    assert!(spec.get("x-kubernetes-preserve-unknown-fields").is_none());
    // rest-core's meta value types: as the apiserver's own schemas give them.
    for int_or_string in ["cpu", "max_unavailable"] {
        assert_eq!(
            props[int_or_string],
            json!({"x-kubernetes-int-or-string": true})
        );
    }
    assert_eq!(
        props["since"],
        json!({"type": "string", "format": "date-time"})
    );
    assert_eq!(
        props["renewed"],
        json!({"type": "string", "format": "date-time", "nullable": true})
    );
}

#[tokio::test]
async fn tricky_objects_survive_the_server_whole() {
    let server = fixtures::ApiServer::builder()
        .crd(Tricky::crd())
        .start()
        .await;
    let client = RestClient::for_config(&Config::new(server.url())).unwrap();
    let tricky = TrickyClient::namespaced(&client, "default");
    let spec = tricky_spec();
    tricky
        .create(&Tricky::new("t", spec.clone()), &CreateOptions::default())
        .await
        .unwrap();
    let got = tricky.get("t", &GetOptions::default()).await.unwrap();
    assert_eq!(got.spec, spec);
    assert_eq!(Tricky::PLURAL, "trickies");
}

/// Keywords `JSONSchemaProps` has that a CRD may use.
const ALLOWED: &[&str] = &[
    "description",
    "type",
    "format",
    "title",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "multipleOf",
    "enum",
    "maxProperties",
    "minProperties",
    "required",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "properties",
    "additionalProperties",
    "nullable",
    "example",
    "externalDocs",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-list-type",
    "x-kubernetes-map-type",
    "x-kubernetes-validations",
];

/// What a logical junctor's branch must not set (the apiserver's structural rules).
const NOT_IN_JUNCTORS: &[&str] = &[
    "type",
    "description",
    "default",
    "additionalProperties",
    "nullable",
    "title",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
];

const FORMATS: &[&str] = &[
    "bsonobjectid",
    "uri",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "cidr",
    "mac",
    "uuid",
    "uuid3",
    "uuid4",
    "uuid5",
    "isbn",
    "isbn10",
    "isbn13",
    "creditcard",
    "ssn",
    "hexcolor",
    "rgbcolor",
    "byte",
    "password",
    "date",
    "duration",
    "datetime",
    "date-time",
    "int32",
    "int64",
    "float",
    "double",
];

/// The apiserver's structural-schema rules for one node and everything below it.
fn check_node(node: &Value, at: &str, problems: &mut Vec<String>) {
    let Some(m) = node.as_object() else {
        problems.push(format!("{at}: not a schema object"));
        return;
    };
    check_keywords(m, at, problems);
    let preserve = m.get("x-kubernetes-preserve-unknown-fields");
    if preserve.is_some() && preserve != Some(&json!(true)) {
        problems.push(format!(
            "{at}: x-kubernetes-preserve-unknown-fields must be true"
        ));
    }
    let untyped_ok =
        preserve == Some(&json!(true)) || m.get("x-kubernetes-int-or-string") == Some(&json!(true));
    match m.get("type").and_then(Value::as_str) {
        Some("object" | "array" | "string" | "integer" | "number" | "boolean") => {}
        Some(other) => problems.push(format!("{at}: type {other:?} is not allowed")),
        None if untyped_ok => {}
        None => problems.push(format!("{at}: type is missing")),
    }
    if m.contains_key("properties") && m.contains_key("additionalProperties") {
        problems.push(format!(
            "{at}: properties and additionalProperties together"
        ));
    }
    if let Some(props) = m.get("properties").and_then(Value::as_object) {
        for (name, schema) in props {
            check_node(schema, &format!("{at}.properties.{name}"), problems);
        }
    }
    match m.get("items") {
        Some(Value::Array(_)) => problems.push(format!("{at}.items: must be one schema")),
        Some(items) => check_node(items, &format!("{at}.items"), problems),
        None => {}
    }
    match m.get("additionalProperties") {
        Some(Value::Object(_)) => check_node(
            &m["additionalProperties"],
            &format!("{at}.additionalProperties"),
            problems,
        ),
        Some(Value::Bool(false)) | None => {}
        Some(other) => problems.push(format!("{at}.additionalProperties: {other}")),
    }
    for junctor in ["allOf", "anyOf", "oneOf", "not"] {
        let branches = match m.get(junctor) {
            Some(Value::Array(b)) => b.clone(),
            Some(one) => vec![one.clone()],
            None => continue,
        };
        for (i, b) in branches.iter().enumerate() {
            check_junctor_branch(b, m, &format!("{at}.{junctor}[{i}]"), problems);
        }
    }
}

fn check_keywords(m: &Map<String, Value>, at: &str, problems: &mut Vec<String>) {
    for key in m.keys() {
        if !ALLOWED.contains(&key.as_str()) {
            problems.push(format!("{at}: keyword {key:?} is not allowed"));
        }
    }
    if let Some(format) = m.get("format").and_then(Value::as_str) {
        if !FORMATS.contains(&format) {
            problems.push(format!(
                "{at}: format {format:?} is unknown to the apiserver"
            ));
        }
    }
}

/// A junctor branch: value validation only; whatever fields it names, the node names too.
fn check_junctor_branch(
    b: &Value,
    outer: &Map<String, Value>,
    at: &str,
    problems: &mut Vec<String>,
) {
    let Some(m) = b.as_object() else {
        problems.push(format!("{at}: not a schema object"));
        return;
    };
    check_keywords(m, at, problems);
    for key in NOT_IN_JUNCTORS {
        if m.contains_key(*key) {
            problems.push(format!("{at}: {key} must not be set inside a junctor"));
        }
    }
    if let Some(props) = m.get("properties").and_then(Value::as_object) {
        for name in props.keys() {
            if outer.get("properties").and_then(|p| p.get(name)).is_none() {
                problems.push(format!(
                    "{at}: property {name} is not specified outside the junctor"
                ));
            }
        }
    }
    for name in m
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let known = name
            .as_str()
            .is_some_and(|n| outer.get("properties").and_then(|p| p.get(n)).is_some());
        if !known {
            problems.push(format!(
                "{at}: required {name} is not a property of the node"
            ));
        }
    }
}
