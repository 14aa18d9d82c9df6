//! The generator as a library and a build.rs builder: every front end, the model, selection,
//! the emitter and its errors, as one test binary (one link instead of 14).

mod builder;
mod crd;
mod crd_corpus;
mod crd_errors;
mod describe;
mod discovery;
mod emit;
mod emit_for_derive;
mod errors;
mod extern_group;
mod fuzz_seeds;
mod kubernetes;
mod naming;
mod openapi_v2;
mod openapi_v3;
mod proto;
mod select;
