//! The controller: reconciles a primary resource through a work queue, triggered by its own
//! changes, its owned objects' and any watched resource's through a mapping function.

mod action;
mod owners;
mod runner;
mod source;

pub use crate::object::ObjectRef;
pub use action::Action;
pub use owners::{owners_of, owners_of_resource};
pub use runner::{Controller, ReconcileError, ReconcileResult, Running};
