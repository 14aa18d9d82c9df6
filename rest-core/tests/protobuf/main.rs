//! rest-core's protobuf layer (feature `protobuf`): the meta types against what a real
//! kube-apiserver wrote (`fixtures/protobuf/real/`), the value types, and hostile bytes.

mod fuzz_seeds;
mod hostile;
mod real_server;
mod support;
mod values;
