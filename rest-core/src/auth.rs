//! The headers every request carries: user agent, fixed credentials (bearer token, basic)
//! and impersonation, computed once per client; and the credentials that change while the
//! client lives (a token file, an exec plugin), looked up for each try.

use http::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};

use crate::config::{default_user_agent, Config};
use crate::error::Error;
use crate::exec::ExecAuthenticator;
use crate::token_file::TokenFile;
use crate::transport::{HttpClient, TransportSpec};

/// Credentials that can change after the client is built.
pub(crate) enum DynamicAuth {
    TokenFile(TokenFile),
    Exec(Box<ExecAuthenticator>),
}

/// What one try presents: an `Authorization` value, and for an exec plugin's client
/// certificate the pool that presents it.
pub(crate) struct Presented {
    pub authorization: Option<HeaderValue>,
    pub http: Option<HttpClient>,
    /// The exec run these came from, so a 401 drops exactly these.
    exec_run: Option<u64>,
}

impl DynamicAuth {
    /// The dynamic credentials of `config`, as client-go picks them: a token file wins
    /// over everything; an exec plugin is used only when no token, basic credentials or
    /// client certificate is configured.
    pub(crate) fn for_config(
        config: &Config,
        transport: &TransportSpec,
    ) -> Result<Option<DynamicAuth>, Error> {
        let creds = &config.credentials;
        if let Some(path) = &creds.bearer_token_file {
            return Ok(Some(DynamicAuth::TokenFile(TokenFile::new(path)?)));
        }
        let Some(exec) = &creds.exec else {
            return Ok(None);
        };
        let has_token = creds
            .bearer_token
            .as_ref()
            .is_some_and(|t| !t.expose().is_empty());
        if has_token || creds.username.is_some() || config.tls.cert_data.is_some() {
            tracing::debug!(command = %exec.command, "exec plugin not used: the config has other credentials");
            return Ok(None);
        }
        Ok(Some(DynamicAuth::Exec(Box::new(ExecAuthenticator::new(
            config,
            exec,
            transport.clone(),
        )))))
    }

    pub(crate) async fn present(&self) -> Result<Presented, Error> {
        match self {
            DynamicAuth::TokenFile(file) => Ok(Presented {
                authorization: Some(file.authorization()),
                http: None,
                exec_run: None,
            }),
            DynamicAuth::Exec(exec) => {
                let issued = exec.credentials().await?;
                Ok(Presented {
                    authorization: issued.authorization.clone(),
                    http: issued.http.clone(),
                    exec_run: Some(issued.id),
                })
            }
        }
    }

    /// After a 401: whether new credentials are worth one more try (an exec plugin's are,
    /// as client-go runs the plugin again; a token file is re-read by `present` anyway).
    pub(crate) async fn unauthorized(&self, presented: &Presented) -> bool {
        match (self, presented.exec_run) {
            (DynamicAuth::Exec(exec), Some(id)) => exec.unauthorized(id).await,
            _ => false,
        }
    }
}

/// The headers a client sends with every try, kept so that making a try's copy touches no
/// counter another thread touches: a `HeaderValue` made from text is reference-counted, and
/// cloning it for every try of every request updates one shared count from all worker
/// threads. Values known for the life of the process (`Accept`, the default `User-Agent`)
/// are static; the others (a custom user agent, credentials, impersonation) are copied for
/// each try instead of shared.
#[derive(Debug, Default)]
pub(crate) struct ClientHeaders {
    /// Static values only: cloning the map copies them without touching a counter.
    fixed: HeaderMap,
    /// Appended to each try's map as fresh copies.
    copied: Vec<(HeaderName, HeaderValue)>,
}

impl ClientHeaders {
    /// Adds a header whose value is not static.
    pub(crate) fn insert(&mut self, name: HeaderName, value: HeaderValue) {
        self.copied.retain(|(n, _)| *n != name);
        self.fixed.remove(&name);
        self.copied.push((name, value));
    }

    fn append(&mut self, name: HeaderName, value: HeaderValue) {
        self.copied.push((name, value));
    }

