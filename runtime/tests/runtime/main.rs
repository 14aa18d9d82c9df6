//! rest-runtime against the fixture API server: the watcher, the store and shared informers, as
//! one test binary (one link instead of three).

mod common;
mod informer;
mod store;
mod watcher;
