#![no_main]

// A kubeconfig (YAML) lowered into a Config, as `Config::from_kubeconfig` does.
libfuzzer_sys::fuzz_target!(|data: &[u8]| rest_core::fuzzing::kubeconfig(data));