    /// One try's headers (hyper takes the map), with room for `room` more: the request's
    /// own and those hyper adds (`Host` on HTTP/1, `Content-Length` for a body). A map grown
    /// later is reallocated, and glibc's `realloc` always takes its arena's lock, which the
    /// other worker threads contend for in a busy client; a clone would have room for nothing.
    pub(crate) fn for_try(&self, room: usize) -> HeaderMap {
        let mut headers = HeaderMap::with_capacity(self.fixed.len() + self.copied.len() + room);
        for (name, value) in &self.fixed {
            headers.append(name.clone(), value.clone());
        }
        for (name, value) in &self.copied {
            headers.append(name.clone(), copy_value(value));
        }
        headers
    }
}

/// `value` with bytes of its own (sensitivity kept).
fn copy_value(value: &HeaderValue) -> HeaderValue {
    let bytes = bytes::Bytes::copy_from_slice(value.as_bytes());
    // The bytes came from a valid value, so they are one; the fallback shares them.
    let mut copy = HeaderValue::from_maybe_shared(bytes).unwrap_or_else(|_| value.clone());
    copy.set_sensitive(value.is_sensitive());
    copy
}

/// The default user agent as a static value: it is the same for the whole process, so it is
/// made once and never freed.
fn default_user_agent_value() -> Option<HeaderValue> {
    static AGENT: std::sync::OnceLock<Option<HeaderValue>> = std::sync::OnceLock::new();
    AGENT
        .get_or_init(|| {
            let text = default_user_agent();
            // What `from_static` accepts (it panics on anything else).
            let visible = text
                .bytes()
                .all(|b| b == b'\t' || (0x20..0x7f).contains(&b));
            visible.then(|| HeaderValue::from_static(Box::leak(text.into_boxed_str())))
        })
        .clone()
}

/// The default headers of a client built from `config`.
pub(crate) fn default_headers(config: &Config) -> Result<ClientHeaders, Error> {
    let mut headers = ClientHeaders::default();
    let default_agent = config.user_agent.is_empty() || config.user_agent == default_user_agent();
    match default_user_agent_value().filter(|_| default_agent) {
        Some(agent) => {
            headers.fixed.insert(USER_AGENT, agent);
        }
        None => {
            let agent = if config.user_agent.is_empty() {
                default_user_agent()
            } else {
                config.user_agent.clone()
            };
            headers.insert(USER_AGENT, value("user_agent", &agent)?);
        }
    }
    headers
        .fixed
        .insert(ACCEPT, HeaderValue::from_static("application/json, */*"));
    if let Some(auth) = authorization(config)? {
        headers.insert(AUTHORIZATION, auth);
    }
    impersonation(config, &mut headers)?;
    Ok(headers)
}

/// `Bearer <token>`, else `Basic <user:password>`, else nothing. A token file is not read
/// here: `DynamicAuth` presents it, fresh, with each try.
fn authorization(config: &Config) -> Result<Option<HeaderValue>, Error> {
    let creds = &config.credentials;
    if creds.bearer_token_file.is_some() {
        return Ok(None);
    }
    let token = creds.bearer_token.as_ref().map(|t| t.expose().clone());
    let text = match (token, &creds.username) {
        (Some(token), _) if !token.is_empty() => format!("Bearer {token}"),
        (_, Some(user)) => {
            let password = creds
                .password
                .as_ref()
                .map(|p| p.expose().as_str())
                .unwrap_or("");
            format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
        }
        _ => return Ok(None),
    };
    let mut header = HeaderValue::from_str(&text).map_err(|_| Error::Config {
        message:
            "the bearer token or basic credentials contain characters not allowed in an HTTP header"
                .to_owned(),
    })?;
    header.set_sensitive(true);
    Ok(Some(header))
}

