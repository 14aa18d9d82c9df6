//! TLS through rustls: a server whose certificate comes from a test CA is trusted only with
//! that CA (or with verification explicitly off), a client certificate is presented, and
//! `server_name` verifies against another name than the host's.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, ExtendedKeyUsagePurpose, IsCa, KeyPair,
};
use rest_core::{Config, Error, RestClient, Secret};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

struct Pki {
    ca_pem: String,
    server: (CertificateDer<'static>, PrivateKeyDer<'static>),
    client_cert_pem: String,
    client_key_pem: String,
}

fn pki(server_names: &[&str]) -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let leaf = |names: Vec<String>, usage: ExtendedKeyUsagePurpose| {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(names).unwrap();
        params.extended_key_usages = vec![usage];
        (params.signed_by(&key, &ca).unwrap(), key)
    };
    let names = server_names.iter().map(|s| s.to_string()).collect();
    let (server_cert, server_key) = leaf(names, ExtendedKeyUsagePurpose::ServerAuth);
    let (client_cert, client_key) =
        leaf(vec!["client".into()], ExtendedKeyUsagePurpose::ClientAuth);
    Pki {
        ca_pem: ca.pem(),
        server: (
            server_cert.der().clone(),
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        ),
        client_cert_pem: client_cert.pem(),
        client_key_pem: client_key.serialize_pem(),
    }
}

/// An HTTPS server answering `{"clientCert":<whether the client presented one>}`.
async fn tls_server(pki: &Pki) -> u16 {
    let provider = Arc::new(ring_provider());
    let mut roots = rustls::RootCertStore::empty();
    let ca_der = rustls::pki_types::pem::PemObject::from_pem_slice(pki.ca_pem.as_bytes()).unwrap();
    roots.add(ca_der).unwrap();
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .allow_unauthenticated()
        .build()
        .unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![pki.server.0.clone()], pki.server.1.clone_key())
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that rejects the certificate ends the handshake: nothing to answer.
                let Ok(mut tls) = acceptor.accept(socket).await else {
                    return;
                };
                let mut buf = vec![0u8; 8192];
                let mut head = Vec::new();
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    let n = tls.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    head.extend_from_slice(&buf[..n]);
                }
                let has_cert = tls.get_ref().1.peer_certificates().is_some();
                let body = format!("{{\"clientCert\":{has_cert}}}");
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(reply.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

async fn client_cert_seen(config: &Config) -> Result<bool, Error> {
    let c = RestClient::for_config(config)?;
    let v: serde_json::Value = c.get().abs_path("/version").send().await.decode()?;
    Ok(v["clientCert"].as_bool().unwrap())
}

#[tokio::test]
async fn the_configured_ca_is_trusted_and_the_client_certificate_presented() {
    let pki = pki(&["localhost", "127.0.0.1"]);
    let port = tls_server(&pki).await;
    let mut cfg = Config::new(format!("https://127.0.0.1:{port}"));
    cfg.tls.ca_data = Some(pki.ca_pem.clone().into_bytes());
    assert!(!client_cert_seen(&cfg).await.unwrap());

    cfg.tls.cert_data = Some(pki.client_cert_pem.clone().into_bytes());
    cfg.tls.key_data = Some(Secret::new(pki.client_key_pem.clone().into_bytes()));
    assert!(client_cert_seen(&cfg).await.unwrap());

    // Without the CA the server is not trusted: a connection error naming the certificate.
    let cfg = Config::new(format!("https://localhost:{port}"));
    let err = client_cert_seen(&cfg).await.unwrap_err();
    assert!(err.is_connection(), "{err:?}");
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );

    // Unless verification is explicitly off.
    let mut cfg = Config::new(format!("https://localhost:{port}"));
    cfg.tls.insecure_skip_tls_verify = true;
    assert!(!client_cert_seen(&cfg).await.unwrap());
}

#[tokio::test]
async fn server_name_verifies_against_another_name() {
    let pki = pki(&["kubernetes.default.svc"]);
    let port = tls_server(&pki).await;
    let mut cfg = Config::new(format!("https://127.0.0.1:{port}"));
    cfg.tls.ca_data = Some(pki.ca_pem.clone().into_bytes());
    let err = client_cert_seen(&cfg).await.unwrap_err();
    assert!(
        err.is_connection(),
        "the name does not match the host: {err}"
    );
    cfg.tls.server_name = Some("kubernetes.default.svc".into());
    assert!(!client_cert_seen(&cfg).await.unwrap());
}

/// rustls's *ring* provider; its constructor is deprecated from rustls 0.23.48 (no
/// post-quantum key exchange), which a test server does not need.
#[allow(deprecated)]
fn ring_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}
