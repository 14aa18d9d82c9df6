//! No secret in any log line or `Debug` string: every `tracing` event and span at TRACE level
//! (rest-core's and its dependencies') and the `Debug` and `Display` of every config, client,
//! kubeconfig and error, through token, basic, client-certificate and exec-plugin flows that
//! succeed and that fail, scanned for each secret they used.
#![cfg(unix)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::support::{b64, kubeconfig, AuthServer, Pki, TempDir};
use rest_core::{Config, Kubeconfig, RestClient};
use tracing_subscriber::fmt::format::FmtSpan;

/// Everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What the flows leave behind: the log, and the strings made of their values.
#[derive(Default)]
struct Seen {
    strings: Vec<String>,
}

impl Seen {
    fn debug(&mut self, what: &str, value: &dyn std::fmt::Debug) {
        self.strings.push(format!("{what}: {value:?}"));
        self.strings.push(format!("{what}: {value:#?}"));
    }
    fn result<T: std::fmt::Debug>(&mut self, what: &str, result: &Result<T, rest_core::Error>) {
        match result {
            Ok(value) => self.debug(what, value),
            Err(err) => {
                self.debug(what, err);
                self.strings.push(format!("{what}: {err}"));
                let mut source = std::error::Error::source(err);
                while let Some(cause) = source {
                    self.strings
                        .push(format!("{what} cause: {cause} / {cause:?}"));
                    source = cause.source();
                }
            }
        }
    }
}

/// A GET of `/api/v1/namespaces` (the server answers without echoing who asked).
async fn call(config: &Config, seen: &mut Seen, what: &str) -> bool {
    seen.debug(&format!("{what} config"), config);
    let client = match RestClient::for_config(config) {
        Ok(client) => client,
        Err(err) => {
            seen.result::<()>(&format!("{what} client"), &Err(err));
            return false;
        }
    };
    seen.debug(&format!("{what} client"), &client);
    let request = client.get().resource("namespaces");
    seen.debug(&format!("{what} request"), &request);
    let response = request.send().await;
    let ok = response.error().is_none();
    seen.result(
        &format!("{what} response"),
        &response.into_result().map(drop),
    );
    ok
}

fn load(dir: &TempDir, yaml: &str, seen: &mut Seen) -> Config {
    let path = dir.write("config", yaml);
    let kubeconfig = Kubeconfig::read(&path).unwrap();
    seen.debug("kubeconfig", &kubeconfig);
    let mut config = Config::from_kubeconfig(&path, None).unwrap();
    config.qps = 0.0;
    config
}

const TOKEN: &str = "tok-7f3a9c1e5b2d4860a1b2c3d4";
const WRONG_TOKEN: &str = "tok-wrong-0e1f2a3b4c5d6e7f";
const PASSWORD: &str = "pw-Zq8vX2mN5kL9";
const WRONG_PASSWORD: &str = "pw-wrong-Yt6cB1";
const EXEC_TOKEN: &str = "exec-tok-3c4d5e6f7a8b9c0d";
const EXEC_REFUSED: &str = "exec-tok-refused-11223344";

