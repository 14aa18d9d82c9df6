//! The `client-gen` binary with CRD, discovery and description inputs: generate, then
//! `--check` passes; an edited file makes it exit 1 with a summary; a broken input exits 2
//! naming file and line with nothing written; `inspect` and `--help` print what a user needs.

use std::path::{Path, PathBuf};
use std::process::Command;

const CRD: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, shortNames: [wd]}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
";

const DESCRIBE: &str = "\
kind: APIDescription
group: tools.example.org
version: v1alpha1
resources:
- {kind: Hammer, plural: hammers, scope: Cluster, verbs: [get, list]}
";

const DISCOVERY: &str = r#"{"kind": "APIResourceList", "groupVersion": "other.example.net/v1",
  "resources": [{"name": "bolts", "namespaced": true, "kind": "Bolt", "verbs": ["get", "list", "watch"]}]}"#;

/// A scratch directory with `crds/widgets.yaml`, `crds/gadgets.yaml`, `api.yaml`, `apis.json`.
fn project(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("client-gen-cli2-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("crds")).unwrap();
    std::fs::write(dir.join("crds/widgets.yaml"), CRD).unwrap();
    std::fs::write(
        dir.join("crds/gadgets.yaml"),
        CRD.replace("widgets", "gadgets")
            .replace("Widget", "Gadget")
            .replace("[wd]", "[gd]"),
    )
    .unwrap();
    std::fs::write(dir.join("api.yaml"), DESCRIBE).unwrap();
    std::fs::write(dir.join("apis.json"), DISCOVERY).unwrap();
    dir
}

/// Runs the binary in `dir`: exit code, stdout, stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_client-gen"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const GENERATE: &[&str] = &[
    "generate",
    "--crd",
    "crds/*.yaml",
    "--describe",
    "api.yaml",
    "--discovery",
    "apis.json",
    "--out",
    "out",
];

#[test]
fn generate_check_then_an_edit_is_stale_with_a_summary() {
    let dir = project("check");
    let (code, _, err) = run(&dir, GENERATE);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("from 4 inputs"), "{err}");
    let module = dir.join("out/example/v1.rs");
    let text = std::fs::read_to_string(&module).unwrap();
    assert!(text.contains("pub struct Widget {") && text.contains("pub struct Gadget {"));
    assert!(dir.join("out/tools/v1alpha1.rs").exists());
    assert!(dir.join("out/other/v1.rs").exists());

    let check: Vec<&str> = GENERATE.iter().copied().chain(["--check"]).collect();
    let (code, _, err) = run(&dir, &check);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("is up to date (7 files)"), "{err}");

    std::fs::write(
        &module,
        text.replacen("pub struct Widget {", "pub struct Widgte {", 1),
    )
    .unwrap();
    std::fs::remove_file(dir.join("out/tools/v1alpha1.rs")).unwrap();
    let (code, _, err) = run(&dir, &check);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("changed: out/example/v1.rs (+1 -1 lines)"),
        "{err}"
    );
    assert!(err.contains("missing: out/tools/v1alpha1.rs"), "{err}");
    assert!(err.contains("output is stale (2 files differ)"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_broken_input_exits_2_naming_file_and_line_and_writes_nothing() {
    let dir = project("broken");
    std::fs::write(
        dir.join("crds/gadgets.yaml"),
        CRD.replace("    storage: true\n", ""),
    )
    .unwrap();
    std::fs::write(
        dir.join("crds/widgets.yaml"),
        CRD.replace("          openAPIV3Schema:", "          openAPIV3Schem:")
            .replace("      openAPIV3Schema:", "      noSchema:"),
    )
    .unwrap();
    let (code, _, err) = run(&dir, GENERATE);
    assert_eq!(code, 2, "{err}");
    // gadgets.yaml sorts first: its version (line 10) lacks `storage`.
    assert_eq!(
        err.trim(),
        "client-gen: crds/gadgets.yaml:10: CustomResourceDefinition widgets.example.com: version v1: `storage` (true or false) is required (at /spec/versions/0/storage)"
    );
    assert!(!dir.join("out").exists(), "nothing may be written");

    std::fs::write(
        dir.join("crds/gadgets.yaml"),
        CRD.replace("Widget", "Gadget")
            .replace("widgets", "gadgets"),
    )
    .unwrap();
    let (code, _, err) = run(&dir, GENERATE);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("crds/widgets.yaml:14: CustomResourceDefinition widgets.example.com: version v1 has no schema"),
        "{err}"
    );
    assert!(!dir.join("out").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_input_given_as_the_wrong_kind_is_named() {
    let dir = project("kind");
    let (code, _, err) = run(&dir, &["generate", "--crd", "api.yaml", "--out", "out"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("api.yaml:1: given as a CustomResourceDefinition (--crd), but it is an APIDescription (give it with --describe)"),
        "{err}"
    );
    let (code, _, err) = run(
        &dir,
        &["generate", "--crd", "nothing/*.yaml", "--out", "out"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("nothing/*.yaml: cannot read: the pattern matches no file"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn inspect_prints_groups_versions_resources_and_verbs() {
    let dir = project("inspect");
    let (code, out, err) = run(
        &dir,
        &["inspect", "crds/widgets.yaml", "api.yaml", "apis.json"],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "\
example.com
  v1 (storage)
    widgets Widget namespaced [get list watch create update patch apply delete deletecollection] status[get update patch apply] short: wd
      rust: example::v1::Widget, client WidgetClient: clientset.example_v1().widgets(namespace) or .widgets_all_namespaces()
      types: WidgetSpec
other.example.net
  v1
    bolts Bolt namespaced untyped [get list watch]
      rust: other::v1::Bolt, client BoltClient: clientset.other_v1().bolts(namespace) or .bolts_all_namespaces()
tools.example.org
  v1alpha1
    hammers Hammer cluster untyped [get list]
      rust: tools::v1alpha1::Hammer, client HammerClient: clientset.tools_v1alpha1().hammers()
3 groups, 3 resources, 5 types
"
    );
    let (code, out, _) = run(
        &dir,
        &[
            "inspect",
            "--crd",
            "crds/*.yaml",
            "--resource",
            "gadgets.example.com",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("gadgets Gadget") && !out.contains("widgets"),
        "{out}"
    );
    let (code, _, err) = run(&dir, &["inspect", "missing.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.yaml: cannot read"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn help_shows_every_input_and_examples_and_exits_0() {
    let dir = std::env::temp_dir();
    let (code, out, _) = run(&dir, &["--help"]);
    assert_eq!(code, 0);
    for needle in [
        "--openapi FILE",
        "--crd FILE",
        "--discovery FILE",
        "--describe FILE",
        "client-gen inspect",
        "--resource R",
        "exit codes: 0",
        "examples:",
    ] {
        assert!(out.contains(needle), "{needle} missing from --help");
    }
    let (code, _, err) = run(&dir, &["generate", "--crd"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("a value is required for '--crd <FILE>'"),
        "{err}"
    );
    let (code, _, err) = run(
        &dir,
        &[
            "generate",
            "--crd",
            "x.yaml",
            "--out",
            "o",
            "--resource",
            "a/b/c/d",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("allow-list entry \"a/b/c/d\""), "{err}");
}
