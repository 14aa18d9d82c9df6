//! What the bench server and the cache scenario agree on: the namespace of the scenario's
//! requests, and what its watch does, picked by the label selector the watchers send. Its
//! own module, so that the server compiles without the scenario (`examples/listloop.rs`).

/// The namespace the bench server answers the cache scenario's requests in.
pub const NAMESPACE: &str = "cache";

/// What the server's watch does after the list, picked by the label selector the watchers
/// send (`bench=<mode>`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// The watch stays open and silent: the initial sync only.
    Sync,
    /// The watch answers 410 Expired: the watcher lists again.
    Relist,
    /// The watch sends the scenario's stream of events, then stays open.
    Events,
}

impl Mode {
    pub fn selector(self) -> &'static str {
        match self {
            Mode::Sync => "bench=sync",
            Mode::Relist => "bench=relist",
            Mode::Events => "bench=events",
        }
    }

    /// The mode a watch request's query asks for.
    pub fn of_query(query: &str) -> Mode {
        if query.contains("bench%3Drelist") || query.contains("bench=relist") {
            Mode::Relist
        } else if query.contains("bench%3Devents") || query.contains("bench=events") {
            Mode::Events
        } else {
            Mode::Sync
        }
    }
}

/// What the 410 watch answers, as a real server words it.
pub const EXPIRED: &[u8] = b"{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version: 987654 (1000000)\",\"reason\":\"Expired\",\"code\":410}}\n";
