//! The engine against servers on 127.0.0.1: URLs, retries, throttling, timeouts, warnings,
//! errors, TLS, watch and `ResourceClient`, as one test binary (one link instead of ten).

mod config;
mod errors;
mod fault_matrix;
mod fuzz_seeds;
mod limits;
mod resource_client;
mod retry;
mod soak;
mod support;
mod throttle;
mod tls;
mod transport;
mod url;
mod url_props;
mod warnings;
mod watch;
