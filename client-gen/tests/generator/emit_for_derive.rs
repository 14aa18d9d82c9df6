//! Emitter choices `#[derive(Resource)]` uses, open to every input: kinds that write their
//! own `apiVersion`/`kind`, extra derives, one module's items as tokens without its group
//! client.

use std::path::Path;

use client_gen::model::ModuleKey;
use client_gen::settings::{Layout, Settings, TypeMeta};
use client_gen::Document;
use serde_json::json;

fn widget_crd() -> Document {
    let crd = json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets"},
            "scope": "Namespaced",
            "versions": [{
                "name": "v1", "served": true, "storage": true,
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                    "apiVersion": {"type": "string"},
                    "kind": {"type": "string"},
                    "metadata": {"type": "object"},
                    "spec": {"type": "object", "properties": {"size": {"type": "integer"}}},
                }}},
            }],
        },
    });
    Document::parse("widget.json", &crd.to_string()).unwrap()
}

fn single_file(settings: Settings) -> String {
    let settings = Settings {
        layout: Layout::SingleFile,
        ..settings
    };
    let out = client_gen::generate(&[widget_crd()], &settings).unwrap();
    out.files[Path::new("generated.rs")].clone()
}

#[test]
fn constant_type_meta_writes_api_version_and_kind_instead_of_storing_them() {
    let file = single_file(Settings {
        type_meta: TypeMeta::Constant,
        ..Settings::default()
    });
    let widget = &file[file.find("pub struct Widget {").unwrap()..];
    let widget = &widget[..widget.find('}').unwrap()];
    assert!(!widget.contains("api_version"), "{widget}");
    assert!(file.contains("map.serialize_entry(\"apiVersion\", \"example.com/v1\")?;"));
    assert!(file.contains("map.serialize_entry(\"kind\", \"Widget\")?;"));
    // Only kinds: the spec keeps its derives.
    let flat: String = file.split_whitespace().collect();
    assert!(
        flat.contains("serde::Serialize,serde::Deserialize)]pubstructWidgetSpec"),
        "{file}"
    );
}

#[test]
fn extra_derives_follow_the_usual_ones_once() {
    let file = single_file(Settings {
        extra_derives: vec!["PartialEq".into(), "schemars::JsonSchema".into()],
        ..Settings::default()
    });
    let flat: String = file.split_whitespace().collect();
    assert!(
        flat.contains(
            "Default,PartialEq,serde::Serialize,serde::Deserialize,schemars::JsonSchema)]"
        ),
        "{file}"
    );
}

#[test]
fn module_tokens_are_one_module_without_its_group_client() {
    let settings = Settings::default();
    let set = client_gen::model(&[widget_crd()], &settings).unwrap();
    let tokens =
        client_gen::emit::module_tokens(&set, &settings, &ModuleKey::new("example.com", "v1"))
            .unwrap()
            .to_string();
    assert!(tokens.contains("pub struct WidgetClient"), "{tokens}");
    assert!(
        tokens.contains("impl rest_core :: Resource for Widget"),
        "{tokens}"
    );
    assert!(!tokens.contains("ExampleV1Client"), "{tokens}");
    assert!(!tokens.contains("pub mod"), "{tokens}");
}
