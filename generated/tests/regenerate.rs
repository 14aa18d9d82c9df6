//! The checked-in sources are exactly what client-gen makes of `fixtures/openapi/` today:
//! regenerated in memory, compared byte for byte (files and the manifest's features).

use std::path::Path;

use client_gen::output::splice_features;
use client_gen::Settings;

const REGENERATE: &str = "cargo run -p client-gen -- generate \
    --openapi fixtures/openapi/kubernetes-swagger.json --out generated/src \
    --feature-gates --rustfmt-skip --compact-serde --manifest generated/Cargo.toml --default-features core,apps";

#[test]
fn checked_in_sources_match_a_fresh_generation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = root.join("../fixtures/openapi/kubernetes-swagger.json");
    let settings = Settings::crate_tree();
    let output = client_gen::generate_files(&[&spec], &settings).unwrap();

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
    let spec = root.join("../fixtures/openapi/kubernetes-swagger.json");
    let settings = Settings::crate_tree();
    let first = client_gen::generate_files(&[&spec], &settings).unwrap();
    let second = client_gen::generate_files(&[&spec], &settings).unwrap();
    assert_eq!(first, second);
}
