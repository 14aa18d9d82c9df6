//! Emitter choices: layouts, enum styles, feature gates and their cycles, docs.

use std::path::Path;

use client_gen::settings::{EnumStyle, Layout};
use client_gen::{Document, Settings};
use serde_json::{json, Value};

fn doc(definitions: Value, paths: Value) -> Document {
    let doc = json!({"swagger": "2.0", "definitions": definitions, "paths": paths});
    Document::parse("api.json", &doc.to_string()).unwrap()
}

fn enum_doc() -> Document {
    doc(
        json!({"com.example.v1.Widget": {"type": "object", "properties": {
            "policy": {"type": "string", "description": "How.", "enum": ["Always", "never-ever"]}
        }}}),
        json!({}),
    )
}

#[test]
fn closed_enums_rename_what_differs() {
    let settings = Settings {
        enums: EnumStyle::Closed,
        ..Settings::default()
    };
    let out = client_gen::generate(&[enum_doc()], &settings).unwrap();
    let module = &out.files[Path::new("example/v1.rs")];
    assert!(module.contains("pub enum WidgetPolicy {"), "{module}");
    assert!(module.contains("    Always,\n"), "{module}");
    assert!(
        module.contains("#[serde(rename = \"never-ever\")]\n    NeverEver,"),
        "{module}"
    );
    assert!(!module.contains("Other(String)"), "{module}");
}

#[test]
fn enums_are_open_by_default_keeping_unknown_values() {
    let out = client_gen::generate(&[enum_doc()], &Settings::default()).unwrap();
    let module = &out.files[Path::new("example/v1.rs")];
    assert!(module.contains("pub enum WidgetPolicy {"), "{module}");
    assert!(module.contains("    NeverEver,\n"), "{module}");
    assert!(module.contains("    Other(String),\n"), "{module}");
    assert!(
        module.contains("\"never-ever\" => Self::NeverEver,"),
        "{module}"
    );
    assert!(
        module.contains("Self::NeverEver => \"never-ever\","),
        "{module}"
    );
}

#[test]
fn a_single_file_nests_the_modules() {
    let settings = Settings {
        layout: Layout::SingleFile,
        ..Settings::default()
    };
    let out = client_gen::generate(&[enum_doc()], &settings).unwrap();
    assert_eq!(
        out.files.keys().collect::<Vec<_>>(),
        [Path::new("generated.rs")]
    );
    let file = &out.files[Path::new("generated.rs")];
    assert!(file.contains("pub mod example {"), "{file}");
    assert!(file.contains("pub mod v1 {"), "{file}");
    assert!(
        !file.contains("#!["),
        "an included file cannot carry inner attributes"
    );
}

#[test]
fn docs_can_be_turned_off() {
    let settings = Settings {
        max_doc_len: 0,
        ..Settings::default()
    };
    let out = client_gen::generate(&[enum_doc()], &settings).unwrap();
    assert!(!out.files[Path::new("example/v1.rs")].contains("/// How."));
}

/// Group `a` serves widgets whose `scale` subresource answers `b`'s Scale, and `b`'s Scale
/// refers to a type of `a`: `b` needs `a`, so `a` cannot also need `b`.
fn two_groups() -> Document {
    let gvk = json!({"group": "a.io", "version": "v1", "kind": "Widget"});
    doc(
        json!({
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {"type": "object"},
            "io.a.v1.Widget": {"type": "object", "properties": {
                "metadata": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}},
                "x-kubernetes-group-version-kind": [gvk.clone()]},
            "io.a.v1.Thing": {"type": "object", "properties": {"x": {"type": "string"}}},
            "io.b.v1.Scale": {"type": "object", "properties": {"thing": {"$ref": "#/definitions/io.a.v1.Thing"}},
                "x-kubernetes-group-version-kind": [{"group": "b.io", "version": "v1", "kind": "Scale"}]}
        }),
        json!({
            "/apis/a.io/v1/widgets/{name}": {"get": {"x-kubernetes-action": "get", "x-kubernetes-group-version-kind": gvk}},
            "/apis/a.io/v1/widgets/{name}/scale": {"get": {"x-kubernetes-action": "get",
                "x-kubernetes-group-version-kind": {"group": "b.io", "version": "v1", "kind": "Scale"},
                "responses": {"200": {"schema": {"$ref": "#/definitions/io.b.v1.Scale"}}}}}
        }),
    )
}

#[test]
fn features_follow_type_references_and_gate_what_would_cycle() {
    let out = client_gen::generate(&[two_groups()], &Settings::crate_tree()).unwrap();
    assert_eq!(out.features["b"], ["a"]);
    assert!(out.features["a"].is_empty(), "{:?}", out.features);
    let module = &out.files[Path::new("a/v1.rs")];
    assert!(
        module.contains("#[cfg(feature = \"b\")]\n    /// Reads the `scale` subresource.\n    #[inline]\n    pub fn get_scale<'a>("),
        "{module}"
    );
    let lib = &out.files[Path::new("lib.rs")];
    assert!(lib.contains("#[cfg(feature = \"a\")]"), "{lib}");
    let block = out.features_block(&["a", "missing"]);
    assert!(block.contains("default = [\"a\"]\n"), "{block}");
    assert!(block.contains("b = [\"a\"]\n"), "{block}");
}

#[test]
fn the_features_block_is_spliced_between_its_markers() {
    let manifest = "[package]\nname = \"x\"\n\n# client-gen: begin features\nold\n# client-gen: end features\n[dev-dependencies]\n";
    let block = "# client-gen: begin features\n[features]\na = []\n# client-gen: end features\n";
    let spliced = client_gen::output::splice_features(manifest, block).unwrap();
    assert_eq!(
        spliced,
        format!("[package]\nname = \"x\"\n\n{block}[dev-dependencies]\n")
    );
    assert!(client_gen::output::splice_features("[package]\n", block).is_none());
}

#[test]
fn compact_serde_handles_empty_structs_and_required_members() {
    let settings = Settings {
        serde: client_gen::settings::SerdeStyle::Compact,
        ..Settings::default()
    };
    let out = client_gen::generate(
        &[doc(
            json!({
                "com.example.v1.Empty": {"type": "object", "allOf": [{"type": "object"}, {"type": "object"}]},
                "com.example.v1.Widget": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"}, "hostIP": {"type": "string"}}}
            }),
            json!({}),
        )],
        &settings,
    )
    .unwrap();
    let module = &out.files[Path::new("example/v1.rs")];
    assert!(module.contains("pub struct Empty {}"), "{module}");
    assert!(
        module.contains("return Err(serde::de::Error::missing_field(\"name\"));"),
        "{module}"
    );
    assert!(module.contains("&[\"hostIP\", \"name\"]"), "{module}");
    assert!(out.files[Path::new("lib.rs")].contains("pub mod __de {"));
}
