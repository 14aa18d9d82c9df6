#![no_main]

// The OpenAPI v2 front end (then the model and emitter), as `client-gen generate --openapi`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| client_gen::fuzzing::generate("fuzz.json", data));
