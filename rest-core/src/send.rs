//! The request loop (client-go's `Request.request`): throttle before the first try, outside
//! the timeout; then try, and retry as `retry.rs` decides, throttling before each retry.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::future::Either;
use http::{HeaderMap, Method, Uri};
use hyper_util::client::legacy;

use crate::address::Address;
use crate::auth::Presented;
use crate::body::{read_all, Origin};
use crate::client::{RestClient, Shared};
use crate::error::Error;
use crate::limits::Limits;
use crate::request::Request;
use crate::response::{error_for, Response};
use crate::retry::{error_chain, Retry};
use crate::throttle::throttle;
use crate::transport::{Body, HttpResponse};

/// A validated request, ready to be tried.
pub(crate) struct Call<'a> {
    /// Moved from a `Request`, or borrowed by a typed call: no reference count touched.
    client: Held<'a>,
    uri: Uri,
    pub(crate) origin: Origin,
    /// The metrics labels, made only when a `Metrics` hook is set (boxed: rare, and the
    /// call is part of every request's future).
    labels: Option<Box<Labels>>,
    /// The request's own headers; the client's are added for each try.
    headers: HeaderMap,
    body: Option<Bytes>,
    timeout: Option<Duration>,
    max_retries: u32,
}

/// The client a call uses: a `Request`'s own, or one a typed call borrows for its duration.
pub(crate) enum Held<'a> {
    Owned(RestClient),
    Borrowed(&'a RestClient),
}

impl std::ops::Deref for Held<'_> {
    type Target = RestClient;

    fn deref(&self) -> &RestClient {
        match self {
            Held::Owned(client) => client,
            Held::Borrowed(client) => client,
        }
    }
}

/// The URL template and `host[:port]` the metrics hooks are given.
struct Labels {
    template: String,
    host: String,
}

/// What a call's address fixes: the URL text (kept for messages), its `Uri`, the labels.
struct Fixed {
    url: String,
    uri: Uri,
    labels: Option<Box<Labels>>,
}

impl Request {
    /// Sends the request and reads the whole answer (client-go's `Do`). Never fails itself:
    /// every failure is in `Response::error`.
    ///
    /// The request is validated when `send` is called and the future holds only the
    /// prepared call, not the builder as well (an `async fn` would keep both).
    pub fn send(self) -> impl Future<Output = Response> + Send + 'static {
        match self.into_call() {
            Ok(call) => Either::Left(call.send()),
            Err((err, origin)) => Either::Right(std::future::ready(Response::failed(err, origin))),
        }
    }

    /// Validates the request and fixes its URL, metrics labels and headers.
    // Internal and called once per request: the error travels with its origin, unboxed.
    #[allow(clippy::result_large_err)]
    pub(crate) fn into_call(mut self) -> Result<Call<'static>, (Error, Origin)> {
        if let Some(err) = self.p.err.take() {
            tracing::debug!(verb = %self.p.method, "error in request: {err}");
            return Err((
                err,
                Origin {
                    verb: self.p.method.clone(),
                    url: String::new(),
                },
            ));
        }
        self.ensure_content_type();
        let fixed = fix(self.p.client.shared(), &self.p.method, &self.address())?;
        let timeout = self.timeout_value();
        let parts = *self.p;
        Ok(Call::new(
            Held::Owned(parts.client),
            parts.method,
            fixed,
            parts.headers,
            parts.body,
            timeout,
            parts.max_retries,
        ))
    }
}

impl RestClient {
    /// A call to `address` without a `Request`: for typed calls, which borrow the client and
    /// the address's pieces for the call's duration instead of copying them.
    #[allow(clippy::result_large_err)]
    pub(crate) fn call<'a>(
        &'a self,
        method: Method,
        address: &Address<'_>,
    ) -> Result<Call<'a>, (Error, Origin)> {
        let fixed = fix(self.shared(), &method, address)?;
        let shared = self.shared();
        let (timeout, max_retries) = (address.timeout, shared.max_retries);
        Ok(Call::new(
            Held::Borrowed(self),
            method,
            fixed,
            HeaderMap::new(),
            None,
            timeout,
            max_retries,
        ))
    }
}

