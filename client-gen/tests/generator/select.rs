//! Allow-lists: only the groups, versions and resources asked for are generated, with every
//! type they use pulled in from wherever it lives; an entry that selects nothing is an error.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use client_gen::model::ApiSet;
use client_gen::select::{Entry, Selection};
use client_gen::{Document, Settings};

fn kubernetes() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fixtures/openapi/kubernetes-swagger.json");
        Document::read(&path).unwrap()
    })
}

fn settings(entries: Vec<Entry>) -> Settings {
    Settings {
        select: Selection { entries },
        ..Settings::default()
    }
}

fn model(entries: Vec<Entry>) -> Result<ApiSet, client_gen::Error> {
    client_gen::model(std::slice::from_ref(kubernetes()), &settings(entries))
}

fn served(set: &ApiSet) -> Vec<String> {
    set.resources()
        .map(|(g, v, r)| format!("{}/{}/{}", g.name, v.name, r.plural))
        .collect()
}

#[test]
fn one_resource_brings_the_types_it_uses_and_nothing_else() {
    let set = model(vec![Entry::resource("apps/v1/deployments").unwrap()]).unwrap();
    assert_eq!(served(&set), ["apps/v1/deployments"]);
    let ids: BTreeSet<&str> = set.types.keys().map(String::as_str).collect();
    // The pod template lives in core, the scale subresource's type in autoscaling.
    for needed in [
        "io.k8s.api.apps.v1.Deployment",
        "io.k8s.api.apps.v1.DeploymentList",
        "io.k8s.api.core.v1.PodTemplateSpec",
        "io.k8s.api.core.v1.Container",
        "io.k8s.api.autoscaling.v1.Scale",
    ] {
        assert!(ids.contains(needed), "{needed} missing");
    }
    for unused in [
        "io.k8s.api.apps.v1.StatefulSet",
        "io.k8s.api.core.v1.ConfigMap",
        "io.k8s.api.batch.v1.Job",
    ] {
        assert!(!ids.contains(unused), "{unused} kept");
    }
    let whole =
        client_gen::model(std::slice::from_ref(kubernetes()), &Settings::default()).unwrap();
    assert!(set.types.len() * 3 < whole.types.len());

    // Core types come without core clients.
    let out = client_gen::generate(
        std::slice::from_ref(kubernetes()),
        &settings(vec![Entry::resource("apps/v1/deployments").unwrap()]),
    )
    .unwrap();
    let core = &out.files[Path::new("core/v1.rs")];
    assert!(core.contains("pub struct PodSpec"));
    assert!(!core.contains("CoreV1Client"));
    assert!(!out.files[Path::new("lib.rs")].contains("fn core_v1("));
}

#[test]
fn groups_versions_and_plurals_in_every_spelling() {
    let set = model(vec![Entry::group("batch")]).unwrap();
    assert_eq!(served(&set), ["batch/v1/cronjobs", "batch/v1/jobs"]);
    let set = model(vec![
        Entry::version("v1").unwrap(),
        Entry::resource("leases.coordination.k8s.io").unwrap(),
    ])
    .unwrap();
    assert!(served(&set).contains(&"/v1/pods".to_owned()));
    assert!(served(&set).contains(&"coordination.k8s.io/v1/leases".to_owned()));
    let set = model(vec![Entry::resource("core/v1/configmaps").unwrap()]).unwrap();
    assert_eq!(served(&set), ["/v1/configmaps"]);
}

#[test]
fn an_entry_that_selects_nothing_says_what_is_there() {
    let err = model(vec![Entry::version("apps/v2").unwrap()])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "allow-list entry \"apps/v2\": apps serves v1, not v2: did you mean v1? (versions that are not served are not generated)"
    );
    let err = model(vec![Entry::group("cert-manager.io")])
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("allow-list entry \"cert-manager.io\": no input describes group cert-manager.io (groups: core, admissionregistration.k8s.io"),
        "{err}"
    );
    let err = model(vec![Entry::resource("apps/v1/pods").unwrap()])
        .unwrap_err()
        .to_string();
    assert!(err.contains("apps has no such resource (resources: controllerrevisions, daemonsets, deployments, replicasets, statefulsets)"), "{err}");
}
