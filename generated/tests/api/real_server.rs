//! The clientset in protobuf against a real kube-apiserver (`../shared/tools` with etcd, or
//! `KUBEBUILDER_ASSETS`), where one is present: the same verbs as against the fixture server,
//! each answer decoded from the real server's protobuf. Skips, loudly, without the binaries.
#![cfg(feature = "protobuf")]

// The differential harness's starter, shared (its kubeconfig() is for kubectl, unused here).
#[allow(dead_code)]
#[path = "../../../fixtures/tests/differential/real.rs"]
mod real;

use generated::Clientset;
use rest_core::meta::{CreateOptions, DeleteOptions};
use rest_core::{Config, Secret};

#[tokio::test]
async fn the_clientset_speaks_protobuf_with_a_real_api_server() {
    let dir = std::env::temp_dir().join(format!("krest-generated-real-{}", std::process::id()));
    let server = match real::RealServer::start(&dir).await {
        Ok(s) => s,
        Err(why) => {
            eprintln!(
                "\n*** SKIPPED the_clientset_speaks_protobuf_with_a_real_api_server: {why} ***\n"
            );
            return;
        }
    };
    let mut config = Config::new(server.url.clone());
    config.credentials.bearer_token = Some(Secret::new(server.token.clone()));
    // The real server's certificate is self-signed for this run.
    config.tls.insecure_skip_tls_verify = true;
    config.qps = 0.0;
    assert!(config.protobuf);
    let cs = Clientset::for_config(&config).unwrap();

    crate::protobuf_mode::config_map_verbs(&cs.core_v1().config_maps("default")).await;

    // A kind with nested messages, quantities and int-or-strings, defaulted by the server.
    let deployment = crate::clientset::deployment("web", 2);
    let deployments = cs.apps_v1().deployments("default");
    let created = deployments
        .create(&deployment, &CreateOptions::default())
        .await
        .unwrap();
    let spec = created.spec.as_deref().unwrap();
    assert_eq!(spec.replicas, Some(2));
    let strategy = spec.strategy.as_ref().unwrap();
    assert_eq!(
        strategy.type_.as_deref(),
        Some("RollingUpdate"),
        "defaulted there"
    );
    deployments
        .delete("web", &DeleteOptions::default())
        .await
        .unwrap();
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
