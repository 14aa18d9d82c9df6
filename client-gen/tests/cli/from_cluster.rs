//! `generate --from-cluster` against the fixture API server with a CRD created at run time:
//! the program's output is what the library makes of the same documents and of them saved as
//! files, and it is the checked-in `from_cluster/generated.rs`, compiled here
//! (`BLESS=1` rewrites it).

#[deny(warnings)]
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "from_cluster/generated.rs"]
mod generated;

use std::path::Path;
use std::process::Command;

use client_gen::input::Input;
use client_gen::settings::Layout;
use client_gen::Settings;
use rest_core::discovery::DiscoveryClient;
use rest_core::{Config, RestClient};

fn widgets_crd() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/project/crds/widgets.yaml");
    client_gen::input::read_file(&path).unwrap().remove(0).json
}

#[tokio::test]
async fn from_cluster_generates_what_the_saved_documents_generate() {
    let server = fixtures::ApiServer::builder()
        .crd(widgets_crd())
        .start()
        .await;
    let dir = std::env::temp_dir().join(format!("client-gen-from-cluster-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let kubeconfig = dir.join("kubeconfig");
    server.write_kubeconfig(&kubeconfig).unwrap();

    let out = dir.join("out");
    let mut command = Command::new(env!("CARGO_BIN_EXE_client-gen"));
    command
        .args(["generate", "--from-cluster", "--kubeconfig"])
        .arg(&kubeconfig)
        .args(["--group", "example.com", "--single-file", "--out"])
        .arg(&out);
    // Off the runtime's thread: the server answers the program from it.
    let program = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    let stderr = String::from_utf8_lossy(&program.stderr);
    assert_eq!(program.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("from the cluster"), "{stderr}");
    let written = std::fs::read_to_string(out.join("generated.rs")).unwrap();
    assert!(written.contains("pub struct Widget"), "{written}");
    assert!(written.contains("fn update_status"), "{written}");

    // The library, on the same documents and on them saved as files.
    let client = RestClient::for_config(&Config::new(server.url())).unwrap();
    let docs = client_gen::cluster::fetch_with(&DiscoveryClient::new(client))
        .await
        .unwrap();
    let mut settings = Settings {
        layout: Layout::SingleFile,
        ..Settings::default()
    };
    settings.select.entries = vec![client_gen::select::Entry::group("example.com")];
    let fetched = client_gen::generate(&docs, &settings).unwrap();
    let saved = dir.join("saved");
    client_gen::cluster::save(&docs, &saved).unwrap();
    let input = Input {
        pattern: format!("{}/*.json", saved.display()),
        format: None,
    };
    let read = client_gen::input::read_inputs(&[input]).unwrap();
    assert_eq!(
        client_gen::generate(&read.documents, &settings).unwrap(),
        fetched
    );
    let header = &settings.header;
    assert!(fetched.drift(&out, header).is_empty());

    let checked_in =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/from_cluster/generated.rs");
    let text = &fetched.files[Path::new("generated.rs")];
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&checked_in, text).unwrap();
    }
    assert!(
        std::fs::read_to_string(&checked_in).unwrap() == *text,
        "tests/cli/from_cluster/generated.rs is stale; if intended: BLESS=1 cargo test -p client-gen --test cli from_cluster"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_checked_in_client_is_a_typed_widget_client() {
    let widget: generated::example::v1::Widget = serde_json::from_value(
        serde_json::json!({"apiVersion": "example.com/v1", "kind": "Widget",
            "metadata": {"name": "w"}, "spec": {"size": 3}}),
    )
    .unwrap();
    assert_eq!(widget.metadata.name.as_deref(), Some("w"));
}
