//! An operator on krest: a `#[derive(Resource)]` App whose controller owns a ConfigMap and a
//! Deployment, with conditions, events, a finalizer and leader election; and the cert-manager
//! client demo whose clients `build.rs` generates from the CRDs.

pub mod app;
pub mod certificates;
pub mod operator;
pub mod reconcile;

pub use app::{App, AppSpec, AppStatus};
pub use operator::{Operator, OperatorConfig};
