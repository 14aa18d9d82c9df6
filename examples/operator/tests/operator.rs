//! Runs the operator binary as a user would, on the embedded fixture API server, and checks
//! every step it reports: the App walked through create, update, drift and delete; and the
//! cert-manager demo's CRD registered, Certificates created, listed, watched while patched.

use std::process::Command;

#[test]
fn walks_an_app_through_its_life_on_the_embedded_server() {
    let output = Command::new(env!("CARGO_BIN_EXE_operator"))
        .env_remove("KUBECONFIG")
        .output()
        .expect("operator runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "operator failed: {stderr}\n{stdout}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "registered CustomResourceDefinition apps.example.com",
            "app-operator-0 is leading (Lease default/app-operator)",
            "created App default/demo (2 replicas of nginx:1.27)",
            "App default/demo is Ready: ConfigMap demo-config and Deployment demo match the spec",
            "updated App default/demo: Deployment demo has 3 replicas, ConfigMap demo-config says \"hello again\"",
            "repaired drift: Deployment demo scaled to 1 by hand, back to 3",
            "deleted App default/demo: the finalizer's cleanup removed Deployment demo and ConfigMap demo-config",
            "app-operator-0 stopped and released the Lease",
        ]
    );
}

#[test]
fn drives_certificates_on_the_embedded_server() {
    let output = Command::new(env!("CARGO_BIN_EXE_operator"))
        .arg("certificates")
        .env_remove("KUBECONFIG")
        .output()
        .expect("operator runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "operator failed: {stderr}\n{stdout}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "registered CustomResourceDefinition certificates.cert-manager.io",
            "created Certificate default/web (secret web-tls)",
            "created Certificate default/api (secret api-tls)",
            "listed 2 Certificates: api, web",
            "patched Certificate default/web: renewBefore 720h0m0s",
            "watched MODIFIED web (renewBefore 720h0m0s)",
            "watched MODIFIED api (Ready=True)",
            "watched MODIFIED web (Ready=True)",
        ]
    );
}

#[test]
fn a_bad_argument_is_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_operator"))
        .arg("--frobnicate")
        .output()
        .expect("operator runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("usage: operator"), "{stderr}");
}
