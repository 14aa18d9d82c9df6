//! The checked-in sources are exactly what client-gen makes of `fixtures/crds/` today, with the
//! Kubernetes types they use (`autoscaling/v1` `Scale`) taken from `generated`: regenerated in
//! memory, compared byte for byte (files and the manifest's features).

use std::path::{Path, PathBuf};

use client_gen::output::splice_features;
use client_gen::{ExternGroup, Settings};

const REGENERATE: &str = "cargo run -p client-gen -- generate \
    --crd 'fixtures/crds/*.yaml' --extern-group autoscaling=generated::autoscaling \
    --out generated/crds/src --feature-gates --rustfmt-skip --compact-serde \
    --manifest generated/crds/Cargo.toml";

fn settings() -> Settings {
    Settings {
        extern_groups: vec![ExternGroup::new("autoscaling", "generated::autoscaling")],
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
        "generated/crds/src differs from the generator's output: changed {:?}, stale {:?}.\nRegenerate with: {REGENERATE}",
        drift.changed,
        drift.stale
    );

    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let expected = splice_features(&manifest, &output.features_block(&[]))
        .expect("generated/crds/Cargo.toml keeps the client-gen feature markers");
    assert!(
        manifest == expected,
        "generated/crds/Cargo.toml's [features] differ from the generator's.\nRegenerate with: {REGENERATE}"
    );
    // The one Kubernetes type they use is `generated`'s, not a copy.
    assert!(!output.files.keys().any(|f| f.starts_with("autoscaling")));
    assert_eq!(
        output.features["opentelemetry"],
        vec!["generated/autoscaling".to_owned()]
    );
}

#[test]
fn generation_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let settings = settings();
    assert_eq!(generate(root, &settings), generate(root, &settings));
}

/// Generates from every CRD of `fixtures/crds/`, in name order.
fn generate(root: &Path, settings: &Settings) -> client_gen::Output {
    let crds = root.join("../../fixtures/crds/*.yaml");
    let paths: Vec<PathBuf> =
        client_gen::input::paths::expand(&crds.display().to_string()).unwrap();
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    client_gen::generate_files(&paths, settings).unwrap()
}
