//! Bad input: an error that names the file and the JSON pointer of the place, never a panic,
//! and nothing generated.

use client_gen::{Document, Error, Settings};
use serde_json::json;

fn generate(doc: serde_json::Value) -> Result<client_gen::Output, Error> {
    let doc = Document::parse("api.json", &doc.to_string())?;
    client_gen::generate(&[doc], &Settings::default())
}

#[test]
fn text_that_is_not_json_names_file_line_and_column() {
    let err = Document::parse("broken.json", "{\n  \"swagger\": \"2.0\",\n  oops\n}").unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Syntax { line: 3, .. }), "{err:?}");
    assert!(message.starts_with("broken.json:3:"), "{message}");
}

#[test]
fn a_document_that_is_not_openapi_is_refused() {
    let err = generate(json!({"kind": "ConfigMap"})).unwrap_err();
    assert!(err.to_string().contains("not an OpenAPI document"), "{err}");
}

#[test]
fn a_ref_to_nothing_names_the_pointer() {
    let err = generate(json!({"swagger": "2.0", "definitions": {
        "a.v1.Widget": {"type": "object", "properties": {"spec": {"$ref": "#/definitions/a.v1.Missing"}}}
    }}))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "api.json#/definitions/a.v1.Widget/properties/spec/$ref: $ref \"#/definitions/a.v1.Missing\" points to no schema"
    );
}

#[test]
fn a_ref_to_nothing_in_v3_names_the_pointer() {
    let err = generate(json!({"openapi": "3.0.0", "components": {"schemas": {
        "a.v1.Widget": {"type": "object", "properties": {"items": {"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/a.v1.Gone"}]}}}}
    }}}))
    .unwrap_err();
    assert!(
        err.to_string().starts_with(
            "api.json#/components/schemas/a.v1.Widget/properties/items/items/allOf/0/$ref: "
        ),
        "{err}"
    );
}

#[test]
fn a_parameter_ref_to_nothing_names_the_pointer_in_both_versions() {
    // v2 keeps shared parameters under `parameters`, v3 under `components/parameters`; a `$ref`
    // into the other place is as wrong as one to a missing name.
    let cases = [
        (json!({"swagger": "2.0", "definitions": {}, "parameters": {"pretty": {"name": "pretty", "in": "query"}},
            "paths": {"/api/v1/pods": {"parameters": [{"$ref": "#/parameters/pretty"}],
                "get": {"parameters": [{"$ref": "#/parameters/limit"}]}}}}),
         "api.json#/paths/~1api~1v1~1pods/get/parameters/0: $ref \"#/parameters/limit\" points to no parameter"),
        (json!({"openapi": "3.0.0", "components": {"schemas": {}},
            "paths": {"/api/v1/pods": {"parameters": [{"$ref": "#/parameters/pretty"}], "get": {}}}}),
         "api.json#/paths/~1api~1v1~1pods/parameters/0: $ref \"#/parameters/pretty\" points to no parameter"),
    ];
    for (doc, expected) in cases {
        assert_eq!(generate(doc).unwrap_err().to_string(), expected);
    }
}

#[test]
fn an_action_without_a_kind_names_the_operation() {
    let err = generate(json!({"swagger": "2.0", "definitions": {}, "paths": {
        "/apis/a/v1/widgets": {"get": {"x-kubernetes-action": "list", "responses": {}}}
    }}))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "api.json#/paths/~1apis~1a~1v1~1widgets/get: operation has x-kubernetes-action but no x-kubernetes-group-version-kind"
    );
}

#[test]
fn a_kind_no_schema_declares_is_an_error() {
    let err = generate(json!({"swagger": "2.0", "definitions": {}, "paths": {
        "/apis/a/v1/widgets": {"get": {"x-kubernetes-action": "list",
            "x-kubernetes-group-version-kind": {"group": "a", "version": "v1", "kind": "Widget"}, "responses": {}}}
    }}))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "api.json#/paths/~1apis~1a~1v1~1widgets/get: kind a/v1 Widget is declared by no schema"
    );
}

#[test]
fn a_subresource_of_nothing_is_an_error() {
    let err = generate(json!({"swagger": "2.0", "definitions": {}, "paths": {
        "/apis/a/v1/widgets/{name}/status": {"get": {"x-kubernetes-action": "get",
            "x-kubernetes-group-version-kind": {"group": "a", "version": "v1", "kind": "Widget"}, "responses": {}}}
    }}))
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("subresource \"status\" of \"widgets\", which no path serves"),
        "{err}"
    );
}

#[test]
fn two_documents_disagreeing_about_a_type_is_an_error() {
    let a = Document::parse("a.json", &json!({"swagger": "2.0", "definitions": {"x.v1.T": {"type": "object", "properties": {"a": {"type": "string"}}}}}).to_string()).unwrap();
    let b = Document::parse("b.json", &json!({"swagger": "2.0", "definitions": {"x.v1.T": {"type": "object", "properties": {"a": {"type": "integer"}}}}}).to_string()).unwrap();
    let err = client_gen::generate(&[a, b], &Settings::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "b.json#x.v1.T: type x.v1.T is described differently (first described by a.json)"
    );
}

#[test]
fn a_missing_file_is_named() {
    let err = client_gen::generate_files(
        &[std::path::Path::new("/nonexistent/spec.json")],
        &Settings::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/nonexistent/spec.json: cannot read"),
        "{err}"
    );
}

#[test]
fn hostile_names_still_give_valid_rust() {
    let gvk = json!({"group": "my-group.io", "version": "v1.2", "kind": "weird-kind"});
    let out = generate(json!({"swagger": "2.0", "definitions": {
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"type": "object"},
        "io.k8s.apimachinery.pkg.apis.meta.v1.not-a-name": {"type": "object", "properties": {"x": {"type": "string"}}},
        "io.my.v1.2.weird-kind": {"type": "object", "properties": {
            "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
            "odd": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.not-a-name"},
            "with space": {"type": "string"},
            "self": {"type": "string"},
            "Self": {"type": "string"},
            "9lives": {"type": "string"},
            "__": {"type": "string"},
            "mode": {"type": "string", "enum": ["*", "-", "a b", "A-B", "a_b", "1", "self", "None"]}
        }, "x-kubernetes-group-version-kind": [gvk.clone()]}
    }, "paths": {
        "/apis/my-group.io/v1.2/weird-kinds/{name}": {"get": {"x-kubernetes-action": "get", "x-kubernetes-group-version-kind": gvk.clone()}},
        "/apis/my-group.io/v1.2/weird-kinds/{name}/my-sub": {"get": {"x-kubernetes-action": "get", "x-kubernetes-group-version-kind": gvk,
            "responses": {"200": {"schema": {"type": "object"}}}}}
    }}))
    .unwrap();
    // Every file was parsed by syn before formatting; check a few of the chosen names.
    let all: String = out.files.values().cloned().collect();
    assert!(all.contains("pub struct WeirdKind {"), "{all}");
    assert!(all.contains("pub self_: Option<String>"), "{all}");
    assert!(all.contains("pub _9lives: Option<String>"), "{all}");
    assert!(all.contains("pub fn my_group_v1_2(&self)"), "{all}");
}
