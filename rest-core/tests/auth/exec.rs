//! Exec credential plugins (small shell scripts written by each test) against an HTTPS
//! server that checks what they return: run once and cached, run again after the
//! credential expires and after a 401 (then the request is retried once), client
//! certificates, cluster info, and errors that say which kubeconfig and what to do.
#![cfg(unix)]

use std::path::Path;

use crate::support::{b64, AuthServer, Pki, TempDir};
use rest_core::{Config, Error, ExecErrorKind, RestClient};

/// A plugin that logs each run to `runs`, and prints the token in `token` with the
/// expiration in `expiry` (if any), in the `apiVersion` the kubeconfig asks for.
const TOKEN_PLUGIN: &str = r#"
echo "run $*" >> "$PLUGIN_DIR/runs"
printf '%s' "$KUBERNETES_EXEC_INFO" > "$PLUGIN_DIR/info"
token=$(cat "$PLUGIN_DIR/token")
exp=$(cat "$PLUGIN_DIR/expiry" 2>/dev/null)
if [ -n "$exp" ]; then exp=",\"expirationTimestamp\":\"$exp\""; fi
printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s"%s}}' "$API_VERSION" "$token" "$exp"
"#;

struct Plugin {
    dir: TempDir,
    kubeconfig: std::path::PathBuf,
}

impl Plugin {
    /// A kubeconfig in a temp folder whose user runs `script` (written to `bin/plugin`).
    fn new(server: &AuthServer, pki: &Pki, script: &str, api_version: &str) -> Plugin {
        let dir = TempDir::new("exec");
        dir.script("bin/plugin", script);
        let exec = format!(
            "{{apiVersion: {api_version}, command: ./bin/plugin, args: [get-token, --cluster=test], interactiveMode: Never, provideClusterInfo: true, \
             env: [{{name: PLUGIN_DIR, value: '{dir}'}}, {{name: API_VERSION, value: {api_version}}}]}}",
            dir = dir.0.display()
        );
        let yaml = format!(
            "current-context: test\n\
             clusters:\n\
             - name: test\n  cluster:\n    server: '{server}'\n    certificate-authority-data: {ca}\n    extensions:\n    - {{name: client.authentication.k8s.io/exec, extension: {{audience: krest-tests}}}}\n\
             users: [{{name: me, user: {{exec: {exec}}}}}]\n\
             contexts: [{{name: test, context: {{cluster: test, user: me}}}}]\n",
            server = server.url,
            ca = b64(&pki.ca_pem),
        );
        let kubeconfig = dir.write("config", &yaml);
        Plugin { dir, kubeconfig }
    }

    fn set(&self, file: &str, value: &str) {
        self.dir.write(file, value);
    }

    fn runs(&self) -> usize {
        std::fs::read_to_string(self.dir.path("runs"))
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }

    fn client(&self) -> RestClient {
        let mut config = Config::from_kubeconfig(&self.kubeconfig, None).unwrap();
        config.qps = 0.0;
        RestClient::for_config(&config).unwrap()
    }
}

async fn whoami(client: &RestClient) -> Result<String, Error> {
    let v: serde_json::Value = client.get().abs_path("/version").send().await.decode()?;
    Ok(v["user"].as_str().unwrap_or("").to_owned())
}

#[tokio::test]
async fn the_token_is_cached_until_it_expires() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("exec-1");
    server.accept_token("exec-2");
    let plugin = Plugin::new(
        &server,
        &pki,
        TOKEN_PLUGIN,
        "client.authentication.k8s.io/v1",
    );
    plugin.set("token", "exec-1");
    // Already expired when issued: used for the request that asked, then run again.
    plugin.set("expiry", "2000-01-01T00:00:00Z");
    let client = plugin.client();
    assert_eq!(whoami(&client).await.unwrap(), "token:exec-1");
    assert_eq!(plugin.runs(), 1);
    assert_eq!(whoami(&client).await.unwrap(), "token:exec-1");
    assert_eq!(plugin.runs(), 2, "an expired credential is not reused");

    // Valid for long: the next request runs the plugin (the cached one expired), the
    // ones after reuse it, concurrent ones included.
    plugin.set("token", "exec-2");
    plugin.set("expiry", "2999-01-01T00:00:00+02:00");
    assert_eq!(whoami(&client).await.unwrap(), "token:exec-2");
    assert_eq!(plugin.runs(), 3);
    let all = futures::future::join_all((0..8).map(|_| whoami(&client))).await;
    assert!(
        all.iter()
            .all(|r| matches!(r.as_deref(), Ok("token:exec-2"))),
        "{all:?}"
    );
    assert_eq!(plugin.runs(), 3);

    // Args, env and KUBERNETES_EXEC_INFO reached the plugin.
    let runs = std::fs::read_to_string(plugin.dir.path("runs")).unwrap();
    assert!(runs.starts_with("run get-token --cluster=test\n"), "{runs}");
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(plugin.dir.path("info")).unwrap()).unwrap();
    assert_eq!(info["kind"], "ExecCredential");
    assert_eq!(info["apiVersion"], "client.authentication.k8s.io/v1");
    assert_eq!(info["spec"]["interactive"], false);
    assert_eq!(info["spec"]["cluster"]["server"], server.url);
    assert_eq!(
        info["spec"]["cluster"]["certificate-authority-data"],
        b64(&pki.ca_pem)
    );
    assert_eq!(
        info["spec"]["cluster"]["config"],
        serde_json::json!({"audience": "krest-tests"})
    );
}

