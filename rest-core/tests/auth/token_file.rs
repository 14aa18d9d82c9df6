//! Token files are read again when they change, as projected service-account tokens rotate:
//! by rename, in place, and by the kubelet's symlink swap; a file that disappears keeps the
//! last token. In-cluster config uses the same rotation.

use crate::support::{AuthServer, Pki, TempDir};
use rest_core::{Config, Env, RestClient};

async fn whoami_with(client: &RestClient) -> String {
    let v: serde_json::Value = client
        .get()
        .abs_path("/version")
        .send()
        .await
        .decode()
        .unwrap();
    v["user"].as_str().unwrap().to_owned()
}

fn config_for(server: &AuthServer, pki: &Pki) -> Config {
    let mut config = Config::new(&server.url);
    config.tls.ca_data = Some(pki.ca_pem.clone().into_bytes());
    config.qps = 0.0;
    config
}

#[tokio::test]
async fn a_rotated_token_file_is_picked_up_by_the_same_client() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    let dir = TempDir::new("token");
    let token = dir.write("token", "token-one\n");
    let mut config = config_for(&server, &pki);
    config.credentials.bearer_token_file = Some(token.clone());
    let client = RestClient::for_config(&config).unwrap();
    for t in [
        "token-one",
        "token-two",
        "token-three-is-longer",
        "token-four",
    ] {
        server.accept_token(t);
    }
    assert_eq!(whoami_with(&client).await, "token:token-one");

    // Rotation by rename, as most writers do it: a new inode.
    let next = dir.write("token.tmp", "token-two");
    std::fs::rename(&next, &token).unwrap();
    server.revoke_token("token-one");
    assert_eq!(whoami_with(&client).await, "token:token-two");

    // Rewritten in place.
    std::fs::write(&token, "token-three-is-longer").unwrap();
    assert_eq!(whoami_with(&client).await, "token:token-three-is-longer");

    // Gone for a moment (a rotation half-way): the last token read is still used.
    std::fs::remove_file(&token).unwrap();
    assert_eq!(whoami_with(&client).await, "token:token-three-is-longer");

    // Back, and clones of the client share the one token source.
    std::fs::write(&token, "token-four").unwrap();
    let clone = client.clone();
    assert_eq!(whoami_with(&clone).await, "token:token-four");
    assert_eq!(
        server
            .requests()
            .iter()
            .filter_map(|r| r.user.clone())
            .collect::<Vec<_>>(),
        [
            "token:token-one",
            "token:token-two",
            "token:token-three-is-longer",
            "token:token-three-is-longer",
            "token:token-four"
        ]
    );
}

#[cfg(unix)]
#[tokio::test]
async fn the_kubelet_symlink_swap_is_picked_up() {
    use std::os::unix::fs::symlink;
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("projected-1");
    server.accept_token("projected-2");
    // The kubelet's atomic writer: token -> ..data/token, ..data -> ..<timestamp>.
    let dir = TempDir::new("token");
    dir.write("..2024_01/token", "projected-1");
    symlink("..2024_01", dir.path("..data")).unwrap();
    symlink("..data/token", dir.path("token")).unwrap();
    let mut config = config_for(&server, &pki);
    config.credentials.bearer_token_file = Some(dir.path("token"));
    let client = RestClient::for_config(&config).unwrap();
    assert_eq!(whoami_with(&client).await, "token:projected-1");

    dir.write("..2024_02/token", "projected-2");
    symlink("..2024_02", dir.path("..data_tmp")).unwrap();
    std::fs::rename(dir.path("..data_tmp"), dir.path("..data")).unwrap();
    assert_eq!(whoami_with(&client).await, "token:projected-2");
}

#[tokio::test]
async fn in_cluster_config_from_the_service_account_folder() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("sa-token");
    server.accept_token("sa-token-rotated");
    let sa = TempDir::new("sa");
    sa.write("token", "sa-token");
    sa.write("ca.crt", &pki.ca_pem);
    sa.write("namespace", "shop\n");
    let env = Env::empty()
        .var("KUBERNETES_SERVICE_HOST", "127.0.0.1")
        .var("KUBERNETES_SERVICE_PORT", server.port.to_string())
        .service_account_dir(&sa.0);

    let mut config = Config::in_cluster_from(&env).unwrap();
    config.qps = 0.0;
    assert_eq!(config.host, server.url);
    assert_eq!(config.default_namespace, "shop");
    assert_eq!(config.credentials.bearer_token_file, Some(sa.path("token")));
    let client = RestClient::for_config(&config).unwrap();
    assert_eq!(whoami_with(&client).await, "token:sa-token");
    let next = sa.write("token.new", "sa-token-rotated");
    std::fs::rename(next, sa.path("token")).unwrap();
    assert_eq!(whoami_with(&client).await, "token:sa-token-rotated");

    // POD_NAMESPACE wins over the file; an IPv6 service host gets brackets.
    let config = Config::in_cluster_from(
        &env.clone()
            .var("POD_NAMESPACE", "from-env")
            .var("KUBERNETES_SERVICE_HOST", "fd00::1"),
    )
    .unwrap();
    assert_eq!(config.default_namespace, "from-env");
    assert_eq!(config.host, format!("https://[fd00::1]:{}", server.port));

    // Outside a pod: errors that say what is missing.
    let err = Config::in_cluster_from(&Env::empty()).unwrap_err();
    assert!(
        err.to_string()
            .contains("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set"),
        "{err}"
    );
    let empty = TempDir::new("sa");
    let err = Config::in_cluster_from(&env.clone().service_account_dir(&empty.0)).unwrap_err();
    assert!(
        err.to_string().contains(&format!(
            "cannot read the service-account token {}",
            empty.path("token").display()
        )),
        "{err}"
    );
}
