//! The discovery front end: `APIResourceList` and aggregated `APIGroupDiscoveryList`
//! documents become clients; objects are untyped JSON unless another input defines the kind.

use std::path::Path;

use client_gen::model::{ApiSet, Payload, Scope, Shape, Ty, Verb};
use client_gen::{Document, Settings};
use serde_json::{json, Value};

fn doc(name: &str, value: Value) -> Document {
    Document::parse(name, &value.to_string()).unwrap()
}

/// What `GET /apis/example.com/v1` answers.
fn resource_list() -> Document {
    doc(
        "example.com-v1.json",
        json!({
            "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "example.com/v1",
            "resources": [
                {"name": "widgets", "singularName": "widget", "namespaced": true, "kind": "Widget",
                 "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
                 "shortNames": ["wd"], "categories": ["all"]},
                {"name": "widgets/status", "singularName": "", "namespaced": true, "kind": "Widget",
                 "verbs": ["get", "patch", "update"]},
                {"name": "widgets/scale", "singularName": "", "namespaced": true, "group": "autoscaling",
                 "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]},
                {"name": "dials", "singularName": "dial", "namespaced": false, "kind": "Dial",
                 "verbs": ["get", "list"]}
            ]
        }),
    )
}

fn model(docs: &[Document]) -> ApiSet {
    client_gen::model(docs, &Settings::default()).unwrap()
}

#[test]
fn a_resource_list_gives_untyped_clients_with_their_verbs() {
    let set = model(&[resource_list()]);
    let v1 = &set.groups["example.com"].versions["v1"];
    let widgets = &v1.resources["widgets"];
    assert_eq!(widgets.scope, Scope::Namespaced);
    assert!(widgets.all_namespaces);
    assert_eq!(widgets.short_names, ["wd"]);
    // `patch` brings server-side apply with it.
    assert!(widgets.verbs.contains(&Verb::Apply));
    let Ty::Named(id) = &widgets.object else {
        panic!("{widgets:?}")
    };
    assert_eq!(set.types[id].shape, Shape::Untyped);
    assert_eq!(
        widgets.subresources["status"].response,
        Payload::Object(widgets.object.clone())
    );
    assert_eq!(
        widgets.subresources["scale"].response,
        Payload::Object(Ty::Named("io.k8s.api.autoscaling.v1.Scale".into()))
    );
    let dials = &v1.resources["dials"];
    assert_eq!(dials.scope, Scope::Cluster);
    assert_eq!(
        dials.verbs.iter().copied().collect::<Vec<_>>(),
        [Verb::Get, Verb::List]
    );
}

#[test]
fn untyped_objects_keep_every_member_and_get_a_constructor() {
    let out = client_gen::generate(&[resource_list()], &Settings::default()).unwrap();
    let module = &out.files[Path::new("example/v1.rs")];
    assert!(module.contains("pub struct Widget {"), "{module}");
    assert!(module.contains("#[serde(flatten)]"), "{module}");
    assert!(
        module.contains("pub fn new(name: &str) -> Self"),
        "{module}"
    );
    assert!(module.contains("\"example.com/v1\""), "{module}");
    assert!(module.contains("pub fn get_scale<'a>("), "{module}");
    // Only the verbs discovery lists: dials are read-only.
    let after = module.split("pub struct DialClient").nth(1).unwrap();
    let dial_client = after.split("\npub struct ").next().unwrap();
    assert!(dial_client.contains("pub fn list<'a>("));
    assert!(!dial_client.contains("pub fn create<'a>("));
    assert!(syn::parse_file(module).is_ok());
}

#[test]
fn kinds_an_openapi_document_defines_are_typed() {
    // Definitions only, no paths: the schema comes from here, the resources from discovery.
    let openapi = doc(
        "defs.json",
        json!({"swagger": "2.0", "paths": {}, "definitions": {
            "com.example.v1.Widget": {
                "type": "object",
                "properties": {
                    "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
                    "size": {"type": "integer", "format": "int32"}
                },
                "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Widget"}]
            },
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"type": "object"}
        }}),
    );
    // Either order: discovery is lowered after the schemas.
    let set = model(&[resource_list(), openapi]);
    let widgets = &set.groups["example.com"].versions["v1"].resources["widgets"];
    assert_eq!(widgets.object, Ty::Named("com.example.v1.Widget".into()));
    assert!(matches!(
        set.types["com.example.v1.Widget"].shape,
        Shape::Struct(_)
    ));
    // Dial has no schema: still untyped.
    let dials = &set.groups["example.com"].versions["v1"].resources["dials"];
    let Ty::Named(id) = &dials.object else {
        panic!()
    };
    assert_eq!(set.types[id].shape, Shape::Untyped);
}

