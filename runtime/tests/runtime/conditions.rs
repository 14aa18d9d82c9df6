//! Status conditions helpers: set keeps the transition time unless the status changes,
//! reports whether anything changed; find, remove and the status tests.

use rest_core::meta::{Condition, Time};
use rest_runtime::conditions::{
    condition, find_status_condition, is_status_condition_false,
    is_status_condition_present_and_equal, is_status_condition_true, remove_status_condition,
    set_status_condition, FALSE, TRUE,
};

const EARLIER: &str = "2020-01-01T00:00:00Z";

#[test]
fn a_new_condition_gets_a_transition_time() {
    let mut conditions = Vec::new();
    assert!(set_status_condition(
        &mut conditions,
        condition("Ready", TRUE, "Reconciled", "all good")
    ));
    let ready = find_status_condition(&conditions, "Ready").unwrap();
    assert!(!ready.last_transition_time.is_empty());
    assert!(is_status_condition_true(&conditions, "Ready"));
    assert!(!is_status_condition_false(&conditions, "Ready"));
    assert!(find_status_condition(&conditions, "Available").is_none());
}

#[test]
fn the_transition_time_stays_while_the_status_does() {
    let mut conditions = vec![Condition {
        last_transition_time: Time::from(EARLIER),
        ..condition("Ready", TRUE, "Reconciled", "all good")
    }];
    // Same everything: no change.
    assert!(!set_status_condition(
        &mut conditions,
        condition("Ready", TRUE, "Reconciled", "all good")
    ));
    // New message and generation, same status: changed, time kept.
    assert!(set_status_condition(
        &mut conditions,
        Condition {
            observed_generation: Some(4),
            ..condition("Ready", TRUE, "Reconciled", "still good")
        }
    ));
    let ready = &conditions[0];
    assert_eq!(ready.last_transition_time.as_str(), EARLIER);
    assert_eq!(ready.message, "still good");
    assert_eq!(ready.observed_generation, Some(4));
    // The status flips: the time moves.
    assert!(set_status_condition(
        &mut conditions,
        condition("Ready", FALSE, "Failed", "broke")
    ));
    assert_eq!(conditions.len(), 1);
    assert_ne!(conditions[0].last_transition_time.as_str(), EARLIER);
    assert!(is_status_condition_present_and_equal(
        &conditions,
        "Ready",
        FALSE
    ));
}

#[test]
fn a_given_transition_time_is_used_and_remove_answers_whether_there_was_one() {
    let mut conditions = Vec::new();
    set_status_condition(
        &mut conditions,
        Condition {
            last_transition_time: Time::from(EARLIER),
            ..condition("Progressing", TRUE, "Started", "")
        },
    );
    set_status_condition(&mut conditions, condition("Ready", FALSE, "Waiting", ""));
    assert_eq!(conditions[0].last_transition_time.as_str(), EARLIER);
    assert!(remove_status_condition(&mut conditions, "Progressing"));
    assert!(!remove_status_condition(&mut conditions, "Progressing"));
    assert_eq!(conditions.len(), 1);
    assert_eq!(conditions[0].type_, "Ready");
}
