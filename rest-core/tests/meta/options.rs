//! Options structs serialize to exactly the query keys the API server reads (unset options
//! leave no key), and patches carry the right content type with the payload as the body.

use rest_core::meta::{
    ApplyOptions, CreateOptions, DeleteOptions, FieldValidation, GetOptions, ListOptions, Patch,
    PatchOptions, PatchType, Preconditions, PropagationPolicy, ResourceVersionMatch, UpdateOptions,
    DRY_RUN_ALL,
};
use serde_json::{json, Value};

/// The options as the engine turns them into query parameters: a JSON object whose
/// keys are the parameter names.
fn keys(options: &impl serde::Serialize) -> Value {
    serde_json::to_value(options).unwrap()
}

#[test]
fn unset_options_send_nothing() {
    assert_eq!(keys(&ListOptions::default()), json!({}));
    assert_eq!(keys(&GetOptions::default()), json!({}));
    assert_eq!(keys(&CreateOptions::default()), json!({}));
    assert_eq!(keys(&UpdateOptions::default()), json!({}));
    assert_eq!(keys(&PatchOptions::default()), json!({}));
    assert_eq!(keys(&DeleteOptions::default()), json!({}));
    assert!(DeleteOptions::default().is_empty());
}

#[test]
fn list_options_use_the_server_keys() {
    let opts = ListOptions {
        label_selector: Some("app=web".into()),
        field_selector: Some("metadata.name=one".into()),
        limit: Some(500),
        continue_: Some("tok".into()),
        resource_version: Some("226".into()),
        resource_version_match: Some(ResourceVersionMatch::NotOlderThan),
        timeout_seconds: Some(4),
        allow_watch_bookmarks: Some(true),
        send_initial_events: Some(false),
        watch: Some(true),
    };
    assert_eq!(
        keys(&opts),
        json!({
            "labelSelector": "app=web",
            "fieldSelector": "metadata.name=one",
            "limit": 500,
            "continue": "tok",
            "resourceVersion": "226",
            "resourceVersionMatch": "NotOlderThan",
            "timeoutSeconds": 4,
            "allowWatchBookmarks": true,
            "sendInitialEvents": false,
            "watch": true
        })
    );
    let built = ListOptions::default()
        .labels("app=pager")
        .limit(2)
        .continue_token("c");
    assert_eq!(
        keys(&built),
        json!({"labelSelector": "app=pager", "limit": 2, "continue": "c"})
    );
}

#[test]
fn write_options_use_the_server_keys() {
    let create = CreateOptions {
        dry_run: Some(vec![DRY_RUN_ALL.into()]),
        field_manager: Some("kubectl-create".into()),
        field_validation: Some(FieldValidation::Strict),
    };
    assert_eq!(
        keys(&create),
        json!({"dryRun": ["All"], "fieldManager": "kubectl-create", "fieldValidation": "Strict"})
    );
    let update = UpdateOptions {
        field_validation: Some(FieldValidation::Warn),
        ..UpdateOptions::default()
    };
    assert_eq!(keys(&update), json!({"fieldValidation": "Warn"}));
    let patch = PatchOptions {
        field_manager: Some("kubectl-patch".into()),
        force: Some(true),
        ..PatchOptions::default()
    };
    assert_eq!(
        keys(&patch),
        json!({"fieldManager": "kubectl-patch", "force": true})
    );
    assert_eq!(
        keys(&GetOptions {
            resource_version: Some("0".into())
        }),
        json!({"resourceVersion": "0"})
    );
}

#[test]
fn apply_options_always_name_the_manager() {
    assert_eq!(
        keys(&ApplyOptions::new("krest")),
        json!({"fieldManager": "krest"})
    );
    let forced = ApplyOptions::new("krest").force();
    assert_eq!(
        keys(&forced),
        json!({"fieldManager": "krest", "force": true})
    );
    assert_eq!(
        forced.to_patch_options(),
        PatchOptions {
            field_manager: Some("krest".into()),
            force: Some(true),
            ..PatchOptions::default()
        }
    );
    assert_eq!(ApplyOptions::new("krest").to_patch_options().force, None);
}

#[test]
fn delete_options_body_matches_the_server_shape() {
    let opts = DeleteOptions {
        grace_period_seconds: Some(0),
        propagation_policy: Some(PropagationPolicy::Foreground),
        preconditions: Some(Preconditions {
            resource_version: Some("199".into()),
            uid: Some("fc10b2e0".into()),
        }),
        dry_run: Some(vec![DRY_RUN_ALL.into()]),
        ..DeleteOptions::default()
    };
    assert!(!opts.is_empty());
    let body = json!({
        "gracePeriodSeconds": 0,
        "propagationPolicy": "Foreground",
        "preconditions": {"resourceVersion": "199", "uid": "fc10b2e0"},
        "dryRun": ["All"]
    });
    assert_eq!(keys(&opts), body);
    let back: DeleteOptions = serde_json::from_value(body).unwrap();
    assert_eq!(back, opts);
}

#[test]
fn patches_pick_their_content_type_and_send_the_payload() {
    let merge: Patch<Value> = Patch::Merge(json!({"data": {"c": "d"}}));
    assert_eq!(merge.content_type(), "application/merge-patch+json");
    assert_eq!(
        serde_json::to_string(&merge).unwrap(),
        r#"{"data":{"c":"d"}}"#
    );

    let ops = json!([{"op": "replace", "path": "/data/k", "value": "v2"}]);
    let json_patch: Patch<()> = Patch::Json(ops.clone());
    assert_eq!(json_patch.content_type(), "application/json-patch+json");
    assert_eq!(serde_json::to_value(&json_patch).unwrap(), ops);

    let strategic = Patch::Strategic(json!({"spec": {"replicas": 3}}));
    assert_eq!(strategic.patch_type(), PatchType::Strategic);
    assert_eq!(
        strategic.content_type(),
        "application/strategic-merge-patch+json"
    );

    let apply = Patch::Apply(json!({"apiVersion": "v1", "kind": "ConfigMap"}));
    assert_eq!(apply.content_type(), "application/apply-patch+yaml");
    assert_eq!(
        PatchType::Apply.content_type(),
        "application/apply-patch+yaml"
    );
    assert_eq!(
        PatchType::Json.content_type(),
        "application/json-patch+json"
    );
    assert_eq!(
        PatchType::Merge.content_type(),
        "application/merge-patch+json"
    );
}