/// The PEM body of a key, the part that is secret (a few lines in the middle).
fn key_marks(key_pem: &str) -> Vec<String> {
    key_pem
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 16)
        .map(|l| l[..16].to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_traces_or_debug_strings() {
    let log = Captured::default();
    let writer = log.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let pki = Pki::new(&["127.0.0.1"]);
    let server = AuthServer::start(&pki).await;
    server.accept_token(TOKEN);
    server.accept_basic("alice", PASSWORD);
    server.accept_token(EXEC_TOKEN);
    let dir = TempDir::new("secrets");
    let mut seen = Seen::default();
    let mut secrets: Vec<String> = [
        TOKEN,
        WRONG_TOKEN,
        PASSWORD,
        WRONG_PASSWORD,
        EXEC_TOKEN,
        EXEC_REFUSED,
    ]
    .map(str::to_owned)
    .to_vec();
    // Basic credentials as they go on the wire.
    secrets.push(b64(format!("alice:{PASSWORD}")));
    secrets.push(b64(format!("alice:{WRONG_PASSWORD}")));

    // Bearer token: accepted, refused.
    let user = format!("{{token: {TOKEN}}}");
    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, &user),
        &mut seen,
    );
    assert!(call(&config, &mut seen, "token").await);
    let user = format!("{{token: {WRONG_TOKEN}}}");
    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, &user),
        &mut seen,
    );
    assert!(!call(&config, &mut seen, "wrong token").await);

    // A token file: read, then rotated to a refused one.
    let token_file = dir.write("token", TOKEN);
    let user = format!("{{tokenFile: {}}}", token_file.display());
    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, &user),
        &mut seen,
    );
    assert!(call(&config, &mut seen, "token file").await);
    dir.write("token", WRONG_TOKEN);
    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, &user),
        &mut seen,
    );
    assert!(!call(&config, &mut seen, "rotated token file").await);

    // Basic: accepted, refused.
    let user = format!("{{username: alice, password: {PASSWORD}}}");
    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, &user),
        &mut seen,
    );
    assert!(call(&config, &mut seen, "basic").await);
    let user = format!("{{username: alice, password: {WRONG_PASSWORD}}}");
    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, &user),
        &mut seen,
    );
    assert!(!call(&config, &mut seen, "wrong password").await);

    // Client certificate: accepted; a key that is not the certificate's; a key that is no key.
    let (cert, key) = pki.client_cert("carol");
    let (_, other_key) = pki.client_cert("mallory");
    secrets.extend(key_marks(&key));
    secrets.extend(key_marks(&other_key));
    let user = format!(
        "{{client-certificate-data: {}, client-key-data: {}}}",
        b64(&cert),
        b64(&key)
    );
    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, &user),
        &mut seen,
    );
    assert!(call(&config, &mut seen, "client certificate").await);
    let user = format!(
        "{{client-certificate-data: {}, client-key-data: {}}}",
        b64(&cert),
        b64(&other_key)
    );
    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, &user),
        &mut seen,
    );
    assert!(!call(&config, &mut seen, "mismatched key").await);
    let broken = other_key.replace("PRIVATE KEY-----\n", "PRIVATE KEY-----\n!!");
    let user = format!(
        "{{client-certificate-data: {}, client-key-data: {}}}",
        b64(&cert),
        b64(&broken)
    );
    let config = load(
        &dir,
        &kubeconfig(&server.url, &pki.ca_pem, &user),
        &mut seen,
    );
    assert!(!call(&config, &mut seen, "broken key").await);

    // Exec plugins: a token accepted; a token refused (run again after the 401, refused
    // again); a plugin that fails; a client certificate and key from the plugin.
    let script = |body: &str| {
        let path = dir.script(&format!("plugin-{}", body.len()), body);
        format!(
            "{{exec: {{apiVersion: client.authentication.k8s.io/v1, command: '{}', interactiveMode: Never}}}}",
            path.display()
        )
    };
    let credential = |status: &str| {
        format!(
            "printf '%s' '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{status}}}'\n"
        )
    };
    for (what, body, ok) in [
        (
            "exec token",
            credential(&format!("{{\"token\":\"{EXEC_TOKEN}\"}}")),
            true,
        ),
        (
            "exec refused token",
            credential(&format!("{{\"token\":\"{EXEC_REFUSED}\"}}")),
            false,
        ),
        (
            "exec failing",
            "echo 'cannot reach the identity provider' >&2\nexit 3\n".to_owned(),
            false,
        ),
        (
            "exec bad output",
            format!("printf 'token={EXEC_REFUSED}'\n"),
            false,
        ),
        (
            "exec certificate",
            credential(&format!(
                "{{\"clientCertificateData\":\"{}\",\"clientKeyData\":\"{}\"}}",
                cert.replace('\n', "\\n"),
                key.replace('\n', "\\n")
            )),
            true,
        ),
    ] {
        let user = script(&body);
        let config = load(
            &dir,
            &kubeconfig(&server.url, &pki.ca_pem, &user),
            &mut seen,
        );
        assert_eq!(call(&config, &mut seen, what).await, ok, "{what}");
    }

    let log = String::from_utf8_lossy(&log.0.lock().unwrap()).into_owned();
    assert!(
        log.contains("TRACE") || log.contains("DEBUG"),
        "nothing was captured: {log}"
    );
    // The scan sees what was there: the URL in the log, the user name in the configs.
    assert!(
        log.contains("/api/v1/namespaces"),
        "rest-core's events were not captured"
    );
    assert!(seen.strings.iter().any(|s| s.contains("alice")));
    let mut found = Vec::new();
    for secret in &secrets {
        if let Some(at) = log.find(secret.as_str()) {
            let line = log[..at].rsplit('\n').next().unwrap_or("");
            found.push(format!("{secret:?} in the log: {line}..."));
        }
        for s in &seen.strings {
            if s.contains(secret.as_str()) {
                found.push(format!("{secret:?} in {s}"));
            }
        }
    }
    assert!(found.is_empty(), "secrets leaked:\n{}", found.join("\n"));
    println!(
        "scanned {} bytes of TRACE output and {} Debug/Display strings for {} secrets",
        log.len(),
        seen.strings.len(),
        secrets.len()
    );
}
