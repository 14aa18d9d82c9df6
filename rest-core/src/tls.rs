//! The HTTP client behind a `RestClient`: reqwest with rustls, trusting the configured CA,
//! presenting the client certificate, and skipping verification only when asked to.

use std::net::ToSocketAddrs;

use url::Url;

use crate::config::Config;
use crate::error::Error;

/// Builds the connection pool for `config`. Returns the base URL to use with it, which
/// differs from `base` only when `tls.server_name` is set (see `server_name_override`).
pub(crate) fn http_client(config: &Config, base: Url) -> Result<(reqwest::Client, Url), Error> {
    let tls = &config.tls;
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        // Redirects are the caller's business, as in client-go's REST client.
        .redirect(reqwest::redirect::Policy::none());

    if tls.insecure_skip_tls_verify && tls.ca_data.is_some() {
        // client-go refuses this combination: trusting a CA and trusting everything conflict.
        return Err(config_error(
            "a CA (ca_data) cannot be combined with insecure_skip_tls_verify; drop one",
        ));
    }
    if let Some(ca) = &tls.ca_data {
        let certs = reqwest::Certificate::from_pem_bundle(ca)
            .map_err(|e| config_error(&format!("ca_data is not a PEM certificate bundle: {e}")))?;
        if certs.is_empty() {
            return Err(config_error("ca_data holds no PEM certificate"));
        }
        builder = builder.tls_built_in_root_certs(false);
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    match (&tls.cert_data, &tls.key_data) {
        (Some(cert), Some(key)) => {
            let mut pem = Vec::with_capacity(cert.len() + key.expose().len() + 1);
            pem.extend_from_slice(cert);
            pem.push(b'\n');
            pem.extend_from_slice(key.expose());
            let identity = reqwest::Identity::from_pem(&pem).map_err(|e| {
                config_error(&format!(
                    "client certificate and key are not usable PEM: {e}"
                ))
            })?;
            builder = builder.identity(identity);
        }
        (None, None) => {}
        (Some(_), None) => return Err(config_error("cert_data is set but key_data is missing")),
        (None, Some(_)) => return Err(config_error("key_data is set but cert_data is missing")),
    }
    if tls.insecure_skip_tls_verify {
        builder = builder.danger_accept_invalid_certs(true);
    }
    let mut base = base;
    if let Some(name) = tls.server_name.as_deref().filter(|n| !n.is_empty()) {
        builder = server_name_override(builder, &mut base, name)?;
    }
    let client = builder
        .build()
        .map_err(|e| config_error(&format!("cannot build the HTTP client: {e}")))?;
    Ok((client, base))
}

/// reqwest verifies the certificate against the URL's host, so to verify against another
/// name the URL is addressed to that name and the name is pinned to the real address.
fn server_name_override(
    builder: reqwest::ClientBuilder,
    base: &mut Url,
    name: &str,
) -> Result<reqwest::ClientBuilder, Error> {
    let host = base.host_str().unwrap_or_default().to_owned();
    let port = base.port_or_known_default().unwrap_or(443);
    let addrs: Vec<_> = (host.trim_matches(['[', ']']), port)
        .to_socket_addrs()
        .map_err(|e| {
            config_error(&format!(
                "cannot resolve {host} to apply tls server_name {name:?}: {e}"
            ))
        })?
        .collect();
    base.set_host(Some(name))
        .map_err(|e| config_error(&format!("tls server_name {name:?} is not a host name: {e}")))?;
    Ok(builder.resolve_to_addrs(name, &addrs))
}

fn config_error(message: &str) -> Error {
    Error::Config {
        message: message.to_owned(),
    }
}
