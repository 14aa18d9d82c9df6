//! Every CRD of `fixtures/crds/` (upstream manifests, byte for byte) is understood as its
//! project publishes it, and generates. That the output compiles without warnings is proven
//! by `generated/` (its drift test, and its CRD features built by the tests and clippy).

use std::path::{Path, PathBuf};

use client_gen::model::{ApiSet, Payload, Scope, Shape, Ty};
use client_gen::Settings;

fn corpus() -> Vec<PathBuf> {
    let pattern = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/crds/*.yaml");
    client_gen::input::paths::expand(&pattern.display().to_string()).unwrap()
}

fn model_of(path: &Path) -> ApiSet {
    let docs = client_gen::input::read_file(path).unwrap();
    client_gen::model(&docs, &Settings::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `(group, version, storage, plural, kind, scope, subresources)` of every resource.
type Summary = Vec<(String, String, bool, String, String, Scope, Vec<String>)>;

fn summary(set: &ApiSet) -> Summary {
    set.resources()
        .map(|(g, v, r)| {
            (
                g.name.clone(),
                v.name.clone(),
                v.storage,
                r.plural.clone(),
                r.kind.clone(),
                r.scope,
                r.subresources.keys().cloned().collect(),
            )
        })
        .collect()
}

fn row(
    g: &str,
    v: &str,
    storage: bool,
    plural: &str,
    kind: &str,
    scope: Scope,
    subs: &[&str],
) -> (String, String, bool, String, String, Scope, Vec<String>) {
    (
        g.into(),
        v.into(),
        storage,
        plural.into(),
        kind.into(),
        scope,
        subs.iter().map(|s| (*s).to_owned()).collect(),
    )
}

#[test]
fn every_corpus_crd_is_understood_as_published() {
    use Scope::{Cluster, Namespaced};
    let files = corpus();
    assert_eq!(files.len(), 7, "{files:?}");
    let expected: Vec<(&str, Summary)> = vec![
        (
            "argoproj.io_applications.yaml",
            vec![row(
                "argoproj.io",
                "v1alpha1",
                true,
                "applications",
                "Application",
                Namespaced,
                &[],
            )],
        ),
        (
            "cert-manager.io_certificates.yaml",
            vec![row(
                "cert-manager.io",
                "v1",
                true,
                "certificates",
                "Certificate",
                Namespaced,
                &["status"],
            )],
        ),
        (
            "cert-manager.io_clusterissuers.yaml",
            vec![row(
                "cert-manager.io",
                "v1",
                true,
                "clusterissuers",
                "ClusterIssuer",
                Cluster,
                &["status"],
            )],
        ),
        (
            "cert-manager.io_issuers.yaml",
            vec![row(
                "cert-manager.io",
                "v1",
                true,
                "issuers",
                "Issuer",
                Namespaced,
                &["status"],
            )],
        ),
        (
            "monitoring.coreos.com_prometheusrules.yaml",
            vec![row(
                "monitoring.coreos.com",
                "v1",
                true,
                "prometheusrules",
                "PrometheusRule",
                Namespaced,
                &["status"],
            )],
        ),
        (
            "monitoring.coreos.com_servicemonitors.yaml",
            vec![row(
                "monitoring.coreos.com",
                "v1",
                true,
                "servicemonitors",
                "ServiceMonitor",
                Namespaced,
                &["status"],
            )],
        ),
        (
            "opentelemetry.io_opentelemetrycollectors.yaml",
            vec![
                row(
                    "opentelemetry.io",
                    "v1alpha1",
                    false,
                    "opentelemetrycollectors",
                    "OpenTelemetryCollector",
                    Namespaced,
                    &["scale", "status"],
                ),
                row(
                    "opentelemetry.io",
                    "v1beta1",
                    true,
                    "opentelemetrycollectors",
                    "OpenTelemetryCollector",
                    Namespaced,
                    &["scale", "status"],
                ),
            ],
        ),
    ];
    for (file, rows) in expected {
        let path = files
            .iter()
            .find(|p| p.ends_with(file))
            .unwrap_or_else(|| panic!("{file} missing"));
        let set = model_of(path);
        assert_eq!(summary(&set), rows, "{file}");
        // Every kind is typed (each has a schema with properties).
        for (_, _, r) in set.resources() {
            let Ty::Named(id) = &r.object else {
                panic!("{file}: {} untyped", r.kind)
            };
            assert!(matches!(set.types[id].shape, Shape::Struct(_)), "{file}");
        }
    }
}

#[test]
fn the_whole_corpus_generates_together() {
    let files = corpus();
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let out = client_gen::generate_files(&paths, &Settings::default()).unwrap();
    let modules: Vec<String> = out.files.keys().map(|p| p.display().to_string()).collect();
    assert_eq!(
        modules,
        [
            "argoproj/mod.rs",
            "argoproj/v1alpha1.rs",
            "autoscaling/mod.rs",
            "autoscaling/v1.rs",
            "cert_manager/mod.rs",
            "cert_manager/v1.rs",
            "lib.rs",
            "monitoring/mod.rs",
            "monitoring/v1.rs",
            "opentelemetry/mod.rs",
            "opentelemetry/v1alpha1.rs",
            "opentelemetry/v1beta1.rs",
        ]
    );
    let lib = &out.files[Path::new("lib.rs")];
    for accessor in [
        "pub fn argoproj_v1alpha1(&self)",
        "pub fn cert_manager_v1(&self)",
        "pub fn monitoring_v1(&self)",
        "pub fn opentelemetry_v1alpha1(",
        "pub fn opentelemetry_v1beta1(",
    ] {
        assert!(lib.contains(accessor), "{accessor}");
    }
}

#[test]
fn corpus_features_land_where_they_should() {
    let files = corpus();
    let find = |name: &str| files.iter().find(|p| p.ends_with(name)).unwrap().clone();
    // OpenTelemetry: the collector configuration keeps unknown fields next to known ones.
    let otel = model_of(&find("opentelemetry.io_opentelemetrycollectors.yaml"));
    let spec = &otel.types["io.opentelemetry.v1beta1.OpenTelemetryCollector/spec"];
    let Shape::Struct(fields) = &spec.shape else {
        panic!()
    };
    let config = fields.iter().find(|f| f.json_name == "config").unwrap();
    assert!(config.required);
    let Ty::Named(config) = &config.ty else {
        panic!("{config:?}")
    };
    let Shape::Struct(members) = &otel.types[config].shape else {
        panic!()
    };
    let typed: Vec<&str> = members
        .iter()
        .filter(|f| !f.flatten)
        .map(|f| f.json_name.as_str())
        .collect();
    assert_eq!(
        typed,
        [
            "connectors",
            "exporters",
            "extensions",
            "processors",
            "receivers",
            "service"
        ]
    );
    assert!(members.iter().any(|f| f.flatten), "the rest is kept");
    // Its resource amounts are quantities, its selectors rest-core's.
    let resources = &otel.types["io.opentelemetry.v1beta1.OpenTelemetryCollector/spec/resources"];
    let Shape::Struct(members) = &resources.shape else {
        panic!()
    };
    let limits = members.iter().find(|f| f.json_name == "limits").unwrap();
    assert_eq!(limits.ty, Ty::Map(Box::new(Ty::Quantity)));
    let selectors = otel
        .types
        .values()
        .filter_map(|d| match &d.shape {
            Shape::Struct(fields) => Some(fields),
            _ => None,
        })
        .flatten()
        .filter(|f| f.ty == Ty::Meta("LabelSelector".into()))
        .count();
    assert!(selectors >= 5, "{selectors} label selectors");
    let scale = &otel.groups["opentelemetry.io"].versions["v1beta1"].resources
        ["opentelemetrycollectors"]
        .subresources["scale"];
    assert_eq!(
        scale.response,
        Payload::Object(Ty::Named("io.k8s.api.autoscaling.v1.Scale".into()))
    );
    // Prometheus operator: an int-or-string target port; defaults reach the docs.
    let monitors = model_of(&find("monitoring.coreos.com_servicemonitors.yaml"));
    let endpoint = &monitors.types["com.coreos.monitoring.v1.ServiceMonitor/spec/endpoints"];
    let Shape::Struct(fields) = &endpoint.shape else {
        panic!()
    };
    let port = fields.iter().find(|f| f.json_name == "targetPort").unwrap();
    assert_eq!(port.ty, Ty::IntOrString);
    let documented = monitors
        .types
        .values()
        .filter_map(|d| match &d.shape {
            Shape::Struct(fields) => Some(fields),
            _ => None,
        })
        .flatten()
        .filter(|f| {
            f.doc
                .as_deref()
                .is_some_and(|d| d.contains("Defaults to `"))
        })
        .count();
    assert!(documented >= 10, "{documented} documented defaults");
}
