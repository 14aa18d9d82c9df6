//! Proxies: kubeconfig `proxy-url` (every request, HTTPS tunnelled with CONNECT), and
//! `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` given through an `Env` with Go's rules. A counting
//! proxy on loopback shows which requests went through it.

use crate::support::{b64, AuthServer, ForwardProxy, Pki, Socks5Proxy, TempDir};
use axum::routing::get;
use rest_core::{Config, Env, Proxy, ProxyEnv, RestClient};

async fn user_of(client: &RestClient) -> Result<String, rest_core::Error> {
    let v: serde_json::Value = client.get().abs_path("/version").send().await.decode()?;
    Ok(v["user"].as_str().unwrap_or("").to_owned())
}

/// A plain HTTP server answering `{"user": "plain"}`.
async fn plain_server() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = axum::Router::new().route(
        "/version",
        get(|| async { axum::Json(serde_json::json!({"user": "plain"})) }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    port
}

#[tokio::test]
async fn kubeconfig_proxy_url_tunnels_https_and_carries_the_credentials() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("through-proxy");
    let proxy = ForwardProxy::start().await;
    let dir = TempDir::new("proxy");
    let yaml = format!(
        "current-context: c\n\
         clusters: [{{name: k, cluster: {{server: '{}', certificate-authority-data: {}, proxy-url: '{}'}}}}]\n\
         users: [{{name: u, user: {{token: through-proxy}}}}]\n\
         contexts: [{{name: c, context: {{cluster: k, user: u}}}}]\n",
        server.url,
        b64(&pki.ca_pem),
        proxy.url
    );
    let mut config = Config::from_kubeconfig(dir.write("config", &yaml), None).unwrap();
    config.qps = 0.0;
    assert_eq!(config.proxy, Proxy::Url(proxy.url.clone()));
    let client = RestClient::for_config(&config).unwrap();
    // proxy-url applies even to loopback, as Go's http.ProxyURL.
    assert_eq!(user_of(&client).await.unwrap(), "token:through-proxy");
    assert_eq!(user_of(&client).await.unwrap(), "token:through-proxy");
    assert_eq!(
        proxy.targets(),
        [format!("CONNECT 127.0.0.1:{}", server.port)],
        "one tunnel, reused"
    );

    // A proxy-url that is no proxy address is an error naming the field.
    let bad = yaml.replace(&proxy.url, "ftp://p:21");
    let err = Config::from_kubeconfig(dir.write("bad", &bad), None).unwrap_err();
    assert!(
        err.to_string()
            .contains("clusters[k].proxy-url: proxy \"ftp://p:21\" has scheme \"ftp\""),
        "{err}"
    );
}

