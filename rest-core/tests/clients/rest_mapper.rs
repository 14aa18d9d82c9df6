//! `RestMapper` on the fixture server's discovery: every form `kubectl get` accepts, CRD
//! short names and categories, preferred versions, ambiguity with its candidates.

use crate::support::{client, crd, widgets};
use fixtures::ApiServer;
use rest_core::discovery::DiscoveryClient;
use rest_core::{GroupVersionKind, GroupVersionResource, MappingError, RestMapper};

async fn mapper(server: &ApiServer) -> RestMapper {
    let discovery = DiscoveryClient::new(client(server))
        .discover()
        .await
        .unwrap();
    RestMapper::new(&discovery)
}

/// (group, version, plural) of what `arg` resolves to.
fn resolve(mapper: &RestMapper, arg: &str) -> (String, String, String) {
    let r = mapper
        .resource_for(arg)
        .unwrap_or_else(|e| panic!("{arg}: {e}"));
    (r.group, r.version, r.plural)
}

fn gvr(g: &str, v: &str, r: &str) -> (String, String, String) {
    (g.to_owned(), v.to_owned(), r.to_owned())
}

async fn server_with_crds() -> ApiServer {
    let server = ApiServer::start().await;
    server.create(widgets()).unwrap();
    // Versions v2 (preferred: listed first) and v1.
    server
        .create(crd(
            "example.com",
            "gadgets",
            "Gadget",
            &["gd", "dup"],
            &[],
            &["v2", "v1"],
        ))
        .unwrap();
    // The same short name in another group: `dup` is ambiguous.
    server
        .create(crd(
            "other.example.org",
            "gizmos",
            "Gizmo",
            &["dup"],
            &["all"],
            &["v1"],
        ))
        .unwrap();
    server
}

#[tokio::test]
async fn every_kubectl_form_of_a_built_in_resolves() {
    let server = server_with_crds().await;
    let mapper = mapper(&server).await;
    for arg in ["po", "pod", "pods", "Pod", "PODS"] {
        assert_eq!(resolve(&mapper, arg), gvr("", "v1", "pods"), "{arg}");
    }
    for arg in [
        "deploy",
        "deployment",
        "deployments",
        "Deployment",
        "deployments.apps",
        "deployments.v1.apps",
        "deploy.apps",
        "Deployment.apps",
        "Deployment.v1.apps",
    ] {
        assert_eq!(
            resolve(&mapper, arg),
            gvr("apps", "v1", "deployments"),
            "{arg}"
        );
    }
    // In the core group and in events.k8s.io: the core group comes first, as in kubectl.
    assert_eq!(resolve(&mapper, "events"), gvr("", "v1", "events"));
    assert_eq!(
        resolve(&mapper, "events.events.k8s.io"),
        gvr("events.k8s.io", "v1", "events")
    );
    assert_eq!(resolve(&mapper, "ns"), gvr("", "v1", "namespaces"));
    let err = mapper.resource_for("deployments.v2.apps").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the server doesn't have a resource type \"deployments.v2.apps\""
    );
    assert!(matches!(
        mapper.resource_for("nothing"),
        Err(MappingError::NotFound { .. })
    ));
}

#[tokio::test]
async fn a_crds_names_short_names_and_versions_resolve() {
    let server = server_with_crds().await;
    let mapper = mapper(&server).await;
    for arg in [
        "wd",
        "widget",
        "widgets",
        "Widget",
        "widgets.example.com",
        "widgets.v1.example.com",
    ] {
        assert_eq!(
            resolve(&mapper, arg),
            gvr("example.com", "v1", "widgets"),
            "{arg}"
        );
    }
    // The preferred version unless one is named.
    assert_eq!(
        resolve(&mapper, "gadgets"),
        gvr("example.com", "v2", "gadgets")
    );
    assert_eq!(resolve(&mapper, "gd"), gvr("example.com", "v2", "gadgets"));
    assert_eq!(
        resolve(&mapper, "gadgets.v1.example.com"),
        gvr("example.com", "v1", "gadgets")
    );
    assert_eq!(
        resolve(&mapper, "Gadget.v1.example.com"),
        gvr("example.com", "v1", "gadgets")
    );
    // Group-qualified, the short name is not ambiguous.
    assert_eq!(
        resolve(&mapper, "dup.other.example.org"),
        gvr("other.example.org", "v1", "gizmos")
    );
}

#[tokio::test]
async fn an_ambiguous_short_name_is_reported_with_its_candidates() {
    let server = server_with_crds().await;
    let mapper = mapper(&server).await;
    let err = mapper.resource_for("dup").unwrap_err();
    assert_eq!(
        err,
        MappingError::Ambiguous {
            input: "dup".into(),
            candidates: vec![
                "gadgets.example.com".into(),
                "gizmos.other.example.org".into()
            ],
        }
    );
    assert_eq!(
        err.to_string(),
        "\"dup\" is ambiguous: it matches gadgets.example.com, gizmos.other.example.org; name one as <resource>.<group>"
    );
}

#[tokio::test]
async fn a_category_gives_every_resource_in_it() {
    let server = server_with_crds().await;
    let mapper = mapper(&server).await;
    let all: Vec<String> = mapper
        .resources_for("all")
        .unwrap()
        .iter()
        .map(|r| r.group_resource())
        .collect();
    for expected in [
        "pods",
        "services",
        "deployments.apps",
        "widgets.example.com",
        "gizmos.other.example.org",
    ] {
        assert!(
            all.contains(&expected.to_owned()),
            "{expected} not in {all:?}"
        );
    }
    assert!(!all.contains(&"gadgets.example.com".to_owned()));
    assert!(!all.contains(&"configmaps".to_owned()));
    // Each once, though some have several versions.
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len());
    // A name that is not a category is one resource.
    assert_eq!(mapper.resources_for("po").unwrap().len(), 1);
}

#[tokio::test]
async fn kinds_and_resources_map_both_ways() {
    let server = server_with_crds().await;
    let mapper = mapper(&server).await;
    assert_eq!(
        mapper
            .kind_for(&GroupVersionResource::new("apps", "v1", "deployments"))
            .unwrap(),
        GroupVersionKind::new("apps", "v1", "Deployment")
    );
    assert_eq!(
        mapper
            .kind_for(&GroupVersionResource::new("example.com", "", "gadgets"))
            .unwrap(),
        GroupVersionKind::new("example.com", "v2", "Gadget")
    );
    let pods = mapper
        .resource_for_kind(&GroupVersionKind::new("", "v1", "Pod"))
        .unwrap();
    assert_eq!(pods.plural, "pods");
    let gadgets = mapper
        .resource_for_kind(&GroupVersionKind::new("example.com", "", "Gadget"))
        .unwrap();
    assert_eq!(gadgets.version, "v2");
    let err = mapper
        .resource_for_kind(&GroupVersionKind::new("example.com", "v9", "Gadget"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "no matches for kind \"Gadget\" in version \"example.com/v9\""
    );
}
