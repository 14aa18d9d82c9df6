//! Several kubeconfig files merged as kubectl merges `KUBECONFIG`, compared with what the
//! real `kubectl config view --raw [--flatten] -o json` prints for the same files; and the
//! merged config lowered into a `Config` with paths resolved per file.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{b64, Pki, TempDir};
use rest_core::kubeconfig::KubeconfigErrorKind;
use rest_core::{Config, Error, Kubeconfig, KubeconfigOptions};

/// Three folders, each with a kubeconfig naming files next to it, plus a missing and an
/// empty entry, as a `KUBECONFIG` list would hold them.
struct Files {
    dir: TempDir,
    paths: Vec<PathBuf>,
    ca_a: String,
    bob_cert: String,
}

fn files() -> Files {
    let dir = TempDir::new("merge");
    let pki = Pki::new(&["a.example"]);
    let ca_a = pki.ca_pem.clone();
    let (bob_cert, bob_key) = pki.client_cert("bob");
    dir.write("a/pki/ca.crt", &ca_a);
    dir.write("b/certs/bob.crt", &bob_cert);
    dir.write("b/certs/bob.key", &bob_key);
    dir.write("b/tokens/t", "file-token");
    let a = dir.write(
        "a/config",
        &format!(
            r#"apiVersion: v1
kind: Config
preferences: {{colors: true}}
clusters:
- name: shared
  cluster:
    server: https://a.example:6443
    tls-server-name: a-name
    certificate-authority: pki/ca.crt
    extensions:
    - name: client.authentication.k8s.io/exec
      extension: {{audience: a}}
- name: only-a
  cluster:
    server: https://only-a:6443
    certificate-authority-data: {ca}
    proxy-url: http://proxy.example:3128
    disable-compression: true
users:
- name: alice
  user: {{token: tok-a}}
- name: exec-user
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/plugin
      args: [a, b]
      env: [{{name: X, value: "1"}}]
      installHint: install it
      interactiveMode: Never
      provideClusterInfo: true
contexts:
- name: ctx-a
  context: {{cluster: shared, user: alice, namespace: ns-a}}
extensions:
- name: x
  extension: {{a: 1}}
"#,
            ca = b64("OTHER CA")
        ),
    );
    let b = dir.write(
        "b/config",
        r#"apiVersion: v1
kind: Config
current-context: ctx-b
preferences: {}
clusters:
- name: shared
  cluster: {server: "https://b.example:6443", insecure-skip-tls-verify: true}
- name: only-b
  cluster: {server: "https://only-b:6443", insecure-skip-tls-verify: true}
users:
- name: alice
  user: {token: tok-b, username: ignored}
- name: bob
  user:
    client-certificate: certs/bob.crt
    client-key: certs/bob.key
    as: admin
    as-uid: "7"
    as-groups: [g1, g2]
    as-user-extra: {k: [v1, v2]}
- name: beta
  user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: gke-gcloud-auth-plugin}}
- name: oidc
  user: {auth-provider: {name: oidc, config: {idp-issuer-url: "https://issuer", client-id: x}}}
- name: basic
  user: {username: u, password: p}
- name: tokfile
  user: {tokenFile: tokens/t}
contexts:
- name: ctx-a
  context: {cluster: only-b, user: bob}
- name: ctx-b
  context:
    cluster: only-b
    user: bob
    extensions: [{name: e, extension: {z: true}}]
- name: no-user
  context: {cluster: shared}
extensions:
- name: x
  extension: {a: 2}
- name: y2
  extension: {b: [1, 2]}
"#,
    );
    let empty = dir.write("c/config", "");
    let missing = dir.path("nowhere/config");
    Files {
        paths: vec![a, missing, b, empty],
        dir,
        ca_a,
        bob_cert,
    }
}

/// `kubectl` on PATH, or `None` (and a loud note) where it is not installed.
fn kubectl() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("kubectl"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        eprintln!("SKIPPED: kubectl is not installed, the comparison with kubectl did not run");
    }
    found
}

