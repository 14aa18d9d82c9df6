//! `Request`: the builder client-go calls `rest.Request`. Every mistake (a field set twice,
//! an invalid path segment, bad parameters) is kept and reported by `send`, before any I/O.

use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::{HeaderMap, Method};
use serde::Serialize;
use url::Url;

use crate::client::RestClient;
use crate::error::Error;
use crate::path::{go_duration, invalid_segment, join, query_pairs};

/// One API call being built. Consumed by `send`, `watch` or `stream`.
#[derive(Debug)]
pub struct Request {
    /// Boxed: a builder is moved at every call, and whole into the future of `send`.
    pub(crate) p: Box<Parts>,
}

/// What a `Request` holds.
#[derive(Debug)]
pub(crate) struct Parts {
    pub(crate) client: RestClient,
    pub(crate) method: Method,
    /// The path before namespace and resource; `None` for the client's versioned path.
    path_prefix: Option<String>,
    sub_path: String,
    namespace: Option<String>,
    resource: Option<String>,
    name: Option<String>,
    sub_resource: Option<String>,
    params: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
    timeout: Option<Duration>,
    pub(crate) max_retries: u32,
    /// The first builder mistake; later calls are ignored once it is set.
    pub(crate) err: Option<Error>,
}

impl Request {
    pub(crate) fn new(client: RestClient, method: Method) -> Request {
        let max_retries = client.shared().max_retries;
        let timeout = client.shared().timeout;
        Request {
            p: Box::new(Parts {
                client,
                method,
                path_prefix: None,
                sub_path: String::new(),
                namespace: None,
                resource: None,
                name: None,
                sub_resource: None,
                params: Vec::new(),
                headers: HeaderMap::new(),
                body: None,
                timeout,
                max_retries,
                err: None,
            }),
        }
    }

    /// Records a builder mistake unless an earlier one is already recorded.
    pub(crate) fn fail(mut self, message: String) -> Request {
        if self.p.err.is_none() {
            self.p.err = Some(Error::InvalidRequest { message });
        }
        self
    }

    /// Appends segments to the path before namespace and resource (`/api/v1` + prefix).
    pub fn prefix(mut self, segments: &str) -> Request {
        if self.p.err.is_none() {
            self.p.path_prefix = Some(join(self.prefix_path(), &[segments]));
        }
        self
    }

    /// Appends segments after name and subresource.
    pub fn suffix(mut self, segments: &str) -> Request {
        if self.p.err.is_none() {
            self.p.sub_path = join(&self.p.sub_path, &[segments]);
        }
        self
    }

    /// Replaces the whole path (below the host's own path): `/version`, `/apis`, `/openapi/v2`.
    /// A trailing `/` is kept.
    pub fn abs_path(mut self, path: &str) -> Request {
        if self.p.err.is_some() {
            return self;
        }
        let base_path = self.p.client.shared().base_path.clone();
        let mut joined = join(&base_path, &[path]);
        if path.len() > 1 && path.ends_with('/') && !joined.ends_with('/') {
            joined.push('/');
        }
        if joined.is_empty() {
            joined.push('/');
        }
        self.p.path_prefix = Some(joined);
        self
    }

    fn prefix_path(&self) -> &str {
        match &self.p.path_prefix {
            Some(prefix) => prefix,
            None => self.p.client.versioned_path(),
        }
    }

    /// The namespace; `""` means all namespaces. Setting it twice is an error.
    pub fn namespace(mut self, namespace: &str) -> Request {
        if self.p.err.is_some() {
            return self;
        }
        if let Some(old) = &self.p.namespace {
            let msg = format!("namespace already set to {old:?}, cannot change to {namespace:?}");
            return self.fail(msg);
        }
        if let Some(why) = invalid_segment(namespace) {
            return self.fail(format!("invalid namespace {namespace:?}: {why}"));
        }
        self.p.namespace = Some(namespace.to_owned());
        self
    }

    /// The resource (plural, lower case: `pods`). Setting it twice is an error.
    pub fn resource(mut self, resource: &str) -> Request {
        if self.p.err.is_some() {
            return self;
        }
        if let Some(old) = &self.p.resource {
            let msg = format!("resource already set to {old:?}, cannot change to {resource:?}");
            return self.fail(msg);
        }
        if let Some(why) = invalid_segment(resource) {
            return self.fail(format!("invalid resource {resource:?}: {why}"));
        }
        self.p.resource = Some(resource.to_owned());
        self
    }

    /// The object's name. Empty, set twice or an invalid segment is an error.
    pub fn name(mut self, name: &str) -> Request {
        if self.p.err.is_some() {
            return self;
        }
        if name.is_empty() {
            return self.fail("resource name may not be empty".to_owned());
        }
        if let Some(old) = &self.p.name {
            let msg = format!("resource name already set to {old:?}, cannot change to {name:?}");
            return self.fail(msg);
        }
        if let Some(why) = invalid_segment(name) {
            return self.fail(format!("invalid resource name {name:?}: {why}"));
        }
        self.p.name = Some(name.to_owned());
        self
    }

