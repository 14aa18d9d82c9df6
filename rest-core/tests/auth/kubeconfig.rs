//! `Config::from_kubeconfig` on real files in a temporary folder: what each kubeconfig field
//! becomes, and errors that name the file, the context and the field.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rest_core::kubeconfig::KubeconfigErrorKind;
use rest_core::{Config, Error, KubeconfigError, RestClient};

/// A fresh folder under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "krest-kubeconfig-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const CA_PEM: &str = "-----BEGIN CERTIFICATE-----\nY2E=\n-----END CERTIFICATE-----\n";

fn b64(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// The kubeconfig error inside a `rest_core::Error`.
fn kubeconfig_error(result: Result<Config, Error>) -> KubeconfigError {
    match result {
        Err(Error::Kubeconfig(e)) => e,
        Err(other) => panic!("expected a kubeconfig error, got {other:?}"),
        Ok(config) => panic!("expected an error, got {config:?}"),
    }
}

fn two_contexts(dir: &TempDir) -> PathBuf {
    dir.write("pki/ca.crt", CA_PEM);
    dir.write("tokens/dev", "file-token\n");
    let yaml = format!(
        r#"apiVersion: v1
kind: Config
preferences: {{}}
current-context: prod
clusters:
- name: prod-cluster
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority: pki/ca.crt
    tls-server-name: kubernetes.default
- name: dev-cluster
  cluster:
    server: https://dev.example.com:8443/prefix/
    insecure-skip-tls-verify: true
    extensions:
    - name: ignored
      extension: {{}}
users:
- name: admin
  user:
    token: s3cr3t-token
- name: basic
  user:
    username: alice
    password: hunter2
- name: dev
  user:
    tokenFile: tokens/dev
    client-certificate-data: {cert}
    client-key-data: {key}
    as: bob
    as-uid: "1001"
    as-groups: [system:masters, devs]
    as-user-extra:
      scopes: [view, edit]
contexts:
- name: prod
  context:
    cluster: prod-cluster
    user: admin
    namespace: shop
- name: dev
  context:
    cluster: dev-cluster
    user: dev
- name: basic
  context:
    cluster: dev-cluster
    user: basic
- name: anonymous
  context:
    cluster: prod-cluster
"#,
        cert = b64("CERT PEM"),
        key = b64("KEY PEM"),
    );
    dir.write("config", &yaml)
}

#[test]
fn current_context_with_token_and_ca_file() {
    let dir = TempDir::new();
    let path = two_contexts(&dir);
    let config = Config::from_kubeconfig(&path, None).unwrap();
    assert_eq!(config.host, "https://10.0.0.1:6443");
    assert_eq!(config.default_namespace, "shop");
    assert_eq!(
        config.credentials.bearer_token.as_ref().unwrap().expose(),
        "s3cr3t-token"
    );
    assert_eq!(config.tls.ca_data.as_deref(), Some(CA_PEM.as_bytes()));
    assert_eq!(
        config.tls.server_name.as_deref(),
        Some("kubernetes.default")
    );
    assert!(!config.tls.insecure_skip_tls_verify);
    // Defaults that the kubeconfig does not set stay client-go's.
    assert_eq!(
        (config.qps, config.burst, config.max_retries),
        (5.0, 10, 10)
    );

    let shown = format!("{config:?}");
    assert!(!shown.contains("s3cr3t-token"), "{shown}");
}

#[test]
fn named_context_with_every_user_field() {
    let dir = TempDir::new();
    let path = two_contexts(&dir);
    let config = Config::from_kubeconfig(&path, Some("dev")).unwrap();
    assert_eq!(config.host, "https://dev.example.com:8443/prefix");
    assert_eq!(config.default_namespace, "default");
    assert!(config.tls.insecure_skip_tls_verify);
    assert_eq!(config.tls.ca_data, None);

    let creds = &config.credentials;
    assert_eq!(
        creds.bearer_token.as_ref().map(|t| t.expose().as_str()),
        None
    );
    assert_eq!(
        creds.bearer_token_file.as_deref(),
        Some(dir.0.join("tokens/dev").as_path())
    );
    assert_eq!(config.tls.cert_data.as_deref(), Some(&b"CERT PEM"[..]));
    assert_eq!(
        config.tls.key_data.as_ref().unwrap().expose().as_slice(),
        b"KEY PEM"
    );

    let imp = &config.impersonate;
    assert_eq!(imp.user.as_deref(), Some("bob"));
    assert_eq!(imp.uid.as_deref(), Some("1001"));
    assert_eq!(imp.groups, ["system:masters", "devs"]);
    assert_eq!(
        imp.extra,
        [(
            "scopes".to_owned(),
            vec!["view".to_owned(), "edit".to_owned()]
        )]
    );

    let basic = Config::from_kubeconfig(&path, Some("basic")).unwrap();
    assert_eq!(basic.credentials.username.as_deref(), Some("alice"));
    assert_eq!(
        basic.credentials.password.as_ref().unwrap().expose(),
        "hunter2"
    );
    assert!(basic.credentials.bearer_token_file.is_none());

    let shown = format!("{config:?} {basic:?}");
    for secret in ["hunter2", "KEY PEM"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[test]
fn context_without_user_is_anonymous() {
    let dir = TempDir::new();
    let path = two_contexts(&dir);
    let config = Config::from_kubeconfig(&path, Some("anonymous")).unwrap();
    assert!(config.credentials.bearer_token.is_none());
    assert!(config.credentials.username.is_none());
    assert!(config.tls.cert_data.is_none());
}

#[test]
fn inline_token_wins_over_token_file_and_paths_resolve_from_the_file() {
    let dir = TempDir::new();
    let yaml = r#"
current-context: c
clusters: [{name: k, cluster: {server: "127.0.0.1:6443", certificate-authority-data: Y2E}}]
users: [{name: u, user: {token: inline, tokenFile: missing-but-unused}}]
contexts: [{name: c, context: {cluster: k, user: u, namespace: ns}}]
"#;
    let config = Config::from_kubeconfig_str(yaml, &dir.0, None).unwrap();
    assert_eq!(config.credentials.bearer_token.unwrap().expose(), "inline");
    assert_eq!(config.credentials.bearer_token_file, None);
    // No scheme: https because a CA is configured, as client-go's DefaultServerURL.
    assert_eq!(config.host, "https://127.0.0.1:6443");
    // Unpadded base64 is accepted.
    assert_eq!(config.tls.ca_data.as_deref(), Some(&b"ca"[..]));
}

#[tokio::test]
async fn a_loaded_config_authenticates_requests() {
    use axum::http::HeaderMap;
    use axum::routing::get;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route(
        "/version",
        get(|headers: HeaderMap| async move {
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned()
            };
            axum::Json(serde_json::json!({
                "authorization": header("authorization"),
                "impersonate": header("impersonate-user"),
            }))
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = TempDir::new();
    dir.write("token", "from-file\n");
    let path = dir.write(
        "config",
        &format!(
            "current-context: local\n\
             clusters: [{{name: local, cluster: {{server: 'http://{addr}'}}}}]\n\
             users: [{{name: me, user: {{tokenFile: token, as: someone}}}}]\n\
             contexts: [{{name: local, context: {{cluster: local, user: me}}}}]\n"
        ),
    );
    let config = Config::from_kubeconfig(&path, None).unwrap();
    let client = RestClient::for_config(&config).unwrap();
    let seen: serde_json::Value = client
        .get()
        .abs_path("/version")
        .send()
        .await
        .decode()
        .unwrap();
    assert_eq!(seen["authorization"], "Bearer from-file");
    assert_eq!(seen["impersonate"], "someone");
}

#[test]
fn missing_file_names_the_path() {
    let dir = TempDir::new();
    let path = dir.0.join("nope");
    let err = kubeconfig_error(Config::from_kubeconfig(&path, None));
    assert!(matches!(err.kind(), KubeconfigErrorKind::Read { .. }));
    let text = err.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
}

#[test]
fn broken_yaml_names_the_file() {
    let dir = TempDir::new();
    let path = dir.write("config", "clusters: [\n  - name: x\n  cluster: {");
    let err = kubeconfig_error(Config::from_kubeconfig(&path, None));
    assert!(
        matches!(err.kind(), KubeconfigErrorKind::Parse { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains(&path.display().to_string()));
    // An empty file is a kubeconfig with nothing in it.
    let empty = dir.write("empty", "");
    let err = kubeconfig_error(Config::from_kubeconfig(&empty, None));
    assert!(matches!(err.kind(), KubeconfigErrorKind::NoContext { .. }));
}

#[test]
fn context_errors_list_what_exists() {
    let dir = TempDir::new();
    let path = two_contexts(&dir);
    let err = kubeconfig_error(Config::from_kubeconfig(&path, Some("staging")));
    assert_eq!(err.context(), Some("staging"));
    assert_eq!(
        err.to_string(),
        format!(
            "kubeconfig {}, context \"staging\": context \"staging\" not found; use one of: prod, dev, basic, anonymous",
            path.display()
        )
    );

    let yaml = "contexts: [{name: a, context: {cluster: k}}]\nclusters: [{name: k, cluster: {server: 'https://h'}}]";
    let err = kubeconfig_error(Config::from_kubeconfig_str(yaml, ".", None));
    assert!(
        err.to_string()
            .contains("current-context is not set; name one of the contexts (a)"),
        "{err}"
    );
}

#[test]
fn missing_user_and_cluster_name_the_context_field() {
    let yaml = r#"
clusters: [{name: k, cluster: {server: "https://h"}}]
users: [{name: alice, user: {token: t}}]
contexts:
- {name: no-user, context: {cluster: k, user: bob}}
- {name: no-cluster, context: {cluster: gone, user: alice}}
- {name: blank, context: {user: alice}}
"#;
    let err = kubeconfig_error(Config::from_kubeconfig_str(yaml, ".", Some("no-user")));
    assert_eq!(err.field(), Some("contexts[no-user].context.user"));
    assert!(
        err.to_string().ends_with(
            "context \"no-user\", contexts[no-user].context.user: user \"bob\" not found; add it under users or use one of: alice"
        ),
        "{err}"
    );

    let err = kubeconfig_error(Config::from_kubeconfig_str(yaml, ".", Some("no-cluster")));
    assert!(
        matches!(err.kind(), KubeconfigErrorKind::ClusterNotFound { name, .. } if name == "gone"),
        "{err:?}"
    );
    let err = kubeconfig_error(Config::from_kubeconfig_str(yaml, ".", Some("blank")));
    assert!(
        matches!(err.kind(), KubeconfigErrorKind::NoCluster),
        "{err:?}"
    );
}

#[test]
fn bad_base64_names_the_field() {
    let yaml = r#"
current-context: c
clusters: [{name: k, cluster: {server: "https://h"}}]
users: [{name: u, user: {client-certificate-data: Q0VSVA==, client-key-data: "not base64!"}}]
contexts: [{name: c, context: {cluster: k, user: u}}]
"#;
    let err = kubeconfig_error(Config::from_kubeconfig_str(yaml, ".", None));
    assert!(matches!(
        err.kind(),
        KubeconfigErrorKind::InvalidBase64 { .. }
    ));
    assert_eq!(err.field(), Some("users[u].client-key-data"));
    let text = err.to_string();
    assert!(
        text.starts_with("kubeconfig, context \"c\", users[u].client-key-data: not valid base64"),
        "{text}"
    );
}

#[test]
fn unreadable_referenced_file_names_it_and_the_field() {
    let dir = TempDir::new();
    let path = dir.write(
        "config",
        "current-context: c\n\
         clusters: [{name: k, cluster: {server: 'https://h', certificate-authority: certs/ca.pem}}]\n\
         contexts: [{name: c, context: {cluster: k}}]\n",
    );
    let err = kubeconfig_error(Config::from_kubeconfig(&path, None));
    let KubeconfigErrorKind::ReadFile { file, .. } = err.kind() else {
        panic!("expected ReadFile, got {err:?}");
    };
    assert_eq!(file, &dir.0.join("certs/ca.pem"));
    assert_eq!(err.field(), Some("clusters[k].certificate-authority"));
    assert!(err
        .to_string()
        .contains("relative to the kubeconfig's folder"));

    let token_file = "current-context: c\n\
         clusters: [{name: k, cluster: {server: 'https://h'}}]\n\
         users: [{name: u, user: {tokenFile: /nonexistent/krest/token}}]\n\
         contexts: [{name: c, context: {cluster: k, user: u}}]\n";
    let err = kubeconfig_error(Config::from_kubeconfig_str(token_file, ".", None));
    assert_eq!(err.field(), Some("users[u].tokenFile"));
}

#[test]
fn exec_users_load_and_auth_providers_point_to_exec_plugins() {
    let yaml = r#"
current-context: c
clusters: [{name: k, cluster: {server: "https://h"}}]
users:
- name: eks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token]
- name: gcp
  user:
    auth-provider: {name: gcp}
contexts:
- {name: c, context: {cluster: k, user: eks}}
- {name: g, context: {cluster: k, user: gcp}}
"#;
    let config = Config::from_kubeconfig_str(yaml, ".", None).unwrap();
    let exec = config.credentials.exec.unwrap();
    assert_eq!(exec.command, "aws");
    assert_eq!(exec.args, ["eks", "get-token"]);
    // v1beta1 defaults interactiveMode, as client-go.
    assert_eq!(exec.interactive_mode.as_deref(), Some("IfAvailable"));
    let err = kubeconfig_error(Config::from_kubeconfig_str(yaml, ".", Some("g")));
    assert_eq!(err.field(), Some("users[gcp].auth-provider"));
    assert!(
        err.to_string()
            .contains("auth-provider \"gcp\" is not supported; use an exec credential plugin"),
        "{err}"
    );
}

#[test]
fn inconsistent_fields_are_rejected_like_client_go() {
    let base = |cluster: &str, user: &str| {
        format!(
            "current-context: c\nclusters: [{{name: k, cluster: {cluster}}}]\nusers: [{{name: u, user: {user}}}]\ncontexts: [{{name: c, context: {{cluster: k, user: u}}}}]\n"
        )
    };
    let cases = [
        (base("{server: 'https://h', certificate-authority: a, certificate-authority-data: Y2E=}", "{}"), "clusters[k].certificate-authority-data"),
        (base("{server: 'https://h', insecure-skip-tls-verify: true, certificate-authority-data: Y2E=}", "{}"), "clusters[k].insecure-skip-tls-verify"),
        (base("{server: 'https://h'}", "{client-certificate-data: Y2E=}"), "users[u].client-key"),
        (base("{server: 'https://h'}", "{client-key-data: Y2E=}"), "users[u].client-certificate"),
        (base("{certificate-authority-data: Y2E=}", "{}"), "clusters[k].server"),
        (base("{server: 'ftp://h'}", "{}"), "clusters[k].server"),
    ];
    for (yaml, field) in cases {
        let err = kubeconfig_error(Config::from_kubeconfig_str(&yaml, Path::new("."), None));
        assert_eq!(err.field(), Some(field), "{err}");
    }
}