/// The URL text, `Uri` and labels of a call to `address`, or why it cannot be made.
#[allow(clippy::result_large_err)]
fn fix(shared: &Shared, method: &Method, address: &Address<'_>) -> Result<Fixed, (Error, Origin)> {
    let url = address.url_text(shared);
    if let Err(err) = address.preflight(method) {
        tracing::debug!(verb = %method, "error in request: {err}");
        let verb = method.clone();
        return Err((err, Origin { verb, url }));
    }
    let labels = shared.metrics.as_ref().map(|_| {
        let base = &shared.base;
        Box::new(Labels {
            template: address.url_template(base),
            host: match base.port() {
                Some(port) => format!("{}:{port}", base.host_str().unwrap_or_default()),
                None => base.host_str().unwrap_or_default().to_owned(),
            },
        })
    });
    // The URL's text is kept for messages; hyper gets it parsed as a `Uri`.
    match request_uri(&url) {
        Ok(uri) => Ok(Fixed { url, uri, labels }),
        Err(e) => {
            let err = Error::InvalidRequest {
                message: format!("{url} is not a valid request URI: {e}"),
            };
            let verb = method.clone();
            Err((err, Origin { verb, url }))
        }
    }
}

/// `url` as a `Uri`, parsed from a copy owned by this request. Not assembled from the
/// client's parsed scheme and authority: their shared bytes would be reference-counted by
/// every request and every try, atomic updates on a line all worker threads touch.
pub(crate) fn request_uri(url: &str) -> Result<Uri, http::Error> {
    Ok(Uri::from_maybe_shared(Bytes::copy_from_slice(
        url.as_bytes(),
    ))?)
}

impl<'a> Call<'a> {
    /// The call with the request's own headers (a typed call starts with none).
    pub(crate) fn with_headers(mut self, headers: HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    fn new(
        client: Held<'a>,
        method: Method,
        fixed: Fixed,
        headers: HeaderMap,
        body: Option<Bytes>,
        timeout: Option<Duration>,
        max_retries: u32,
    ) -> Call<'a> {
        Call {
            client,
            uri: fixed.uri,
            origin: Origin {
                verb: method,
                url: fixed.url,
            },
            labels: fixed.labels,
            headers,
            body,
            timeout,
            max_retries,
        }
    }

    /// `Request::send` once the request is valid.
    pub(crate) async fn send(self) -> Response {
        let started = self.clock();
        let result = self
            .bounded(|| async {
                let (head, body) = self.tries().await?.into_parts();
                let body = read_all(body, &self.origin, self.limits().max_body_bytes).await?;
                Ok((head.status, head.headers, body))
            })
            .await;
        self.observe_latency(started);
        let Call {
            origin,
            client,
            labels,
            ..
        } = self;
        let shared = client.shared();
        match result {
            Ok((status, headers, body)) => {
                if let (Some(metrics), Some(labels)) = (&shared.metrics, &labels) {
                    metrics.response_size(origin.verb.as_str(), &labels.host, body.len() as u64);
                }
                Response::from_parts(
                    status,
                    headers,
                    body,
                    origin,
                    shared.warning_handler.as_ref(),
                )
            }
            Err(err) => Response::failed(err, origin),
        }
    }

    /// Throttles for the first try, then runs `work` within the request's timeout, so a
    /// throttled client does not time out before it sent anything (client-go's order).
    /// `work` makes the future only when it is run: a future passed by value would sit in
    /// this one's state twice (as the argument and inside the timeout), and every call's
    /// future is moved whole at each level.
    pub(crate) async fn bounded<T, Fut>(&self, work: impl FnOnce() -> Fut) -> Result<T, Error>
    where
        Fut: Future<Output = Result<T, Error>>,
    {
        self.throttle().await;
        match self.timeout {
            None => work().await,
            Some(timeout) => match tokio::time::timeout(timeout, work()).await {
                Ok(result) => result,
                Err(_) => Err(Error::Timeout {
                    verb: self.origin.verb.to_string(),
                    url: self.origin.url.clone(),
                    timeout,
                }),
            },
        }
    }

