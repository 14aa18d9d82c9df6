//! The discovery client, the REST mapper and the dynamic client against the fixture API
//! server, as one test binary.

mod discovery;
mod dynamic;
mod rest_mapper;
mod support;
