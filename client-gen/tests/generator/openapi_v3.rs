//! The OpenAPI v3 front end: the same rules as v2 from `components/schemas`, `requestBody`,
//! `responses.<code>.content` and `components/parameters`.

use std::path::Path;

use client_gen::model::{ApiSet, Payload, Shape, Ty, Verb};
use client_gen::{Document, Settings};
use serde_json::json;

fn model(doc: serde_json::Value) -> ApiSet {
    let doc = Document::parse("v3.json", &doc.to_string()).unwrap();
    client_gen::model(&[doc], &Settings::default()).unwrap()
}

fn k8s_style() -> serde_json::Value {
    let gvk = json!({"group": "example.com", "version": "v1", "kind": "Widget"});
    let widget = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/com.example.v1.Widget"}}}});
    json!({
        "openapi": "3.0.0",
        "components": {
            "parameters": {"watch": {"name": "watch", "in": "query", "schema": {"type": "boolean"}}},
            "schemas": {
                "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"type": "object"},
                "com.example.v1.Widget": {
                    "type": "object",
                    "required": ["spec"],
                    "properties": {
                        "metadata": {"allOf": [{"$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}], "default": {}},
                        "spec": {"allOf": [{"$ref": "#/components/schemas/com.example.v1.WidgetSpec"}], "default": {}, "description": "The spec."},
                        "phase": {"type": "string", "enum": ["Pending", "Ready", null], "nullable": true}
                    },
                    "x-kubernetes-group-version-kind": [gvk.clone()]
                },
                "com.example.v1.WidgetSpec": {"type": "object", "properties": {"size": {"type": "integer", "format": "int32"}}}
            }
        },
        "paths": {
            "/apis/example.com/v1/namespaces/{namespace}/widgets": {
                "parameters": [{"$ref": "#/components/parameters/watch"}],
                "get": {"x-kubernetes-action": "list", "x-kubernetes-group-version-kind": gvk.clone(), "responses": {"200": widget.clone()}},
                "post": {"x-kubernetes-action": "post", "x-kubernetes-group-version-kind": gvk.clone(),
                         "requestBody": {"content": {"*/*": {"schema": {"$ref": "#/components/schemas/com.example.v1.Widget"}}}},
                         "responses": {"201": widget.clone()}}
            },
            "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status": {
                "put": {"x-kubernetes-action": "put", "x-kubernetes-group-version-kind": gvk.clone(),
                        "requestBody": {"content": {"*/*": {"schema": {"$ref": "#/components/schemas/com.example.v1.Widget"}}}},
                        "responses": {"200": widget.clone()}},
                "patch": {"x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": gvk.clone(),
                          "requestBody": {"content": {"application/merge-patch+json": {"schema": {"type": "object"}},
                                                      "application/apply-patch+yaml": {"schema": {"type": "object"}}}},
                          "responses": {"200": widget}}
            }
        }
    })
}

#[test]
fn resources_and_types_from_components_and_content() {
    let set = model(k8s_style());
    let widgets = &set.groups["example.com"].versions["v1"].resources["widgets"];
    assert_eq!(
        widgets.verbs.iter().copied().collect::<Vec<_>>(),
        [Verb::List, Verb::Watch, Verb::Create]
    );
    let status = &widgets.subresources["status"];
    assert_eq!(
        status.verbs.iter().copied().collect::<Vec<_>>(),
        [Verb::Update, Verb::Patch, Verb::Apply]
    );
    assert_eq!(
        status.request,
        Some(Ty::Named("com.example.v1.Widget".into()))
    );
    assert_eq!(
        status.response,
        Payload::Object(Ty::Named("com.example.v1.Widget".into()))
    );

    let Shape::Struct(fields) = &set.types["com.example.v1.Widget"].shape else {
        panic!()
    };
    let spec = fields.iter().find(|f| f.json_name == "spec").unwrap();
    assert_eq!(
        spec.ty,
        Ty::Named("com.example.v1.WidgetSpec".into()),
        "allOf: [$ref] is the ref"
    );
    assert_eq!(
        spec.doc.as_deref(),
        Some("The spec."),
        "the wrapper's description is kept"
    );
    assert!(spec.required);
    let metadata = fields.iter().find(|f| f.json_name == "metadata").unwrap();
    assert_eq!(metadata.ty, Ty::Meta("ObjectMeta".into()));
    let Shape::Enum(values) = &set.types["com.example.v1.Widget/phase"].shape else {
        panic!()
    };
    assert_eq!(values.len(), 2, "null is not a variant: absence is None");
}

#[test]
fn the_petstore_generates_plain_types() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/openapi/petstore-expanded.json");
    let doc = Document::read(&path).unwrap();
    let set = client_gen::model(std::slice::from_ref(&doc), &Settings::default()).unwrap();
    assert!(
        set.groups.is_empty(),
        "no x-kubernetes-action, no resources"
    );
    let Shape::Struct(fields) = &set.types["Pet"].shape else {
        panic!()
    };
    let summary: Vec<(&str, bool, &Ty)> = fields
        .iter()
        .map(|f| (f.json_name.as_str(), f.required, &f.ty))
        .collect();
    assert_eq!(
        summary,
        [
            ("id", true, &Ty::I64),
            ("name", true, &Ty::String),
            ("tag", false, &Ty::String)
        ]
    );
    let out = client_gen::generate(&[doc], &Settings::crate_tree()).unwrap();
    let file = out
        .files
        .values()
        .find(|f| f.contains("pub struct Pet {"))
        .expect("Pet emitted");
    assert!(file.contains("pub struct NewPet {"));
    // No Kubernetes group, so no Clientset; the crate's docs say what it is instead.
    let lib = &out.files[Path::new("lib.rs")];
    assert!(!lib.contains("Clientset"), "{lib}");
    assert!(lib.contains("plain OpenAPI documents"), "{lib}");
    assert!(lib.contains("not Kubernetes API groups"), "{lib}");
}
