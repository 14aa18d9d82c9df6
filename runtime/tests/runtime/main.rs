//! rest-runtime against the fixture API server: the watcher, the store, shared informers, the
//! work queue, the controller and its helpers, and leader election, as one test binary.

mod common;
mod conditions;
mod controller;
mod dynamic;
mod events;
mod finalizer;
mod informer;
mod leader_election;
mod store;
mod support;
mod wait;
mod watcher;
mod workqueue;