#[tokio::test]
async fn a_401_runs_the_plugin_again_and_retries_once() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("old");
    let plugin = Plugin::new(
        &server,
        &pki,
        TOKEN_PLUGIN,
        "client.authentication.k8s.io/v1beta1",
    );
    plugin.set("token", "old");
    let client = plugin.client();
    assert_eq!(whoami(&client).await.unwrap(), "token:old");
    assert_eq!(plugin.runs(), 1);

    // The server stops accepting the token before it expires (revoked, rotated keys).
    server.revoke_token("old");
    server.accept_token("new");
    plugin.set("token", "new");
    let before = server.requests().len();
    assert_eq!(whoami(&client).await.unwrap(), "token:new");
    assert_eq!(plugin.runs(), 2);
    let tries: Vec<_> = server.requests()[before..]
        .iter()
        .map(|r| r.user.clone())
        .collect();
    assert_eq!(tries, [None, Some("token:new".to_owned())]);

    // When the fresh credential is refused too, the 401 is the answer: one retry only.
    server.revoke_token("new");
    let before = server.requests().len();
    let err = whoami(&client).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    assert_eq!(server.requests().len() - before, 2);
    assert_eq!(plugin.runs(), 3);
}

#[tokio::test]
async fn a_client_certificate_from_the_plugin_is_presented_and_rotated() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    let script = r#"
echo run >> "$PLUGIN_DIR/runs"
json() { awk '{printf "%s\\n", $0}' "$1"; }
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"%s","clientKeyData":"%s","expirationTimestamp":"%s"}}' \
  "$(json "$PLUGIN_DIR/tls.crt")" "$(json "$PLUGIN_DIR/tls.key")" "$(cat "$PLUGIN_DIR/expiry")"
"#;
    let plugin = Plugin::new(&server, &pki, script, "client.authentication.k8s.io/v1");
    let (cert, key) = pki.client_cert("exec-cert-1");
    plugin.set("tls.crt", &cert);
    plugin.set("tls.key", &key);
    plugin.set("expiry", "2000-01-01T00:00:00Z");
    let client = plugin.client();
    assert_eq!(whoami(&client).await.unwrap(), "cert:exec-cert-1");

    // It expired: the plugin runs again and hands out a new certificate, which the next
    // connection presents.
    let (cert, key) = pki.client_cert("exec-cert-2");
    plugin.set("tls.crt", &cert);
    plugin.set("tls.key", &key);
    plugin.set("expiry", "2999-01-01T00:00:00Z");
    assert_eq!(whoami(&client).await.unwrap(), "cert:exec-cert-2");
    assert_eq!(whoami(&client).await.unwrap(), "cert:exec-cert-2");
    assert_eq!(plugin.runs(), 2);
}

