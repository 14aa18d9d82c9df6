//! `extern_groups`: a crate generated on top of another generated crate. The other crate's
//! groups are not emitted; references to their types, and the features that turn them on, go
//! to that crate. The same through the library, the CLI and the builder.

use std::path::{Path, PathBuf};
use std::process::Command;

use client_gen::{Builder, Document, ExternGroup, Settings};

/// A CRD with a scale subresource: its client reads and writes `autoscaling/v1` `Scale`.
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
    subresources:
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              replicas: {type: integer}
";

fn crd() -> Vec<Document> {
    client_gen::input::read::parse_text("widgets.yaml", CRD).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("client-gen-extern-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn all_text(output: &client_gen::Output) -> String {
    output
        .files
        .values()
        .cloned()
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn an_extern_group_is_referred_to_not_emitted() {
    let settings = Settings {
        extern_groups: vec![ExternGroup::new("autoscaling", "k8s::autoscaling")],
        ..Settings::crate_tree()
    };
    let output = client_gen::generate(&crd(), &settings).unwrap();
    let files: Vec<&Path> = output.files.keys().map(PathBuf::as_path).collect();
    assert_eq!(
        files,
        [
            Path::new("example/mod.rs"),
            Path::new("example/v1.rs"),
            Path::new("lib.rs")
        ]
    );
    let text = all_text(&output);
    assert!(text.contains("&'a k8s::autoscaling::v1::Scale"), "{text}");
    assert!(!text.contains("pub struct Scale"));
    assert!(!text.contains("autoscaling_v1"));
    // The group that uses `Scale` turns on the other crate's feature for it.
    assert_eq!(output.features["example"], ["k8s/autoscaling"]);
    // And `full`, every group, is the only other feature.
    assert_eq!(output.features["full"], ["example"]);
    assert_eq!(output.features.len(), 2);

    // Without the setting, the crate has its own copy, behind a feature of its own.
    let own = client_gen::generate(&crd(), &Settings::crate_tree()).unwrap();
    assert!(own.files.contains_key(Path::new("autoscaling/v1.rs")));
    assert_eq!(own.features["example"], ["autoscaling"]);
}

#[test]
fn extern_group_paths_and_features() {
    let e = ExternGroup::new("core", "::generated::core");
    assert_eq!(e.group, "");
    assert_eq!(e.feature.as_deref(), Some("generated/core"));
    let e = ExternGroup::parse("networking.k8s.io=k8s::networking").unwrap();
    assert_eq!(e.group, "networking.k8s.io");
    assert_eq!(e.path, "k8s::networking");
    let err = ExternGroup::parse("autoscaling").unwrap_err().to_string();
    assert!(err.contains("GROUP=PATH"), "{err}");

    // A path that is not a Rust path is an error naming it, not broken output.
    let settings = Settings {
        extern_groups: vec![ExternGroup::new("autoscaling", "not a path")],
        ..Settings::default()
    };
    let err = client_gen::generate(&crd(), &settings)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a path"), "{err}");
}

#[test]
fn a_served_extern_group_gets_no_clients_here() {
    // The Kubernetes API minus its core group, which another crate has: apps' types refer
    // to that crate's, and the Clientset has no core accessor.
    let swagger =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/openapi/kubernetes-swagger.json");
    let docs = vec![Document::read(&swagger).unwrap()];
    let mut settings = Settings {
        extern_groups: vec![ExternGroup::new("core", "k8s::core")],
        ..Settings::crate_tree()
    };
    settings.select.entries = vec![
        client_gen::select::Entry::group("apps"),
        client_gen::select::Entry::group("core"),
    ];
    let output = client_gen::generate(&docs, &settings).unwrap();
    assert!(output.files.keys().all(|f| !f.starts_with("core")));
    let lib = &output.files[Path::new("lib.rs")];
    assert!(lib.contains("pub fn apps_v1(&self)"));
    assert!(!lib.contains("pub fn core_v1"));
    let apps = &output.files[Path::new("apps/v1.rs")];
    assert!(apps.contains("k8s::core::v1::PodTemplateSpec"), "{apps}");
    assert!(output.features["apps"].contains(&"k8s/core".to_owned()));
}

#[test]
fn the_cli_takes_extern_groups() {
    let dir = scratch("cli");
    std::fs::write(dir.join("widgets.yaml"), CRD).unwrap();
    let out = dir.join("out");
    let run = |extra: &str| {
        Command::new(env!("CARGO_BIN_EXE_client-gen"))
            .args(["generate", "--crd"])
            .arg(dir.join("widgets.yaml"))
            .arg("--out")
            .arg(&out)
            .args(["--feature-gates", "--extern-group", extra])
            .output()
            .unwrap()
    };
    let done = run("autoscaling=k8s::autoscaling");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(!out.join("autoscaling").exists());
    let v1 = std::fs::read_to_string(out.join("example/v1.rs")).unwrap();
    assert!(v1.contains("k8s::autoscaling::v1::Scale"));

    let bad = run("autoscaling");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("GROUP=PATH"));
}

#[test]
fn the_builder_takes_extern_groups() {
    let dir = scratch("builder");
    std::fs::write(dir.join("widgets.yaml"), CRD).unwrap();
    let generated = Builder::new()
        .crd(dir.join("widgets.yaml"))
        .extern_group("autoscaling", "k8s::autoscaling")
        .out_dir(dir.join("out"))
        .cargo_metadata(false)
        .generate()
        .unwrap();
    let text = std::fs::read_to_string(generated.out_dir.join("clients.rs")).unwrap();
    assert!(text.contains("k8s::autoscaling::v1::Scale"));
    assert!(!text.contains("pub struct Scale"));
}

#[test]
fn a_clientset_split_in_two_crates() {
    // One crate has the core group (all of its types, as a whole group is selected, also the
    // ones only other groups use); the other has the rest and re-exports it, so its API is
    // that of one clientset: `core` module, `core_v1()` accessor, `core` feature.
    let swagger =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/openapi/kubernetes-swagger.json");
    let docs = vec![Document::read(&swagger).unwrap()];
    let mut first = Settings::crate_tree();
    first.select.entries = vec![client_gen::select::Entry::group("core")];
    let first = client_gen::generate(&docs, &first).unwrap();
    let core = &first.files[Path::new("core/v1.rs")];
    // Used by storage's StorageClass, by no core resource.
    assert!(core.contains("pub struct TopologySelectorTerm"));

    let second = Settings {
        extern_groups: vec![ExternGroup::reexported("core", "k8s_core::core")],
        ..Settings::crate_tree()
    };
    let second = client_gen::generate(&docs, &second).unwrap();
    assert!(second.files.keys().all(|f| !f.starts_with("core")));
    let lib = &second.files[Path::new("lib.rs")];
    assert!(
        lib.contains("#[cfg(feature = \"core\")]\npub use k8s_core::core;"),
        "{lib}"
    );
    assert!(lib.contains("pub fn core_v1(&self) -> core::v1::CoreV1Client"));
    let storage = &second.files[Path::new("storage/v1.rs")];
    assert!(storage.contains("k8s_core::core::v1::TopologySelectorTerm"));
    // `core` is a feature here that turns the group on over there; groups using it turn it on.
    assert!(second.features["core"].contains(&"k8s_core/core".to_owned()));
    assert!(second.features["batch"].contains(&"core".to_owned()));

    // The same from the CLI and the builder.
    let dir = scratch("reexport");
    let done = Command::new(env!("CARGO_BIN_EXE_client-gen"))
        .args(["generate", "--openapi"])
        .arg(&swagger)
        .arg("--out")
        .arg(dir.join("cli"))
        .args(["--feature-gates", "--reexport-group", "core=k8s_core::core"])
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let lib = std::fs::read_to_string(dir.join("cli/lib.rs")).unwrap();
    assert!(lib.contains("pub use k8s_core::core;"));
    let built = Builder::new()
        .openapi(&swagger)
        .resource("core/v1/pods")
        .reexport_group("core", "k8s_core::core")
        .out_dir(dir.join("builder"))
        .cargo_metadata(false)
        .generate()
        .unwrap();
    let text = std::fs::read_to_string(built.out_dir.join("clients.rs")).unwrap();
    assert!(text.contains("pub use k8s_core::core;"));
    assert!(text.contains("pub fn core_v1(&self) -> core::v1::CoreV1Client"));
}
