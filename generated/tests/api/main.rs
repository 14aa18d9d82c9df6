//! The generated clientset and types at run time: typed calls and discovery against the fixture
//! API server (in protobuf, and in JSON), real objects' JSON round trips and `--from-cluster`, as one test binary
//! (regenerate.rs stays apart).

mod clientset;
mod discovery;
mod dynamic;
mod from_cluster;
mod protobuf_mode;
mod real_server;
mod roundtrip;
