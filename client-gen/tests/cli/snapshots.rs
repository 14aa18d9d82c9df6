//! What the program prints, exactly, for every subcommand, usage error and suggestion:
//! `snapshots/<case>.txt` holds the command, exit code, stdout and stderr; `BLESS=1` rewrites.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Each case runs in a fresh copy of `project/` (two CRDs, a description, a discovery
/// document), one after the other when a case builds on the one before (`--check`).
const CASES: &[(&str, &[&str])] = &[
    ("no-arguments", &[]),
    ("help", &["--help"]),
    ("help-generate", &["generate", "--help"]),
    ("help-inspect", &["inspect", "--help"]),
    ("help-subcommand", &["help", "completions"]),
    ("unknown-subcommand", &["frobnicate"]),
    ("misspelt-subcommand", &["generat", "--crd", "crds/*.yaml"]),
    (
        "misspelt-flag",
        &["generate", "--crdd", "crds/*.yaml", "--out", "out"],
    ),
    ("flag-without-value", &["generate", "--crd"]),
    ("generate-without-inputs", &["generate", "--out", "out"]),
    (
        "kubeconfig-without-from-cluster",
        &["generate", "--kubeconfig", "kubeconfig", "--out", "out"],
    ),
    (
        "from-cluster-missing-kubeconfig",
        &[
            "generate",
            "--from-cluster",
            "--kubeconfig",
            "missing.yaml",
            "--out",
            "out",
        ],
    ),
    (
        "generate-without-out",
        &["generate", "--crd", "crds/*.yaml"],
    ),
    (
        "generate-positional",
        &["generate", "api.yaml", "--out", "out"],
    ),
    (
        "inspect-with-generate-flag",
        &["inspect", "api.yaml", "--check"],
    ),
    ("inspect-without-inputs", &["inspect"]),
    (
        "inspect",
        &["inspect", "crds/widgets.yaml", "api.yaml", "apis.json"],
    ),
    ("inspect-one-of-each", &["inspect", "crds/widgets.yaml"]),
    // The worked example of the README's "Rust names".
    ("inspect-naming", &["inspect", "naming/widgets.yaml"]),
    ("inspect-missing-file", &["inspect", "missing.yaml"]),
    ("inspect-wrong-kind", &["inspect", "--crd", "api.yaml"]),
    (
        "unknown-group",
        &["inspect", "crds/*.yaml", "--group", "exmaple.com"],
    ),
    (
        "unknown-version",
        &["inspect", "crds/*.yaml", "--version", "example.com/v2"],
    ),
    (
        "unknown-plural",
        &["inspect", "crds/*.yaml", "--resource", "gadget"],
    ),
    (
        "unknown-plural-in-group",
        &["inspect", "crds/*.yaml", "--resource", "gizmos.example.com"],
    ),
    (
        "bad-allow-list-entry",
        &["inspect", "crds/*.yaml", "--resource", "a/b/c/d"],
    ),
    (
        "bad-extern-group",
        &[
            "generate",
            "--crd",
            "crds/*.yaml",
            "--out",
            "out",
            "--extern-group",
            "autoscaling",
        ],
    ),
    (
        "generate-one-input",
        &["generate", "--crd", "crds/widgets.yaml", "--out", "out"],
    ),
    (
        "check-up-to-date",
        &[
            "generate",
            "--crd",
            "crds/widgets.yaml",
            "--out",
            "out",
            "--check",
        ],
    ),
    (
        "check-two-files-differ",
        &[
            "generate",
            "--crd",
            "crds/*.yaml",
            "--out",
            "out",
            "--check",
        ],
    ),
    ("completions-misspelt-shell", &["completions", "bsh"]),
    ("completions-fish", &["completions", "fish"]),
];

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The case as its snapshot: timings, which vary, as `N ms`.
fn render(args: &[&str], code: i32, stdout: &str, stderr: &str) -> String {
    let stderr = mask_millis(stderr);
    format!(
        "$ client-gen {}\nexit: {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        args.join(" ")
    )
}

fn mask_millis(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        match (line.find(" in "), line.find(" ms ")) {
            (Some(a), Some(b)) if a < b && line[a + 4..b].bytes().all(|c| c.is_ascii_digit()) => {
                out.push_str(&line[..a + 4]);
                out.push('N');
                out.push_str(&line[b..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

#[test]
fn every_case_prints_what_its_snapshot_says() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli");
    let dir: PathBuf =
        std::env::temp_dir().join(format!("client-gen-snapshots-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy(&here.join("project"), &dir);
    let bless = std::env::var_os("BLESS").is_some();
    let mut failed = Vec::new();
    for (name, args) in CASES {
        let out = Command::new(env!("CARGO_BIN_EXE_client-gen"))
            .current_dir(&dir)
            .args(*args)
            .output()
            .unwrap();
        let actual = render(
            args,
            out.status.code().unwrap_or(-1),
            &String::from_utf8_lossy(&out.stdout),
            &String::from_utf8_lossy(&out.stderr),
        );
        let path = here.join("snapshots").join(format!("{name}.txt"));
        if bless {
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != actual {
            failed.push(format!(
                "--- {} (expected)\n{expected}+++ actual\n{actual}",
                path.display()
            ));
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        failed.is_empty(),
        "{} of {} snapshots differ (BLESS=1 cargo test -p client-gen --test cli snapshots rewrites them):\n{}",
        failed.len(),
        CASES.len(),
        failed.join("\n")
    );
}
