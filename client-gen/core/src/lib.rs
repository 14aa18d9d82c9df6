//! client-gen-core: the model every client-gen front end lowers into and the emitter every
//! output comes from (files, `OUT_DIR`, `#[derive(Resource)]`'s tokens), without any parser.
//!
//! `model::ApiSet` -> `finish` (names, boxing) -> `emit` (quote, prettyplease) ->
//! `output::Output` (files in memory). `client-gen` re-exports every module here under the
//! same names (`client_gen::model`, `client_gen::emit`, ...) and adds the front ends;
//! `rest-derive` depends on this package alone, so the derive stays cheap to compile.

pub mod emit;
pub mod error;
pub mod finish;
pub mod model;
pub mod names;
pub mod output;
pub mod proto;
pub mod select;
pub mod settings;
pub mod text;

pub use error::Error;
pub use model::ApiSet;
pub use output::Output;
pub use settings::{ExternGroup, Settings};
