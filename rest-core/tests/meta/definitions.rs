//! Drift test: every `io.k8s.apimachinery.*` definition of the Kubernetes OpenAPI document
//! (tests/data/meta-v1-swagger.json) has a `rest_core::meta` type with the same JSON shape.
//! A sample with every property set must round-trip exactly, and an empty value must write
//! only the required properties.

use rest_core::meta;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

fn definitions() -> Map<String, Value> {
    let path = format!(
        "{}/tests/data/meta-v1-swagger.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["definitions"].as_object().unwrap().clone()
}

/// A value for `schema` with every property set, following `$ref`s.
fn sample(defs: &Map<String, Value>, schema: &Value, property: &str, depth: usize) -> Value {
    assert!(depth < 8, "recursive schema at {property}");
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/definitions/");
        return sample(defs, &defs[name], property, depth + 1);
    }
    // Typed enums in rest_core take only the values the server knows.
    match property {
        "propagationPolicy" => return json!("Background"),
        "resourceVersionMatch" => return json!("Exact"),
        _ => {}
    }
    match (
        schema.get("type").and_then(Value::as_str),
        schema.get("format").and_then(Value::as_str),
    ) {
        (Some("string"), Some("date-time")) => json!("2024-02-29T23:59:59.123456Z"),
        (Some("string"), Some("int-or-string")) => json!("25%"),
        (Some("string"), _) => json!(format!("{property}-value")),
        (Some("integer"), _) => json!(7),
        (Some("boolean"), _) => json!(true),
        (Some("array"), _) => json!([sample(defs, &schema["items"], property, depth + 1)]),
        (Some("object"), _) | (None, _) => {
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                props
                    .iter()
                    .map(|(k, v)| (k.clone(), sample(defs, v, k, depth + 1)))
                    .collect::<Map<_, _>>()
                    .into()
            } else if let Some(items) = schema.get("additionalProperties") {
                json!({ "key": sample(defs, items, property, depth + 1) })
            } else {
                // Free-form JSON (FieldsV1, RawExtension).
                json!({"f:spec": {".": {}}, "n": [1, "two", null]})
            }
        }
        other => panic!("unexpected schema type {other:?} at {property}"),
    }
}

fn check<T: Serialize + DeserializeOwned + Default>(defs: &Map<String, Value>, name: &str) {
    let schema = &defs[name];
    let full = sample(defs, schema, name, 0);
    let decoded: T = serde_json::from_value(full.clone())
        .unwrap_or_else(|e| panic!("{name}: full sample does not decode: {e}\n{full:#}"));
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        full,
        "{name}: full sample does not round-trip"
    );
    if schema.get("properties").is_some() {
        let mut required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        required.sort_unstable();
        let empty = serde_json::to_value(T::default()).unwrap();
        let written: Vec<&str> = empty
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            written, required,
            "{name}: an empty value must write exactly the required properties"
        );
    }
}

macro_rules! covered {
    ($defs:expr, $( $path:literal => $ty:ty ),* $(,)?) => {{
        let mut names = Vec::new();
        $( check::<$ty>(&$defs, $path); names.push($path); )*
        names
    }};
}

#[test]
fn every_apimachinery_definition_has_the_same_shape() {
    let defs = definitions();
    let mut covered = covered!(defs,
        "io.k8s.apimachinery.pkg.api.resource.Quantity" => meta::Quantity,
        "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup" => meta::APIGroup,
        "io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList" => meta::APIGroupList,
        "io.k8s.apimachinery.pkg.apis.meta.v1.APIResource" => meta::APIResource,
        "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList" => meta::APIResourceList,
        "io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions" => meta::APIVersions,
        "io.k8s.apimachinery.pkg.apis.meta.v1.Condition" => meta::Condition,
        "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions" => meta::DeleteOptions,
        "io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement" => meta::FieldSelectorRequirement,
        "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1" => meta::FieldsV1,
        "io.k8s.apimachinery.pkg.apis.meta.v1.GroupVersionForDiscovery" => meta::GroupVersionForDiscovery,
        "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector" => meta::LabelSelector,
        "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement" => meta::LabelSelectorRequirement,
        "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta" => meta::ListMeta,
        "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry" => meta::ManagedFieldsEntry,
        "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" => meta::MicroTime,
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" => meta::ObjectMeta,
        "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference" => meta::OwnerReference,
        "io.k8s.apimachinery.pkg.apis.meta.v1.Preconditions" => meta::Preconditions,
        "io.k8s.apimachinery.pkg.apis.meta.v1.ServerAddressByClientCIDR" => meta::ServerAddressByClientCIDR,
        "io.k8s.apimachinery.pkg.apis.meta.v1.Status" => meta::Status,
        "io.k8s.apimachinery.pkg.apis.meta.v1.StatusCause" => meta::StatusCause,
        "io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails" => meta::StatusDetails,
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time" => meta::Time,
        "io.k8s.apimachinery.pkg.runtime.RawExtension" => meta::RawExtension,
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => meta::IntOrString,
        "io.k8s.apimachinery.pkg.version.Info" => meta::Info,
    );

    // WatchEvent is typed by the watched kind: `{"type", "object"}` with any object.
    let event = json!({"type": "MODIFIED", "object": sample(&defs, &defs["io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent"]["properties"]["object"], "object", 0)});
    let decoded: meta::WatchEvent<Value> = serde_json::from_value(event.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), event);
    covered.push("io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent");
    // Patch is only ever a request body: `Patch<P>` serializes as its payload.
    let patch = meta::Patch::Merge(json!({"any": "object"}));
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"any": "object"})
    );
    covered.push("io.k8s.apimachinery.pkg.apis.meta.v1.Patch");

    covered.sort_unstable();
    let all: Vec<&str> = defs.keys().map(String::as_str).collect();
    assert_eq!(covered, all, "a definition has no rest_core::meta type");
}
