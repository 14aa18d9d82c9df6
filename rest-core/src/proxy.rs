//! Which proxy a request goes through: kubeconfig's `proxy-url`, or `HTTPS_PROXY`,
//! `HTTP_PROXY` and `NO_PROXY` with Go's `ProxyFromEnvironment` rules (client-go's default).

use std::fmt;
use std::net::IpAddr;

use url::Url;

use crate::env::Env;

/// Where requests go through, as client-go's `Config.Proxy`.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Proxy {
    /// `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` (or lower case) of the process, read when
    /// the client is built, with Go's rules (client-go's default).
    #[default]
    FromEnvironment,
    /// The same rules over variables given explicitly (see [`ProxyEnv::from_env`]).
    Env(ProxyEnv),
    /// Every request through this proxy (`http://`, `https://` or `socks5://`), `NO_PROXY`
    /// not consulted: kubeconfig's `proxy-url`, as client-go's `http.ProxyURL`.
    Url(String),
    /// Connect directly, whatever the environment says.
    Direct,
}

/// The proxy variables, as Go's `httpproxy.Config`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxyEnv {
    /// For `http://` servers (`HTTP_PROXY`, `http_proxy`).
    pub http_proxy: Option<String>,
    /// For `https://` servers (`HTTPS_PROXY`, `https_proxy`); `HTTP_PROXY` is not a fallback.
    pub https_proxy: Option<String>,
    /// Comma-separated hosts, domains (`.example.com` for subdomains only), IPs, CIDRs
    /// (each with an optional `:port`), or `*` for none (`NO_PROXY`, `no_proxy`).
    pub no_proxy: Option<String>,
    /// Set when running as a CGI script (`REQUEST_METHOD` set): `HTTP_PROXY` is then ignored,
    /// since a client can set it through the `Proxy:` header (Go's httpoxy defence).
    pub cgi: bool,
}

impl ProxyEnv {
    /// The proxy variables of `env`, upper case winning over lower case as in Go.
    pub fn from_env(env: &Env) -> ProxyEnv {
        ProxyEnv {
            http_proxy: env
                .get_any(&["HTTP_PROXY", "http_proxy"])
                .map(str::to_owned),
            https_proxy: env
                .get_any(&["HTTPS_PROXY", "https_proxy"])
                .map(str::to_owned),
            no_proxy: env.get_any(&["NO_PROXY", "no_proxy"]).map(str::to_owned),
            cgi: env.get("REQUEST_METHOD").is_some(),
        }
    }

    /// The proxy for a request to `url`, or `None` to connect directly. Fails on a variable
    /// that is not a proxy address.
    pub fn proxy_for(&self, url: &Url) -> Result<Option<Url>, String> {
        Ok(EnvRules::new(self)?.proxy_for(url))
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Proxy::FromEnvironment => f.write_str("FromEnvironment"),
            Proxy::Env(env) => f.debug_tuple("Env").field(env).finish(),
            Proxy::Url(url) => f.debug_tuple("Url").field(&redact_url(url)).finish(),
            Proxy::Direct => f.write_str("Direct"),
        }
    }
}

impl fmt::Debug for ProxyEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyEnv")
            .field("http_proxy", &self.http_proxy.as_deref().map(redact_url))
            .field("https_proxy", &self.https_proxy.as_deref().map(redact_url))
            .field("no_proxy", &self.no_proxy)
            .field("cgi", &self.cgi)
            .finish()
    }
}

/// A proxy address with its password replaced, for messages and `Debug`.
pub(crate) fn redact_url(text: &str) -> String {
    match Url::parse(text) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("REDACTED"));
            url.to_string()
        }
        _ => text.to_owned(),
    }
}

/// Go's `parseProxy`: a value without a scheme is an `http://` proxy.
pub(crate) fn parse_proxy_url(text: &str) -> Result<Url, String> {
    let parsed = Url::parse(text).ok().filter(|u| u.has_host()).or_else(|| {
        Url::parse(&format!("http://{text}"))
            .ok()
            .filter(|u| u.has_host())
    });
    let Some(url) = parsed else {
        return Err(format!(
            "{:?} is not a proxy address; write it as http://host:port",
            redact_url(text)
        ));
    };
    match url.scheme() {
        "http" | "https" | "socks5" | "socks5h" => Ok(url),
        other => Err(format!(
            "proxy {:?} has scheme {other:?}; use http, https or socks5",
            redact_url(text)
        )),
    }
}

