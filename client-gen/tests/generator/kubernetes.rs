//! The full Kubernetes spec (v2, and the split v3 documents of the same release): the
//! resources, verbs and subresources client-go has, and the upstream quirks handled.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use client_gen::model::{ApiSet, Payload, Resource, Scope, Ty, Verb};
use client_gen::{Document, Settings};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/openapi")
        .join(rel)
}

fn v2() -> &'static ApiSet {
    static SET: OnceLock<ApiSet> = OnceLock::new();
    SET.get_or_init(|| {
        let doc = Document::read(&fixture("kubernetes-swagger.json")).unwrap();
        client_gen::model(&[doc], &Settings::default()).unwrap()
    })
}

fn v3() -> &'static ApiSet {
    static SET: OnceLock<ApiSet> = OnceLock::new();
    SET.get_or_init(|| {
        let docs: Vec<Document> = [
            "api__v1_openapi.json",
            "apis__apps__v1_openapi.json",
            "apis__batch__v1_openapi.json",
        ]
        .iter()
        .map(|f| Document::read(&fixture(&format!("v3/{f}"))).unwrap())
        .collect();
        client_gen::model(&docs, &Settings::default()).unwrap()
    })
}

fn resource<'a>(set: &'a ApiSet, group: &str, version: &str, plural: &str) -> &'a Resource {
    &set.groups[group].versions[version].resources[plural]
}

fn verbs(r: &Resource) -> Vec<&'static str> {
    r.verbs.iter().map(|v| v.as_str()).collect()
}

fn rust_name(ty: &Option<Ty>) -> String {
    match ty {
        Some(Ty::Named(id)) => v2().types[id].rust_name.clone(),
        other => panic!("not a named type: {other:?}"),
    }
}

fn field_names(ty: &Option<Ty>) -> Vec<String> {
    match ty {
        Some(Ty::Named(id)) => match &v2().types[id].shape {
            client_gen::model::Shape::Struct(fields) => {
                fields.iter().map(|f| f.json_name.clone()).collect()
            }
            other => panic!("not a struct: {other:?}"),
        },
        other => panic!("not a named type: {other:?}"),
    }
}

#[test]
fn every_group_version_of_the_release_is_there() {
    let gvs: Vec<String> = v2()
        .groups
        .values()
        .flat_map(|g| g.versions.keys().map(move |v| format!("{}/{v}", g.name)))
        .collect();
    assert_eq!(gvs.len(), 33, "{gvs:?}");
    for gv in [
        "/v1",
        "apps/v1",
        "batch/v1",
        "networking.k8s.io/v1",
        "internal.apiserver.k8s.io/v1alpha1",
        "apiextensions.k8s.io/v1",
    ] {
        assert!(gvs.iter().any(|g| g == gv), "{gv} missing");
    }
    let resources = v2().resources().count();
    assert_eq!(resources, 80);
}

#[test]
fn pods_have_client_gos_verbs_and_subresources() {
    let pods = resource(v2(), "", "v1", "pods");
    assert_eq!(pods.scope, Scope::Namespaced);
    assert!(pods.all_namespaces);
    assert_eq!(
        verbs(pods),
        [
            "get",
            "list",
            "watch",
            "create",
            "update",
            "patch",
            "apply",
            "delete",
            "deletecollection"
        ]
    );
    let subs: Vec<&str> = pods.subresources.keys().map(String::as_str).collect();
    assert_eq!(
        subs,
        [
            "attach",
            "binding",
            "ephemeralcontainers",
            "eviction",
            "exec",
            "log",
            "portforward",
            "proxy",
            "resize",
            "status"
        ]
    );
}

#[test]
fn read_only_and_create_only_resources_have_only_their_verbs() {
    assert_eq!(
        verbs(resource(v2(), "", "v1", "componentstatuses")),
        ["get", "list", "watch"]
    );
    assert_eq!(
        verbs(resource(
            v2(),
            "authorization.k8s.io",
            "v1",
            "selfsubjectaccessreviews"
        )),
        ["create"]
    );
    assert_eq!(verbs(resource(v2(), "", "v1", "bindings")), ["create"]);
    // Namespaces cannot be deleted as a collection.
    assert!(!resource(v2(), "", "v1", "namespaces")
        .verbs
        .contains(&Verb::DeleteCollection));
    assert_eq!(resource(v2(), "", "v1", "namespaces").scope, Scope::Cluster);
}

