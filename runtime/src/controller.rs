//! The controller: reconciles a primary resource through a work queue, triggered by its own
//! changes, its owned objects' and any watched resource's through a mapping function.

mod action;

pub use action::Action;
