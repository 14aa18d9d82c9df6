//! What `RestClient::for_config` makes of a `Config`: credentials and impersonation headers,
//! the user agent, derived clients, configuration errors, and a `Debug` without secrets.

use std::io::Write;

use crate::support::{config, serve, Log};
use axum::extract::Request as AxumRequest;
use axum::routing::any;
use rest_core::{Config, Error, GroupVersion, Impersonate, RestClient, Secret};

async fn recording() -> (String, Log) {
    let log = Log::default();
    let l = log.clone();
    let url = serve(axum::Router::new().fallback(any(move |req: AxumRequest| {
        let l = l.clone();
        async move {
            l.record(req.method(), req.uri(), req.headers(), b"");
            "{}"
        }
    })))
    .await;
    (url, log)
}

#[tokio::test]
async fn credentials_user_agent_and_impersonation_are_sent() {
    let (url, log) = recording().await;
    let (mut cfg, _) = config(&url);
    cfg.credentials.bearer_token = Some(Secret::from("s3cret-token"));
    cfg.impersonate = Impersonate {
        user: Some("jane".into()),
        uid: Some("42".into()),
        groups: vec!["devs".into(), "ops".into()],
        extra: vec![(
            "example.com/scopes".into(),
            vec!["view".into(), "edit".into()],
        )],
    };
    let c = RestClient::for_config(&cfg).unwrap();
    c.get().resource("pods").send().await;
    let seen = log.last();
    assert_eq!(
        seen.header("authorization").as_deref(),
        Some("Bearer s3cret-token")
    );
    assert_eq!(seen.header("impersonate-user").as_deref(), Some("jane"));
    assert_eq!(seen.header("impersonate-uid").as_deref(), Some("42"));
    assert_eq!(seen.header_all("impersonate-group"), ["devs", "ops"]);
    assert_eq!(
        seen.header_all("impersonate-extra-example.com%2fscopes"),
        ["view", "edit"]
    );
    assert_eq!(
        seen.header("accept").as_deref(),
        Some("application/json, */*")
    );
    let agent = seen.header("user-agent").unwrap();
    assert!(
        agent.starts_with("krest/0.1.0 (") && agent.contains('/'),
        "{agent}"
    );

    // Basic auth, and a custom user agent.
    let (mut cfg, _) = config(&url);
    cfg.credentials.username = Some("admin".into());
    cfg.credentials.password = Some(Secret::from("pa:ss"));
    cfg.user_agent = "my-operator/1.0".into();
    RestClient::for_config(&cfg)
        .unwrap()
        .get()
        .resource("pods")
        .send()
        .await;
    let seen = log.last();
    assert_eq!(
        seen.header("authorization").as_deref(),
        Some("Basic YWRtaW46cGE6c3M=")
    );
    assert_eq!(
        seen.header("user-agent").as_deref(),
        Some("my-operator/1.0")
    );

    // A token file wins over an inline token; its trailing newline is not part of the token.
    let mut file = tempfile();
    writeln!(file.1, "file-token").unwrap();
    let (mut cfg, _) = config(&url);
    cfg.credentials.bearer_token = Some(Secret::from("inline"));
    cfg.credentials.bearer_token_file = Some(file.0.clone());
    RestClient::for_config(&cfg)
        .unwrap()
        .get()
        .resource("pods")
        .send()
        .await;
    assert_eq!(
        log.last().header("authorization").as_deref(),
        Some("Bearer file-token")
    );

    // A request's own header wins over the client's.
    let (cfg, _) = config(&url);
    RestClient::for_config(&cfg)
        .unwrap()
        .get()
        .header("user-agent", "one-off")
        .send()
        .await;
    assert_eq!(log.last().header("user-agent").as_deref(), Some("one-off"));
    std::fs::remove_file(&file.0).unwrap();
}

