#![no_main]

// The fixture server's labelSelector parser, and the selector applied.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fixtures::fuzzing::label_selector(data));