fn impersonation(config: &Config, headers: &mut ClientHeaders) -> Result<(), Error> {
    let imp = &config.impersonate;
    if let Some(user) = &imp.user {
        headers.insert(
            HeaderName::from_static("impersonate-user"),
            value("impersonate.user", user)?,
        );
    }
    if let Some(uid) = &imp.uid {
        headers.insert(
            HeaderName::from_static("impersonate-uid"),
            value("impersonate.uid", uid)?,
        );
    }
    for group in &imp.groups {
        headers.append(
            HeaderName::from_static("impersonate-group"),
            value("impersonate.groups", group)?,
        );
    }
    for (key, values) in &imp.extra {
        let name = format!("impersonate-extra-{}", escape_header_key(key));
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::Config {
            message: format!("impersonate.extra key {key:?} cannot be a header name"),
        })?;
        for v in values {
            headers.append(name.clone(), value("impersonate.extra", v)?);
        }
    }
    Ok(())
}

fn value(field: &str, text: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(text).map_err(|_| Error::Config {
        message: format!("{field} {text:?} contains characters not allowed in an HTTP header"),
    })
}

/// client-go's `headerKeyEscape`: bytes that are not HTTP token characters (and `%`) are
/// percent-encoded, so any extra key survives as a header name.
fn escape_header_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for b in key.bytes() {
        let token = b.is_ascii_alphanumeric() || b"!#$&'*+-.^_`|~".contains(&b);
        if token {
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Standard base64 with padding, for basic auth.
pub(crate) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn each_try_gets_the_configured_headers_in_their_order() {
        use crate::config::Secret;
        let mut config = Config::new("http://h");
        let tried = |config: &Config| default_headers(config).unwrap().for_try(0);

        let headers = tried(&config);
        assert_eq!(headers[USER_AGENT], default_user_agent().as_str());
        assert_eq!(headers[ACCEPT], "application/json, */*");
        assert_eq!(headers.len(), 2);
        config.user_agent = String::new();
        assert_eq!(tried(&config)[USER_AGENT], default_user_agent().as_str());

        config.user_agent = "mine/1".into();
        config.credentials.bearer_token = Some(Secret::new("tok".to_owned()));
        config.impersonate.user = Some("jane".into());
        config.impersonate.groups = vec!["a".into(), "b".into()];
        config.impersonate.extra = vec![("scopes".into(), vec!["x".into(), "y".into()])];
        let headers = tried(&config);
        assert_eq!(headers[USER_AGENT], "mine/1");
        assert_eq!(headers[AUTHORIZATION], "Bearer tok");
        assert!(headers[AUTHORIZATION].is_sensitive());
        assert!(!headers[USER_AGENT].is_sensitive());
        assert_eq!(headers["impersonate-user"], "jane");
        let all = |name: &str| -> Vec<&str> {
            headers
                .get_all(name)
                .iter()
                .map(|v| v.to_str().unwrap())
                .collect()
        };
        assert_eq!(all("impersonate-group"), ["a", "b"]);
        assert_eq!(all("impersonate-extra-scopes"), ["x", "y"]);
        assert_eq!(all("user-agent"), ["mine/1"]);

        // A header set again replaces the earlier value, as `HeaderMap::insert` did.
        let mut own = default_headers(&config).unwrap();
        own.insert(USER_AGENT, HeaderValue::from_static("again"));
        own.insert(ACCEPT, HeaderValue::from_static("text/plain"));
        let headers = own.for_try(0);
        assert_eq!(headers.get_all(USER_AGENT).iter().count(), 1);
        assert_eq!(headers[USER_AGENT], "again");
        assert_eq!(headers.get_all(ACCEPT).iter().count(), 1);
        assert_eq!(headers[ACCEPT], "text/plain");
    }

    /// The `Host` (and `Content-Length`) hyper adds fit in a try's map without growing it.
    #[test]
    fn a_try_has_room_for_what_hyper_adds() {
        let config = Config::new("http://h");
        for room in [1, 2, 5] {
            let headers = default_headers(&config).unwrap().for_try(room);
            assert!(headers.capacity() >= headers.len() + room, "room {room}");
        }
    }

    #[test]
    fn extra_keys_are_escaped() {
        assert_eq!(
            escape_header_key("example.com/Scopes"),
            "example.com%2Fscopes"
        );
    }
}
