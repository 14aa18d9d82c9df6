//! `--from-cluster` against the fixture API server, which serves the documents `generated/`
//! is made from (without what a real server adds to them: `openapi_as_files`): its output
//! is the checked-in sources byte for byte (`generated/src` and `generated/core/src`, with
//! their settings), and the documents saved as files give it too.

use std::path::{Path, PathBuf};

use client_gen::select::Entry;
use client_gen::{Document, ExternGroup, ProtoInput, Settings};
use rest_core::discovery::DiscoveryClient;
use rest_core::{Config, RestClient};

/// The protobuf input both trees are generated with (their regenerate tests' `--proto`).
fn proto() -> Option<ProtoInput> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/protobuf");
    Some(ProtoInput {
        root: fixtures.join("proto"),
        go_pointers: Some(fixtures.join("go-pointers.txt")),
    })
}

/// `generated/src`'s settings (tests/regenerate.rs): the core groups are `generated-core`'s.
fn generated_settings() -> Settings {
    let extern_groups = [
        ("core", "core"),
        ("authentication.k8s.io", "authentication"),
        ("autoscaling", "autoscaling"),
        ("policy", "policy"),
    ]
    .iter()
    .map(|(group, module)| ExternGroup::reexported(group, &format!("generated_core::{module}")))
    .collect();
    Settings {
        extern_groups,
        proto: proto(),
        ..Settings::crate_tree()
    }
}

/// `generated/core/src`'s settings (core/tests/regenerate.rs): four groups selected.
fn core_settings() -> Settings {
    let mut settings = Settings::crate_tree();
    settings.select.entries = ["core", "authentication.k8s.io", "autoscaling", "policy"]
        .iter()
        .map(|g| Entry::group(g))
        .collect();
    settings.proto = proto();
    settings
}

async fn fetch(server: &fixtures::ApiServer) -> Vec<Document> {
    let client = RestClient::for_config(&Config::new(server.url())).unwrap();
    client_gen::cluster::fetch_with(&DiscoveryClient::new(client))
        .await
        .unwrap()
}

fn assert_no_drift(output: &client_gen::Output, dir: &Path, settings: &Settings) {
    let drift = output.drift(dir, &settings.header);
    assert!(
        drift.is_empty(),
        "--from-cluster differs from {}: changed {:?}, stale {:?}",
        dir.display(),
        drift.changed,
        drift.stale
    );
}

#[tokio::test]
async fn from_cluster_gives_the_checked_in_sources_and_the_saved_documents_do_too() {
    let server = fixtures::ApiServer::builder()
        .openapi_as_files()
        .start()
        .await;
    let docs = fetch(&server).await;
    // Discovery, and one v3 document per group/version (the server has v3).
    assert!(docs[0].file.ends_with("/api"), "{}", docs[0].file);
    assert!(docs
        .iter()
        .any(|d| d.file.contains("/openapi/v3/apis/apps/v1?hash=")));
    assert!(!docs.iter().any(|d| d.file.ends_with("/openapi/v2")));

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let settings = generated_settings();
    let output = client_gen::generate(&docs, &settings).unwrap();
    assert_no_drift(&output, &root.join("src"), &settings);
    let core = core_settings();
    let core_output = client_gen::generate(&docs, &core).unwrap();
    assert_no_drift(&core_output, &root.join("core/src"), &core);

    let dir = scratch("saved");
    let written = client_gen::cluster::save(&docs, &dir).unwrap();
    assert!(written
        .iter()
        .any(|p| p.ends_with("openapi-v3-apis-apps-v1.json")));
    let pattern = format!("{}/*.json", dir.display());
    let input = client_gen::input::Input {
        pattern,
        format: None,
    };
    let read = client_gen::input::read_inputs(&[input]).unwrap();
    assert_eq!(read.files.len(), docs.len());
    assert_eq!(
        client_gen::generate(&read.documents, &settings).unwrap(),
        output
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A directory of this test's own under the system's temp dir, empty.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "generated-from-cluster-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn a_server_without_openapi_v3_is_read_through_v2_to_the_same_sources() {
    let server = fixtures::ApiServer::builder()
        .openapi_as_files()
        .start()
        .await;
    server.inject(fixtures::Fault::status(404).on("GET", "/openapi/v3"));
    let docs = fetch(&server).await;
    assert!(docs.iter().any(|d| d.file.ends_with("/openapi/v2")));
    assert!(!docs.iter().any(|d| d.file.contains("/openapi/v3")));
    let settings = generated_settings();
    let output = client_gen::generate(&docs, &settings).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_no_drift(&output, &root.join("src"), &settings);
}

#[tokio::test]
async fn a_server_without_openapi_gets_an_error_naming_both_urls() {
    let server = fixtures::ApiServer::builder()
        .openapi_as_files()
        .start()
        .await;
    server.inject(fixtures::Fault::status(404).on("GET", "/openapi/v3"));
    server.inject(fixtures::Fault::status(404).on("GET", "/openapi/v2"));
    let client = RestClient::for_config(&Config::new(server.url())).unwrap();
    let err = client_gen::cluster::fetch_with(&DiscoveryClient::new(client))
        .await
        .unwrap_err()
        .to_string();
    let url = server.url();
    assert!(err.starts_with("--from-cluster: /openapi/v3 ("), "{err}");
    assert!(err.contains(&format!("{url}/openapi/v3")), "{err}");
    assert!(err.contains(&format!("{url}/openapi/v2")), "{err}");
    assert!(err.contains("404"), "{err}");
}
