//! The discovery client (and its OpenAPI documents), the REST mapper and the dynamic client
//! against the fixture API server, as one test binary.

mod discovery;
mod dynamic;
mod openapi;
mod rest_mapper;
mod support;
