//! `Limits`: how much of a server's answer a client holds before it gives up with an error,
//! so a hostile or broken server or proxy cannot make it exhaust memory.

/// Caps on what a client reads from a server. The defaults are far above anything a
/// Kubernetes API server sends (its objects are at most a few MiB; a list of 100,000 pods is
/// about 350 MiB), and only stop a server or proxy that has gone wrong.
///
/// ```
/// use rest_core::{Config, Limits};
/// let config = Config {
///     limits: Limits { max_body_bytes: 64 << 20, ..Limits::default() },
///     ..Config::new("https://127.0.0.1:6443")
/// };
/// # let _ = config;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest response body `send`, `send_list` (and the typed `list`) and error
    /// answers are read to; a larger one fails with `Error::ResponseTooLarge` as soon as it is
    /// announced (`Content-Length`) or received. Default 1 GiB. Bodies of `stream` (logs,
    /// which may never end) and watches (see `max_watch_event_bytes`) are not counted.
    pub max_body_bytes: u64,
    /// The largest single event (one line) of a watch; a longer one ends the watch with
    /// `Error::ResponseTooLarge`. Default 64 MiB.
    pub max_watch_event_bytes: usize,
    /// The largest response head (status line and headers) the client accepts: HTTP/1 read
    /// buffer size (at least 8 KiB) and the HTTP/2 `SETTINGS_MAX_HEADER_LIST_SIZE`. A larger
    /// head fails the try as a connection error. Default 400 KiB (hyper's own HTTP/1 bound).
    pub max_header_bytes: usize,
}

impl Limits {
    /// 1 GiB.
    pub const DEFAULT_MAX_BODY_BYTES: u64 = 1 << 30;
    /// 64 MiB.
    pub const DEFAULT_MAX_WATCH_EVENT_BYTES: usize = 64 << 20;
    /// 400 KiB.
    pub const DEFAULT_MAX_HEADER_BYTES: usize = 400 << 10;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: Limits::DEFAULT_MAX_BODY_BYTES,
            max_watch_event_bytes: Limits::DEFAULT_MAX_WATCH_EVENT_BYTES,
            max_header_bytes: Limits::DEFAULT_MAX_HEADER_BYTES,
        }
    }
}
