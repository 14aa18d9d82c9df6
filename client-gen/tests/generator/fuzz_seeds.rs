//! The fuzz targets' seed corpora and every input a fuzzing run found (`fuzz/corpus`,
//! `fuzz/regressions`) through the OpenAPI v2, v3 and CRD targets, as ordinary tests: what once
//! crashed stays fixed, and CI proves the targets run without building cargo-fuzz.

use std::path::Path;

type Target = (&'static str, fn(&[u8]));

const TARGETS: [Target; 3] = [
    ("openapi_v2", |d| {
        client_gen::fuzzing::generate("fuzz.json", d)
    }),
    ("openapi_v3", |d| {
        client_gen::fuzzing::generate("fuzz-v3.json", d)
    }),
    ("crd", |d| client_gen::fuzzing::generate("fuzz.yaml", d)),
];

#[test]
fn every_seed_and_regression_input_runs_clean() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    for (target, run) in TARGETS {
        let mut inputs = 0;
        for dir in ["corpus", "regressions"] {
            let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
                continue;
            };
            let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
            paths.sort();
            for path in paths {
                let data = std::fs::read(&path).unwrap();
                let outcome = std::panic::catch_unwind(|| run(&data));
                assert!(outcome.is_ok(), "{target}: {} panics", path.display());
                inputs += 1;
            }
        }
        assert!(inputs > 0, "no seed for the {target} target");
    }
}
