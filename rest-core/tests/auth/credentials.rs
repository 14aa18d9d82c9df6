//! Every kind of kubeconfig credential against an HTTPS server that checks it: bearer
//! token, token file, basic auth, client certificates (EC and RSA keys in each PEM form);
//! wrong credentials come back as `is_unauthorized()`; impersonation reaches the server.

use crate::support::{data, kubeconfig, whoami, AuthServer, Pki, TempDir};
use rest_core::{Config, Error};

fn load(dir: &TempDir, yaml: &str) -> Config {
    let path = dir.write("config", yaml);
    let mut config = Config::from_kubeconfig(&path, None).unwrap();
    config.qps = 0.0;
    config
}

#[tokio::test]
async fn bearer_token_accepted_and_a_wrong_one_is_unauthorized() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("good-token");
    let dir = TempDir::new("creds");

    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, "{token: good-token}"),
    );
    assert_eq!(whoami(&config).await.unwrap(), "token:good-token");
    // The server negotiated HTTP/2 over TLS, as with a real API server.
    assert_eq!(server.last().version, http::Version::HTTP_2);

    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, "{token: bad-token}"),
    );
    let err = whoami(&config).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err:?}");
    assert_eq!(err.status().unwrap().message(), "Unauthorized");

    // No credentials at all: anonymous, refused.
    let config = load(&dir, &kubeconfig(&server.url, &pki.ca_pem, "{}"));
    assert!(whoami(&config).await.unwrap_err().is_unauthorized());
}

#[tokio::test]
async fn token_file_relative_to_the_kubeconfig() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("from-file");
    let dir = TempDir::new("creds");
    dir.write("secrets/token", "from-file\n");
    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, "{tokenFile: secrets/token}"),
    );
    assert_eq!(whoami(&config).await.unwrap(), "token:from-file");
}

#[tokio::test]
async fn basic_auth_accepted_and_a_wrong_password_is_unauthorized() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_basic("alice", "s3cret");
    let dir = TempDir::new("creds");
    let config = load(
        &dir,
        &kubeconfig(
            &server.url,
            &pki.ca_pem,
            "{username: alice, password: s3cret}",
        ),
    );
    assert_eq!(whoami(&config).await.unwrap(), "basic:alice");
    let config = load(
        &dir,
        &kubeconfig(
            &server.url,
            &pki.ca_pem,
            "{username: alice, password: nope}",
        ),
    );
    assert!(whoami(&config).await.unwrap_err().is_unauthorized());
}

#[tokio::test]
async fn client_certificates_with_ec_and_rsa_keys_in_every_pem_form() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    let dir = TempDir::new("creds");

    // A generated EC key (PKCS#8), inline as -data fields.
    let (cert, key) = pki.client_cert("ec-user");
    let user = format!(
        "{{client-certificate-data: {}, client-key-data: {}}}",
        crate::support::b64(&cert),
        crate::support::b64(&key)
    );
    let config = load(&dir, &kubeconfig(&server.url, &pki.ca_pem, &user));
    assert_eq!(whoami(&config).await.unwrap(), "cert:ec-user");

    // Keys as openssl writes them: RSA PKCS#1 and PKCS#8, EC SEC1 and PKCS#8; as files
    // next to the kubeconfig.
    for (name, cert_key, client_key) in [
        ("rsa-pkcs1", "rsa-pkcs8.key", "rsa-pkcs1.key"),
        ("rsa-pkcs8", "rsa-pkcs8.key", "rsa-pkcs8.key"),
        ("ec-sec1", "ec-pkcs8.key", "ec-sec1.key"),
        ("ec-pkcs8", "ec-pkcs8.key", "ec-pkcs8.key"),
    ] {
        let cert = pki.client_cert_for(name, &data(cert_key));
        dir.write(&format!("pki/{name}.crt"), &cert);
        dir.write(&format!("pki/{name}.key"), &data(client_key));
        let user = format!("{{client-certificate: pki/{name}.crt, client-key: pki/{name}.key}}");
        let config = load(&dir, &kubeconfig(&server.url, &pki.ca_pem, &user));
        assert_eq!(
            whoami(&config).await.unwrap(),
            format!("cert:{name}"),
            "{name}"
        );
    }

    // A certificate from another CA is refused by the server's TLS (no identity), and
    // the request is unauthorized.
    let other = Pki::new(&["x"]);
    let (cert, key) = other.client_cert("stranger");
    let user = format!(
        "{{client-certificate-data: {}, client-key-data: {}}}",
        crate::support::b64(&cert),
        crate::support::b64(&key)
    );
    let config = load(&dir, &kubeconfig(&server.url, &pki.ca_pem, &user));
    assert!(whoami(&config).await.is_err());
}

