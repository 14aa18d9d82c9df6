#![no_main]

// A watch body, cut into chunks, through the line decoder; checked against decoding each line alone.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rest_core::fuzzing::watch(data));
