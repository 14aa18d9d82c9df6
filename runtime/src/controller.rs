//! The controller: reconciles a primary resource through a work queue, triggered by its own
//! changes, its owned objects' and any watched resource's through a mapping function.

mod action;
mod object_ref;
mod runner;
mod source;

pub use action::Action;
pub use object_ref::{owners_of, ObjectRef};
pub use runner::{Controller, ReconcileError, ReconcileResult, Running};
pub use source::{watch_objects, TriggerEvent};
