#![no_main]

// A list body decoded while it streams in (tiny segments under cfg(fuzzing)); checked against serde on the whole body.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rest_core::fuzzing::list(data));
