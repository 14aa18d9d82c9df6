//! The OpenAPI v2 front end, one rule per test, on small hand-written documents.

use client_gen::model::{ApiSet, Field, Payload, Scope, Shape, Ty, TypeDef, Verb};
use client_gen::{Document, Settings};
use serde_json::{json, Value};

fn swagger(definitions: Value, paths: Value) -> Document {
    let doc = json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "definitions": definitions, "paths": paths});
    Document::parse("test.json", &doc.to_string()).unwrap()
}

fn model(doc: Document) -> ApiSet {
    client_gen::model(&[doc], &Settings::default()).unwrap()
}

fn def<'a>(set: &'a ApiSet, id: &str) -> &'a TypeDef {
    set.types.get(id).unwrap_or_else(|| {
        panic!(
            "no type {id}; have {:?}",
            set.types.keys().collect::<Vec<_>>()
        )
    })
}

fn fields<'a>(set: &'a ApiSet, id: &str) -> &'a [Field] {
    match &def(set, id).shape {
        Shape::Struct(fields) => fields,
        other => panic!("{id} is not a struct: {other:?}"),
    }
}

fn field<'a>(set: &'a ApiSet, id: &str, json_name: &str) -> &'a Field {
    fields(set, id)
        .iter()
        .find(|f| f.json_name == json_name)
        .unwrap_or_else(|| panic!("{id} has no {json_name}"))
}

/// A kind `Widget` of `example.com/v1` with the given properties.
fn widget(properties: Value, required: Value) -> Value {
    json!({"com.example.v1.Widget": {
        "type": "object",
        "description": "Widget is a test kind. It has a second sentence.\n\nAnd a second paragraph.",
        "properties": properties,
        "required": required,
        "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Widget"}]
    }})
}

const WIDGET: &str = "com.example.v1.Widget";

#[test]
fn required_members_are_plain_and_the_rest_optional() {
    let set = model(swagger(
        widget(
            json!({"a": {"type": "string"}, "b": {"type": "string"}}),
            json!(["a"]),
        ),
        json!({}),
    ));
    assert!(field(&set, WIDGET, "a").required);
    assert!(!field(&set, WIDGET, "b").required);
}

#[test]
fn formats_pick_the_rust_type() {
    let set = model(swagger(
        widget(
            json!({
                "i32": {"type": "integer", "format": "int32"},
                "i64": {"type": "integer", "format": "int64"},
                "int": {"type": "integer"},
                "f": {"type": "number", "format": "double"},
                "b": {"type": "boolean"},
                "when": {"type": "string", "format": "date-time"},
                "raw": {"type": "string", "format": "byte"},
                "s": {"type": "string"},
                "ios": {"type": "string", "format": "int-or-string"},
                "ios2": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
                "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                "any": {"description": "no schema at all"}
            }),
            json!([]),
        ),
        json!({}),
    ));
    let ty = |name: &str| field(&set, WIDGET, name).ty.clone();
    assert_eq!(ty("i32"), Ty::I32);
    assert_eq!(ty("i64"), Ty::I64);
    assert_eq!(ty("int"), Ty::I64);
    assert_eq!(ty("f"), Ty::F64);
    assert_eq!(ty("b"), Ty::Bool);
    assert_eq!(ty("when"), Ty::Time);
    assert_eq!(ty("raw"), Ty::Bytes);
    assert_eq!(ty("s"), Ty::String);
    assert_eq!(ty("ios"), Ty::IntOrString);
    assert_eq!(ty("ios2"), Ty::IntOrString);
    assert_eq!(ty("free"), Ty::Json);
    assert_eq!(ty("any"), Ty::Json);
}

