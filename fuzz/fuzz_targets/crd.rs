#![no_main]

// The CRD front end: YAML, several documents per file (then the model and emitter).
libfuzzer_sys::fuzz_target!(|data: &[u8]| client_gen::fuzzing::generate("fuzz.yaml", data));
