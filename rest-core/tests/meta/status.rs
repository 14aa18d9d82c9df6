//! `Status` bodies a real kube-apiserver answered (fixtures/apiserver), decoded the way the
//! engine decodes error bodies, and written back unchanged.

use rest_core::meta::Status;
use serde_json::Value;

fn response_body(name: &str) -> Value {
    let path = format!(
        "{}/../fixtures/apiserver/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["response"]["body"].clone()
}

fn status(name: &str) -> Status {
    serde_json::from_value(response_body(name)).unwrap()
}

#[test]
fn not_found_names_the_object() {
    let s = status("get-missing");
    assert!(s.is_failure());
    assert!(!s.is_success());
    assert_eq!(s.reason(), "NotFound");
    assert_eq!(s.code(), 404);
    assert_eq!(s.message(), "configmaps \"missing\" not found");
    let details = s.details.as_ref().unwrap();
    assert_eq!(details.name.as_deref(), Some("missing"));
    assert_eq!(details.kind.as_deref(), Some("configmaps"));
    assert_eq!(
        s.to_string(),
        "configmaps \"missing\" not found (NotFound, 404)"
    );
}

#[test]
fn invalid_lists_the_field_causes() {
    let s = status("create-invalid-name");
    assert_eq!(s.reason(), "Invalid");
    assert_eq!(s.code(), 422);
    let causes = s.causes();
    assert_eq!(causes.len(), 1);
    assert_eq!(causes[0].field.as_deref(), Some("metadata.name"));
    assert_eq!(causes[0].reason.as_deref(), Some("FieldValueInvalid"));
    assert!(causes[0]
        .message
        .as_deref()
        .unwrap()
        .starts_with("Invalid value: \"Bad_Name\""));
}

#[test]
fn conflicts_and_expiry_and_auth_failures() {
    let conflict = status("update-conflict");
    assert_eq!((conflict.reason(), conflict.code()), ("Conflict", 409));

    let apply = status("apply-conflict");
    assert_eq!(apply.reason(), "Conflict");
    assert_eq!(
        apply.causes()[0].reason.as_deref(),
        Some("FieldManagerConflict")
    );
    assert_eq!(apply.causes()[0].field.as_deref(), Some(".data.a"));

    let expired = status("list-expired-rv");
    assert_eq!((expired.reason(), expired.code()), ("Expired", 410));
    assert!(expired.details.is_none());

    let unauthorized = status("unauthorized");
    assert_eq!(
        (unauthorized.reason(), unauthorized.code()),
        ("Unauthorized", 401)
    );

    let forbidden = status("forbidden-anonymous");
    assert_eq!((forbidden.reason(), forbidden.code()), ("Forbidden", 403));
    assert!(forbidden.message().contains("system:anonymous"));
}

#[test]
fn success_status_of_a_delete() {
    let s = status("delete-configmap");
    assert!(s.is_success());
    assert_eq!(s.code, None);
    assert_eq!(s.reason(), "");
    let details = s.details.as_ref().unwrap();
    assert_eq!(
        details.uid.as_deref(),
        Some("fc10b2e0-d239-49ad-b692-9f37550e2c82")
    );
}

#[test]
fn every_status_body_round_trips() {
    for name in [
        "get-missing",
        "create-invalid-name",
        "update-conflict",
        "apply-conflict",
        "list-expired-rv",
        "unauthorized",
        "forbidden-anonymous",
        "delete-configmap",
    ] {
        let body = response_body(name);
        let decoded: Status = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(serde_json::to_value(&decoded).unwrap(), body, "{name}");
    }
}

#[test]
fn status_with_every_field_round_trips() {
    let body = serde_json::json!({
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {"resourceVersion": "7", "continue": "c", "remainingItemCount": 3, "selfLink": "/x"},
        "status": "Failure",
        "message": "too many requests",
        "reason": "TooManyRequests",
        "details": {
            "name": "n", "group": "apps", "kind": "deployments", "uid": "u-1",
            "retryAfterSeconds": 2,
            "causes": [{"reason": "r", "message": "m", "field": "f"}]
        },
        "code": 429
    });
    let decoded: Status = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(decoded.retry_after_seconds(), Some(2));
    assert_eq!(
        decoded.metadata.as_ref().unwrap().remaining_item_count,
        Some(3)
    );
    assert_eq!(serde_json::to_value(&decoded).unwrap(), body);
}

#[test]
fn constructed_failure_matches_the_server_shape() {
    let made = Status::failure(404, "NotFound", "configmaps \"missing\" not found");
    let mut expected = response_body("get-missing");
    expected.as_object_mut().unwrap().remove("details");
    assert_eq!(serde_json::to_value(&made).unwrap(), expected);
    assert!(Status::success().is_success());
}

#[test]
fn display_falls_back_when_parts_are_missing() {
    assert_eq!(Status::default().to_string(), "unknown status");
    let reason_only = Status {
        reason: Some("Gone".into()),
        ..Status::default()
    };
    assert_eq!(reason_only.to_string(), "Gone");
}