    /// The subresource after the name (`status`, `scale`, `log`). Set twice is an error.
    pub fn sub_resource(mut self, sub_resource: &str) -> Request {
        if self.p.err.is_some() {
            return self;
        }
        if let Some(old) = &self.p.sub_resource {
            let msg =
                format!("subresource already set to {old:?}, cannot change to {sub_resource:?}");
            return self.fail(msg);
        }
        if let Some(why) = invalid_segment(sub_resource) {
            return self.fail(format!("invalid subresource {sub_resource:?}: {why}"));
        }
        self.p.sub_resource = Some(sub_resource.to_owned());
        self
    }

    /// Adds one query parameter (repeatable).
    pub fn param(mut self, key: &str, value: impl ToString) -> Request {
        if self.p.err.is_none() {
            self.p.params.push((key.to_owned(), value.to_string()));
        }
        self
    }

    /// Adds the fields of an options struct as query parameters (client-go's
    /// `VersionedParams`): unset (`None`) fields are omitted, lists repeat the key.
    pub fn params(mut self, params: &impl Serialize) -> Request {
        if self.p.err.is_some() {
            return self;
        }
        match query_pairs(params) {
            Ok(pairs) => {
                self.p.params.extend(pairs);
                self
            }
            Err(message) => self.fail(message),
        }
    }

    /// Whether a query parameter is set.
    pub(crate) fn has_param(&self, key: &str) -> bool {
        self.p.params.iter().any(|(k, _)| k == key)
    }

    /// The request body, sent as is (`Content-Type: application/json` unless set).
    pub fn body(mut self, body: impl Into<Bytes>) -> Request {
        if self.p.err.is_none() {
            self.p.body = Some(body.into());
        }
        self
    }

    /// The request body, `value` encoded as JSON.
    pub fn json_body(self, value: &impl Serialize) -> Request {
        if self.p.err.is_some() {
            return self;
        }
        match serde_json::to_vec(value) {
            Ok(bytes) => self.body(bytes),
            Err(e) => self.fail(format!("cannot encode the body as JSON: {e}")),
        }
    }

    /// Sets a header, replacing a previous value. An invalid name or value is an error.
    pub fn header(mut self, name: &str, value: &str) -> Request {
        if self.p.err.is_some() {
            return self;
        }
        let Ok(name_h) = HeaderName::from_bytes(name.as_bytes()) else {
            return self.fail(format!("{name:?} is not a valid header name"));
        };
        let Ok(value_h) = HeaderValue::from_str(value) else {
            return self.fail(format!(
                "the value of header {name} is not a valid header value"
            ));
        };
        self.p.headers.insert(name_h, value_h);
        self
    }

    /// Bounds the whole call (all tries, the body included for `send`; the response head for
    /// `watch` and `stream`). Also sent to the server as the `timeout` parameter.
    pub fn timeout(mut self, timeout: Duration) -> Request {
        self.p.timeout = Some(timeout).filter(|t| !t.is_zero());
        self
    }

    pub(crate) fn timeout_value(&self) -> Option<Duration> {
        self.p.timeout
    }

    /// How many times a `Retry-After` answer or a dropped GET is retried (default from the config).
    pub fn max_retries(mut self, max_retries: u32) -> Request {
        self.p.max_retries = max_retries;
        self
    }

    /// The URL this request goes to, or the builder mistake made so far.
    pub fn url(&self) -> Result<Url, Error> {
        if let Some(err) = &self.p.err {
            return Err(err.clone());
        }
        let mut url = self.p.client.shared().base.clone();
        url.set_path(&self.path(self.p.namespace.as_deref(), self.p.name.as_deref()));
        let query = self.query(false);
        url.set_query((!query.is_empty()).then_some(query.as_str()));
        Ok(url)
    }

    /// client-go's `finalURLTemplate`: the URL with the namespace, name and parameter values
    /// replaced by `{namespace}`, `{name}` and `{value}`, for metrics labels.
    pub fn url_template(&self) -> String {
        let base = &self.p.client.shared().base;
        let origin = base.origin().ascii_serialization();
        let namespace =
            self.p
                .namespace
                .as_deref()
                .map(|n| if n.is_empty() { n } else { "{namespace}" });
        let name = self.p.name.as_ref().map(|_| "{name}");
        let query = self.query(true);
        let path = self.path(namespace, name);
        if query.is_empty() {
            format!("{origin}{path}")
        } else {
            format!("{origin}{path}?{query}")
        }
    }