/// A fresh file in the target's temp dir (no tempfile crate needed).
fn tempfile() -> (std::path::PathBuf, std::fs::File) {
    let path = std::env::temp_dir().join(format!(
        "krest-token-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let file = std::fs::File::create(&path).unwrap();
    (path, file)
}

#[test]
fn derived_clients_address_their_group_and_share_the_pool() {
    let core = RestClient::for_config(&Config::new("https://h:6443")).unwrap();
    assert_eq!(core.versioned_path(), "/api/v1");
    assert_eq!(core.default_namespace(), "default");
    let batch = core.for_group_version(GroupVersion::new("batch", "v1"));
    assert_eq!(batch.versioned_path(), "/apis/batch/v1");
    assert!(batch.shares_pool_with(&core));
    let back = batch.for_group_version(GroupVersion::core_v1());
    assert_eq!(back.versioned_path(), "/api/v1");
    assert!(!RestClient::for_config(&Config::new("https://h:6443"))
        .unwrap()
        .shares_pool_with(&core));

    // A group config, and a custom API path kept for every group.
    let mut cfg = Config::new("https://h:6443");
    cfg.group_version = GroupVersion::new("apps", "v1");
    assert_eq!(
        RestClient::for_config(&cfg).unwrap().versioned_path(),
        "/apis/apps/v1"
    );
    cfg.api_path = "/custom".into();
    let c = RestClient::for_config(&cfg).unwrap();
    assert_eq!(c.versioned_path(), "/custom/apps/v1");

    // A host without a scheme: https when TLS settings are present, else http (client-go).
    let c = RestClient::for_config(&Config::new("10.0.0.1:6443")).unwrap();
    assert_eq!(c.base_url().as_str(), "http://10.0.0.1:6443/");
    let mut cfg = Config::new("10.0.0.1:6443");
    cfg.tls.insecure_skip_tls_verify = true;
    assert_eq!(
        RestClient::for_config(&cfg).unwrap().base_url().as_str(),
        "https://10.0.0.1:6443/"
    );
}

fn config_error(cfg: &Config) -> String {
    match RestClient::for_config(cfg) {
        Err(e @ Error::Config { .. }) => e.to_string(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unusable_configs_are_rejected_with_the_reason() {
    let mut cfg = Config::new("https://h");
    cfg.credentials.bearer_token_file = Some("/nonexistent/token".into());
    assert!(config_error(&cfg).contains("cannot read bearer_token_file /nonexistent/token"));

    let mut cfg = Config::new("https://h");
    cfg.tls.ca_data = Some(b"not a certificate".to_vec());
    assert!(
        config_error(&cfg).contains("ca_data"),
        "{}",
        config_error(&cfg)
    );

    let mut cfg = Config::new("https://h");
    cfg.tls.cert_data = Some(b"-----BEGIN CERTIFICATE-----".to_vec());
    assert!(config_error(&cfg).contains("cert_data is set but key_data is missing"));

    let mut cfg = Config::new("https://h");
    cfg.tls.key_data = Some(Secret::new(b"key".to_vec()));
    cfg.tls.cert_data = Some(b"garbage".to_vec());
    let message = config_error(&cfg);
    assert!(
        message.contains("cert_data and key_data: the client certificate holds no PEM certificate"),
        "{message}"
    );

    let mut cfg = Config::new("https://h");
    cfg.tls.insecure_skip_tls_verify = true;
    cfg.tls.ca_data = Some(b"x".to_vec());
    assert!(config_error(&cfg).contains("cannot be combined with insecure_skip_tls_verify"));

    let cfg = Config::new("https://h:6443/?q=1");
    assert!(config_error(&cfg).contains("must not have a query"));
}

#[test]
fn debug_never_shows_secrets() {
    let mut cfg = Config::new("https://h:6443");
    cfg.credentials.bearer_token = Some(Secret::from("tok-SECRET-1"));
    cfg.credentials.username = Some("admin".into());
    cfg.credentials.password = Some(Secret::from("pw-SECRET-2"));
    cfg.tls.key_data = Some(Secret::new(b"key-SECRET-3".to_vec()));
    let text = format!("{cfg:?} {cfg:#?}");
    for secret in ["tok-SECRET-1", "pw-SECRET-2", "key-SECRET-3", "SECRET"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    assert!(text.contains("admin") && text.contains("<redacted>"));
    // Nor does the client built from it.
    cfg.tls.key_data = None;
    let client = RestClient::for_config(&cfg).unwrap();
    let text = format!("{client:?} {:?}", client.get().resource("pods"));
    assert!(!text.contains("SECRET"), "{text}");
}
