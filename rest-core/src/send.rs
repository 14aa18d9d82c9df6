//! The request loop (client-go's `Request.request`): throttle before the first try, outside
//! the timeout; then try, and retry as `retry.rs` decides, throttling before each retry.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, Method};
use url::Url;

use crate::auth::Presented;
use crate::body::{read_all, Origin};
use crate::client::Shared;
use crate::error::Error;
use crate::request::Request;
use crate::response::{error_for, Response};
use crate::retry::{error_chain, Retry};
use crate::throttle::throttle;

/// A validated request, ready to be tried.
pub(crate) struct Call {
    shared: Arc<Shared>,
    method: Method,
    url: Url,
    pub(crate) origin: Origin,
    template: String,
    host: String,
    headers: HeaderMap,
    body: Option<Bytes>,
    timeout: Option<Duration>,
    max_retries: u32,
}

impl Request {
    /// Sends the request and reads the whole answer (client-go's `Do`). Never fails itself:
    /// every failure is in `Response::error`.
    pub async fn send(self) -> Response {
        let call = match self.into_call() {
            Ok(call) => call,
            Err((err, origin)) => return Response::failed(err, origin),
        };
        let started = Instant::now();
        let origin = call.origin.clone();
        let result = call
            .bounded(async {
                let resp = call.tries().await?;
                let status = resp.status();
                let headers = resp.headers().clone();
                let body = read_all(resp, &call.origin).await?;
                Ok((status, headers, body))
            })
            .await;
        call.observe_latency(started);
        match result {
            Ok((status, headers, body)) => {
                if let Some(metrics) = &call.shared.metrics {
                    metrics.response_size(&call.origin.verb, &call.host, body.len() as u64);
                }
                Response::from_parts(
                    status,
                    &headers,
                    body,
                    origin,
                    call.shared.warning_handler.as_ref(),
                )
            }
            Err(err) => Response::failed(err, origin),
        }
    }

    /// Validates the request and fixes its URL, template and headers.
    // Internal and called once per request: the error travels with its origin, unboxed.
    #[allow(clippy::result_large_err)]
    pub(crate) fn into_call(mut self) -> Result<Call, (Error, Origin)> {
        let verb = self.method.as_str().to_owned();
        let url = self.url();
        let origin = Origin {
            verb: verb.clone(),
            url: url.as_ref().map(|u| u.to_string()).unwrap_or_default(),
        };
        if let Err(err) = self.preflight() {
            tracing::debug!(verb = %verb, "error in request: {err}");
            return Err((err, origin));
        }
        let url = url.map_err(|e| (e, origin.clone()))?;
        self.ensure_content_type();
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_owned(),
        };
        // The client's headers, each replaced by the request's own of the same name.
        let mut headers = self.client.shared.headers.clone();
        for name in self.headers.keys() {
            headers.remove(name);
        }
        for (name, value) in &self.headers {
            headers.append(name, value.clone());
        }
        Ok(Call {
            template: self.url_template(),
            shared: self.client.shared.clone(),
            timeout: self.timeout_value(),
            method: self.method,
            url,
            origin,
            host,
            headers,
            body: self.body,
            max_retries: self.max_retries,
        })
    }
}

impl Call {
    /// Throttles for the first try, then runs `work` within the request's timeout, so a
    /// throttled client does not time out before it sent anything (client-go's order).
    pub(crate) async fn bounded<T>(
        &self,
        work: impl Future<Output = Result<T, Error>>,
    ) -> Result<T, Error> {
        self.throttle().await;
        match self.timeout {
            None => work.await,
            Some(timeout) => match tokio::time::timeout(timeout, work).await {
                Ok(result) => result,
                Err(_) => Err(Error::Timeout {
                    verb: self.origin.verb.clone(),
                    url: self.origin.url.clone(),
                    timeout,
                }),
            },
        }
    }

    /// Tries until an answer is final: success, an error not worth retrying, or retries spent.
    /// A 401 with credentials an exec plugin issued gets one more try with fresh ones.
    pub(crate) async fn tries(&self) -> Result<reqwest::Response, Error> {
        let mut retry = Retry::new(self.max_retries);
        let mut reauthenticated = false;
        loop {
            let presented = match &self.shared.auth {
                Some(auth) => Some(auth.present().await?),
                None => None,
            };
            let outcome = self.try_once(presented.as_ref()).await;
            if let (Some(auth), Some(presented), Ok(resp)) =
                (&self.shared.auth, &presented, &outcome)
            {
                // A request that brought its own Authorization header was not refused
                // because of the plugin's credentials.
                if resp.status() == http::StatusCode::UNAUTHORIZED
                    && !reauthenticated
                    && !self.headers.contains_key(http::header::AUTHORIZATION)
                    && auth.unauthorized(presented).await
                {
                    tracing::debug!(verb = %self.origin.verb, url = %self.origin.url, "401 Unauthorized: trying once more with fresh credentials");
                    reauthenticated = true;
                    drop(outcome);
                    self.throttle().await;
                    continue;
                }
            }
            let Some(next) = retry.next(&self.method, &outcome) else {
                return outcome.map_err(|err| self.http_error(err));
            };
            tracing::debug!(
                verb = %self.origin.verb, url = %self.origin.url, cause = %next.cause, wait = ?next.wait,
                retry = retry.retries(), "retrying"
            );
            if let Some(metrics) = &self.shared.metrics {
                metrics.request_retry(&next.cause, &self.origin.verb, &self.host);
            }
            drop(outcome);
            if !next.wait.is_zero() {
                self.shared.sleeper.sleep(next.wait).await;
            }
            self.throttle().await;
        }
    }