    /// client-go's `URL()` path rules: `path.Join` of the prefix, `namespaces/<ns>`, the
    /// resource (lower case), name, subresource and suffix. The prefix and suffix are
    /// already joined and the other pieces are single segments without `/`, `.` or `..`
    /// (the builder refuses those), so joining is appending what is not empty.
    fn path(&self, namespace: Option<&str>, name: Option<&str>) -> String {
        let prefix = self.prefix_path();
        let namespace = namespace.filter(|ns| !ns.is_empty());
        let resource = self.p.resource.as_deref().filter(|r| !r.is_empty());
        let sub = self.p.sub_resource.as_deref().filter(|s| !s.is_empty());
        let sub_path = Some(self.p.sub_path.trim_start_matches('/')).filter(|s| !s.is_empty());
        let mut path = String::with_capacity(prefix.len() + 96);
        path.push_str(prefix);
        let mut push = |segment: &str| {
            if !path.is_empty() && !path.ends_with('/') {
                path.push('/');
            }
            path.push_str(segment);
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
        let appended = path.len() > prefix.len();
        if path.is_empty() {
            path.push('/');
        } else if appended && path.len() > 1 && path.ends_with('/') {
            // path.Join drops a trailing slash (only an abs_path keeps its own).
            path.pop();
        }
        path
    }

    /// The text of `url()`, written directly when the path needs no escaping (what every
    /// Kubernetes path is), else by `url::Url`. Also returns `url()`'s error.
    pub(crate) fn url_text(&self) -> Result<String, Error> {
        if let Some(err) = &self.p.err {
            return Err(err.clone());
        }
        let path = self.path(self.p.namespace.as_deref(), self.p.name.as_deref());
        // What `url` would leave as it is: unreserved and sub-delims, `:`, `@`, `/`.
        let kept = |b: u8| {
            matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~'
                | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
                | b':' | b'@' | b'/')
        };
        let plain = path.starts_with('/')
            && path.bytes().all(kept)
            && !(path.contains("/.") && path.split('/').any(|s| s == "." || s == ".."));
        if !plain {
            return self.url().map(String::from);
        }
        let query = self.query(false);
        let origin = &self.p.client.shared().base_origin;
        let mut text = String::with_capacity(origin.len() + path.len() + query.len() + 1);
        text.push_str(origin);
        text.push_str(&path);
        if !query.is_empty() {
            text.push('?');
            text.push_str(&query);
        }
        Ok(text)
    }

    /// Parameters sorted by key (values in the order given), as Go's `url.Values.Encode`,
    /// plus `timeout` when one is set.
    fn query(&self, template: bool) -> String {
        let mut pairs: Vec<(&str, String)> = self
            .p
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        if let Some(timeout) = self.p.timeout {
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
    pub(crate) fn preflight(&self) -> Result<(), Error> {
        if let Some(err) = &self.p.err {
            return Err(err.clone());
        }
        let fail = |message: &str| {
            Err(Error::InvalidRequest {
                message: message.to_owned(),
            })
        };
        if self.p.namespace.as_deref() == Some("") {
            if self.p.method == Method::POST {
                return fail("an empty namespace may not be set during creation");
            }
            let by_name = [Method::GET, Method::PUT, Method::DELETE].contains(&self.p.method);
            if by_name && self.p.name.is_some() {
                return fail("an empty namespace may not be set when a resource name is provided");
            }
        }
        if self.p.resource.is_some()
            && self.p.name.is_none()
            && (self.p.method == Method::PUT || self.p.method == Method::PATCH)
        {
            return fail(&format!(
                "{} of a {} needs a resource name",
                self.p.method,
                self.p.resource.as_deref().unwrap_or("")
            ));
        }
        Ok(())
    }

    /// The content type the body goes with.
    pub(crate) fn ensure_content_type(&mut self) {
        if self.p.body.is_some() && !self.p.headers.contains_key(CONTENT_TYPE) {
            self.p
                .headers
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, RestClient};

    /// The directly written URL is the one `url::Url` makes, for plain and odd paths alike.
    #[test]
    fn url_text_is_the_url() {
        for host in ["http://h:1", "https://h/base/", "http://[::1]:8080/x"] {
            let client = RestClient::for_config(&Config::new(host)).unwrap();
            let requests = [
                client.get(),
                client.get().namespace("ns").resource("pods").name("p"),
                client.get().namespace("").resource("Pods"),
                client
                    .get()
                    .resource("nodes")
                    .name("a:b@c")
                    .sub_resource("status"),
                client.get().resource("pods").name("x").suffix("/a/b/"),
                client
                    .get()
                    .prefix("/x/")
                    .resource("r")
                    .param("b", "1 2")
                    .param("a", "é&"),
                client.get().abs_path("/apis/"),
                client.get().abs_path("/version"),
                client.get().abs_path("/a b/c"),
                client.get().abs_path("/ünï"),
                client.get().abs_path(""),
                client.get().resource("").name("n"),
                client
                    .get()
                    .namespace("ns")
                    .resource("pods")
                    .timeout(std::time::Duration::from_secs(3)),
                client.get().name("with space"),
                client.get().name("x|y`{}"),
            ];
            for request in requests {
                let want = request.url().unwrap().to_string();
                let text = request.url_text().unwrap();
                assert_eq!(text, want, "{request:?}");
                // The Uri made from the client's parsed origin is the one parsing makes.
                let uri = crate::send::request_uri(client.shared(), &text).unwrap();
                assert_eq!(uri, http::Uri::try_from(want.as_str()).unwrap());
                assert_eq!(uri.to_string(), want);
            }
        }
    }
}
