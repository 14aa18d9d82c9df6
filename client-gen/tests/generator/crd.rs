//! The CRD front end, one rule per test, on small manifests: versions, scope, names,
//! subresources, and how each structural-schema feature lowers into the type model.

use std::path::Path;

use client_gen::input::read::parse_text;
use client_gen::model::{ApiSet, Field, Payload, Scope, Shape, Ty, TypeDef, Verb};
use client_gen::settings::Layout;
use client_gen::Settings;
use serde_json::{json, Value};

/// A CRD of kind `Widget` (`widgets.example.com`) whose served `v1` has this spec schema.
fn crd(spec: Value) -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets"},
            "scope": "Namespaced",
            "versions": [{
                "name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {
                    "type": "object",
                    "description": "A widget.",
                    "properties": {
                        "apiVersion": {"type": "string"},
                        "kind": {"type": "string"},
                        "metadata": {"type": "object"},
                        "spec": spec
                    }
                }}
            }]
        }
    })
}

fn model_of(text: &str) -> ApiSet {
    let docs = parse_text("crds.yaml", text).unwrap();
    client_gen::model(&docs, &Settings::default()).unwrap()
}

fn model(crd: Value) -> ApiSet {
    model_of(&crd.to_string())
}

fn def<'a>(set: &'a ApiSet, id: &str) -> &'a TypeDef {
    set.types.get(id).unwrap_or_else(|| {
        panic!(
            "no type {id}; have {:?}",
            set.types.keys().collect::<Vec<_>>()
        )
    })
}

fn field<'a>(set: &'a ApiSet, id: &str, json_name: &str) -> &'a Field {
    match &def(set, id).shape {
        Shape::Struct(fields) => fields
            .iter()
            .find(|f| f.json_name == json_name)
            .unwrap_or_else(|| panic!("{id} has no {json_name}")),
        other => panic!("{id} is not a struct: {other:?}"),
    }
}

const WIDGET: &str = "com.example.v1.Widget";
const SPEC: &str = "com.example.v1.Widget/spec";

/// The spec's member `name` when the spec has just that property.
fn spec_member(schema: Value) -> (ApiSet, Field) {
    let set = model(crd(json!({"type": "object", "properties": {"m": schema}})));
    let f = field(&set, SPEC, "m").clone();
    (set, f)
}

#[test]
fn metadata_is_object_meta_and_type_meta_is_optional_strings() {
    let set = model(crd(json!({"type": "object"})));
    let m = field(&set, WIDGET, "metadata");
    assert_eq!(m.ty, Ty::Meta("ObjectMeta".into()));
    assert!(m.required && m.default_if_missing);
    assert_eq!(field(&set, WIDGET, "kind").ty, Ty::String);
    assert!(!field(&set, WIDGET, "apiVersion").required);
    assert_eq!(def(&set, WIDGET).rust_name, "Widget");
    assert_eq!(def(&set, WIDGET).doc.as_deref(), Some("A widget."));
}

#[test]
fn names_scope_and_verbs_make_the_resource() {
    let mut c = crd(json!({"type": "object"}));
    c["spec"]["scope"] = json!("Cluster");
    c["spec"]["names"] = json!({"kind": "Widget", "plural": "widgets", "singular": "widget",
        "listKind": "WidgetCollection", "shortNames": ["wd", "wds"], "categories": ["all", "toys"]});
    let set = model(c);
    let r = &set.groups["example.com"].versions["v1"].resources["widgets"];
    assert_eq!(r.scope, Scope::Cluster);
    assert!(!r.all_namespaces);
    assert_eq!(r.singular, "widget");
    assert_eq!(r.list_kind.as_deref(), Some("WidgetCollection"));
    assert_eq!(r.short_names, ["wd", "wds"]);
    assert_eq!(r.categories, ["all", "toys"]);
    assert!(r.verbs.contains(&Verb::Apply) && r.verbs.contains(&Verb::DeleteCollection));
    // The list kind is an alias of `List<Widget>`.
    let list = def(&set, "com.example.v1.WidgetCollection");
    assert_eq!(
        list.shape,
        Shape::Alias(Ty::List(Box::new(Ty::Named(WIDGET.into()))))
    );
}