#[test]
fn nested_inline_objects_get_stable_names_from_their_position() {
    let set = model(swagger(
        widget(
            json!({
                "spec": {"type": "object", "properties": {
                    "ports": {"type": "array", "items": {"type": "object", "properties": {"port": {"type": "integer"}}}},
                    "matrix": {"type": "array", "items": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "integer"}}}}},
                    "labels": {"type": "object", "additionalProperties": {"type": "object", "properties": {"v": {"type": "string"}}}}
                }}
            }),
            json!([]),
        ),
        json!({}),
    ));
    let spec_id = format!("{WIDGET}/spec");
    assert_eq!(field(&set, WIDGET, "spec").ty, Ty::Named(spec_id.clone()));
    assert_eq!(def(&set, &spec_id).rust_name, "WidgetSpec");
    assert_eq!(
        def(&set, &format!("{spec_id}/ports")).rust_name,
        "WidgetSpecPorts"
    );
    assert_eq!(
        def(&set, &format!("{spec_id}/matrix/items")).rust_name,
        "WidgetSpecMatrixItem"
    );
    assert_eq!(
        def(&set, &format!("{spec_id}/labels")).rust_name,
        "WidgetSpecLabels"
    );
    assert_eq!(
        field(&set, &spec_id, "labels").ty,
        Ty::Map(Box::new(Ty::Named(format!("{spec_id}/labels"))))
    );
    assert_eq!(
        field(&set, &spec_id, "matrix").ty,
        Ty::Vec(Box::new(Ty::Vec(Box::new(Ty::Named(format!(
            "{spec_id}/matrix/items"
        ))))))
    );
    // The same input names the same types, every time.
    assert_eq!(
        set,
        model(swagger(
            widget(
                json!({"spec": {"type": "object", "properties": {
                    "ports": {"type": "array", "items": {"type": "object", "properties": {"port": {"type": "integer"}}}},
                    "matrix": {"type": "array", "items": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "integer"}}}}},
                    "labels": {"type": "object", "additionalProperties": {"type": "object", "properties": {"v": {"type": "string"}}}}
                }}}),
                json!([])
            ),
            json!({})
        ))
    );
}

#[test]
fn an_inline_name_that_is_taken_yields_to_the_named_definition() {
    let mut defs = widget(
        json!({"spec": {"type": "object", "properties": {"x": {"type": "string"}}}}),
        json!([]),
    );
    defs["com.example.v1.WidgetSpec"] =
        json!({"type": "object", "properties": {"y": {"type": "string"}}});
    let set = model(swagger(defs, json!({})));
    assert_eq!(
        def(&set, "com.example.v1.WidgetSpec").rust_name,
        "WidgetSpec"
    );
    assert_eq!(
        def(&set, &format!("{WIDGET}/spec")).rust_name,
        "WidgetSpec2"
    );
}

#[test]
fn maps_from_additional_properties() {
    let set = model(swagger(
        widget(
            json!({
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                "counts": {"type": "object", "additionalProperties": {"type": "integer", "format": "int32"}},
                "anything": {"type": "object", "additionalProperties": true}
            }),
            json!([]),
        ),
        json!({}),
    ));
    assert_eq!(
        field(&set, WIDGET, "labels").ty,
        Ty::Map(Box::new(Ty::String))
    );
    assert_eq!(field(&set, WIDGET, "counts").ty, Ty::Map(Box::new(Ty::I32)));
    assert_eq!(
        field(&set, WIDGET, "anything").ty,
        Ty::Map(Box::new(Ty::Json))
    );
}

#[test]
fn refs_resolve_and_cycles_are_boxed() {
    let defs = json!({
        "com.example.v1.Node": {"type": "object", "properties": {
            "next": {"$ref": "#/definitions/com.example.v1.Node"},
            "children": {"type": "array", "items": {"$ref": "#/definitions/com.example.v1.Node"}},
            "other": {"$ref": "#/definitions/com.example.v1.Other"}
        }},
        "com.example.v1.Other": {"type": "object", "properties": {"back": {"$ref": "#/definitions/com.example.v1.Node"}}}
    });
    let set = model(swagger(defs, json!({})));
    let next = field(&set, "com.example.v1.Node", "next");
    assert_eq!(next.ty, Ty::Named("com.example.v1.Node".into()));
    assert!(next.boxed, "a struct cannot contain itself");
    assert!(
        !field(&set, "com.example.v1.Node", "children").boxed,
        "a Vec already breaks the cycle"
    );
    assert!(field(&set, "com.example.v1.Node", "other").boxed);
    assert!(field(&set, "com.example.v1.Other", "back").boxed);
}

