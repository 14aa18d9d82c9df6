//! The meta/v1 types against what a real kube-apiserver sends: objects, lists, options,
//! status, watch events and the OpenAPI definitions, as one test binary.

mod definitions;
mod list;
mod object;
mod options;
mod status;
mod watch;
