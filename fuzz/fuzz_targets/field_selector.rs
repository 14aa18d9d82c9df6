#![no_main]

// The fixture server's fieldSelector parser, and the selector applied.
libfuzzer_sys::fuzz_target!(|data: &[u8]| fixtures::fuzzing::field_selector(data));