fn kubectl_view(kubectl: &Path, files: &Files, flatten: bool) -> serde_json::Value {
    let list = std::env::join_paths(&files.paths).unwrap();
    let mut cmd = Command::new(kubectl);
    cmd.args(["config", "view", "--raw", "-o", "json"]);
    if flatten {
        cmd.arg("--flatten");
    }
    let out = cmd
        .env("KUBECONFIG", list)
        .env("HOME", &files.dir.0)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kubectl failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_merged_view_equals_kubectl_config_view() {
    let files = files();
    let merged = Kubeconfig::read_merged(&files.paths).unwrap().sorted();
    let ours = serde_json::to_value(&merged).unwrap();

    // The rules, whether or not kubectl is here to confirm them.
    assert_eq!(ours["current-context"], "ctx-b");
    assert_eq!(ours["preferences"], serde_json::json!({"colors": true}));
    let shared = &ours["clusters"][2];
    assert_eq!(shared["name"], "shared");
    assert_eq!(
        shared["cluster"]["server"], "https://a.example:6443",
        "the first file wins a name"
    );
    assert!(
        shared["cluster"].get("insecure-skip-tls-verify").is_none(),
        "entries are not merged field by field"
    );
    assert_eq!(
        ours["users"][0]["user"],
        serde_json::json!({"token": "tok-a"})
    );
    assert_eq!(ours["contexts"][0]["context"]["cluster"], "shared");
    assert_eq!(
        ours["extensions"][0]["extension"],
        serde_json::json!({"a": 1})
    );
    assert_eq!(
        ours["clusters"][2]["cluster"]["certificate-authority"],
        "pki/ca.crt"
    );

    let mut flat = Kubeconfig::read_merged(&files.paths).unwrap();
    flat.flatten().unwrap();
    let flat = serde_json::to_value(flat.sorted()).unwrap();
    assert_eq!(
        flat["clusters"][2]["cluster"]["certificate-authority-data"],
        b64(&files.ca_a),
        "flatten reads each path from its own file's folder"
    );
    assert_eq!(
        flat["users"][3]["user"]["client-certificate-data"],
        b64(&files.bob_cert)
    );

    let Some(kubectl) = kubectl() else {
        return;
    };
    assert_eq!(
        ours,
        kubectl_view(&kubectl, &files, false),
        "kubectl config view --raw"
    );
    assert_eq!(
        flat,
        kubectl_view(&kubectl, &files, true),
        "kubectl config view --raw --flatten"
    );
}

#[test]
fn the_merged_config_resolves_paths_per_file_and_takes_overrides() {
    let files = files();
    let merged = Kubeconfig::read_merged(&files.paths).unwrap();

    // current-context ctx-b: only-b (from b) and bob (from b, files next to b/config).
    let config = merged.to_config(&KubeconfigOptions::default()).unwrap();
    assert_eq!(config.host, "https://only-b:6443");
    assert_eq!(
        config.tls.cert_data.as_deref(),
        Some(files.bob_cert.as_bytes())
    );
    assert_eq!(config.impersonate.user.as_deref(), Some("admin"));
    let source = config.source.unwrap();
    assert_eq!(source.kubeconfig.as_deref(), Some(files.paths[2].as_path()));
    assert_eq!(source.context.as_deref(), Some("ctx-b"));

    // ctx-a from a: its cluster's CA path resolves from a/, not from b/.
    let config = merged
        .to_config(&KubeconfigOptions::context("ctx-a"))
        .unwrap();
    assert_eq!(config.tls.ca_data.as_deref(), Some(files.ca_a.as_bytes()));
    assert_eq!(config.tls.server_name.as_deref(), Some("a-name"));
    assert_eq!(config.default_namespace, "ns-a");
    assert_eq!(config.credentials.bearer_token.unwrap().expose(), "tok-a");

    // --cluster, --user and --namespace replace what the context says.
    let options = KubeconfigOptions {
        context: Some("ctx-a".into()),
        cluster: Some("only-a".into()),
        user: Some("tokfile".into()),
        namespace: Some("override".into()),
    };
    let config = merged.to_config(&options).unwrap();
    assert_eq!(config.host, "https://only-a:6443");
    assert_eq!(config.default_namespace, "override");
    assert!(config.disable_compression);
    assert_eq!(
        config.proxy,
        rest_core::Proxy::Url("http://proxy.example:3128".into())
    );
    assert_eq!(
        config.credentials.bearer_token_file,
        Some(
            files
                .dir
                .path("b/config")
                .parent()
                .unwrap()
                .join("tokens/t")
        )
    );

    // The exec command with a path resolves from its file; the cluster's exec extension
    // goes with it.
    let options = KubeconfigOptions {
        user: Some("exec-user".into()),
        ..KubeconfigOptions::context("ctx-a")
    };
    let exec = merged
        .to_config(&options)
        .unwrap()
        .credentials
        .exec
        .unwrap();
    assert_eq!(
        exec.command,
        files.dir.path("a/./bin/plugin").to_string_lossy()
    );
    assert_eq!(exec.config, Some(serde_json::json!({"audience": "a"})));

    // --cluster and --user work without any context.
    let mut no_context = merged.clone();
    no_context.current_context.clear();
    let options = KubeconfigOptions {
        cluster: Some("only-b".into()),
        user: Some("basic".into()),
        ..Default::default()
    };
    let config = no_context.to_config(&options).unwrap();
    assert_eq!(config.credentials.username.as_deref(), Some("u"));
}

fn kubeconfig_error(result: Result<Config, Error>) -> rest_core::KubeconfigError {
    match result {
        Err(Error::Kubeconfig(e)) => e,
        other => panic!("expected a kubeconfig error, got {other:?}"),
    }
}

#[test]
fn errors_name_the_file_the_context_and_the_field() {
    let files = files();
    let merged = Kubeconfig::read_merged(&files.paths).unwrap();
    let err = kubeconfig_error(merged.to_config(&KubeconfigOptions::context("staging")));
    let both = std::env::join_paths([&files.paths[0], &files.paths[2]]).unwrap();
    assert_eq!(
        err.to_string(),
        format!(
            "kubeconfig {}, context \"staging\": context \"staging\" not found; use one of: ctx-a, ctx-b, no-user",
            Path::new(&both).display()
        )
    );

    // A user from b/config that kubectl would refuse: the error names b/config.
    let options = KubeconfigOptions {
        user: Some("oidc".into()),
        ..KubeconfigOptions::context("ctx-b")
    };
    let err = kubeconfig_error(merged.to_config(&options));
    assert_eq!(err.path(), Some(files.paths[2].as_path()));
    assert_eq!(err.context(), Some("ctx-b"));
    assert_eq!(err.field(), Some("users[oidc].auth-provider"));

    // Token and basic auth on one user: kubectl's "more than one authentication method".
    let options = KubeconfigOptions {
        user: Some("alice".into()),
        ..KubeconfigOptions::context("ctx-b")
    };
    // alice comes from a/ (token only): fine. In b/ alone she has both: refused.
    assert!(merged.to_config(&options).is_ok());
    let only_b = Kubeconfig::read(&files.paths[2]).unwrap();
    let err = kubeconfig_error(only_b.to_config(&options));
    assert!(
        matches!(err.kind(), KubeconfigErrorKind::MultipleAuthMethods { found } if found == &["token", "basicAuth"]),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("more than one authentication method found (token, basicAuth)"),
        "{err}"
    );

    // Files kubectl refuses to load.
    let dir = TempDir::new("merge");
    let dup = dir.write(
        "dup",
        "clusters: [{name: a, cluster: {server: one}}, {name: a, cluster: {server: two}}]",
    );
    let err = Kubeconfig::read_merged(std::slice::from_ref(&dup)).unwrap_err();
    assert_eq!(err.path(), Some(dup.as_path()));
    assert!(
        err.to_string().contains("clusters lists \"a\" twice"),
        "{err}"
    );
    let other = dir.write("other", "apiVersion: v2\nkind: Foo\n");
    let err = Kubeconfig::read(&other).unwrap_err();
    assert!(err.to_string().contains("is not a kubeconfig"), "{err}");
    let broken = dir.write("broken", "clusters: [");
    assert!(Kubeconfig::read_merged(&[files.paths[0].clone(), broken]).is_err());
}

#[test]
fn kubeconfig_writes_back_as_yaml_that_reads_the_same() {
    let files = files();
    let merged = Kubeconfig::read_merged(&files.paths).unwrap().sorted();
    let yaml = serde_norway::to_string(&merged).unwrap();
    let again = Kubeconfig::from_yaml(&yaml, None).unwrap();
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        serde_json::to_value(&merged).unwrap()
    );
}
