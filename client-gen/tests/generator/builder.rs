//! The `build.rs` builder: one file out, rewritten only when its bytes change (a second run
//! leaves mtimes alone), every input watched, errors readable and nothing written on one.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use client_gen::Builder;

const CRD: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
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
";

/// A fresh directory with `crds/widgets.yaml` and an empty `out/`.
fn project(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("client-gen-builder-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("crds")).unwrap();
    std::fs::write(dir.join("crds/widgets.yaml"), CRD).unwrap();
    dir
}

fn builder(dir: &Path) -> Builder {
    Builder::new()
        .crd(dir.join("crds/*.yaml"))
        .out_dir(dir.join("out"))
        .cargo_metadata(false)
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn writes_one_file_then_rewrites_nothing_when_inputs_are_unchanged() {
    let dir = project("rerun");
    let first = builder(&dir).generate().unwrap();
    assert_eq!(first.files, [PathBuf::from("clients.rs")]);
    assert_eq!(first.written, [PathBuf::from("clients.rs")]);
    let file = dir.join("out/clients.rs");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("pub struct Widget {"));
    assert!(text.contains("pub struct Clientset"));
    assert!(
        !text.contains("#!["),
        "include! cannot take inner attributes"
    );
    // Every input, and the glob's directory (files added later count too).
    assert_eq!(
        first.rerun_if_changed,
        [dir.join("crds"), dir.join("crds/widgets.yaml")]
    );

    let before = mtime(&file);
    let second = builder(&dir).generate().unwrap();
    assert!(second.written.is_empty(), "{:?}", second.written);
    assert_eq!(mtime(&file), before);

    std::fs::write(
        dir.join("crds/widgets.yaml"),
        CRD.replace("size: {type: integer}", "size: {type: string}"),
    )
    .unwrap();
    let third = builder(&dir).generate().unwrap();
    assert_eq!(third.written, [PathBuf::from("clients.rs")]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn allow_lists_and_file_names() {
    let dir = project("select");
    std::fs::write(
        dir.join("crds/gadgets.yaml"),
        CRD.replace("widgets", "gadgets")
            .replace("Widget", "Gadget"),
    )
    .unwrap();
    let out = builder(&dir)
        .resource("gadgets.example.com")
        .file_name("k8s.rs")
        .generate()
        .unwrap();
    assert_eq!(out.inputs.len(), 2);
    let text = std::fs::read_to_string(dir.join("out/k8s.rs")).unwrap();
    assert!(text.contains("pub struct Gadget {"));
    assert!(!text.contains("pub struct Widget {"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_input_fails_readably_and_writes_nothing() {
    let dir = project("bad");
    std::fs::write(
        dir.join("crds/widgets.yaml"),
        CRD.replace("    served: true\n", "    served: true\n  bad: [\n"),
    )
    .unwrap();
    let err = builder(&dir).generate().unwrap_err();
    // `fn main() -> Result<(), BuildError>` prints the Debug form: it reads like Display.
    let shown = format!("{err:?}");
    assert_eq!(shown, err.to_string());
    assert!(shown.starts_with("client-gen: "), "{shown}");
    assert!(shown.contains("crds/widgets.yaml:14:11: "), "{shown}");
    assert!(shown.contains("not valid YAML"), "{shown}");
    assert!(!dir.join("out").exists());

    let err = Builder::new()
        .crd(dir.join("nothing/*.yaml"))
        .out_dir(dir.join("out"))
        .cargo_metadata(false)
        .generate()
        .unwrap_err();
    assert!(err.to_string().contains("matches no file"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn without_an_out_dir_it_says_what_to_do() {
    if std::env::var_os("OUT_DIR").is_some() {
        return; // only meaningful outside a build script
    }
    let dir = project("no-out-dir");
    let err = Builder::new()
        .crd(dir.join("crds/widgets.yaml"))
        .cargo_metadata(false)
        .generate()
        .unwrap_err();
    assert!(err.to_string().contains("OUT_DIR is not set"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn settings_keep_one_file_and_tree_writes_a_module_tree() {
    let dir = project("tree");
    let settings = client_gen::Settings {
        serde: client_gen::settings::SerdeStyle::Compact,
        ..client_gen::Settings::default()
    };
    let one = builder(&dir).settings(settings).generate().unwrap();
    assert_eq!(one.files, [PathBuf::from("clients.rs")]);
    let text = std::fs::read_to_string(dir.join("out/clients.rs")).unwrap();
    assert!(text.contains("pub mod __de {"), "compact serde asked for");

    let tree = builder(&dir)
        .out_dir(dir.join("src/k8s"))
        .tree()
        .generate()
        .unwrap();
    assert_eq!(
        tree.files,
        [
            PathBuf::from("example/mod.rs"),
            PathBuf::from("example/v1.rs"),
            PathBuf::from("lib.rs")
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn generator_warnings_are_handed_back_and_printed_for_cargo() {
    let dir = std::env::temp_dir().join(format!(
        "client-gen-builder-warnings-{}",
        std::process::id()
    ));
    let shapes = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shapes/shapes.json");
    let generated = Builder::new()
        .openapi(&shapes)
        .out_dir(&dir)
        .cargo_metadata(false)
        .generate()
        .unwrap();
    assert_eq!(generated.warnings.len(), 1, "{:?}", generated.warnings);
    assert!(generated.warnings[0].contains("#/components/schemas/Ambiguous/oneOf"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn from_cluster_reads_a_running_server_through_a_kubeconfig() {
    let dir = project("from-cluster");
    let crd = client_gen::input::read_file(&dir.join("crds/widgets.yaml"))
        .unwrap()
        .remove(0)
        .json;
    // The server runs on its own threads while the builder blocks this one.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(fixtures::ApiServer::builder().crd(crd).start());
    let kubeconfig = dir.join("kubeconfig");
    server.write_kubeconfig(&kubeconfig).unwrap();
    let generated = Builder::new()
        .from_cluster(client_gen::cluster::Cluster {
            kubeconfig: Some(kubeconfig),
            context: None,
        })
        .group("example.com")
        .out_dir(dir.join("out"))
        .cargo_metadata(false)
        .generate()
        .unwrap();
    assert!(generated.inputs.is_empty(), "no file was read");
    let text = std::fs::read_to_string(dir.join("out/clients.rs")).unwrap();
    assert!(text.contains("pub struct Widget {"), "{text}");
    assert!(text.contains("pub struct WidgetClient"), "{text}");

    // A kubeconfig naming a context it does not have: the error says so.
    let err = Builder::new()
        .from_cluster(client_gen::cluster::Cluster {
            kubeconfig: Some(dir.join("kubeconfig")),
            context: Some("elsewhere".to_owned()),
        })
        .out_dir(dir.join("out"))
        .cargo_metadata(false)
        .generate()
        .unwrap_err()
        .to_string();
    assert!(err.contains("--from-cluster"), "{err}");
    assert!(err.contains("\"elsewhere\""), "{err}");
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn write_crds_writes_the_crds_of_what_was_generated() {
    let dir = project("crds");
    let gadgets = CRD
        .replace("widgets", "gadgets")
        .replace("Widget", "Gadget");
    std::fs::write(dir.join("crds/gadgets.yaml"), gadgets).unwrap();

    // Both CRDs read, one allow-listed: only its CRD is written.
    let generated = builder(&dir)
        .resource("example.com/v1/widgets")
        .write_crds("crds.yaml")
        .generate()
        .unwrap();
    assert_eq!(generated.crds, Some(PathBuf::from("crds.yaml")));
    let yaml = std::fs::read_to_string(dir.join("out/crds.yaml")).unwrap();
    assert!(yaml.starts_with("---\n"), "{yaml}");
    assert_eq!(
        yaml.matches("kind: CustomResourceDefinition").count(),
        1,
        "{yaml}"
    );
    assert!(yaml.contains("name: widgets.example.com"), "{yaml}");
    assert!(!yaml.contains("gadgets"), "{yaml}");
    let mtime_before = mtime(&dir.join("out/crds.yaml"));

    // A second run leaves it alone; every CRD without an allow-list, JSON by the name.
    builder(&dir)
        .resource("example.com/v1/widgets")
        .write_crds("crds.yaml")
        .generate()
        .unwrap();
    assert_eq!(mtime(&dir.join("out/crds.yaml")), mtime_before);
    builder(&dir).write_crds("all.json").generate().unwrap();
    let list: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/all.json")).unwrap()).unwrap();
    assert_eq!(list["kind"], "List");
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|crd| crd["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["gadgets.example.com", "widgets.example.com"]);
    std::fs::remove_dir_all(&dir).unwrap();
}