    /// Tries until an answer is final: success, an error not worth retrying, or retries spent.
    /// A 401 with credentials an exec plugin issued gets one more try with fresh ones.
    pub(crate) async fn tries(&self) -> Result<HttpResponse, Error> {
        let mut retry = Retry::new(self.max_retries);
        let mut reauthenticated = false;
        loop {
            // Boxed: an exec plugin's future is large, and every call's future would carry
            // its size (moved by memcpy at each await) whether a plugin is configured or not.
            let presented = match &self.client.shared().auth {
                Some(auth) => Some(Box::pin(auth.present()).await?),
                None => None,
            };
            let outcome = self.try_once(presented.as_ref()).await;
            if let (Some(auth), Some(presented), Ok(resp)) =
                (&self.client.shared().auth, &presented, &outcome)
            {
                // A request that brought its own Authorization header was not refused
                // because of the plugin's credentials.
                if resp.status() == http::StatusCode::UNAUTHORIZED
                    && !reauthenticated
                    && !self.headers.contains_key(http::header::AUTHORIZATION)
                    && Box::pin(auth.unauthorized(presented)).await
                {
                    tracing::debug!(verb = %self.origin.verb, url = %self.origin.url, "401 Unauthorized: trying once more with fresh credentials");
                    reauthenticated = true;
                    drop(outcome);
                    self.throttle().await;
                    continue;
                }
            }
            let Some(next) = retry.next(&self.origin.verb, &outcome) else {
                return outcome.map_err(|err| self.http_error(err));
            };
            tracing::debug!(
                verb = %self.origin.verb, url = %self.origin.url, cause = %next.cause, wait = ?next.wait,
                retry = retry.retries(), "retrying"
            );
            if let (Some(metrics), Some(labels)) = (&self.client.shared().metrics, &self.labels) {
                metrics.request_retry(&next.cause, self.origin.verb.as_str(), &labels.host);
            }
            drop(outcome);
            if !next.wait.is_zero() {
                self.client.shared().sleeper.sleep(next.wait).await;
            }
            self.throttle().await;
        }
    }

    async fn try_once(&self, presented: Option<&Presented>) -> Result<HttpResponse, legacy::Error> {
        let http = presented
            .and_then(|p| p.http.as_ref())
            .unwrap_or(&self.client.shared().http);
        let body = match &self.body {
            Some(body) => {
                if let (Some(metrics), Some(labels)) = (&self.client.shared().metrics, &self.labels)
                {
                    metrics.request_size(
                        self.origin.verb.as_str(),
                        &labels.host,
                        body.len() as u64,
                    );
                }
                // `Bytes` clones share the buffer: a retry resends without copying.
                Body::new(body.clone())
            }
            None => Body::default(),
        };
        let mut request = http::Request::new(body);
        *request.method_mut() = self.origin.verb.clone();
        *request.uri_mut() = self.uri.clone();
        *request.headers_mut() = self.headers_for(presented);
        let outcome = http.request(request).await;
        if let (Some(metrics), Some(labels)) = (&self.client.shared().metrics, &self.labels) {
            let code = match &outcome {
                Ok(resp) => resp.status().as_u16().to_string(),
                Err(_) => "<error>".to_owned(),
            };
            metrics.request_result(&code, self.origin.verb.as_str(), &labels.host);
        }
        outcome
    }

    /// The client's headers, each replaced by the request's own of the same name, and the
    /// credentials of this try unless the request brought its own Authorization (as in
    /// client-go's round trippers). One map per try: hyper takes it.
    fn headers_for(&self, presented: Option<&Presented>) -> HeaderMap {
        // Room for the request's own, the try's credentials, and for `Host` and
        // `Content-Length`, which hyper adds.
        let auth = presented.and_then(|p| p.authorization.as_ref());
        let room =
            self.headers.len() + 1 + usize::from(self.body.is_some()) + usize::from(auth.is_some());
        let mut headers = self.client.shared().headers.for_try(room);
        if !self.headers.is_empty() {
            for name in self.headers.keys() {
                headers.remove(name);
            }
            for (name, value) in &self.headers {
                headers.append(name, value.clone());
            }
        }
        if let Some(auth) = auth {
            if !headers.contains_key(http::header::AUTHORIZATION) {
                headers.insert(http::header::AUTHORIZATION, auth.clone());
            }
        }
        headers
    }

