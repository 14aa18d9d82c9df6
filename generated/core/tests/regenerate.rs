//! The checked-in sources are exactly what client-gen makes of the core group of
//! `fixtures/openapi/` (with authentication, autoscaling and policy, which its clients use)
//! today: regenerated in memory, compared byte for byte (files and the manifest's features).

use std::path::Path;

use client_gen::output::splice_features;
use client_gen::select::Entry;
use client_gen::{ProtoInput, Settings};

const REGENERATE: &str = "cargo run -p client-gen -- generate \
    --openapi fixtures/openapi/kubernetes-swagger.json --group core,authentication.k8s.io,autoscaling,policy \
    --out generated/core/src --feature-gates --rustfmt-skip --compact-serde --manifest generated/core/Cargo.toml \
    --proto fixtures/protobuf/proto --go-pointers fixtures/protobuf/go-pointers.txt";

fn settings() -> Settings {
    let mut settings = Settings::crate_tree();
    settings.select.entries = ["core", "authentication.k8s.io", "autoscaling", "policy"]
        .iter()
        .map(|g| Entry::group(g))
        .collect();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/protobuf");
    settings.proto = Some(ProtoInput {
        root: fixtures.join("proto"),
        go_pointers: Some(fixtures.join("go-pointers.txt")),
    });
    settings
}

fn generate(root: &Path, settings: &Settings) -> client_gen::Output {
    let swagger = root.join("../../fixtures/openapi/kubernetes-swagger.json");
    client_gen::generate_files(&[swagger.as_path()], settings).unwrap()
}

#[test]
fn checked_in_sources_match_a_fresh_generation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let settings = settings();
    let output = generate(root, &settings);

    let drift = output.drift(&root.join("src"), &settings.header);
    assert!(
        drift.is_empty(),
        "generated/core/src differs from the generator's output: changed {:?}, stale {:?}.\nRegenerate with: {REGENERATE}",
        drift.changed,
        drift.stale
    );

    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let expected = splice_features(&manifest, &output.features_block(&[]))
        .expect("generated/core/Cargo.toml keeps the client-gen feature markers");
    assert!(
        manifest == expected,
        "generated/core/Cargo.toml's [features] differ from the generator's.\nRegenerate with: {REGENERATE}"
    );
}

#[test]
fn generation_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let settings = settings();
    assert_eq!(generate(root, &settings), generate(root, &settings));
}
