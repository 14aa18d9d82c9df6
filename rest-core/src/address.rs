//! Where a request goes: its path and query from the pieces a `Request` (or a typed call)
//! names, by client-go's rules; the URL text, the `url::Url`, the metrics template, and the
//! preflight check. Borrowed pieces, so a typed call copies none of them.

use std::time::Duration;

use http::Method;
use url::Url;

use crate::client::Shared;
use crate::error::Error;
use crate::path::go_duration;

/// The pieces of one request's URL, borrowed from a `Request` or a typed call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Address<'a> {
    /// The path before namespace and resource (already joined).
    pub prefix: &'a str,
    pub namespace: Option<&'a str>,
    pub resource: Option<&'a str>,
    pub name: Option<&'a str>,
    pub sub_resource: Option<&'a str>,
    /// After name and subresource (already joined).
    pub sub_path: &'a str,
    pub params: &'a [(String, String)],
    /// Sent as the `timeout` parameter.
    pub timeout: Option<Duration>,
}

impl Address<'_> {
    /// The URL as `url::Url` writes it.
    pub(crate) fn url(&self, base: &Url) -> Url {
        let mut url = base.clone();
        let mut path = String::new();
        self.write_path(&mut path, self.namespace, self.name);
        // Escaped here, not by `set_path`: for http(s) URLs it reads `\` as `/` and drops
        // tabs and newlines, which would change the segments (a name `a\b` became two).
        url.set_path(&escape_path(&path));
        let query = self.query(false);
        url.set_query((!query.is_empty()).then_some(query.as_str()));
        url
    }

    /// client-go's `finalURLTemplate`: the URL with the namespace, name and parameter values
    /// replaced by `{namespace}`, `{name}` and `{value}`, for metrics labels.
    pub(crate) fn url_template(&self, base: &Url) -> String {
        let origin = base.origin().ascii_serialization();
        let namespace = self
            .namespace
            .map(|n| if n.is_empty() { n } else { "{namespace}" });
        let name = self.name.map(|_| "{name}");
        let query = self.query(true);
        let mut path = String::new();
        self.write_path(&mut path, namespace, name);
        if query.is_empty() {
            format!("{origin}{path}")
        } else {
            format!("{origin}{path}?{query}")
        }
    }

    /// client-go's `URL()` path rules: `path.Join` of the prefix, `namespaces/<ns>`, the
    /// resource (lower case), name, subresource and suffix. The prefix and suffix are
    /// already joined and the other pieces are single segments without `/`, `.` or `..`
    /// (the builder refuses those), so joining is appending what is not empty. Appended to
    /// `out`, which may hold text before the path.
    fn write_path(&self, out: &mut String, namespace: Option<&str>, name: Option<&str>) {
        let start = out.len();
        let prefix = self.prefix;
        let namespace = namespace.filter(|ns| !ns.is_empty());
        let resource = self.resource.filter(|r| !r.is_empty());
        let sub = self.sub_resource.filter(|s| !s.is_empty());
        let sub_path = Some(self.sub_path.trim_start_matches('/')).filter(|s| !s.is_empty());
        out.push_str(prefix);
        let mut push = |segment: &str| {
            if out.len() > start && !out.ends_with('/') {
                out.push('/');
            }
            out.push_str(segment);
        };
        if let Some(ns) = namespace {
            push("namespaces");
            push(ns);
        }
        if let Some(resource) = resource {
            if resource.bytes().any(|b| b.is_ascii_uppercase()) {
                push(&resource.to_ascii_lowercase());
            } else {
                push(resource);
            }
        }
        for segment in [name, sub, sub_path].into_iter().flatten() {
            push(segment);
        }
        let len = out.len() - start;
        let appended = len > prefix.len();
        if len == 0 {
            out.push('/');
        } else if appended && len > 1 && out.ends_with('/') {
            // path.Join drops a trailing slash (only an abs_path keeps its own).
            out.pop();
        }
    }

    /// The text of `url()`, written directly when the path needs no escaping (what every
    /// Kubernetes path is), else by `url::Url`.
    pub(crate) fn url_text(&self, shared: &Shared) -> String {
        let origin = &shared.base_origin;
        let query = if !self.params.is_empty() || self.timeout.is_some() {
            self.query(false)
        } else {
            String::new()
        };
        // Sized for the whole text at once: the text lives as long as the request and is often
        // freed on another thread than the one that made it, and glibc returns a freed block
        // of more than 120 bytes to its arena under the arena's lock (a smaller one goes to a
        // lock-free list), so a generous guess made the lock contended in the 64-way GET.
        let mut text =
            String::with_capacity(origin.len() + self.path_len_bound() + 1 + query.len());
        text.push_str(origin);
        self.write_path(&mut text, self.namespace, self.name);
        let path = &text[origin.len()..];
        let plain = path.starts_with('/')
            && path.bytes().all(kept_in_path)
            && !(path.contains("/.") && path.split('/').any(|s| s == "." || s == ".."));
        if !plain {
            return self.url(&shared.base).into();
        }
        if !query.is_empty() {
            text.push('?');
            text.push_str(&query);
        }
        text
    }

    /// At least the length `write_path` gives (each piece and a `/` before it).
    fn path_len_bound(&self) -> usize {
        let pieces = [
            self.namespace.map(|ns| "namespaces/".len() + ns.len()),
            self.resource.map(str::len),
            self.name.map(str::len),
            self.sub_resource.map(str::len),
            Some(self.sub_path.len()),
        ];
        self.prefix.len()
            + 1
            + pieces
                .into_iter()
                .flatten()
                .map(|len| len + 1)
                .sum::<usize>()
    }

    /// Parameters sorted by key (values in the order given), as Go's `url.Values.Encode`,
    /// plus `timeout` when one is set.
    fn query(&self, template: bool) -> String {
        let mut pairs: Vec<(&str, String)> = self
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        if let Some(timeout) = self.timeout {
            pairs.retain(|(k, _)| *k != "timeout");
            pairs.push(("timeout", go_duration(timeout)));
        }
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            out.append_pair(k, if template { "{value}" } else { v });
        }
        let encoded = out.finish();
        if template {
            encoded.replace("%7Bvalue%7D", "{value}")
        } else {
            encoded
        }
    }

    /// client-go's `requestPreflightCheck`, plus the name PUT and PATCH need.
    pub(crate) fn preflight(&self, method: &Method) -> Result<(), Error> {
        let fail = |message: &str| {
            Err(Error::InvalidRequest {
                message: message.to_owned(),
            })
        };
        if self.namespace == Some("") {
            if *method == Method::POST {
                return fail("an empty namespace may not be set during creation");
            }
            let by_name = [Method::GET, Method::PUT, Method::DELETE].contains(method);
            if by_name && self.name.is_some() {
                return fail("an empty namespace may not be set when a resource name is provided");
            }
        }
        if self.resource.is_some()
            && self.name.is_none()
            && (*method == Method::PUT || *method == Method::PATCH)
        {
            return fail(&format!(
                "{} of a {} needs a resource name",
                method,
                self.resource.unwrap_or("")
            ));
        }
        Ok(())
    }
}

/// Whether `url` keeps a path byte as it is: unreserved and sub-delims, `:`, `@`, `/`.
fn kept_in_path(b: u8) -> bool {
    matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~'
        | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
        | b':' | b'@' | b'/')
}

/// The path with every other byte percent-encoded (as Go's `EscapedPath`), except `%`:
/// segments cannot hold one (the builder refuses it), so a `%` is an escape an `abs_path`
/// or prefix already carries.
fn escape_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    for &b in path.as_bytes() {
        if kept_in_path(b) || b == b'%' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
