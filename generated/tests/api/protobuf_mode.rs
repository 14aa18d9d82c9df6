//! The clientset in protobuf, as client-go talks, against the fixture server (which answers
//! protobuf through the same codecs): every verb's bytes are protobuf both ways, and a client
//! switched to JSON really sends and asks for JSON.
#![cfg(feature = "protobuf")]

use futures::StreamExt;
use generated::core::v1::{ConfigMap, ConfigMapClient};
use generated::Clientset;
use rest_core::meta::{
    CreateOptions, DeleteOptions, GetOptions, ListOptions, ObjectMeta, UpdateOptions, WatchEvent,
};
use rest_core::Config;

const PROTOBUF: &str = "application/vnd.kubernetes.protobuf";

fn clientset(server: &fixtures::ApiServer, protobuf: bool) -> Clientset {
    let mut config = Config::new(server.url());
    config.qps = 0.0;
    config.protobuf = protobuf;
    Clientset::for_config(&config).unwrap()
}

fn config_map(name: &str, value: &str) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            ..ObjectMeta::default()
        },
        data: Some([("k".to_owned(), value.to_owned())].into()),
        ..ConfigMap::default()
    }
}

/// Create, watch, get, update (seen by the watch), list, a 404 and delete of a ConfigMap
/// `pb`: what both servers are asked in protobuf (here and in real_server.rs).
pub async fn config_map_verbs(cms: &ConfigMapClient) {
    let created = cms
        .create(&config_map("pb", "one"), &CreateOptions::default())
        .await
        .unwrap();
    assert_eq!(created.data.as_ref().unwrap()["k"], "one");
    assert!(created.metadata.uid.is_some(), "the server's fields decode");
    let mut watch = cms
        .watch(&ListOptions {
            resource_version: created.metadata.resource_version.clone(),
            ..ListOptions::default()
        })
        .await
        .unwrap();
    let mut updated = cms.get("pb", &GetOptions::default()).await.unwrap();
    assert_eq!(updated, created);
    updated.data = Some([("k".to_owned(), "two".to_owned())].into());
    cms.update(&updated, &UpdateOptions::default())
        .await
        .unwrap();
    match watch.next().await.unwrap().unwrap() {
        WatchEvent::Modified(cm) => assert_eq!(cm.data.unwrap()["k"], "two"),
        other => panic!("expected the update, got {other:?}"),
    }
    let names: Vec<_> = cms
        .list(&ListOptions::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|c| c.metadata.name)
        .collect();
    assert!(names.contains(&"pb".to_owned()), "{names:?}");
    let missing = cms.get("nope", &GetOptions::default()).await.unwrap_err();
    assert_eq!(
        missing.status().and_then(|s| s.code),
        Some(404),
        "{missing}"
    );
    cms.delete("pb", &DeleteOptions::default()).await.unwrap();
}

#[tokio::test]
async fn every_verb_speaks_protobuf_to_the_fixture_server() {
    let server = fixtures::ApiServer::start().await;
    config_map_verbs(&clientset(&server, true).core_v1().config_maps("default")).await;

    let requests = server.requests();
    let sent = |method: &str| {
        requests
            .iter()
            .filter(|r| r.method == method && r.path.contains("/configmaps"))
            .collect::<Vec<_>>()
    };
    for r in sent("POST").iter().chain(&sent("PUT")) {
        assert_eq!(
            r.header("content-type"),
            Some(PROTOBUF),
            "{} {}",
            r.method,
            r.path
        );
        assert!(r.body.starts_with(b"k8s\0"));
    }
    for r in sent("GET") {
        let accept = r.header("accept").unwrap_or("");
        assert!(
            accept.starts_with(PROTOBUF),
            "{} asks for {accept:?}",
            r.path
        );
    }
    assert_eq!(sent("GET").len(), 4, "get, watch, list, the 404");
}

#[tokio::test]
async fn a_client_switched_to_json_sends_and_asks_for_json() {
    let server = fixtures::ApiServer::start().await;
    let cms = clientset(&server, false).core_v1().config_maps("default");
    cms.create(&config_map("js", "one"), &CreateOptions::default())
        .await
        .unwrap();
    cms.get("js", &GetOptions::default()).await.unwrap();
    for r in server
        .requests()
        .iter()
        .filter(|r| r.path.contains("/configmaps"))
    {
        let accept = r.header("accept").unwrap_or("");
        assert!(
            !accept.contains("protobuf"),
            "{} asks for {accept:?}",
            r.path
        );
        if r.method == "POST" {
            assert_eq!(r.header("content-type"), Some("application/json"));
        }
    }
}
