//! The checked-in sources are exactly what client-gen makes of `fixtures/openapi/` today:
//! regenerated in memory, compared byte for byte (files and the manifest's features). The core
//! group and the three its clients use are `generated-core`'s (`generated/core/`), re-exported
//! here; it and the CRD clientsets (`generated/crds/`) have the same test of their own.

use std::path::Path;

use client_gen::output::splice_features;
use client_gen::{ExternGroup, ProtoInput, Settings};

const REGENERATE: &str = "cargo run -p client-gen -- generate \
    --openapi fixtures/openapi/kubernetes-swagger.json --out generated/src \
    --reexport-group core=generated_core::core,authentication.k8s.io=generated_core::authentication,\
autoscaling=generated_core::autoscaling,policy=generated_core::policy \
    --feature-gates --rustfmt-skip --compact-serde --manifest generated/Cargo.toml --default-features core,apps \
    --proto fixtures/protobuf/proto --go-pointers fixtures/protobuf/go-pointers.txt";

/// `generated-core`'s groups, re-exported under their module names.
const CORE_GROUPS: [(&str, &str); 4] = [
    ("core", "core"),
    ("authentication.k8s.io", "authentication"),
    ("autoscaling", "autoscaling"),
    ("policy", "policy"),
];

fn settings() -> Settings {
    let extern_groups = CORE_GROUPS
        .iter()
        .map(|(group, module)| ExternGroup::reexported(group, &format!("generated_core::{module}")))
        .collect();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/protobuf");
    Settings {
        extern_groups,
        proto: Some(ProtoInput {
            root: fixtures.join("proto"),
            go_pointers: Some(fixtures.join("go-pointers.txt")),
        }),
        ..Settings::crate_tree()
    }
}

#[test]
fn checked_in_sources_match_a_fresh_generation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let settings = settings();
    let output = generate(root, &settings);

    let drift = output.drift(&root.join("src"), &settings.header);
    assert!(
        drift.is_empty(),
        "generated/src differs from the generator's output: changed {:?}, stale {:?}.\nRegenerate with: {REGENERATE}",
        drift.changed,
        drift.stale
    );

    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let expected = splice_features(&manifest, &output.features_block(&["core", "apps"]))
        .expect("generated/Cargo.toml keeps the client-gen feature markers");
    assert!(
        manifest == expected,
        "generated/Cargo.toml's [features] differ from the generator's.\nRegenerate with: {REGENERATE}"
    );
}

#[test]
fn generation_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let settings = settings();
    let first = generate(root, &settings);
    let second = generate(root, &settings);
    assert_eq!(first, second);
}

/// Generates from the Kubernetes API.
fn generate(root: &Path, settings: &Settings) -> client_gen::Output {
    let swagger = root.join("../fixtures/openapi/kubernetes-swagger.json");
    client_gen::generate_files(&[swagger.as_path()], settings).unwrap()
}
