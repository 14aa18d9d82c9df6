//! The generated clientset and types at run time: typed calls and discovery against the fixture
//! API server, and real objects' JSON round trips, as one test binary (regenerate.rs stays apart).

mod clientset;
mod discovery;
mod roundtrip;
