#![no_main]

// Any bytes as a protobuf body, watch frame and message; what decodes re-encodes to the same value.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rest_core::fuzzing::protobuf_decode(data));
