//! The options of each verb (`ListOptions`, `GetOptions`, `CreateOptions`, ...): serialized
//! as query parameters with Kubernetes' camelCase keys, an unset option leaving no key.

use serde::{Deserialize, Serialize};

use super::de::is_false;

/// The `dryRun` value that runs every stage of a write without persisting it.
pub const DRY_RUN_ALL: &str = "All";

/// How `resourceVersion` is interpreted by a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ResourceVersionMatch {
    /// Data at least as new as `resourceVersion`.
    NotOlderThan,
    /// Data at exactly `resourceVersion`.
    Exact,
}

/// What to do with an object's dependents when it is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PropagationPolicy {
    /// Leave the dependents.
    Orphan,
    /// Delete the object now, the dependents in the background.
    Background,
    /// Delete the dependents first, then the object.
    Foreground,
}

/// How the server treats unknown or duplicate fields in a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FieldValidation {
    /// Drop them silently.
    Ignore,
    /// Drop them and answer with a `Warning` header each.
    Warn,
    /// Fail the request.
    Strict,
}

/// Options of list and watch calls.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListOptions {
    /// Label selector (`app=web,tier in (a,b)`); see `LabelSelector::to_selector_string`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<String>,
    /// Field selector (`metadata.name=one`, `status.phase!=Running`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_selector: Option<String>,
    /// Page size; the answer's `metadata.continue` fetches the next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// The continue token of the previous page.
    #[serde(rename = "continue", skip_serializing_if = "Option::is_none")]
    pub continue_: Option<String>,
    /// List or watch from this version (`"0"`: any cached state).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    /// How `resource_version` is applied to a list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_version_match: Option<ResourceVersionMatch>,
    /// Server-side limit on the duration of the call (watches end after it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<i64>,
    /// Ask the server for `BOOKMARK` events on a watch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_watch_bookmarks: Option<bool>,
    /// Start a watch with synthetic `ADDED` events for the current state, then a bookmark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub send_initial_events: Option<bool>,
    /// Turn the list into a watch (the watch calls set it themselves).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watch: Option<bool>,
}

impl ListOptions {
    /// With a label selector.
    pub fn labels(mut self, selector: impl Into<String>) -> Self {
        self.label_selector = Some(selector.into());
        self
    }

    /// With a field selector.
    pub fn fields(mut self, selector: impl Into<String>) -> Self {
        self.field_selector = Some(selector.into());
        self
    }

    /// With a page size.
    pub fn limit(mut self, limit: i64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Continuing from a previous page's token.
    pub fn continue_token(mut self, token: impl Into<String>) -> Self {
        self.continue_ = Some(token.into());
        self
    }

    /// From a resource version.
    pub fn resource_version(mut self, version: impl Into<String>) -> Self {
        self.resource_version = Some(version.into());
        self
    }

    /// With a server-side timeout.
    pub fn timeout_seconds(mut self, seconds: i64) -> Self {
        self.timeout_seconds = Some(seconds);
        self
    }
}

/// Options of a get call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetOptions {
    /// Read at this version (`"0"`: any cached state) instead of the latest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
}

/// Options of a create call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOptions {
    /// `Some(vec!["All".into()])` ([`DRY_RUN_ALL`]) validates without persisting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<Vec<String>>,
    /// Name of the actor making the change, recorded in `managedFields`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_manager: Option<String>,
    /// How unknown or duplicate fields are treated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_validation: Option<FieldValidation>,
}

/// Options of an update call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOptions {
    /// `Some(vec!["All".into()])` ([`DRY_RUN_ALL`]) validates without persisting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<Vec<String>>,
    /// Name of the actor making the change, recorded in `managedFields`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_manager: Option<String>,
    /// How unknown or duplicate fields are treated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_validation: Option<FieldValidation>,
}

/// Options of a patch call.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatchOptions {
    /// `Some(vec!["All".into()])` ([`DRY_RUN_ALL`]) validates without persisting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<Vec<String>>,
    /// Name of the actor making the change; required for apply patches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_manager: Option<String>,
    /// How unknown or duplicate fields are treated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_validation: Option<FieldValidation>,
    /// Apply patches only: take fields owned by other managers instead of failing with a
    /// conflict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force: Option<bool>,
}

/// Options of a server-side apply: the field manager is mandatory.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyOptions {
    /// Name of the actor owning the applied fields.
    pub field_manager: String,
    /// Take fields owned by other managers instead of failing with a conflict.
    #[serde(default, skip_serializing_if = "is_false")]
    pub force: bool,
    /// `Some(vec!["All".into()])` ([`DRY_RUN_ALL`]) validates without persisting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<Vec<String>>,
}

impl ApplyOptions {
    /// Apply as `field_manager`, without forcing.
    pub fn new(field_manager: impl Into<String>) -> Self {
        ApplyOptions {
            field_manager: field_manager.into(),
            ..ApplyOptions::default()
        }
    }

    /// Take over conflicting fields.
    pub fn force(mut self) -> Self {
        self.force = true;
        self
    }

    /// The `PatchOptions` an apply patch is sent with.
    pub fn to_patch_options(&self) -> PatchOptions {
        PatchOptions {
            dry_run: self.dry_run.clone(),
            field_manager: Some(self.field_manager.clone()),
            field_validation: None,
            force: self.force.then_some(true),
        }
    }
}

/// Conditions a delete (or update) must meet, else 409 Conflict.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Preconditions {
    /// The object must be at this resource version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    /// The object must have this UID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

/// Options of a delete call, sent as the JSON body (client-go's way).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `Some(vec!["All".into()])` ([`DRY_RUN_ALL`]) validates without deleting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<Vec<String>>,
    /// Seconds before the object is deleted; 0 deletes immediately, unset uses the default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grace_period_seconds: Option<i64>,
    /// Unsafe: delete even an object the server cannot read (corrupt in storage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignore_store_read_error_with_cluster_breaking_potential: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Deprecated: use `propagation_policy`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orphan_dependents: Option<bool>,
    /// Must hold, else the delete fails with 409 Conflict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preconditions: Option<Preconditions>,
    /// What happens to dependents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub propagation_policy: Option<PropagationPolicy>,
}

impl DeleteOptions {
    /// Whether every option is unset, so the request can go without a body.
    pub fn is_empty(&self) -> bool {
        *self == DeleteOptions::default()
    }
}
