//! The `protobuf_decode` fuzz target as an ordinary test: its seeds and regressions under
//! `fuzz/`, then 3,000 mutations of them (fixtures' fuzz smoke), so CI proves the
//! target runs and what once crashed stays fixed.

#[test]
fn protobuf_decode() {
    fixtures::fuzzing::smoke(
        env!("CARGO_MANIFEST_DIR"),
        "protobuf_decode",
        rest_core::fuzzing::protobuf_decode,
    );
}
