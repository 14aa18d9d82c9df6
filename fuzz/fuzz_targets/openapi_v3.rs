#![no_main]

// The OpenAPI v3 front end (then the model and emitter).
libfuzzer_sys::fuzz_target!(|data: &[u8]| client_gen::fuzzing::generate("fuzz-v3.json", data));
