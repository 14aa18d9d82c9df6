//! `DiscoveryClient` and `CachedDiscoveryClient` against the fixture API server: built-ins
//! from aggregated discovery and from the legacy documents, a CRD coming and going, a broken
//! group/version, and the memory and disk caches.

use std::time::Duration;

use crate::support::{client, widgets};
use fixtures::{ApiServer, Fault};
use rest_core::discovery::{ApiResource, CachedDiscoveryClient, Discovery, DiscoveryClient};
use rest_core::{Error, GroupVersion};

fn find<'a>(discovery: &'a Discovery, group: &str, plural: &str) -> Option<&'a ApiResource> {
    discovery
        .resources()
        .find(|r| r.group == group && r.plural == plural)
}

fn discovery_paths(server: &ApiServer) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| p == "/api" || p.starts_with("/api/") || p.starts_with("/apis"))
        .collect()
}

/// What both forms of discovery must say about the built-ins.
fn assert_built_ins(discovery: &Discovery) {
    assert_eq!(discovery.groups[0].name, "", "the core group comes first");
    assert_eq!(discovery.groups[0].preferred_version, "v1");
    let apps = discovery.group("apps").expect("apps");
    assert_eq!(apps.preferred_version, "v1");
    let deployments = find(discovery, "apps", "deployments").expect("deployments");
    assert_eq!(deployments.kind, "Deployment");
    assert_eq!(deployments.singular, "deployment");
    assert!(deployments.namespaced);
    assert_eq!(deployments.short_names, ["deploy"]);
    assert_eq!(deployments.categories, ["all"]);
    for verb in [
        "get",
        "list",
        "watch",
        "create",
        "update",
        "patch",
        "delete",
        "deletecollection",
    ] {
        assert!(deployments.supports(verb), "{verb}");
    }
    let scale = deployments.subresource("scale").expect("deployments/scale");
    assert_eq!(scale.kind.api_version(), "autoscaling/v1");
    assert_eq!(scale.kind.kind, "Scale");
    assert_eq!(
        deployments.subresource("status").unwrap().kind.kind,
        "Deployment"
    );
    let pods = find(discovery, "", "pods").expect("pods");
    assert_eq!(pods.short_names, ["po"]);
    assert!(pods.subresource("log").is_some());
    let namespaces = find(discovery, "", "namespaces").expect("namespaces");
    assert!(!namespaces.namespaced);
    assert!(discovery.failed.is_empty(), "{:?}", discovery.failed);
    discovery.check().unwrap();
}

#[tokio::test]
async fn aggregated_discovery_describes_the_built_ins_in_two_requests() {
    let server = ApiServer::start().await;
    let discovery = DiscoveryClient::new(client(&server));
    let version = discovery.server_version().await.unwrap();
    assert_eq!(
        (version.major.as_str(), version.minor.as_str()),
        ("1", "32")
    );
    server.clear_requests();
    let found = discovery.discover().await.unwrap();
    assert_built_ins(&found);
    let mut paths = discovery_paths(&server);
    paths.sort();
    assert_eq!(paths, ["/api", "/apis"]);
    for request in server.requests() {
        let accept = request.header("accept").unwrap_or("");
        assert!(
            accept.starts_with(
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
            ),
            "{accept}"
        );
    }
    let groups = discovery.server_groups().await.unwrap();
    assert_eq!(groups[0].name, "");
    let apps = groups.iter().find(|g| g.name == "apps").unwrap();
    assert_eq!(
        apps.preferred_version.as_ref().unwrap().group_version,
        "apps/v1"
    );
    let apps_v1 = discovery
        .server_resources_for_group_version(&GroupVersion::new("apps", "v1"))
        .await
        .unwrap();
    assert_eq!(
        Some(
            &apps_v1
                .iter()
                .find(|r| r.plural == "deployments")
                .unwrap()
                .clone()
        ),
        find(&found, "apps", "deployments")
    );
}

#[tokio::test]
async fn a_server_without_aggregated_discovery_is_read_from_the_legacy_documents() {
    let server = ApiServer::builder().legacy_discovery_only().start().await;
    let found = DiscoveryClient::new(client(&server))
        .discover()
        .await
        .unwrap();
    assert_built_ins(&found);
    let paths = discovery_paths(&server);
    assert!(paths.contains(&"/api/v1".to_owned()), "{paths:?}");
    assert!(paths.contains(&"/apis/apps/v1".to_owned()), "{paths:?}");
    // The same resources as aggregated discovery finds, whichever documents they came from.
    let aggregated = ApiServer::start().await;
    let other = DiscoveryClient::new(client(&aggregated))
        .discover()
        .await
        .unwrap();
    let sorted = |d: &Discovery| {
        let mut all: Vec<ApiResource> = d.resources().cloned().collect();
        for r in &mut all {
            r.subresources.sort_by(|a, b| a.name.cmp(&b.name));
        }
        all.sort_by(|a, b| {
            (&a.group, &a.version, &a.plural).cmp(&(&b.group, &b.version, &b.plural))
        });
        all
    };
    assert_eq!(sorted(&found), sorted(&other));
}