#[tokio::test]
async fn an_https_proxy_is_spoken_to_over_verified_tls() {
    // One CA signs both the API server's and the proxy's certificates: the proxy is trusted
    // as the server is (client-go uses the transport's TLS config for an https proxy too).
    let pki = Pki::new(&["api.test", "127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("t");
    let proxy = ForwardProxy::start_tls(&pki).await;
    assert!(proxy.url.starts_with("https://"), "{}", proxy.url);
    let dir = TempDir::new("proxy");
    let kubeconfig = |proxy_url: &str| {
        format!(
            "current-context: c\n\
             clusters: [{{name: k, cluster: {{server: 'https://api.test:{}', certificate-authority-data: {}, proxy-url: '{proxy_url}'}}}}]\n\
             users: [{{name: u, user: {{token: t}}}}]\n\
             contexts: [{{name: c, context: {{cluster: k, user: u}}}}]\n",
            server.port,
            b64(&pki.ca_pem),
        )
    };
    let config =
        Config::from_kubeconfig(dir.write("config", &kubeconfig(&proxy.url)), None).unwrap();
    let client = RestClient::for_config(&config).unwrap();
    // `api.test` resolves nowhere: only the proxy can have reached it.
    assert_eq!(user_of(&client).await.unwrap(), "token:t");
    assert_eq!(
        proxy.targets(),
        [format!("CONNECT api.test:{}", server.port)]
    );
    assert_eq!(
        server.last().sni.as_deref(),
        Some("api.test"),
        "SNI is the server's, inside the tunnel"
    );

    // A proxy whose certificate the CA did not sign is refused before anything is sent.
    let stranger = ForwardProxy::start_tls(&Pki::new(&["127.0.0.1"])).await;
    let config =
        Config::from_kubeconfig(dir.write("stranger", &kubeconfig(&stranger.url)), None).unwrap();
    let client = RestClient::for_config(&config).unwrap();
    let err = user_of(&client).await.unwrap_err();
    assert!(stranger.targets().is_empty(), "{:?}", stranger.targets());
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );
}

#[tokio::test]
async fn environment_proxies_are_used_per_scheme_through_infer() {
    let pki = Pki::new(&["api.test"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("t");
    let http_port = plain_server().await;
    let https_proxy = ForwardProxy::start().await;
    let http_proxy = ForwardProxy::start().await;
    let dir = TempDir::new("proxy");
    // `api.test` resolves nowhere: only a proxy can reach it (ours sends it to loopback).
    let kubeconfig = dir.write(
        "config",
        &format!(
            "current-context: tls\n\
             clusters:\n\
             - {{name: tls, cluster: {{server: 'https://api.test:{}', certificate-authority-data: {}}}}}\n\
             - {{name: plain, cluster: {{server: 'http://api.test:{http_port}'}}}}\n\
             users: [{{name: u, user: {{token: t}}}}]\n\
             contexts: [{{name: tls, context: {{cluster: tls, user: u}}}}, {{name: plain, context: {{cluster: plain, user: u}}}}]\n",
            server.port,
            b64(&pki.ca_pem)
        ),
    );
    let env = Env::empty()
        .var("KUBECONFIG", kubeconfig.to_string_lossy())
        .var("HTTPS_PROXY", &https_proxy.url)
        // Bare host:port means http://, and lower case works too.
        .var("http_proxy", http_proxy.url.trim_start_matches("http://"))
        .var("NO_PROXY", "example.com,10.0.0.0/8");

    let mut config = Config::infer_from(&env).unwrap();
    config.qps = 0.0;
    assert!(
        matches!(&config.proxy, Proxy::Env(e) if e.https_proxy.as_deref() == Some(https_proxy.url.as_str()))
    );
    let client = RestClient::for_config(&config).unwrap();
    assert_eq!(user_of(&client).await.unwrap(), "token:t");
    assert_eq!(
        https_proxy.targets(),
        [format!("CONNECT api.test:{}", server.port)]
    );

    let options = rest_core::KubeconfigOptions::context("plain");
    let mut config = Config::infer_with(&env, &options).unwrap();
    config.qps = 0.0;
    let client = RestClient::for_config(&config).unwrap();
    assert_eq!(user_of(&client).await.unwrap(), "plain");
    assert_eq!(
        http_proxy.targets(),
        [format!("GET http://api.test:{http_port}/version")]
    );
    assert_eq!(https_proxy.count(), 1, "http:// does not use HTTPS_PROXY");
}

/// `0.0.0.0` reaches the loopback listener on Linux without being a loopback address, so
/// Go's rules apply to it: proxied unless `NO_PROXY` lists it.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn no_proxy_sends_listed_hosts_direct() {
    let port = plain_server().await;
    let proxy = ForwardProxy::start().await;
    let target = format!("http://0.0.0.0:{port}");
    let client_with = |no_proxy: Option<&str>| {
        let mut config = Config::new(&target);
        config.qps = 0.0;
        config.proxy = Proxy::Env(ProxyEnv {
            http_proxy: Some(proxy.url.clone()),
            no_proxy: no_proxy.map(str::to_owned),
            ..Default::default()
        });
        RestClient::for_config(&config).unwrap()
    };
    assert_eq!(user_of(&client_with(None)).await.unwrap(), "plain");
    assert_eq!(proxy.count(), 1);
    for no_proxy in [
        "0.0.0.0",
        "*",
        "example.com, 0.0.0.0/8",
        &format!("0.0.0.0:{port}"),
    ] {
        assert_eq!(
            user_of(&client_with(Some(no_proxy))).await.unwrap(),
            "plain"
        );
        assert_eq!(
            proxy.count(),
            1,
            "NO_PROXY={no_proxy} should bypass the proxy"
        );
    }
    // A port that does not match keeps the proxy.
    let other_port = format!("0.0.0.0:{}", port.wrapping_add(1));
    assert_eq!(
        user_of(&client_with(Some(&other_port))).await.unwrap(),
        "plain"
    );
    assert_eq!(proxy.count(), 2);

    // Loopback is never proxied, and `Proxy::Direct` ignores the environment.
    let mut config = Config::new(format!("http://127.0.0.1:{port}"));
    config.proxy = Proxy::Env(ProxyEnv {
        http_proxy: Some(proxy.url.clone()),
        ..Default::default()
    });
    assert_eq!(
        user_of(&RestClient::for_config(&config).unwrap())
            .await
            .unwrap(),
        "plain"
    );
    let mut config = Config::new(&target);
    config.proxy = Proxy::Direct;
    assert_eq!(
        user_of(&RestClient::for_config(&config).unwrap())
            .await
            .unwrap(),
        "plain"
    );
    assert_eq!(proxy.count(), 2);
}

#[test]
fn bad_proxy_variables_fail_the_client_naming_the_variable() {
    let mut config = Config::new("https://h");
    config.proxy = Proxy::Env(ProxyEnv {
        https_proxy: Some("gopher://user:pw@p:70".into()),
        ..Default::default()
    });
    let err = RestClient::for_config(&config).unwrap_err().to_string();
    assert!(err.contains("HTTPS_PROXY: proxy"), "{err}");
    assert!(!err.contains(":pw@"), "password shown: {err}");
}

#[tokio::test]
async fn proxy_credentials_are_sent_to_http_proxies() {
    // Plain http: requests go to the proxy in absolute form, each with Proxy-Authorization.
    let port = plain_server().await;
    let proxy = ForwardProxy::start().await;
    let with_user = proxy.url.replace("http://", "http://u%40corp:p%3Ass@");
    let mut config = Config::new(format!("http://api.test:{port}"));
    config.proxy = Proxy::Url(with_user.clone());
    let client = RestClient::for_config(&config).unwrap();
    assert_eq!(user_of(&client).await.unwrap(), "plain");
    let basic = format!("Basic {}", b64("u@corp:p:ss"));
    assert_eq!(
        proxy.targets(),
        [format!("GET http://api.test:{port}/version")]
    );
    assert_eq!(proxy.auths(), [Some(basic.clone())]);

    // https: the credentials go on the CONNECT, and the proxy sees nothing else.
    let pki = Pki::new(&["api.test"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("t");
    let tunnel = ForwardProxy::start().await;
    let mut config = Config::new(format!("https://api.test:{}", server.port));
    config.tls.ca_data = Some(pki.ca_pem.clone().into_bytes());
    config.credentials.bearer_token = Some("t".to_owned().into());
    config.proxy = Proxy::Url(tunnel.url.replace("http://", "http://u%40corp:p%3Ass@"));
    let client = RestClient::for_config(&config).unwrap();
    assert_eq!(user_of(&client).await.unwrap(), "token:t");
    assert_eq!(
        tunnel.targets(),
        [format!("CONNECT api.test:{}", server.port)]
    );
    assert_eq!(tunnel.auths(), [Some(basic)]);
    assert!(
        server.last().headers.get("proxy-authorization").is_none(),
        "the server never sees the proxy's credentials"
    );
}

#[tokio::test]
async fn socks5_proxies_resolve_locally_and_socks5h_at_the_proxy() {
    let pki = Pki::new(&["localhost", "api.test"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("t");
    let socks = Socks5Proxy::start().await;
    let client_for = |host: &str, proxy: String| {
        let mut config = Config::new(format!("https://{host}:{}", server.port));
        config.tls.ca_data = Some(pki.ca_pem.clone().into_bytes());
        config.credentials.bearer_token = Some("t".to_owned().into());
        config.proxy = Proxy::Url(proxy);
        RestClient::for_config(&config).unwrap()
    };
    // socks5h: the proxy gets the name (here one only it can resolve), with the credentials.
    let remote = client_for(
        "api.test",
        format!("socks5h://user:pw@127.0.0.1:{}", socks.port),
    );
    assert_eq!(user_of(&remote).await.unwrap(), "token:t");
    // socks5: the name is resolved here and the proxy gets an address.
    let local = client_for("localhost", format!("socks5://127.0.0.1:{}", socks.port));
    assert_eq!(user_of(&local).await.unwrap(), "token:t");
    let seen = socks.seen();
    assert_eq!(
        seen[0],
        (
            format!("api.test:{}", server.port),
            Some("user:pw".to_owned())
        )
    );
    assert_eq!(seen[1].1, None);
    let addr = seen[1].0.rsplit_once(':').unwrap().0;
    assert!(addr.parse::<std::net::IpAddr>().is_ok(), "{seen:?}");
    assert_eq!(server.last().sni.as_deref(), Some("localhost"));
}