#[test]
fn every_served_version_and_only_those_with_storage_marked() {
    let mut c = crd(json!({"type": "object", "properties": {"size": {"type": "integer"}}}));
    let v1 = c["spec"]["versions"][0].clone();
    let mut v2 = v1.clone();
    v2["name"] = json!("v2");
    v1_not_storage(&mut c);
    v2["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]["color"] =
        json!({"type": "string"});
    let mut old = v1.clone();
    old["name"] = json!("v1alpha1");
    old["served"] = json!(false);
    old["storage"] = json!(false);
    c["spec"]["versions"].as_array_mut().unwrap().push(v2);
    c["spec"]["versions"].as_array_mut().unwrap().push(old);
    let set = model(c);
    let versions = &set.groups["example.com"].versions;
    assert_eq!(versions.keys().collect::<Vec<_>>(), ["v1", "v2"]);
    assert!(!versions["v1"].storage && versions["v2"].storage);
    // Each version has its own types, in its own module.
    field(&set, "com.example.v2.Widget/spec", "color");
    assert!(!set.types.contains_key("com.example.v1alpha1.Widget"));
}

fn v1_not_storage(c: &mut Value) {
    c["spec"]["versions"][0]["storage"] = json!(false);
}

#[test]
fn status_and_scale_subresources() {
    let mut c = crd(json!({"type": "object", "properties": {"replicas": {"type": "integer"}}}));
    c["spec"]["versions"][0]["subresources"] = json!({"status": {}, "scale": {
        "specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas"}});
    let set = model(c.clone());
    let r = &set.groups["example.com"].versions["v1"].resources["widgets"];
    let status = &r.subresources["status"];
    assert_eq!(status.response, Payload::Object(Ty::Named(WIDGET.into())));
    let scale = &r.subresources["scale"];
    let scale_ty = Ty::Named("io.k8s.api.autoscaling.v1.Scale".into());
    assert_eq!(scale.response, Payload::Object(scale_ty.clone()));
    assert_eq!(scale.request, Some(scale_ty));
    // No input defined `Scale`: the built-in autoscaling/v1 definition is supplied.
    assert_eq!(
        def(&set, "io.k8s.api.autoscaling.v1.ScaleStatus").rust_name,
        "ScaleStatus"
    );

    let out = client_gen::generate(
        &parse_text("crd.json", &c.to_string()).unwrap(),
        &Settings::default(),
    )
    .unwrap();
    let module = &out.files[Path::new("example/v1.rs")];
    for method in [
        "pub fn update_status<'a>(",
        "pub fn patch_status<'a, ",
        "pub fn apply_status<'a, ",
        "pub fn get_scale<'a>(",
        "pub fn update_scale<'a>(",
        "pub fn apply_scale<'a, ",
    ] {
        assert!(module.contains(method), "{method} missing");
    }
    assert!(
        module.contains("self.0.apply_status(name, obj, opts)"),
        "apply_status delegates to the engine's"
    );
    // The API server takes apply on a custom resource's scale as on the apps kinds'.
    assert!(
        module.contains("self.0.apply_subresource(\"scale\", name, obj, opts)"),
        "apply_scale delegates to the engine's"
    );
    assert!(out.files[Path::new("autoscaling/v1.rs")].contains("pub struct Scale {"));
}

#[test]
fn string_enums_become_enums() {
    let (set, f) = spec_member(json!({"type": "string", "enum": ["Always", "IfNotPresent"]}));
    let Ty::Named(id) = &f.ty else {
        panic!("{f:?}")
    };
    let Shape::Enum(variants) = &def(&set, id).shape else {
        panic!()
    };
    assert_eq!(variants.len(), 2);
    assert_eq!(def(&set, id).rust_name, "WidgetSpecM");
}

#[test]
fn int_or_string_with_its_any_of() {
    let (_, f) = spec_member(json!({"anyOf": [{"type": "integer"}, {"type": "string"}],
        "x-kubernetes-int-or-string": true, "pattern": "^\\d+%?$"}));
    assert_eq!(f.ty, Ty::IntOrString);
}

#[test]
fn preserve_unknown_fields_next_to_known_properties_is_a_struct_with_the_rest_flattened() {
    let (_, f) =
        spec_member(json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}));
    assert_eq!(f.ty, Ty::Json);
    let (set, f) = spec_member(
        json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true,
        "properties": {"known": {"type": "string"}}, "required": ["known"]}),
    );
    let Ty::Named(id) = &f.ty else {
        panic!("{f:?}")
    };
    let Shape::Struct(fields) = &def(&set, id).shape else {
        panic!()
    };
    assert_eq!(field(&set, id, "known").ty, Ty::String);
    let rest: Vec<_> = fields.iter().filter(|f| f.flatten).collect();
    assert_eq!(rest.len(), 1, "{fields:?}");
    assert_eq!(rest[0].ty, Ty::Map(Box::new(Ty::Json)));
    assert_eq!(rest[0].rust_name, "other");
}