    async fn throttle(&self) {
        let Some(limiter) = &self.client.shared().limiter else {
            return;
        };
        let waited = throttle(limiter, self.client.shared().sleeper.as_ref()).await;
        if waited.is_zero() {
            return;
        }
        if let (Some(metrics), Some(labels)) = (&self.client.shared().metrics, &self.labels) {
            metrics.rate_limiter_latency(self.origin.verb.as_str(), &labels.template, waited);
        }
        if waited > Duration::from_secs(1) {
            tracing::info!(verb = %self.origin.verb, url = %self.origin.url, "waited {waited:?} due to client-side throttling");
        } else {
            tracing::debug!(verb = %self.origin.verb, url = %self.origin.url, "waited {waited:?} due to client-side throttling");
        }
    }

    /// The client's caps on what it reads.
    pub(crate) fn limits(&self) -> &Limits {
        &self.client.shared().limits
    }

    /// The start of the call, read only when a metrics hook will be told its latency.
    pub(crate) fn clock(&self) -> Option<Instant> {
        self.labels.as_ref().map(|_| Instant::now())
    }

    pub(crate) fn observe_latency(&self, started: Option<Instant>) {
        if let (Some(metrics), Some(labels), Some(started)) =
            (&self.client.shared().metrics, &self.labels, started)
        {
            metrics.request_latency(
                self.origin.verb.as_str(),
                &labels.template,
                started.elapsed(),
            );
        }
    }

    fn http_error(&self, err: legacy::Error) -> Error {
        Error::Http {
            verb: self.origin.verb.to_string(),
            url: self.origin.url.clone(),
            detail: error_chain(&err),
            source: Arc::new(err),
        }
    }

    /// For `watch` and `stream`: tries until the response head is final, within the
    /// timeout; a non-2xx answer is read whole and turned into its error.
    pub(crate) async fn open(&self) -> Result<HttpResponse, Error> {
        let started = self.clock();
        let result = self.bounded(|| self.head()).await;
        self.observe_latency(started);
        let resp = result?;
        self.check_warnings(resp.headers())?;
        Ok(resp)
    }

    /// For lists decoded as they stream in: the head as `open` takes it, then `read` on the
    /// body, all within the timeout (as `send`), with latency and response size observed.
    /// `read` returns its result and the number of body bytes it read.
    pub(crate) async fn receive<T, F, Fut>(&self, read: F) -> Result<T, Error>
    where
        F: FnOnce(HttpResponse) -> Fut,
        Fut: Future<Output = Result<(T, u64), Error>>,
    {
        let started = self.clock();
        let result = self
            .bounded(|| async {
                let resp = self.head().await?;
                self.check_warnings(resp.headers())?;
                read(resp).await
            })
            .await;
        self.observe_latency(started);
        let (value, size) = result?;
        if let (Some(metrics), Some(labels)) = (&self.client.shared().metrics, &self.labels) {
            metrics.response_size(self.origin.verb.as_str(), &labels.host, size);
        }
        Ok(value)
    }

    /// Tries until the head is final; a non-2xx answer is read whole and becomes its error.
    async fn head(&self) -> Result<HttpResponse, Error> {
        let resp = self.tries().await?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let (head, body) = resp.into_parts();
        let body = read_all(body, &self.origin, self.limits().max_body_bytes).await?;
        let content_type = head
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        Err(error_for(
            head.status,
            &head.headers,
            content_type,
            &body,
            &self.origin,
        ))
    }

    /// Hands the `Warning` headers to the handler; an error when it fails such requests.
    fn check_warnings(&self, headers: &HeaderMap) -> Result<(), Error> {
        let warnings = crate::warnings::parse_warning_headers(headers);
        let handler = &self.client.shared().warning_handler;
        for warning in &warnings {
            handler.handle_warning(warning);
        }
        if handler.fails_request() && !warnings.is_empty() {
            return Err(Error::Warnings {
                verb: self.origin.verb.to_string(),
                url: self.origin.url.clone(),
                warnings,
            });
        }
        Ok(())
    }
}