/// `ProxyEnv` parsed once, consulted for every connection.
#[derive(Clone, Debug)]
pub(crate) struct EnvRules {
    http: Option<Url>,
    https: Option<Url>,
    no_proxy: NoProxy,
}

impl EnvRules {
    pub(crate) fn new(env: &ProxyEnv) -> Result<EnvRules, String> {
        let parse = |name: &str, value: &Option<String>| {
            value
                .as_deref()
                .map(|v| parse_proxy_url(v).map_err(|e| format!("{name}: {e}")))
                .transpose()
        };
        let http = if env.cgi {
            if env.http_proxy.is_some() {
                tracing::warn!("ignoring HTTP_PROXY: REQUEST_METHOD is set (CGI), where a client can set HTTP_PROXY");
            }
            None
        } else {
            parse("HTTP_PROXY", &env.http_proxy)?
        };
        Ok(EnvRules {
            http,
            https: parse("HTTPS_PROXY", &env.https_proxy)?,
            no_proxy: NoProxy::parse(env.no_proxy.as_deref().unwrap_or("")),
        })
    }

    /// Whether any request could be proxied at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.http.is_none() && self.https.is_none()
    }

    /// Go's `proxyForURL`.
    pub(crate) fn proxy_for(&self, url: &Url) -> Option<Url> {
        let proxy = match url.scheme() {
            "https" => self.https.as_ref(),
            "http" => self.http.as_ref(),
            _ => None,
        }?;
        let host = match url.host()? {
            url::Host::Domain(d) => Host::Name(d.to_ascii_lowercase()),
            url::Host::Ipv4(ip) => Host::Ip(IpAddr::V4(ip)),
            url::Host::Ipv6(ip) => Host::Ip(IpAddr::V6(ip)),
        };
        let port = url.port_or_known_default().unwrap_or(0);
        self.no_proxy.use_proxy(&host, port).then(|| proxy.clone())
    }
}

enum Host {
    Name(String),
    Ip(IpAddr),
}

/// `NO_PROXY` parsed as Go's `httpproxy.config.init`.
#[derive(Clone, Debug, Default)]
struct NoProxy {
    all: bool,
    ips: Vec<(IpAddr, Option<u16>)>,
    cidrs: Vec<(IpAddr, u8)>,
    /// `.domain` suffixes; `true` when the bare domain matches too (no leading dot given).
    domains: Vec<(String, Option<u16>, bool)>,
}

impl NoProxy {
    fn parse(text: &str) -> NoProxy {
        let mut out = NoProxy::default();
        for entry in text.split(',') {
            let entry = entry.trim().to_ascii_lowercase();
            if entry.is_empty() {
                continue;
            }
            if entry == "*" {
                out.all = true;
                continue;
            }
            if let Some(cidr) = parse_cidr(&entry) {
                out.cidrs.push(cidr);
                continue;
            }
            let (host, port) = split_host_port(&entry);
            if host.is_empty() {
                continue;
            }
            if let Ok(ip) = host.parse::<IpAddr>() {
                out.ips.push((ip, port));
                continue;
            }
            let host = host.strip_prefix('*').unwrap_or(host);
            match host.strip_prefix('.') {
                Some(suffix) if !suffix.is_empty() => {
                    out.domains.push((host.to_owned(), port, false))
                }
                Some(_) => {}
                None => out.domains.push((format!(".{host}"), port, true)),
            }
        }
        out
    }

    /// Go's `useProxy`: localhost and loopback addresses are never proxied.
    fn use_proxy(&self, host: &Host, port: u16) -> bool {
        if self.all {
            return false;
        }
        let port_ok = |p: &Option<u16>| p.is_none_or(|p| p == port);
        match host {
            Host::Name(name) if name == "localhost" => false,
            Host::Ip(ip) if ip.is_loopback() => false,
            Host::Ip(ip) => {
                let listed = self.ips.iter().any(|(i, p)| i == ip && port_ok(p))
                    || self.cidrs.iter().any(|(net, bits)| in_cidr(ip, net, *bits));
                // Go also tries the domain rules on the IP's text form.
                let text = ip.to_string();
                !(listed || self.domain_match(&text, port))
            }
            Host::Name(name) => !self.domain_match(name, port),
        }
    }

    fn domain_match(&self, host: &str, port: u16) -> bool {
        self.domains.iter().any(|(suffix, p, bare)| {
            let hit = host.ends_with(suffix.as_str()) || (*bare && host == &suffix[1..]);
            hit && p.is_none_or(|p| p == port)
        })
    }
}