fn exec_error(err: Error) -> rest_core::ExecError {
    match err {
        Error::Exec(e) => e,
        other => panic!("expected an exec error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_plugin_that_is_not_installed_says_how_to_install_it() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    let dir = TempDir::new("exec");
    let exec = "{apiVersion: client.authentication.k8s.io/v1, command: krest-no-such-plugin, interactiveMode: Never, installHint: 'Install it with: brew install krest-plugin'}";
    let path = dir.write(
        "config",
        &crate::support::kubeconfig(&server.url, &pki.ca_pem, &format!("{{exec: {exec}}}")),
    );
    let config = Config::from_kubeconfig(&path, None).unwrap();
    let client = RestClient::for_config(&config).unwrap();
    let err = exec_error(whoami(&client).await.unwrap_err());
    assert!(
        matches!(err.kind(), ExecErrorKind::NotFound { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    let expected = format!(
        "kubeconfig {}, context \"test\", users[me].exec: exec plugin \"krest-no-such-plugin\" executable not found.",
        path.display()
    );
    assert!(text.starts_with(&expected), "{text}");
    assert!(
        text.ends_with("Install it with: brew install krest-plugin"),
        "{text}"
    );
    assert!(
        server.requests().is_empty(),
        "nothing is sent without credentials"
    );
}

#[tokio::test]
async fn garbage_and_failures_are_reported_without_the_output() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    let cases = [
        (
            "printf 'TOKEN-LEAK is not json'",
            "returned unusable output: not JSON",
        ),
        (
            r#"printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"TOKEN-LEAK"}}'"#,
            "configured for apiVersion client.authentication.k8s.io/v1 but returned \"client.authentication.k8s.io/v1beta1\"",
        ),
        (
            r#"printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}'"#,
            "no status field",
        ),
        (
            r#"printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"TOKEN-LEAK"}}'"#,
            "only one of clientCertificateData and clientKeyData",
        ),
        (
            r#"printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"TOKEN-LEAK","expirationTimestamp":"soon"}}'"#,
            "expirationTimestamp \"soon\" is not an RFC 3339 time",
        ),
        (
            "echo 'TOKEN-LEAK' ; echo 'error: session expired, run: aws sso login' >&2; exit 3",
            "failed with exit status: 3: error: session expired, run: aws sso login; run it by hand",
        ),
    ];
    for (body, expected) in cases {
        let plugin = Plugin::new(&server, &pki, body, "client.authentication.k8s.io/v1");
        let err = exec_error(whoami(&plugin.client()).await.unwrap_err());
        let text = format!("{err} {err:?}");
        assert!(text.contains(expected), "{expected:?} not in {text}");
        assert!(text.contains("users[me].exec"), "{text}");
        assert!(!text.contains("TOKEN-LEAK"), "plugin output leaked: {text}");
    }
}

#[test]
fn invalid_exec_settings_are_kubeconfig_errors() {
    let base = |exec: &str| {
        format!(
            "current-context: c\nclusters: [{{name: k, cluster: {{server: 'https://h'}}}}]\n\
             users: [{{name: u, user: {{exec: {exec}}}}}]\ncontexts: [{{name: c, context: {{cluster: k, user: u}}}}]\n"
        )
    };
    let cases = [
        ("{apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never}", "users[u].exec.command"),
        ("{command: p, apiVersion: client.authentication.k8s.io/v1alpha1}", "users[u].exec.apiVersion"),
        ("{command: p, apiVersion: client.authentication.k8s.io/v1}", "users[u].exec.interactiveMode"),
        ("{command: p, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Sometimes}", "users[u].exec.interactiveMode"),
        ("{command: p, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, env: [{value: x}]}", "users[u].exec.env"),
    ];
    for (exec, field) in cases {
        match Config::from_kubeconfig_str(&base(exec), Path::new("."), None) {
            Err(Error::Kubeconfig(e)) => assert_eq!(e.field(), Some(field), "{e}"),
            other => panic!("{exec}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn interactive_plugins_are_refused_and_static_credentials_win() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("static");
    let dir = TempDir::new("exec");
    dir.script("plugin", "echo run >> \"$0.runs\"");
    let exec = |mode: &str| {
        format!(
            "{{apiVersion: client.authentication.k8s.io/v1, command: {}, interactiveMode: {mode}}}",
            dir.path("plugin").display()
        )
    };
    let path = dir.write(
        "config",
        &crate::support::kubeconfig(
            &server.url,
            &pki.ca_pem,
            &format!("{{exec: {}}}", exec("Always")),
        ),
    );
    let client = RestClient::for_config(&Config::from_kubeconfig(&path, None).unwrap()).unwrap();
    let err = exec_error(whoami(&client).await.unwrap_err());
    assert!(matches!(err.kind(), ExecErrorKind::Interactive), "{err}");

    // A token next to the plugin is used and the plugin never runs (as client-go).
    let path = dir.write(
        "config2",
        &crate::support::kubeconfig(
            &server.url,
            &pki.ca_pem,
            &format!("{{token: static, exec: {}}}", exec("Never")),
        ),
    );
    let client = RestClient::for_config(&Config::from_kubeconfig(&path, None).unwrap()).unwrap();
    assert_eq!(whoami(&client).await.unwrap(), "token:static");
    assert!(!dir.path("plugin.runs").exists());
}
