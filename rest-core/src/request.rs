//! `Request`: the builder client-go calls `rest.Request`. Every mistake (a field set twice,
//! an invalid path segment, bad parameters) is kept and reported by `send`, before any I/O.

use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use http::{HeaderMap, Method};
use serde::Serialize;
use url::Url;

use crate::address::Address;
use crate::client::RestClient;
use crate::error::Error;
use crate::path::{invalid_segment, join, query_pairs};

/// One API call being built. Consumed by `send`, `watch` or `stream`.
///
/// Path segments go in Kubernetes' order whatever order they are set in (prefix,
/// namespace, resource, name, subresource, suffix). A mistake (a segment set twice, a name
/// with `/`, parameters that do not serialize) is kept and returned by `send` before any
/// I/O, as client-go does, so a chain never needs `?` until it is sent.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = fixtures::ApiServer::builder().seed(fixtures::seed_pods()).start().await;
/// # let client = rest_core::RestClient::for_config(&rest_core::Config::new(server.url()))?;
/// use std::time::Duration;
/// use rest_core::ListOptions;
///
/// let request = client
///     .get()
///     .resource("pods")
///     .namespace("default")
///     .params(&ListOptions { label_selector: Some("app=containerized-data-importer".into()), ..Default::default() })
///     .timeout(Duration::from_secs(10));
/// assert_eq!(
///     request.url()?.as_str(),
///     format!("{}/api/v1/namespaces/default/pods?labelSelector=app%3Dcontainerized-data-importer&timeout=10s", server.url()),
/// );
/// let response = request.send().await;
/// assert_eq!(response.status_code(), 200);
///
/// // Deferred errors: nothing is sent.
/// let wrong = client.get().resource("pods").name("a/b").send().await;
/// assert!(wrong.error().is_some_and(|e| e.to_string().contains("a/b")));
/// # Ok(())
/// # }
/// ```
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

/// Why `namespace` cannot be a request's namespace, if it cannot.
pub(crate) fn namespace_problem(namespace: &str) -> Option<String> {
    invalid_segment(namespace).map(|why| format!("invalid namespace {namespace:?}: {why}"))
}

/// Why `resource` cannot be a request's resource, if it cannot.
pub(crate) fn resource_problem(resource: &str) -> Option<String> {
    invalid_segment(resource).map(|why| format!("invalid resource {resource:?}: {why}"))
}

/// Why `name` cannot be a request's object name, if it cannot.
pub(crate) fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("resource name may not be empty".to_owned());
    }
    invalid_segment(name).map(|why| format!("invalid resource name {name:?}: {why}"))
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
        if let Some(problem) = namespace_problem(namespace) {
            return self.fail(problem);
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
        if let Some(problem) = resource_problem(resource) {
            return self.fail(problem);
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
            return self.fail(name_problem(name).unwrap_or_default());
        }
        if let Some(old) = &self.p.name {
            let msg = format!("resource name already set to {old:?}, cannot change to {name:?}");
            return self.fail(msg);
        }
        if let Some(problem) = name_problem(name) {
            return self.fail(problem);
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
        Ok(self.address().url(&self.p.client.shared().base))
    }

    /// client-go's `finalURLTemplate`: the URL with the namespace, name and parameter values
    /// replaced by `{namespace}`, `{name}` and `{value}`, for metrics labels.
    pub fn url_template(&self) -> String {
        self.address().url_template(&self.p.client.shared().base)
    }

    /// The pieces of this request's URL.
    pub(crate) fn address(&self) -> Address<'_> {
        Address {
            prefix: self.prefix_path(),
            namespace: self.p.namespace.as_deref(),
            resource: self.p.resource.as_deref(),
            name: self.p.name.as_deref(),
            sub_resource: self.p.sub_resource.as_deref(),
            sub_path: &self.p.sub_path,
            params: &self.p.params,
            timeout: self.p.timeout,
        }
    }

    /// The text of `url()`, written directly when the path needs no escaping (what every
    /// Kubernetes path is), else by `url::Url`. Also returns `url()`'s error.
    #[cfg(test)]
    pub(crate) fn url_text(&self) -> Result<String, Error> {
        if let Some(err) = &self.p.err {
            return Err(err.clone());
        }
        Ok(self.address().url_text(self.p.client.shared()))
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
                let uri = crate::send::request_uri(&text).unwrap();
                assert_eq!(uri, http::Uri::try_from(want.as_str()).unwrap());
                assert_eq!(uri.to_string(), want);
            }
        }
    }

    /// The URL text of a plain request is allocated once at about its size (a larger block
    /// would be freed under glibc's arena lock, see `Address::url_text`).
    #[test]
    fn url_text_is_allocated_at_its_size() {
        let client = RestClient::for_config(&Config::new("https://h:6443/base/")).unwrap();
        let requests = [
            client
                .get()
                .namespace("kube-system")
                .resource("configmaps")
                .name("coredns"),
            client
                .get()
                .resource("nodes")
                .name("n")
                .sub_resource("status")
                .suffix("/a/b"),
            client
                .get()
                .prefix("/x/")
                .resource("r")
                .param("b", "1 2")
                .param("a", "é&"),
            client
                .get()
                .namespace("ns")
                .resource("pods")
                .timeout(std::time::Duration::from_secs(3)),
            client.get().abs_path("/version"),
        ];
        for request in requests {
            let text = request.url_text().unwrap();
            let slack = text.capacity() - text.len();
            assert!(slack <= 8, "{text}: capacity {}", text.capacity());
        }
    }
}