#[test]
fn embedded_resources_get_object_meta() {
    let (set, f) = spec_member(
        json!({"type": "object", "x-kubernetes-embedded-resource": true,
        "properties": {"spec": {"type": "object", "properties": {"x": {"type": "string"}}}}}),
    );
    let Ty::Named(id) = &f.ty else {
        panic!("{f:?}")
    };
    assert_eq!(
        field(&set, id, "metadata").ty,
        Ty::Meta("ObjectMeta".into())
    );
    assert_eq!(field(&set, id, "apiVersion").ty, Ty::String);
    // Without known properties it is any object.
    let (_, f) = spec_member(
        json!({"type": "object", "x-kubernetes-embedded-resource": true,
        "x-kubernetes-preserve-unknown-fields": true}),
    );
    assert_eq!(f.ty, Ty::Json);
}

#[test]
fn additional_properties_are_maps() {
    let (_, f) = spec_member(json!({"type": "object", "additionalProperties": {"type": "string"}}));
    assert_eq!(f.ty, Ty::Map(Box::new(Ty::String)));
    let (_, f) = spec_member(json!({"type": "object", "additionalProperties": {
        "anyOf": [{"type": "integer"}, {"type": "string"}], "x-kubernetes-int-or-string": true}}));
    assert_eq!(f.ty, Ty::Map(Box::new(Ty::IntOrString)));
}

#[test]
fn one_of_and_any_of_that_only_constrain_are_ignored() {
    let (set, f) = spec_member(json!({"type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
        "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
        "anyOf": [{"properties": {"a": {"minLength": 1}}}],
        "not": {"required": ["c"]}}));
    let Ty::Named(id) = &f.ty else {
        panic!("{f:?}")
    };
    assert_eq!(field(&set, id, "a").ty, Ty::String);
    assert_eq!(field(&set, id, "b").ty, Ty::I64);
}

#[test]
fn nullable_members_are_optional_even_when_required() {
    let set = model(crd(
        json!({"type": "object", "required": ["a", "b"], "properties": {
        "a": {"type": "string", "nullable": true}, "b": {"type": "string"}}}),
    ));
    assert!(!field(&set, SPEC, "a").required);
    assert!(field(&set, SPEC, "b").required);
}

#[test]
fn nullable_items_and_values_are_options() {
    // `[null, "a"]` and `{"x": null}` are valid for these schemas: an item or value that may be
    // `null` must decode as `None`, not fail the whole object.
    let set = model(crd(json!({"type": "object", "properties": {
        "tags": {"type": "array", "items": {"type": "string", "nullable": true}},
        "limits": {"type": "object", "additionalProperties": {"type": "integer", "nullable": true}},
        "raw": {"type": "array", "items": {"x-kubernetes-preserve-unknown-fields": true, "nullable": true}},
        "plain": {"type": "array", "items": {"type": "string"}}}})));
    let nullable = |ty: Ty| Ty::Nullable(Box::new(ty));
    assert_eq!(
        field(&set, SPEC, "tags").ty,
        Ty::Vec(Box::new(nullable(Ty::String)))
    );
    assert_eq!(
        field(&set, SPEC, "limits").ty,
        Ty::Map(Box::new(nullable(Ty::I64)))
    );
    // Any JSON holds `null` already.
    assert_eq!(field(&set, SPEC, "raw").ty, Ty::Vec(Box::new(Ty::Json)));
    assert_eq!(field(&set, SPEC, "plain").ty, Ty::Vec(Box::new(Ty::String)));

    let settings = Settings {
        layout: Layout::SingleFile,
        ..Settings::default()
    };
    let text = serde_json::to_string(&crd(json!({"type": "object", "properties": {
        "tags": {"type": "array", "items": {"type": "string", "nullable": true}},
        "limits": {"type": "object", "additionalProperties": {"type": "integer", "nullable": true}}}})))
    .unwrap();
    let docs = parse_text("crd.json", &text).unwrap();
    let out = client_gen::generate(&docs, &settings).unwrap();
    let file = &out.files[Path::new("generated.rs")];
    assert!(
        file.contains("pub tags: Option<Vec<Option<String>>>,"),
        "{file}"
    );
    assert!(
        file.contains("pub limits: Option<rest_core::meta::Map<String, Option<i64>>>,"),
        "{file}"
    );
}

