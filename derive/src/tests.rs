//! Expansion tests: each `tests/expand/<name>.rs` holds a struct with `#[derive(Resource)]`;
//! its expansion, formatted, must equal `tests/expand/<name>.expanded.rs` (`BLESS=1` rewrites).