#[test]
fn large_optional_members_are_boxed_and_small_ones_not() {
    let many: serde_json::Map<String, Value> = (0..10)
        .map(|i| (format!("f{i}"), json!({"type": "string"})))
        .collect();
    let defs = json!({
        "com.example.v1.Big": {"type": "object", "properties": many},
        "com.example.v1.Small": {"type": "object", "properties": {"a": {"type": "string"}}},
        "com.example.v1.Holder": {"type": "object", "required": ["req"], "properties": {
            "big": {"$ref": "#/definitions/com.example.v1.Big"},
            "req": {"$ref": "#/definitions/com.example.v1.Big"},
            "small": {"$ref": "#/definitions/com.example.v1.Small"}
        }}
    });
    let set = model(swagger(defs, json!({})));
    assert!(field(&set, "com.example.v1.Holder", "big").boxed);
    assert!(
        !field(&set, "com.example.v1.Holder", "req").boxed,
        "required members stay inline"
    );
    assert!(!field(&set, "com.example.v1.Holder", "small").boxed);
}

#[test]
fn all_of_parts_are_merged() {
    let defs = json!({
        "com.example.v1.Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        "com.example.v1.Derived": {"allOf": [
            {"$ref": "#/definitions/com.example.v1.Base"},
            {"type": "object", "properties": {"extra": {"type": "boolean"}}}
        ]}
    });
    let set = model(swagger(defs, json!({})));
    let names: Vec<&str> = fields(&set, "com.example.v1.Derived")
        .iter()
        .map(|f| f.json_name.as_str())
        .collect();
    assert_eq!(names, ["extra", "id"]);
    assert!(field(&set, "com.example.v1.Derived", "id").required);
}

#[test]
fn string_enums_become_enums() {
    let set = model(swagger(
        widget(
            json!({"policy": {"type": "string", "enum": ["Always", "OnFailure", "never-ever", ""]}}),
            json!([]),
        ),
        json!({}),
    ));
    let Shape::Enum(variants) = &def(&set, &format!("{WIDGET}/policy")).shape else {
        panic!("not an enum")
    };
    let pairs: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.json_value.as_str(), v.rust_name.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("Always", "Always"),
            ("OnFailure", "OnFailure"),
            ("never-ever", "NeverEver"),
            ("", "Empty")
        ]
    );
}

#[test]
fn json_names_become_snake_case_rust_names() {
    let set = model(swagger(
        widget(
            json!({"hostIP": {"type": "string"}, "type": {"type": "string"}, "$ref": {"type": "string"},
                   "podIPs": {"type": "array", "items": {"type": "string"}}, "x-kubernetes-embedded-resource": {"type": "boolean"}}),
            json!([]),
        ),
        json!({}),
    ));
    let rust = |json: &str| field(&set, WIDGET, json).rust_name.clone();
    assert_eq!(rust("hostIP"), "host_ip");
    assert_eq!(rust("type"), "type_");
    assert_eq!(rust("$ref"), "ref_");
    assert_eq!(rust("podIPs"), "pod_ips");
    assert_eq!(
        rust("x-kubernetes-embedded-resource"),
        "x_kubernetes_embedded_resource"
    );
}

#[test]
fn kubernetes_meta_types_are_rest_cores() {
    let defs = json!({
        "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"type": "object", "properties": {"name": {"type": "string"}}},
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time": {"type": "string", "format": "date-time"},
        "io.k8s.apimachinery.pkg.api.resource.Quantity": {"type": "string"},
        "com.example.v1.Widget": {"type": "object", "properties": {
            "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},
            "at": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time"},
            "size": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity"}
        }}
    });
    let set = model(swagger(defs, json!({})));
    assert_eq!(set.types.len(), 1, "meta types are never emitted again");
    assert_eq!(
        field(&set, WIDGET, "metadata").ty,
        Ty::Meta("ObjectMeta".into())
    );
    assert_eq!(field(&set, WIDGET, "at").ty, Ty::Time);
    assert_eq!(field(&set, WIDGET, "size").ty, Ty::Quantity);
}

#[test]
fn descriptions_become_short_docs() {
    let set = model(swagger(widget(json!({}), json!([])), json!({})));
    assert!(def(&set, WIDGET)
        .doc
        .as_deref()
        .unwrap()
        .starts_with("Widget is a test kind."));
    assert_eq!(
        client_gen::emit::summary("First paragraph\n  on two lines.\n\nSecond.", 200),
        "First paragraph on two lines."
    );
    assert_eq!(client_gen::emit::summary("One. Two three four.", 8), "One.");
    assert_eq!(
        client_gen::emit::summary("```rust\nfn main()```", 200),
        "'''rust fn main()'''"
    );
}

