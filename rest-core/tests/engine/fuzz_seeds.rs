//! The kubeconfig, watch, list, Warning and Retry-After fuzz targets as ordinary tests: every
//! seed and regression input under `fuzz/`, then 3,000 mutations of them (a fuzz
//! smoke, fixtures' runner): what once crashed stays fixed, and CI runs the targets without
//! cargo-fuzz.

use fixtures::fuzzing::smoke;
use rest_core::fuzzing;

#[test]
fn kubeconfig() {
    smoke(
        env!("CARGO_MANIFEST_DIR"),
        "kubeconfig",
        fuzzing::kubeconfig,
    );
}

#[test]
fn watch() {
    smoke(env!("CARGO_MANIFEST_DIR"), "watch", fuzzing::watch);
}

#[test]
fn list() {
    smoke(env!("CARGO_MANIFEST_DIR"), "list", fuzzing::list);
}

#[test]
fn warning() {
    smoke(env!("CARGO_MANIFEST_DIR"), "warning", fuzzing::warning);
}

#[test]
fn retry_after() {
    smoke(
        env!("CARGO_MANIFEST_DIR"),
        "retry_after",
        fuzzing::retry_after,
    );
}
