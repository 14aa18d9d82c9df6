#![no_main]

// A `Warning` header value.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rest_core::fuzzing::warning(data));
