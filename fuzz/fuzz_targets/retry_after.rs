#![no_main]

// A `Retry-After` header value on 429 and 503 answers.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rest_core::fuzzing::retry_after(data));
