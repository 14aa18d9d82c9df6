//! Runs the quickstart binary as a user would and checks what it prints.

use std::process::Command;

#[test]
fn lists_the_seed_pods_from_the_embedded_server() {
    let output = Command::new(env!("CARGO_BIN_EXE_quickstart"))
        .env_remove("KUBECONFIG")
        .output()
        .expect("quickstart runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "quickstart failed: {stderr}");

    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 7, "seven pods expected, got:\n{stdout}");
    assert!(lines
        .iter()
        .all(|line| line.starts_with("NAMESPACE:default \t NAME: ")));
    assert!(stdout.contains("NAME: tomcat-deployment-5b689c848f-2jprs \t STATUS: Running"));
    assert!(stdout.contains("NAME: virt-launcher-test-vpc-hdnxc \t STATUS: Pending"));
    // The first line a user sees says whose pods these are, and where that server listens.
    let first = stderr.lines().next().unwrap_or_default();
    assert!(
        first
            .starts_with("quickstart: started an embedded fixture API server at http://127.0.0.1:"),
        "first line: {first}"
    );
}

#[test]
fn a_missing_kubeconfig_is_a_clear_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_quickstart"))
        .args(["--kubeconfig", "/nonexistent/krest-kubeconfig"])
        .output()
        .expect("quickstart runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("/nonexistent/krest-kubeconfig"),
        "error should name the file: {stderr}"
    );
}
