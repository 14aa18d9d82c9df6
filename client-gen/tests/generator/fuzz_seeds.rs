//! The OpenAPI v2, v3 and CRD fuzz targets as ordinary tests: every seed and regression input
//! under `fuzz/`, then 3,000 mutations of them (a fuzz smoke, fixtures' runner): what
//! once crashed stays fixed, and CI runs the targets without cargo-fuzz.

use client_gen::fuzzing::generate;
use fixtures::fuzzing::smoke;

#[test]
fn openapi_v2() {
    smoke(env!("CARGO_MANIFEST_DIR"), "openapi_v2", |d| {
        generate("fuzz.json", d)
    });
}

#[test]
fn openapi_v3() {
    smoke(env!("CARGO_MANIFEST_DIR"), "openapi_v3", |d| {
        generate("fuzz-v3.json", d)
    });
}

#[test]
fn crd() {
    smoke(env!("CARGO_MANIFEST_DIR"), "crd", |d| {
        generate("fuzz.yaml", d)
    });
}
