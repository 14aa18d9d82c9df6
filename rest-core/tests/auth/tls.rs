//! TLS as kubeconfig sets it up: the CA it names and no other, `tls-server-name`,
//! `insecure-skip-tls-verify` only when set (with a warning in the log), and nothing secret
//! in any log line while credentials are used.

use crate::support::{b64, kubeconfig, whoami, AuthServer, LogCapture, Pki, TempDir};
use rest_core::{Config, RestClient};

fn load(dir: &TempDir, yaml: &str) -> Config {
    let mut config = Config::from_kubeconfig(dir.write("config", yaml), None).unwrap();
    config.qps = 0.0;
    config
}

#[tokio::test]
async fn a_server_signed_by_another_ca_is_refused() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("t");
    let dir = TempDir::new("tls");
    let other = Pki::new(&["127.0.0.1"]);
    let config = load(&dir, &kubeconfig(&server.url, &other.ca_pem, "{token: t}"));
    let err = whoami(&config).await.unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    assert!(
        err.to_string().contains("invalid peer certificate"),
        "{err}"
    );
    assert!(server.requests().is_empty(), "the token was never sent");

    // Nor is the system's trust store consulted when a CA is named.
    let config = load(&dir, &kubeconfig(&server.url, &pki.ca_pem, "{token: t}"));
    assert_eq!(whoami(&config).await.unwrap(), "token:t");
}

#[tokio::test]
async fn tls_server_name_verifies_against_the_name_in_the_kubeconfig() {
    // The certificate names only the in-cluster service name, as behind a tunnel.
    let pki = Pki::new(&["kubernetes.default.svc"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("t");
    let dir = TempDir::new("tls");
    let yaml = |server_name: &str| {
        format!(
            "current-context: c\n\
             clusters: [{{name: k, cluster: {{server: '{}', certificate-authority-data: {}{server_name}}}}}]\n\
             users: [{{name: u, user: {{token: t}}}}]\n\
             contexts: [{{name: c, context: {{cluster: k, user: u}}}}]\n",
            server.url,
            b64(&pki.ca_pem)
        )
    };
    let err = whoami(&load(&dir, &yaml(""))).await.unwrap_err();
    assert!(
        err.to_string().contains("certificate not valid for name"),
        "{err}"
    );
    let config = load(&dir, &yaml(", tls-server-name: kubernetes.default.svc"));
    assert_eq!(
        config.tls.server_name.as_deref(),
        Some("kubernetes.default.svc")
    );
    assert_eq!(whoami(&config).await.unwrap(), "token:t");
    // The name is also sent in the handshake (SNI), as Go does, for load balancers that
    // route by it; the URL (and the Host header) keep the IP address.
    assert_eq!(server.last().sni.as_deref(), Some("kubernetes.default.svc"));
    let client = RestClient::for_config(&config).unwrap();
    assert_eq!(
        client.base_url().as_str(),
        format!("https://127.0.0.1:{}/", server.port)
    );

    // A server given by a DNS name gets the configured name as SNI too, not its host.
    let mut by_name = config.clone();
    by_name.host = format!("https://localhost:{}", server.port);
    assert_eq!(whoami(&by_name).await.unwrap(), "token:t");
    assert_eq!(server.last().sni.as_deref(), Some("kubernetes.default.svc"));

    // Through a proxy the address stays the IP (the proxy dials it); the name is still
    // sent and is what the certificate is checked against.
    let proxy = crate::support::ForwardProxy::start().await;
    let mut proxied = config.clone();
    proxied.proxy = rest_core::Proxy::Url(proxy.url.clone());
    assert_eq!(whoami(&proxied).await.unwrap(), "token:t");
    assert_eq!(
        proxy.targets(),
        [format!("CONNECT 127.0.0.1:{}", server.port)]
    );
    assert_eq!(server.last().sni.as_deref(), Some("kubernetes.default.svc"));

    // Without a configured name, an IP address is never sent as SNI.
    let pki_ip = Pki::new(&["127.0.0.1"]);
    let by_ip = AuthServer::start(&pki_ip).await;
    by_ip.accept_token("t");
    let yaml_ip = format!(
        "current-context: c\n\
         clusters: [{{name: k, cluster: {{server: '{}', certificate-authority-data: {}}}}}]\n\
         users: [{{name: u, user: {{token: t}}}}]\n\
         contexts: [{{name: c, context: {{cluster: k, user: u}}}}]\n",
        by_ip.url,
        b64(&pki_ip.ca_pem)
    );
    let config_ip = Config::from_kubeconfig(dir.write("ip", &yaml_ip), None).unwrap();
    assert_eq!(whoami(&config_ip).await.unwrap(), "token:t");
    assert_eq!(by_ip.last().sni, None, "no SNI for an IP address");

    let config = load(&dir, &yaml(", tls-server-name: other.name"));
    assert!(whoami(&config).await.is_err());
}

#[tokio::test]
async fn insecure_skip_tls_verify_only_when_set_and_logged() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("t");
    let dir = TempDir::new("tls");
    let yaml = |insecure: bool| {
        format!(
            "current-context: c\n\
             clusters: [{{name: k, cluster: {{server: '{}', insecure-skip-tls-verify: {insecure}}}}}]\n\
             users: [{{name: u, user: {{token: t}}}}]\n\
             contexts: [{{name: c, context: {{cluster: k, user: u}}}}]\n",
            server.url
        )
    };
    // Not set: the test CA is unknown to the system, so the server is refused.
    assert!(whoami(&load(&dir, &yaml(false))).await.is_err());

    let config = load(&dir, &yaml(true));
    let logs = LogCapture::default();
    let client = tracing::subscriber::with_default(logs.clone(), || {
        RestClient::for_config(&config).unwrap()
    });
    let warning = logs
        .lines()
        .into_iter()
        .find(|l| l.starts_with("WARN") && l.contains("insecure-skip-tls-verify"));
    assert!(warning.is_some(), "{:?}", logs.lines());
    let v: serde_json::Value = client.get().abs_path("/x").send().await.decode().unwrap();
    assert_eq!(v["user"], "token:t");
}

#[tokio::test]
async fn no_log_line_carries_a_credential() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("LOG-TOKEN-1");
    let dir = TempDir::new("tls");
    dir.write("token", "LOG-TOKEN-2");
    let logs = LogCapture::default();
    let _guard = tracing::subscriber::set_default(logs.clone());
    // Inline token, token file (read, then re-read after a change), a refused request.
    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, "{token: LOG-TOKEN-1}"),
    );
    whoami(&config).await.unwrap();
    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, "{tokenFile: token}"),
    );
    let client = RestClient::for_config(&config).unwrap();
    let _ = client.get().abs_path("/x").send().await;
    std::fs::write(dir.path("token"), "LOG-TOKEN-3-longer").unwrap();
    let _ = client.get().abs_path("/x").send().await;
    let lines = logs.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("bearer token file changed")),
        "{lines:?}"
    );
    for line in &lines {
        assert!(
            !line.contains("LOG-TOKEN"),
            "credential in a log line: {line}"
        );
    }
}