#[tokio::test]
async fn a_failing_group_version_is_named_and_the_others_are_still_returned() {
    for legacy in [false, true] {
        let builder = ApiServer::builder();
        let server = if legacy {
            builder.legacy_discovery_only()
        } else {
            builder
        }
        .start()
        .await;
        server.inject(Fault::status(503).on("GET", "/apis/batch/v1").always());
        let found = DiscoveryClient::new(client(&server))
            .discover()
            .await
            .unwrap();
        assert_eq!(found.failed.len(), 1, "{:?}", found.failed);
        assert_eq!(found.failed[0].group_version, "batch/v1");
        assert!(find(&found, "batch", "jobs").is_none());
        assert!(find(&found, "apps", "deployments").is_some());
        assert!(find(&found, "", "pods").is_some());
        let err = found.check().unwrap_err();
        assert!(matches!(err, Error::GroupDiscoveryFailed { .. }));
        let message = err.to_string();
        assert!(
            message.starts_with("unable to retrieve the complete list of server APIs: batch/v1: "),
            "{message}"
        );
        if legacy {
            assert!(message.contains("503"), "{message}");
        } else {
            assert!(
                message.contains("stale GroupVersion discovery: batch/v1"),
                "{message}"
            );
        }
    }
}

#[tokio::test]
async fn discovery_fails_as_a_whole_only_when_the_root_documents_fail() {
    let server = ApiServer::start().await;
    server.inject(Fault::status(500).on("GET", "/apis").always());
    let err = DiscoveryClient::new(client(&server))
        .discover()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("/apis"), "{err}");
}

#[tokio::test]
async fn a_crd_appears_and_disappears_through_the_cached_client() {
    let server = ApiServer::start().await;
    let cached = CachedDiscoveryClient::new(DiscoveryClient::new(client(&server)));
    let before = cached.discovery().await.unwrap();
    assert!(find(&before, "example.com", "widgets").is_none());
    server.create(widgets()).unwrap();
    // Kept in memory: the new CRD is not seen, and nothing is asked.
    server.clear_requests();
    let kept = cached.discovery().await.unwrap();
    assert!(find(&kept, "example.com", "widgets").is_none());
    assert!(discovery_paths(&server).is_empty());
    // A mapping miss refreshes, as kubectl does.
    let widgets = cached.resource_for("wd").await.unwrap();
    assert_eq!(
        (widgets.group.as_str(), widgets.plural.as_str()),
        ("example.com", "widgets")
    );
    assert!(find(&cached.discovery().await.unwrap(), "example.com", "widgets").is_some());
    // Deleted: still cached until invalidated, then gone.
    let resp = client(&server)
        .delete()
        .abs_path("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com")
        .send()
        .await;
    assert!(resp.error().is_none(), "{:?}", resp.error());
    assert!(find(&cached.discovery().await.unwrap(), "example.com", "widgets").is_some());
    cached.invalidate();
    let after = cached.discovery().await.unwrap();
    assert!(find(&after, "example.com", "widgets").is_none());
    let err = cached.resource_for("wd").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server doesn't have a resource type \"wd\""
    );
}

#[tokio::test]
async fn a_partial_discovery_is_not_kept() {
    let server = ApiServer::start().await;
    server.inject(Fault::status(503).on("GET", "/apis/batch/v1").times(1));
    let cached = CachedDiscoveryClient::new(DiscoveryClient::new(client(&server)));
    assert_eq!(cached.discovery().await.unwrap().failed.len(), 1);
    // Not kept: once the group/version recovers, the next call asks again and sees it.
    server.clear_faults();
    let again = cached.discovery().await.unwrap();
    assert!(again.failed.is_empty());
    assert!(find(&again, "batch", "jobs").is_some());
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("discovery-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn the_disk_cache_serves_a_second_client_until_its_ttl_passes() {
    let server = ApiServer::start().await;
    let dir = temp_dir("disk");
    let first = CachedDiscoveryClient::new(DiscoveryClient::new(client(&server)))
        .with_disk_cache(&dir, Duration::from_secs(3600));
    let found = first.discovery().await.unwrap();
    let file = first.disk_cache_file().unwrap();
    assert_eq!(
        file,
        dir.join(format!("127.0.0.1_{}", server.addr().port()))
            .join("krest-discovery.json")
    );
    assert!(file.exists());
    server.clear_requests();
    let second = CachedDiscoveryClient::new(DiscoveryClient::new(client(&server)))
        .with_disk_cache(&dir, Duration::from_secs(3600));
    assert_eq!(*second.discovery().await.unwrap(), *found);
    assert!(
        discovery_paths(&server).is_empty(),
        "read from disk, not the server"
    );
    // A TTL of zero: the file is too old at once, the server is asked.
    let expired = CachedDiscoveryClient::new(DiscoveryClient::new(client(&server)))
        .with_disk_cache(&dir, Duration::ZERO);
    expired.discovery().await.unwrap();
    assert!(!discovery_paths(&server).is_empty());
    // An unreadable file is ignored, and replaced.
    std::fs::write(&file, b"{not json").unwrap();
    server.clear_requests();
    let third = CachedDiscoveryClient::new(DiscoveryClient::new(client(&server)))
        .with_disk_cache(&dir, Duration::from_secs(3600));
    assert_eq!(*third.discovery().await.unwrap(), *found);
    assert!(!discovery_paths(&server).is_empty());
    assert!(serde_json::from_slice::<serde_json::Value>(&std::fs::read(&file).unwrap()).is_ok());
    third.invalidate();
    assert!(!file.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