#[test]
fn scale_subresources_answer_autoscaling_scale() {
    let scale = &resource(v2(), "apps", "v1", "deployments").subresources["scale"];
    assert_eq!(
        scale.response,
        Payload::Object(Ty::Named("io.k8s.api.autoscaling.v1.Scale".into()))
    );
    assert_eq!(
        scale.request,
        Some(Ty::Named("io.k8s.api.autoscaling.v1.Scale".into()))
    );
    let v: Vec<Verb> = scale.verbs.iter().copied().collect();
    assert_eq!(v, [Verb::Get, Verb::Update, Verb::Patch, Verb::Apply]);
}

#[test]
fn quirk_connect_gvk_is_the_options_kind() {
    // The spec defines no schema for the options kinds: the struct comes from the query
    // parameters, named after the kind the GVK gives.
    let attach = &resource(v2(), "", "v1", "pods").subresources["attach"];
    assert_eq!(attach.response, Payload::Text);
    assert_eq!(rust_name(&attach.params), "PodAttachOptions");
    assert_eq!(
        field_names(&attach.params),
        ["container", "stderr", "stdin", "stdout", "tty"]
    );
    let proxy = &resource(v2(), "", "v1", "nodes").subresources["proxy"];
    assert_eq!(rust_name(&proxy.params), "NodeProxyOptions");
    // The kind of the resource itself is still the object's.
    assert_eq!(resource(v2(), "", "v1", "pods").kind, "Pod");
}

#[test]
fn pod_log_takes_typed_options_and_streams_text() {
    let log = &resource(v2(), "", "v1", "pods").subresources["log"];
    assert_eq!(rust_name(&log.params), "PodLogOptions");
    assert_eq!(
        field_names(&log.params),
        [
            "container",
            "follow",
            "insecureSkipTLSVerifyBackend",
            "limitBytes",
            "previous",
            "sinceSeconds",
            "stream",
            "tailLines",
            "timestamps"
        ]
    );
    assert_eq!(log.response, Payload::Text);
}

#[test]
fn quirk_eviction_and_binding_answer_a_status() {
    let pods = resource(v2(), "", "v1", "pods");
    let status = Payload::Object(Ty::Meta("Status".into()));
    assert_eq!(pods.subresources["eviction"].response, status);
    assert_eq!(
        pods.subresources["eviction"].request,
        Some(Ty::Named("io.k8s.api.policy.v1.Eviction".into()))
    );
    assert_eq!(pods.subresources["binding"].response, status);
}

#[test]
fn deprecated_watch_paths_add_nothing() {
    // Watch comes from `?watch` on the list path; `/watch/...` paths make no resource.
    assert!(v2().resources().all(|(_, _, r)| r.plural != "watch"));
    assert!(resource(v2(), "", "v1", "configmaps")
        .verbs
        .contains(&Verb::Watch));
}

#[test]
fn openapi_v3_gives_the_same_resources_and_types_as_v2() {
    for (group, version) in [("", "v1"), ("apps", "v1"), ("batch", "v1")] {
        let a = &v2().groups[group].versions[version];
        let b = &v3().groups[group].versions[version];
        assert_eq!(a, b, "{group}/{version} differs between v2 and v3");
    }
    // Every type v3 describes is the type v2 describes (v3 repeats a subset per document).
    let mut compared = 0;
    for (id, def) in &v3().types {
        let other = v2()
            .types
            .get(id)
            .unwrap_or_else(|| panic!("{id} only in v3"));
        assert_eq!(def, other, "{id} differs between v2 and v3");
        compared += 1;
    }
    assert!(compared > 250, "{compared}");
}

#[test]
fn the_full_spec_generates_deterministically_and_fast_enough() {
    let doc = Document::read(&fixture("kubernetes-swagger.json")).unwrap();
    let started = std::time::Instant::now();
    let a = client_gen::generate(std::slice::from_ref(&doc), &Settings::crate_tree()).unwrap();
    let took = started.elapsed();
    let b = client_gen::generate(&[doc], &Settings::crate_tree()).unwrap();
    assert_eq!(a, b);
    // A debug build; release takes a fifth of this. Generous for a loaded CI machine.
    assert!(took.as_secs() < 20, "generation took {took:?}");
    assert_eq!(a.files.len(), 57);
}