#[test]
fn defaults_are_documented() {
    let (_, f) = spec_member(json!({"type": "integer", "format": "int32", "default": 3,
        "description": "How many."}));
    assert_eq!(f.ty, Ty::I32);
    assert_eq!(f.doc.as_deref(), Some("How many. Defaults to `3`."));
}

#[test]
fn formats_and_arrays() {
    let set = model(crd(json!({"type": "object", "properties": {
        "at": {"type": "string", "format": "date-time"},
        "raw": {"type": "string", "format": "byte"},
        "ratio": {"type": "number"},
        "ports": {"type": "array", "items": {"type": "object", "properties": {"port": {"type": "integer", "format": "int32"}}}},
        "matrix": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}
    }})));
    assert_eq!(field(&set, SPEC, "at").ty, Ty::Time);
    assert_eq!(field(&set, SPEC, "raw").ty, Ty::Bytes);
    assert_eq!(field(&set, SPEC, "ratio").ty, Ty::F64);
    assert_eq!(
        field(&set, SPEC, "ports").ty,
        Ty::Vec(Box::new(Ty::Named(
            "com.example.v1.Widget/spec/ports".into()
        )))
    );
    assert_eq!(
        field(&set, SPEC, "matrix").ty,
        Ty::Vec(Box::new(Ty::Vec(Box::new(Ty::String))))
    );
}

#[test]
fn a_root_that_keeps_unknown_fields_is_served_untyped() {
    let mut c = crd(json!({"type": "object"}));
    c["spec"]["versions"][0]["schema"]["openAPIV3Schema"] =
        json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true});
    let set = model(c.clone());
    assert_eq!(def(&set, WIDGET).shape, Shape::Untyped);
    let out = client_gen::generate(
        &parse_text("crd.json", &c.to_string()).unwrap(),
        &Settings::default(),
    )
    .unwrap();
    let module = &out.files[Path::new("example/v1.rs")];
    assert!(module.contains("#[serde(flatten)]"), "{module}");
    assert!(
        module.contains("pub fields: serde_json::Map<String, serde_json::Value>"),
        "{module}"
    );
    assert!(
        module.contains("impl rest_core::Resource for Widget"),
        "{module}"
    );
}

const TWO_CRDS: &str = "\
# Two CRDs in one file.
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gizmos.example.com
spec:
  group: example.com
  names: {kind: Gizmo, plural: gizmos}
  scope: Cluster
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
";

#[test]
fn several_crds_per_file_share_their_group_version() {
    let set = model_of(TWO_CRDS);
    let v1 = &set.groups["example.com"].versions["v1"];
    assert_eq!(
        v1.resources.keys().collect::<Vec<_>>(),
        ["gadgets", "gizmos"]
    );
    assert_eq!(v1.resources["gizmos"].scope, Scope::Cluster);
}

#[test]
fn a_list_of_crds_is_read_like_separate_documents() {
    let list =
        json!({"apiVersion": "v1", "kind": "List", "items": [crd(json!({"type": "object"}))]});
    let set = model(list);
    assert!(set.groups["example.com"].versions["v1"]
        .resources
        .contains_key("widgets"));
}

#[test]
fn the_emitted_crd_module_has_typed_clients_and_compiles_as_one_file() {
    let settings = Settings {
        layout: Layout::SingleFile,
        ..Settings::default()
    };
    let docs = parse_text("crds.yaml", TWO_CRDS).unwrap();
    let out = client_gen::generate(&docs, &settings).unwrap();
    let file = &out.files[Path::new("generated.rs")];
    assert!(
        file.contains("pub fn gadgets(&self, namespace: &str) -> GadgetClient"),
        "{file}"
    );
    assert!(
        file.contains("pub fn gizmos(&self) -> GizmoClient"),
        "{file}"
    );
    assert!(file.contains("const SCOPE: rest_core::Scope = rest_core::Scope::Cluster;"));
    assert!(syn::parse_file(file).is_ok());
}

#[test]
fn identical_inline_schemas_share_one_type() {
    let container = json!({"type": "object", "description": "A container.",
        "properties": {"name": {"type": "string"}, "image": {"type": "string"}}});
    let set = model(crd(json!({"type": "object", "properties": {
        "initContainers": {"type": "array", "items": container},
        "sidecarContainers": {"type": "array", "items": container},
        "main": {"type": "object", "properties": {"name": {"type": "integer"}}}
    }})));
    // One `WidgetSpecInitContainers` serves both lists (the shorter name wins).
    let init = field(&set, SPEC, "initContainers").ty.clone();
    assert_eq!(field(&set, SPEC, "sidecarContainers").ty, init);
    assert_eq!(
        init,
        Ty::Vec(Box::new(Ty::Named(
            "com.example.v1.Widget/spec/initContainers".into()
        )))
    );
    assert!(!set
        .types
        .contains_key("com.example.v1.Widget/spec/sidecarContainers"));
    assert!(set.types.contains_key("com.example.v1.Widget/spec/main"));
}

