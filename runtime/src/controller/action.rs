//! What a reconcile answers: done until something changes, or look again after a while.
//! An error (the `Err` beside it) is retried with the queue's per-key backoff.

use std::time::Duration;

/// The outcome of a successful reconcile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Nothing more to do until the object (or something that triggers it) changes.
    Done,
    /// Reconcile again after this long even if nothing changes.
    RequeueAfter(Duration),
}

impl Action {
    /// Reconcile again after `after` (kube-runtime's `Action::requeue`).
    pub fn requeue(after: Duration) -> Self {
        Action::RequeueAfter(after)
    }

    /// Wait for a change (kube-runtime's `Action::await_change`).
    pub fn await_change() -> Self {
        Action::Done
    }
}
