//! Status conditions helpers on rest-core's `meta::Condition` (apimachinery's `meta`
//! `SetStatusCondition`, `FindStatusCondition`, ...): set, find, remove, test.

use rest_core::meta::{Condition, Time};

/// `status` of a condition that holds.
pub const TRUE: &str = "True";
/// `status` of a condition that does not hold.
pub const FALSE: &str = "False";
/// `status` when it is not known whether the condition holds.
pub const UNKNOWN: &str = "Unknown";

/// Sets `new` in `conditions` by its type, and answers whether anything changed.
///
/// The transition time moves only when the status changes (to `new`'s, or now when `new`
/// has none); reason, message and observed generation are taken from `new` either way.
pub fn set_status_condition(conditions: &mut Vec<Condition>, new: Condition) -> bool {
    let Some(existing) = conditions.iter_mut().find(|c| c.type_ == new.type_) else {
        let mut new = new;
        if new.last_transition_time.is_empty() {
            new.last_transition_time = Time::now();
        }
        conditions.push(new);
        return true;
    };
    let mut changed = false;
    if existing.status != new.status {
        existing.status = new.status;
        existing.last_transition_time = if new.last_transition_time.is_empty() {
            Time::now()
        } else {
            new.last_transition_time
        };
        changed = true;
    }
    if existing.reason != new.reason {
        existing.reason = new.reason;
        changed = true;
    }
    if existing.message != new.message {
        existing.message = new.message;
        changed = true;
    }
    if existing.observed_generation != new.observed_generation {
        existing.observed_generation = new.observed_generation;
        changed = true;
    }
    changed
}

/// The condition of `type_`, if there is one.
pub fn find_status_condition<'a>(
    conditions: &'a [Condition],
    type_: &str,
) -> Option<&'a Condition> {
    conditions.iter().find(|c| c.type_ == type_)
}

/// Removes the condition of `type_`; answers whether there was one.
pub fn remove_status_condition(conditions: &mut Vec<Condition>, type_: &str) -> bool {
    let before = conditions.len();
    conditions.retain(|c| c.type_ != type_);
    conditions.len() != before
}

/// The condition of `type_` is there with status `True`.
pub fn is_status_condition_true(conditions: &[Condition], type_: &str) -> bool {
    is_status_condition_present_and_equal(conditions, type_, TRUE)
}

/// The condition of `type_` is there with status `False`.
pub fn is_status_condition_false(conditions: &[Condition], type_: &str) -> bool {
    is_status_condition_present_and_equal(conditions, type_, FALSE)
}

/// The condition of `type_` is there with exactly `status`.
pub fn is_status_condition_present_and_equal(
    conditions: &[Condition],
    type_: &str,
    status: &str,
) -> bool {
    find_status_condition(conditions, type_).is_some_and(|c| c.status == status)
}

/// A condition to pass to [`set_status_condition`] (its transition time left for it to fill).
pub fn condition(
    type_: impl Into<String>,
    status: &str,
    reason: impl Into<String>,
    message: impl Into<String>,
) -> Condition {
    Condition {
        type_: type_.into(),
        status: status.to_owned(),
        reason: reason.into(),
        message: message.into(),
        ..Condition::default()
    }
}
