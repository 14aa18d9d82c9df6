//! Derived kinds at run time: their CRD manifests and schemas, a round trip through client-gen,
//! and their typed clients against the fixture API server, as one test binary.

mod api_server;
mod crd_roundtrip;
mod crd_schema;
mod support;
