//! The `client-gen` program as a user runs it: generate, `--check`, inspect, every input kind,
//! usage errors and exit codes, as one test binary.

mod generate;
mod inputs;
mod snapshots;
