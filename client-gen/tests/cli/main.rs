//! The `client-gen` program as a user runs it: generate, `--check`, inspect, every input kind,
//! usage errors and exit codes, `--from-cluster` against the fixture server, as one test binary.

mod from_cluster;
mod generate;
mod inputs;
mod snapshots;