#[test]
fn resources_an_openapi_document_serves_are_left_to_it() {
    let swagger =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/openapi/kubernetes-swagger.json");
    let openapi = Document::read(&swagger).unwrap();
    let core = doc(
        "api-v1.json",
        json!({"kind": "APIResourceList", "groupVersion": "v1", "resources": [
            {"name": "pods", "namespaced": true, "kind": "Pod", "verbs": ["get"]},
            {"name": "pods/log", "namespaced": true, "kind": "Pod", "verbs": ["get"]}
        ]}),
    );
    let with = model(&[openapi.clone(), core]);
    let without = model(&[openapi]);
    assert_eq!(
        with.groups[""].versions["v1"].resources["pods"],
        without.groups[""].versions["v1"].resources["pods"]
    );
}

#[test]
fn subresources_known_to_stream_or_upgrade() {
    let set = model(&[doc(
        "api-v1.json",
        json!({"kind": "APIResourceList", "groupVersion": "v1", "resources": [
            {"name": "pods", "namespaced": true, "kind": "Pod", "verbs": ["get", "list"]},
            {"name": "pods/log", "namespaced": true, "kind": "Pod", "verbs": ["get"]},
            {"name": "pods/exec", "namespaced": true, "kind": "PodExecOptions", "verbs": ["create", "get"]},
            {"name": "pods/eviction", "namespaced": true, "group": "policy", "version": "v1", "kind": "Eviction", "verbs": ["create"]}
        ]}),
    )]);
    let pods = &set.groups[""].versions["v1"].resources["pods"];
    assert_eq!(pods.subresources["log"].response, Payload::Text);
    assert_eq!(
        pods.subresources["exec"]
            .verbs
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        [Verb::Connect]
    );
    let eviction = &pods.subresources["eviction"];
    assert_eq!(eviction.request, Some(Ty::Json));
    assert_eq!(
        eviction.response,
        Payload::Object(Ty::Meta("Status".into()))
    );
}

#[test]
fn aggregated_discovery_lists_every_group_at_once() {
    let set = model(&[doc(
        "apis.json",
        json!({"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "items": [
            {"metadata": {"name": "example.com"}, "versions": [{"version": "v1", "resources": [
                {"resource": "widgets", "responseKind": {"group": "example.com", "version": "v1", "kind": "Widget"},
                 "scope": "Namespaced", "singularResource": "widget", "verbs": ["get", "list", "watch"],
                 "subresources": [{"subresource": "status",
                     "responseKind": {"group": "example.com", "version": "v1", "kind": "Widget"}, "verbs": ["get", "update"]}]}
            ]}]},
            {"metadata": {"name": "other.io"}, "versions": [{"version": "v2", "resources": [
                {"resource": "things", "responseKind": {"group": "other.io", "version": "v2", "kind": "Thing"},
                 "scope": "Cluster", "verbs": ["get"]}
            ]}]}
        ]}),
    )]);
    let widgets = &set.groups["example.com"].versions["v1"].resources["widgets"];
    assert_eq!(widgets.singular, "widget");
    assert!(widgets.verbs.contains(&Verb::Watch));
    assert!(widgets.subresources.contains_key("status"));
    assert_eq!(
        set.groups["other.io"].versions["v2"].resources["things"].scope,
        Scope::Cluster
    );
}

#[test]
fn a_group_list_alone_generates_nothing_and_a_bad_entry_is_named() {
    let set = model(&[doc(
        "apis.json",
        json!({"kind": "APIGroupList", "groups": [{"name": "apps", "versions": [{"groupVersion": "apps/v1", "version": "v1"}]}]}),
    )]);
    assert!(set.groups.is_empty());
    let err = client_gen::model(
        &[doc(
            "bad.json",
            json!({"kind": "APIResourceList", "groupVersion": "x/v1", "resources": [{"name": "things"}]}),
        )],
        &Settings::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "bad.json#/resources/0: a resource needs a `name` and a `kind`"
    );
}
