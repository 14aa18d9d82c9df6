//! Client-side throttling: a token bucket before the first try (outside the timeout) and
//! before each retry, shared by every client derived from one config, released when a
//! waiting request is cancelled. Measured through the waits requested, not wall time.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{config, serve};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response as AxumResponse};
use axum::routing::any;
use futures::FutureExt;
use rest_core::sleeper::SleepFuture;
use rest_core::{GroupVersion, RateLimiter, RestClient, Sleeper, TokenBucket};

/// A clock that stands still unless the test moves it.
#[derive(Clone)]
struct FrozenClock(Arc<Mutex<Instant>>);

impl FrozenClock {
    fn new() -> Self {
        FrozenClock(Arc::new(Mutex::new(Instant::now())))
    }
    fn advance(&self, d: Duration) {
        *self.0.lock().unwrap() += d;
    }
    fn bucket(&self, qps: f32, burst: u32) -> Arc<TokenBucket> {
        let me = self.clone();
        Arc::new(TokenBucket::with_clock(
            qps,
            burst,
            Arc::new(move || *me.0.lock().unwrap()),
        ))
    }
}

async fn ok_server() -> String {
    serve(axum::Router::new().fallback(any(|| async { "{}" }))).await
}

fn ms(v: &[u64]) -> Vec<Duration> {
    v.iter().map(|m| Duration::from_millis(*m)).collect()
}

#[test]
fn the_bucket_allows_a_burst_then_spaces_requests_at_qps() {
    let clock = FrozenClock::new();
    let bucket = clock.bucket(5.0, 10);
    let waits: Vec<Duration> = (0..13).map(|_| bucket.reserve()).collect();
    assert_eq!(waits[..10], vec![Duration::ZERO; 10][..]);
    assert_eq!(waits[10..], ms(&[200, 400, 600])[..]);
    // Time refills it: 3 tokens were owed, 1 s brings 5, so 2 are free.
    clock.advance(Duration::from_secs(1));
    let waits: Vec<Duration> = (0..3).map(|_| bucket.reserve()).collect();
    assert_eq!(waits, ms(&[0, 0, 200]));
    // A long pause refills only up to the burst.
    clock.advance(Duration::from_secs(60));
    let free = (0..20)
        .map(|_| bucket.reserve())
        .take_while(|w| w.is_zero())
        .count();
    assert_eq!(free, 10);
}

#[tokio::test]
async fn a_burst_of_requests_is_throttled_through_the_sleeper() {
    let url = ok_server().await;
    let clock = FrozenClock::new();
    let (mut cfg, sleeper) = config(&url);
    cfg.rate_limiter = Some(clock.bucket(5.0, 10));
    let c = RestClient::for_config(&cfg).unwrap();
    for _ in 0..14 {
        assert!(c.get().resource("pods").send().await.error().is_none());
    }
    assert_eq!(sleeper.waits(), ms(&[200, 400, 600, 800]));

    // qps and burst from the config build the same bucket (on the real clock).
    let (mut cfg, sleeper) = config(&url);
    cfg.qps = 2.0;
    cfg.burst = 3;
    let c = RestClient::for_config(&cfg).unwrap();
    for _ in 0..5 {
        c.get().resource("pods").send().await;
    }
    let waits = sleeper.waits();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!(
        waits[0] > Duration::from_millis(450) && waits[0] <= Duration::from_millis(500),
        "{waits:?}"
    );

    // qps <= 0 disables throttling.
    let (cfg, sleeper) = config(&url);
    let c = RestClient::for_config(&cfg).unwrap();
    for _ in 0..50 {
        c.get().resource("pods").send().await;
    }
    assert!(sleeper.waits().is_empty());
}

#[tokio::test]
async fn derived_clients_share_one_limiter() {
    let url = ok_server().await;
    let clock = FrozenClock::new();
    let (mut cfg, sleeper) = config(&url);
    cfg.rate_limiter = Some(clock.bucket(1.0, 2));
    let core = RestClient::for_config(&cfg).unwrap();
    let apps = core.for_group_version(GroupVersion::new("apps", "v1"));
    assert!(apps.shares_pool_with(&core));
    core.get().resource("pods").send().await;
    apps.get().resource("deployments").send().await;
    apps.get().resource("deployments").send().await;
    assert_eq!(sleeper.waits(), vec![Duration::from_secs(1)]);
}

#[tokio::test]
async fn retries_are_throttled_too() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let url = serve(axum::Router::new().fallback(any(move || {
        let n = h.fetch_add(1, Ordering::SeqCst);
        async move {
            if n == 0 {
                let mut r: AxumResponse =
                    (StatusCode::TOO_MANY_REQUESTS, "slow down").into_response();
                r.headers_mut()
                    .insert("retry-after", HeaderValue::from_static("1"));
                r
            } else {
                "{}".into_response()
            }
        }
    })))
    .await;
    let clock = FrozenClock::new();
    let (mut cfg, sleeper) = config(&url);
    cfg.rate_limiter = Some(clock.bucket(10.0, 1));
    let c = RestClient::for_config(&cfg).unwrap();
    assert!(c.get().resource("pods").send().await.error().is_none());
    // The first try took the only token; the retry waited Retry-After, then for a token.
    assert_eq!(
        sleeper.waits(),
        vec![Duration::from_secs(1), Duration::from_millis(100)]
    );
}

/// Never finishes a wait.
struct Forever;

impl Sleeper for Forever {
    fn sleep(&self, _d: Duration) -> SleepFuture {
        Box::pin(std::future::pending())
    }
}

#[tokio::test]
async fn a_request_cancelled_while_throttled_gives_its_token_back() {
    let url = ok_server().await;
    let clock = FrozenClock::new();
    let bucket = clock.bucket(1.0, 1);
    let (mut cfg, _) = config(&url);
    cfg.rate_limiter = Some(bucket.clone());
    cfg.sleeper = Some(Arc::new(Forever));
    let c = RestClient::for_config(&cfg).unwrap();
    assert!(c.get().resource("pods").send().await.error().is_none());
    // The second request must wait 1 s; it is dropped (cancelled) while waiting.
    assert!(c.get().resource("pods").send().now_or_never().is_none());
    // Its reservation was returned: the next caller waits 1 s, not 2 s.
    assert_eq!(bucket.reserve(), Duration::from_secs(1));
}

/// Really waits, so the timeout has a chance to fire during the throttling wait.
struct RealSleeper;

impl Sleeper for RealSleeper {
    fn sleep(&self, d: Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(d))
    }
}

#[tokio::test]
async fn throttling_happens_before_the_timeout_starts() {
    let url = ok_server().await;
    let clock = FrozenClock::new();
    let bucket = clock.bucket(1000.0 / 150.0, 1);
    let (mut cfg, _) = config(&url);
    cfg.rate_limiter = Some(bucket.clone());
    cfg.sleeper = Some(Arc::new(RealSleeper));
    let c = RestClient::for_config(&cfg).unwrap();
    c.get().resource("pods").send().await;
    // This one waits 150 ms for a token with a 100 ms timeout, and still succeeds.
    let r = c
        .get()
        .resource("pods")
        .timeout(Duration::from_millis(100))
        .send()
        .await;
    assert!(r.error().is_none(), "{:?}", r.error());
}