#[tokio::test]
async fn unusable_keys_are_errors_naming_the_problem() {
    let pki = Pki::new(&["127.0.0.1"]);
    let dir = TempDir::new("creds");
    let (cert, key) = pki.client_cert("u");
    let (_, other_key) = pki.client_cert("v");
    let cases = [
        (
            cert.clone(),
            "not a key".to_owned(),
            "the client key is not a PEM private key",
        ),
        (
            "garbage".to_owned(),
            key.clone(),
            "holds no PEM certificate",
        ),
        (
            cert.clone(),
            other_key,
            "the certificate and key do not go together",
        ),
    ];
    for (cert, key, expected) in cases {
        let user = format!(
            "{{client-certificate-data: {}, client-key-data: {}}}",
            crate::support::b64(&cert),
            crate::support::b64(&key)
        );
        let config = load(&dir, &kubeconfig("https://127.0.0.1:1", &pki.ca_pem, &user));
        let err = rest_core::RestClient::for_config(&config).unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
        assert!(err.to_string().contains(expected), "{err}");
        // The key never shows in the message.
        assert!(!err.to_string().contains("PRIVATE KEY"), "{err}");
    }
}

#[tokio::test]
async fn impersonation_user_groups_and_extra_reach_the_server() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token("admin");
    let dir = TempDir::new("creds");
    let user = "{token: admin, as: jane, as-uid: '42', as-groups: [devs, ops], as-user-extra: {example.com/scopes: [view, edit], team: [a]}}";
    let config = load(&dir, &kubeconfig(&server.url, &pki.ca_pem, user));
    assert_eq!(whoami(&config).await.unwrap(), "token:admin");
    let seen = server.last();
    assert_eq!(seen.header_all("impersonate-user"), ["jane"]);
    assert_eq!(seen.header_all("impersonate-uid"), ["42"]);
    assert_eq!(seen.header_all("impersonate-group"), ["devs", "ops"]);
    assert_eq!(
        seen.header_all("impersonate-extra-example.com%2fscopes"),
        ["view", "edit"]
    );
    assert_eq!(seen.header_all("impersonate-extra-team"), ["a"]);

    // Groups without a user to impersonate: refused as kubectl does.
    let path = dir.write(
        "bad",
        &kubeconfig(
            &server.url,
            &pki.ca_pem,
            "{token: admin, as-groups: [devs]}",
        ),
    );
    let err = Config::from_kubeconfig(&path, None).unwrap_err();
    assert!(
        err.to_string()
            .contains("users[me].as: uid, groups or user-extra are set"),
        "{err}"
    );
}

#[tokio::test]
async fn debug_and_errors_never_show_credentials() {
    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    let dir = TempDir::new("creds");
    let (cert, key) = pki.client_cert("u");
    let yaml = format!(
        "current-context: a\n\
         clusters: [{{name: k, cluster: {{server: '{}', certificate-authority-data: {}}}}}]\n\
         users:\n\
         - {{name: t, user: {{token: TOKEN-SECRET-1}}}}\n\
         - {{name: b, user: {{username: u, password: PASSWORD-SECRET-2}}}}\n\
         - {{name: c, user: {{client-certificate-data: {}, client-key-data: {}}}}}\n\
         - {{name: e, user: {{exec: {{apiVersion: client.authentication.k8s.io/v1, interactiveMode: Never, command: p, env: [{{name: AWS_SECRET, value: ENV-SECRET-3}}]}}}}}}\n\
         contexts: [{{name: a, context: {{cluster: k, user: t}}}}, {{name: b, context: {{cluster: k, user: b}}}}, {{name: c, context: {{cluster: k, user: c}}}}, {{name: e, context: {{cluster: k, user: e}}}}]\n",
        server.url,
        crate::support::b64(&pki.ca_pem),
        crate::support::b64(&cert),
        crate::support::b64(&key),
    );
    let path = dir.write("config", &yaml);
    let kubeconfig = rest_core::Kubeconfig::read(&path).unwrap();
    let mut shown = format!("{kubeconfig:?}");
    for context in ["a", "b", "c", "e"] {
        let config = Config::from_kubeconfig(&path, Some(context)).unwrap();
        shown.push_str(&format!("{config:?} {config:#?}"));
        // The refused request's error does not carry the credentials either.
        if let Err(err) = whoami(&config).await {
            shown.push_str(&format!("{err:?} {err}"));
        }
    }
    let key_body = key.lines().nth(1).unwrap();
    for secret in [
        "TOKEN-SECRET-1",
        "PASSWORD-SECRET-2",
        "ENV-SECRET-3",
        key_body,
    ] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    assert!(shown.contains("<redacted>"));
}