/// `host:port`, `[v6]:port` or a bare host; a port that does not parse keeps it in the host.
fn split_host_port(entry: &str) -> (&str, Option<u16>) {
    if let Some(rest) = entry.strip_prefix('[') {
        if let Some((host, tail)) = rest.split_once(']') {
            let port = tail.strip_prefix(':').and_then(|p| p.parse().ok());
            return (host, port);
        }
    }
    match entry.rsplit_once(':') {
        // More than one colon without brackets is a bare IPv6 address.
        Some((host, port)) if !host.contains(':') => match port.parse() {
            Ok(port) => (host, Some(port)),
            Err(_) => (entry, None),
        },
        _ => (entry, None),
    }
}

fn parse_cidr(entry: &str) -> Option<(IpAddr, u8)> {
    let (ip, bits) = entry.split_once('/')?;
    let ip: IpAddr = ip.parse().ok()?;
    let bits: u8 = bits.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((ip, bits))
}

fn in_cidr(ip: &IpAddr, net: &IpAddr, bits: u8) -> bool {
    let (a, b, width) = match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            (u128::from(u32::from(*a)), u128::from(u32::from(*b)), 32u32)
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(*a), u128::from(*b), 128u32),
        _ => return false,
    };
    let shift = width - u32::from(bits);
    if shift >= 128 {
        return true;
    }
    (a >> shift) == (b >> shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(http: &str, no_proxy: &str) -> EnvRules {
        EnvRules::new(&ProxyEnv {
            http_proxy: Some(http.into()),
            https_proxy: Some("https://secure-proxy:3129".into()),
            no_proxy: Some(no_proxy.into()),
            cgi: false,
        })
        .unwrap()
    }

    fn via(rules: &EnvRules, url: &str) -> Option<String> {
        rules
            .proxy_for(&Url::parse(url).unwrap())
            .map(|u| u.to_string())
    }

    #[test]
    fn scheme_picks_the_variable_and_bare_addresses_are_http() {
        let r = rules("proxy:3128", "");
        assert_eq!(
            via(&r, "http://api.example:80/x").as_deref(),
            Some("http://proxy:3128/")
        );
        assert_eq!(
            via(&r, "https://api.example").as_deref(),
            Some("https://secure-proxy:3129/")
        );
    }

    #[test]
    fn loopback_and_localhost_are_never_proxied() {
        let r = rules("http://p:1", "");
        for url in [
            "http://localhost:8080",
            "http://127.0.0.1:80",
            "http://127.9.9.9",
            "http://[::1]:6443",
        ] {
            assert_eq!(via(&r, url), None, "{url}");
        }
        assert!(via(&r, "http://0.0.0.0:1").is_some());
    }

    #[test]
    fn no_proxy_follows_go_rules() {
        let r = rules(
            "http://p:1",
            " Example.com, .only-sub.org, *.star.net, 10.0.0.0/8, 192.168.1.5, 172.16.0.1:8080, host:9000, [fd00::1]:443 ",
        );
        let direct = [
            "http://example.com",
            "http://api.example.com",
            "http://a.only-sub.org",
            "http://x.star.net",
            "http://10.1.2.3",
            "http://192.168.1.5:1234",
            "http://172.16.0.1:8080",
            "http://host:9000",
            "https://[fd00::1]",
        ];
        for url in direct {
            assert_eq!(via(&r, url), None, "{url} should bypass");
        }
        let proxied = [
            "http://notexample.com",
            "http://only-sub.org",
            "http://star.net",
            "http://11.0.0.1",
            "http://172.16.0.1:8081",
            "http://host:9001",
        ];
        for url in proxied {
            assert!(via(&r, url).is_some(), "{url} should use the proxy");
        }
        assert_eq!(via(&rules("http://p:1", "*"), "http://anything"), None);
    }

    #[test]
    fn bad_values_are_reported_and_passwords_redacted() {
        let env = ProxyEnv {
            https_proxy: Some("ftp://user:pw@h:1".into()),
            ..Default::default()
        };
        let err = EnvRules::new(&env).unwrap_err();
        assert!(
            err.contains("HTTPS_PROXY") && err.contains("scheme \"ftp\""),
            "{err}"
        );
        assert!(!err.contains("pw"), "{err}");
        let shown = format!("{:?}", Proxy::Url("http://u:secret@p:3128".into()));
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn cgi_ignores_http_proxy() {
        let env = ProxyEnv {
            http_proxy: Some("http://p:1".into()),
            cgi: true,
            ..Default::default()
        };
        assert_eq!(
            env.proxy_for(&Url::parse("http://api.example").unwrap()),
            Ok(None)
        );
    }
}