#[test]
fn copies_of_meta_v1_shapes_are_rest_cores_types() {
    // controller-gen's copy of metav1.Condition, validations and all.
    let condition = json!({"type": "object",
        "required": ["lastTransitionTime", "message", "reason", "status", "type"],
        "properties": {
            "lastTransitionTime": {"type": "string", "format": "date-time"},
            "message": {"type": "string", "maxLength": 32768},
            "observedGeneration": {"type": "integer", "format": "int64", "minimum": 0},
            "reason": {"type": "string", "maxLength": 1024, "minLength": 1},
            "status": {"type": "string", "enum": ["True", "False", "Unknown"]},
            "type": {"type": "string", "maxLength": 316}}});
    let (_, f) = spec_member(json!({"type": "array", "items": condition.clone(),
        "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["type"]}));
    assert_eq!(f.ty, Ty::Vec(Box::new(Ty::Meta("Condition".into()))));
    // A condition of the CRD's own (one more member) keeps its own type.
    let mut own = condition;
    own["properties"]["severity"] = json!({"type": "string"});
    let (_, f) = spec_member(json!({"type": "array", "items": own}));
    assert!(
        matches!(&f.ty, Ty::Vec(inner) if matches!(**inner, Ty::Named(_))),
        "{f:?}"
    );

    let selector = json!({"type": "object", "x-kubernetes-map-type": "atomic", "properties": {
        "matchExpressions": {"type": "array", "items": {"type": "object",
            "required": ["key", "operator"], "properties": {
                "key": {"type": "string"}, "operator": {"type": "string"},
                "values": {"type": "array", "items": {"type": "string"},
                           "x-kubernetes-list-type": "atomic"}}}},
        "matchLabels": {"type": "object", "additionalProperties": {"type": "string"}}}});
    let (_, f) = spec_member(selector);
    assert_eq!(f.ty, Ty::Meta("LabelSelector".into()));

    // Resource amounts: by the quantity pattern, or as the values of `limits`/`requests`.
    let int_or_string = json!({"anyOf": [{"type": "integer"}, {"type": "string"}],
        "x-kubernetes-int-or-string": true});
    let (_, f) = spec_member(json!({"type": "object", "additionalProperties": int_or_string}));
    assert_eq!(f.ty, Ty::Map(Box::new(Ty::IntOrString)));
    let set = model(crd(json!({"type": "object", "properties": {"m": {
        "type": "object", "properties": {"limits": {"type": "object",
            "additionalProperties": int_or_string}}}}})));
    let Ty::Named(id) = &field(&set, SPEC, "m").ty else {
        panic!()
    };
    assert_eq!(
        field(&set, id, "limits").ty,
        Ty::Map(Box::new(Ty::Quantity))
    );
    let mut patterned = int_or_string.clone();
    patterned["pattern"] = json!("^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$");
    let (_, f) = spec_member(patterned);
    assert_eq!(f.ty, Ty::Quantity);
    let (_, f) = spec_member(int_or_string);
    assert_eq!(f.ty, Ty::IntOrString);
}

#[test]
fn a_type_used_at_several_places_is_named_after_what_they_share() {
    let secret = json!({"type": "object", "properties": {"name": {"type": "string"}}});
    let probe = json!({"type": "object", "properties": {"port": {"type": "integer"}}});
    let set = model(crd(json!({"type": "object", "properties": {
        "nodePublishSecretRef": secret, "tls": {"type": "object", "properties": {
            "secretRef": secret}},
        "livenessProbe": probe, "readinessProbe": probe,
        "arguments": {"type": "object", "properties": {"x": {"type": "string"}}},
        "inputs": {"type": "object", "properties": {"x": {"type": "string"}}}}})));
    let name_of = |member: &str| match &field(&set, SPEC, member).ty {
        Ty::Named(id) => def(&set, id).rust_name.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(name_of("nodePublishSecretRef"), "WidgetSecretRef");
    assert_eq!(name_of("livenessProbe"), "WidgetProbe");
    assert_eq!(name_of("readinessProbe"), "WidgetProbe");
    // Nothing in common: both places in the name, never one place's name for the other.
    assert_eq!(name_of("arguments"), "WidgetArgumentsOrInputs");
}
