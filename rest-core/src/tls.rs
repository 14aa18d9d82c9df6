//! The rustls configuration of a client: the CA bundle to trust (else the system's), the
//! name to verify the server against, verification off only when asked, client certificates.

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::config::TlsConfig;

/// A client certificate chain and its key, both PEM.
pub(crate) struct Identity<'a> {
    pub cert_pem: &'a [u8],
    pub key_pem: &'a [u8],
    /// Names the fields in messages: `cert_data`/`key_data`, or the exec plugin.
    pub what: &'a str,
}

/// rustls's *ring* provider, the one this crate builds on (no C toolchain, a third of
/// aws-lc-rs's build time). rustls 0.23.48 deprecates its constructor because *ring* has no
/// post-quantum key exchange; the provider itself is supported through rustls 0.23, so the
/// deprecation is acknowledged here, once, rather than breaking `-D warnings` builds downstream.
#[allow(deprecated)]
pub(crate) fn crypto_provider() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// The rustls client configuration for `tls`, presenting `identity` when given.
pub(crate) fn client_config(
    tls: &TlsConfig,
    identity: Option<&Identity<'_>>,
) -> Result<rustls::ClientConfig, String> {
    let provider = Arc::new(crypto_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?;
    let verifier: Arc<dyn ServerCertVerifier> = if tls.insecure_skip_tls_verify {
        if tls.ca_data.is_some() {
            // client-go refuses this combination: trusting a CA and trusting everything conflict.
            return Err(
                "a CA (ca_data) cannot be combined with insecure_skip_tls_verify; drop one".into(),
            );
        }
        tracing::warn!(
            "TLS verification is off (insecure-skip-tls-verify): the server's identity is not checked, anyone on the path can read and change the traffic"
        );
        Arc::new(AcceptAnyCertificate(provider.clone()))
    } else {
        let roots = match &tls.ca_data {
            Some(pem) => Arc::new(ca_roots(pem)?),
            None => system_roots(),
        };
        let server_name = match tls.server_name.as_deref().filter(|n| !n.is_empty()) {
            Some(name) => Some(ServerName::try_from(name.to_owned()).map_err(|_| {
                format!("tls server_name {name:?} is not a DNS name or IP address")
            })?),
            None => None,
        };
        if roots.is_empty() {
            Arc::new(NoTrustedRoots(provider.clone()))
        } else {
            let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
                .build()
                .map_err(|e| format!("cannot use the CA certificates: {e}"))?;
            Arc::new(Verifier {
                webpki,
                server_name,
            })
        }
    };
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match identity {
        None => builder.with_no_client_auth(),
        Some(id) => {
            let (chain, key) = parse_identity(id)?;
            builder.with_client_auth_cert(chain, key).map_err(|e| {
                format!(
                    "{}: the certificate and key do not go together: {e}",
                    id.what
                )
            })?
        }
    };
    // As reqwest and Go: HTTP/2 when the server offers it.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The CA certificates of a PEM bundle; an empty or broken bundle is an error.
fn ca_roots(pem: &[u8]) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|e| format!("ca_data is not a PEM certificate bundle: {e}"))?;
        roots
            .add(cert)
            .map_err(|e| format!("ca_data holds a certificate that cannot be used: {e}"))?;
    }
    if roots.is_empty() {
        return Err(
            "ca_data holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)".into(),
        );
    }
    Ok(roots)
}

/// The operating system's trusted CAs, loaded once per process.
fn system_roots() -> Arc<RootCertStore> {
    static ROOTS: OnceLock<Arc<RootCertStore>> = OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let loaded = rustls_native_certs::load_native_certs();
            for err in &loaded.errors {
                tracing::debug!("loading the system's CA certificates: {err}");
            }
            let mut roots = RootCertStore::empty();
            // Native stores hold some certificates webpki cannot parse; skip those.
            let (_added, _ignored) = roots.add_parsable_certificates(loaded.certs);
            Arc::new(roots)
        })
        .clone()
}

/// The chain and key of a client identity; keys may be PKCS#1 (RSA), SEC1 (EC) or PKCS#8.
fn parse_identity(
    id: &Identity<'_>,
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), String> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(id.cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: the client certificate is not PEM: {e}", id.what))?;
    if chain.is_empty() {
        return Err(format!(
            "{}: the client certificate holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)",
            id.what
        ));
    }
    let key = PrivateKeyDer::from_pem_slice(id.key_pem).map_err(|e| {
        format!(
            "{}: the client key is not a PEM private key (RSA, EC or PKCS#8): {e}",
            id.what
        )
    })?;
    Ok((chain, key))
}

/// webpki verification, against `server_name` instead of the URL's host when set (Go's
/// `tls.Config.ServerName`; kubeconfig `tls-server-name`).
#[derive(Debug)]
struct Verifier {
    webpki: Arc<WebPkiServerVerifier>,
    server_name: Option<ServerName<'static>>,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let name = self.server_name.as_ref().unwrap_or(server_name);
        self.webpki
            .verify_server_cert(end_entity, intermediates, name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// `insecure-skip-tls-verify`: any certificate is accepted; the handshake signatures are
/// still checked so the session keys belong to whoever holds the certificate.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// No CA given and the system has none: every server is refused as of unknown issuer.
#[derive(Debug)]
struct NoTrustedRoots(Arc<CryptoProvider>);

impl ServerCertVerifier for NoTrustedRoots {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Err(rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer,
        ))
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        AcceptAnyCertificate(self.0.clone()).verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        AcceptAnyCertificate(self.0.clone()).verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