/// A namespaced `widgets` resource with the usual paths, a status, a scale and a log.
fn widget_api() -> Document {
    let gvk = json!({"group": "example.com", "version": "v1", "kind": "Widget"});
    let scale_gvk = json!({"group": "autoscaling", "version": "v1", "kind": "Scale"});
    let op = |action: &str, gvk: &Value| json!({"x-kubernetes-action": action, "x-kubernetes-group-version-kind": gvk, "responses": {"200": {"schema": {"$ref": "#/definitions/com.example.v1.Widget"}}}});
    let mut defs = widget(
        json!({"metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}}),
        json!([]),
    );
    defs["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"] = json!({"type": "object"});
    defs["io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"] = json!({"type": "object"});
    defs["com.example.v1.WidgetList"] = json!({"type": "object", "properties": {
        "apiVersion": {"type": "string"}, "kind": {"type": "string"},
        "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"},
        "items": {"type": "array", "items": {"$ref": "#/definitions/com.example.v1.Widget"}}},
        "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "WidgetList"}]});
    defs["com.example.v1.Gadget"] = json!({"type": "object", "properties": {
        "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}},
        "x-kubernetes-group-version-kind": [{"group": "example.com", "version": "v1", "kind": "Gadget"}]});
    defs["io.k8s.api.autoscaling.v1.Scale"] = json!({"type": "object", "properties": {"spec": {"type": "object", "properties": {"replicas": {"type": "integer"}}}},
        "x-kubernetes-group-version-kind": [scale_gvk.clone()]});
    let mut list = op("list", &gvk);
    list["responses"]["200"]["schema"]["$ref"] = json!("#/definitions/com.example.v1.WidgetList");
    let mut patch = op("patch", &gvk);
    patch["consumes"] = json!([
        "application/merge-patch+json",
        "application/apply-patch+yaml"
    ]);
    let paths = json!({
        "/apis/example.com/v1/namespaces/{namespace}/widgets": {
            "get": list.clone(), "post": op("post", &gvk), "delete": op("deletecollection", &gvk),
            "parameters": [{"name": "watch", "in": "query", "type": "boolean"}]
        },
        "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}": {
            "get": op("get", &gvk), "put": op("put", &gvk), "patch": patch, "delete": op("delete", &gvk)
        },
        "/apis/example.com/v1/widgets": {"get": list.clone()},
        "/apis/example.com/v1/watch/namespaces/{namespace}/widgets": {"get": op("watchlist", &gvk)},
        "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status": {
            "get": op("get", &gvk), "put": op("put", &gvk)
        },
        "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/scale": {
            "get": {"x-kubernetes-action": "get", "x-kubernetes-group-version-kind": scale_gvk,
                    "responses": {"200": {"schema": {"$ref": "#/definitions/io.k8s.api.autoscaling.v1.Scale"}}}}
        },
        "/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/log": {
            "get": {"x-kubernetes-action": "get", "x-kubernetes-group-version-kind": gvk, "responses": {"200": {"schema": {"type": "string"}}}}
        },
        "/apis/example.com/v1/gadgets": {
            "get": {"x-kubernetes-action": "list", "x-kubernetes-group-version-kind": {"group": "example.com", "version": "v1", "kind": "Gadget"}}
        },
        "/version/": {"get": {"responses": {"200": {"schema": {"type": "object"}}}}}
    });
    swagger(defs, paths)
}

#[test]
fn resources_come_from_paths_and_actions() {
    let set = model(widget_api());
    let v1 = &set.groups["example.com"].versions["v1"];
    let widgets = &v1.resources["widgets"];
    assert_eq!(widgets.kind, "Widget");
    assert_eq!(widgets.singular, "widget");
    assert_eq!(widgets.scope, Scope::Namespaced);
    assert!(
        widgets.all_namespaces,
        "the cluster-wide list path was seen"
    );
    assert_eq!(widgets.list_kind.as_deref(), Some("WidgetList"));
    assert_eq!(widgets.object, Ty::Named(WIDGET.into()));
    let verbs: Vec<Verb> = widgets.verbs.iter().copied().collect();
    assert_eq!(
        verbs,
        [
            Verb::Get,
            Verb::List,
            Verb::Watch,
            Verb::Create,
            Verb::Update,
            Verb::Patch,
            Verb::Apply,
            Verb::Delete,
            Verb::DeleteCollection
        ]
    );
    // A list-only resource without a watch parameter only lists, at cluster scope.
    let gadgets = &v1.resources["gadgets"];
    assert_eq!(gadgets.scope, Scope::Cluster);
    assert_eq!(
        gadgets.verbs.iter().copied().collect::<Vec<_>>(),
        [Verb::List]
    );
    // The list kind is an alias of rest-core's List<T>.
    assert_eq!(
        def(&set, "com.example.v1.WidgetList").shape,
        Shape::Alias(Ty::List(Box::new(Ty::Named(WIDGET.into()))))
    );
}

#[test]
fn subresources_carry_their_own_kinds() {
    let set = model(widget_api());
    let widgets = &set.groups["example.com"].versions["v1"].resources["widgets"];
    let names: Vec<&str> = widgets.subresources.keys().map(String::as_str).collect();
    assert_eq!(names, ["log", "scale", "status"]);
    let scale = &widgets.subresources["scale"];
    assert_eq!(
        scale.response,
        Payload::Object(Ty::Named("io.k8s.api.autoscaling.v1.Scale".into()))
    );
    assert_eq!(scale.verbs.iter().copied().collect::<Vec<_>>(), [Verb::Get]);
    assert_eq!(widgets.subresources["log"].response, Payload::Text);
    let status = &widgets.subresources["status"];
    assert_eq!(
        status.verbs.iter().copied().collect::<Vec<_>>(),
        [Verb::Get, Verb::Update]
    );
}

#[test]
fn the_emitted_client_has_exactly_the_verbs_of_the_spec() {
    let out = client_gen::generate(&[widget_api()], &Settings::default()).unwrap();
    let module = &out.files[std::path::Path::new("example/v1.rs")];
    for method in [
        "fn get<'a>(",
        "fn list<'a>(",
        "fn watch<'a>(",
        "fn create<'a>(",
        "fn update<'a>(",
        "fn patch<'a, ",
        "fn apply<'a, ",
        "fn delete<'a>(",
        "fn delete_collection<'a>(",
        "fn get_status<'a>(",
        "fn update_status<'a>(",
        "fn get_scale<'a>(",
        "fn log_stream<'a>(",
    ] {
        assert!(module.contains(method), "WidgetClient lacks {method}");
    }
    assert!(
        !module.contains("fn patch_status"),
        "the spec has no PATCH on status"
    );
    assert!(
        !module.contains("fn apply_status"),
        "no PATCH on status, so no apply to it"
    );
    assert!(
        !module.contains("fn update_scale"),
        "the spec has no PUT on scale"
    );
    assert!(module.contains("pub fn widgets(&self, namespace: &str) -> WidgetClient"));
    assert!(module.contains("pub fn widgets_all_namespaces(&self) -> WidgetClient"));
    assert!(module.contains("impl rest_core::Resource for Widget"));
    let lib = &out.files[std::path::Path::new("lib.rs")];
    assert!(lib.contains("pub fn example_v1(&self) -> example::v1::ExampleV1Client"));
}

#[test]
fn renames_appear_only_where_camel_case_does_not_give_the_json_name() {
    let out = client_gen::generate(
        &[swagger(
            widget(json!({"apiVersion": {"type": "string"}, "hostIP": {"type": "string"}, "type": {"type": "string"}}), json!([])),
            json!({}),
        )],
        &Settings::default(),
    )
    .unwrap();
    let module = &out.files[std::path::Path::new("example/v1.rs")];
    assert!(module.contains("#[serde(rename_all = \"camelCase\")]"));
    assert!(
        module.contains("#[serde(rename = \"hostIP\", skip_serializing_if = \"Option::is_none\")]")
    );
    assert!(!module.contains("rename = \"apiVersion\""));
    assert!(!module.contains("rename = \"type\""));
    assert!(module.contains("pub type_: Option<String>"));
}
