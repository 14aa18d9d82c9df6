//! The Rust names of the README's worked example (`tests/cli/project/naming/widgets.yaml`),
//! as the emitter writes them and as `emit::resource_names` reports them; and the generated
//! crate's doc, which shows a call on the crate's own resources.

use std::path::Path;

use client_gen::emit::resource_names;
use client_gen::Settings;

fn worked_example() -> Vec<client_gen::Document> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/project/naming/widgets.yaml");
    client_gen::input::read_file(&path).unwrap()
}

#[test]
fn the_worked_example_has_the_names_the_readme_gives() {
    let out = client_gen::generate(&worked_example(), &Settings::crate_tree()).unwrap();
    let module = &out.files[Path::new("example/v1.rs")];
    for expected in [
        "pub struct Widget {",
        "pub struct WidgetSpec {",
        "pub type_: String,",
        "pub host_ip: Option<String>,",
        "pub mode: Option<WidgetSpecMode>,",
        "pub parts: Option<Vec<WidgetSpecParts>>,",
        "pub struct WidgetSpecParts {",
        "pub primary: Option<WidgetBackupOrPrimary>,",
        "pub backup: Option<WidgetBackupOrPrimary>,",
        "pub secret_ref: Option<WidgetSecretRef>,",
        "pub struct WidgetSecretRef {",
        "pub enum WidgetSpecMode {",
        "    V1_0,\n",
        "    OtherValue,\n",
        "    Other(String),\n",
        "pub struct ExampleV1Client {",
        "pub fn widgets(&self, namespace: &str) -> WidgetClient {",
        "pub fn widgets_all_namespaces(&self) -> WidgetClient {",
        "pub struct WidgetClient(pub rest_core::ResourceClient<Widget>);",
    ] {
        assert!(
            module.contains(expected),
            "missing {expected:?} in:\n{module}"
        );
    }
    let lib = &out.files[Path::new("lib.rs")];
    assert!(
        lib.contains("pub fn example_v1(&self) -> example::v1::ExampleV1Client {"),
        "{lib}"
    );
}

#[test]
fn resource_names_are_the_emitted_ones() {
    let settings = Settings::crate_tree();
    let set = client_gen::model(&worked_example(), &settings).unwrap();
    let names = resource_names(&set, &settings).unwrap();
    assert_eq!(names.len(), 1);
    let widget = &names[0];
    assert_eq!(widget.module, "example::v1");
    assert_eq!(widget.object.as_deref(), Some("Widget"));
    let client = widget.client.as_ref().expect("a typed client");
    assert_eq!(client.client, "WidgetClient");
    assert_eq!(client.call(), "clientset.example_v1().widgets(namespace)");
    assert_eq!(
        client.all_namespaces.as_deref(),
        Some("widgets_all_namespaces")
    );
    for nested in [
        "WidgetSpec",
        "WidgetStatus",
        "WidgetSpecParts",
        "WidgetSpecMode",
        "WidgetBackupOrPrimary",
        "WidgetSecretRef",
    ] {
        assert!(
            widget.nested.iter().any(|n| n == nested),
            "{nested}: {:?}",
            widget.nested
        );
    }
    // The spec and status come before what they are made of.
    assert_eq!(&widget.nested[..2], ["WidgetSpec", "WidgetStatus"]);
}

#[test]
fn a_crd_only_crate_documents_a_call_it_has() {
    let out = client_gen::generate(&worked_example(), &Settings::crate_tree()).unwrap();
    let lib = &out.files[Path::new("lib.rs")];
    assert!(
        lib.contains(
            "//! let widgets = clientset.example_v1().widgets(\"default\").list(&opts).await?;"
        ),
        "{lib}"
    );
    assert!(lib.contains("`example::v1::Widget`"), "{lib}");
    assert!(!lib.contains("core_v1"), "a call the crate lacks:\n{lib}");
}
