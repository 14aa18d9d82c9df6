//! The `protobuf_decode` fuzz target's seeds and regressions (`fuzz/corpus`, `fuzz/regressions`)
//! as an ordinary test, so CI proves the target runs and what once crashed stays fixed.

use std::path::Path;

#[test]
fn every_protobuf_seed_and_regression_runs_clean() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut inputs = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join("protobuf_decode")) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| rest_core::fuzzing::protobuf_decode(&data));
            assert!(outcome.is_ok(), "{} panics", path.display());
            inputs += 1;
        }
    }
    assert!(inputs >= 5, "the protobuf_decode seeds are missing");
}