    async fn try_once(
        &self,
        presented: Option<&Presented>,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let http = presented
            .and_then(|p| p.http.as_ref())
            .unwrap_or(&self.shared.http);
        let mut headers = self.headers.clone();
        // A request's own Authorization header wins, as in client-go's round trippers.
        if let Some(auth) = presented.and_then(|p| p.authorization.as_ref()) {
            if !headers.contains_key(http::header::AUTHORIZATION) {
                headers.insert(http::header::AUTHORIZATION, auth.clone());
            }
        }
        let mut builder = http
            .request(self.method.clone(), self.url.clone())
            .headers(headers);
        if let Some(body) = &self.body {
            if let Some(metrics) = &self.shared.metrics {
                metrics.request_size(&self.origin.verb, &self.host, body.len() as u64);
            }
            // `Bytes` clones share the buffer: a retry resends without copying.
            builder = builder.body(body.clone());
        }
        let outcome = builder.send().await;
        if let Some(metrics) = &self.shared.metrics {
            let code = match &outcome {
                Ok(resp) => resp.status().as_u16().to_string(),
                Err(_) => "<error>".to_owned(),
            };
            metrics.request_result(&code, &self.origin.verb, &self.host);
        }
        outcome
    }

    async fn throttle(&self) {
        let Some(limiter) = &self.shared.limiter else {
            return;
        };
        let waited = throttle(limiter, self.shared.sleeper.as_ref()).await;
        if waited.is_zero() {
            return;
        }
        if let Some(metrics) = &self.shared.metrics {
            metrics.rate_limiter_latency(&self.origin.verb, &self.template, waited);
        }
        if waited > Duration::from_secs(1) {
            tracing::info!(verb = %self.origin.verb, url = %self.origin.url, "waited {waited:?} due to client-side throttling");
        } else {
            tracing::debug!(verb = %self.origin.verb, url = %self.origin.url, "waited {waited:?} due to client-side throttling");
        }
    }

    pub(crate) fn observe_latency(&self, started: Instant) {
        if let Some(metrics) = &self.shared.metrics {
            metrics.request_latency(&self.origin.verb, &self.template, started.elapsed());
        }
    }

    fn http_error(&self, err: reqwest::Error) -> Error {
        Error::Http {
            verb: self.origin.verb.clone(),
            url: self.origin.url.clone(),
            detail: error_chain(&err),
            source: Arc::new(err),
        }
    }

    /// For `watch` and `stream`: tries until the response head is final, within the
    /// timeout; a non-2xx answer is read whole and turned into its error.
    pub(crate) async fn open(&self) -> Result<reqwest::Response, Error> {
        let started = Instant::now();
        let result = self.bounded(self.head()).await;
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
        F: FnOnce(reqwest::Response) -> Fut,
        Fut: Future<Output = Result<(T, u64), Error>>,
    {
        let started = Instant::now();
        let result = self
            .bounded(async {
                let resp = self.head().await?;
                self.check_warnings(resp.headers())?;
                read(resp).await
            })
            .await;
        self.observe_latency(started);
        let (value, size) = result?;
        if let Some(metrics) = &self.shared.metrics {
            metrics.response_size(&self.origin.verb, &self.host, size);
        }
        Ok(value)
    }

    /// Tries until the head is final; a non-2xx answer is read whole and becomes its error.
    async fn head(&self) -> Result<reqwest::Response, Error> {
        let resp = self.tries().await?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = read_all(resp, &self.origin).await?;
        let content_type = headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        Err(error_for(
            status,
            &headers,
            content_type,
            &body,
            &self.origin,
        ))
    }

    /// Hands the `Warning` headers to the handler; an error when it fails such requests.
    fn check_warnings(&self, headers: &HeaderMap) -> Result<(), Error> {
        let warnings = crate::warnings::parse_warning_headers(headers);
        let handler = &self.shared.warning_handler;
        for warning in &warnings {
            handler.handle_warning(warning);
        }
        if handler.fails_request() && !warnings.is_empty() {
            return Err(Error::Warnings {
                verb: self.origin.verb.clone(),
                url: self.origin.url.clone(),
                warnings,
            });
        }
        Ok(())
    }
}
