//! rest-derive: `#[derive(Resource)]` on a custom resource's spec struct makes the root type,
//! its `Resource` impl and typed client (client-gen's own emitter), and its CRD manifest.
//!
//! Use it through rest-core's `derive` feature (`rest_core::Resource` is both the trait and
//! the derive, as `serde::Serialize` is). See [`Resource`] for the attributes.

mod attrs;
mod crd;
mod expand;
mod kind;
mod lower;
mod names;

#[cfg(test)]
mod tests;

/// Derives a custom resource from its spec struct.
///
/// ```
/// use rest_core::Resource; // the trait and the derive
/// use schemars::JsonSchema;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Resource, Serialize, Deserialize, JsonSchema, Clone, Debug)]
/// #[resource(group = "stable.example.com", version = "v1", kind = "CronTab",
///            namespaced, status = "CronTabStatus", shortname = "ct")]
/// #[serde(rename_all = "camelCase")]
/// pub struct CronTabSpec { pub cron_spec: String, pub replicas: i32 }
///
/// #[derive(Serialize, Deserialize, JsonSchema, Clone, Debug, Default)]
/// pub struct CronTabStatus { pub replicas: i32 }
///
/// // Generated: `CronTab { metadata, spec, status }` (writes its apiVersion and kind),
/// // `impl Resource for CronTab`, `CronTabClient` (get, list, watch, create, update, patch,
/// // apply, delete, delete_collection, get_status, update_status, patch_status),
/// // `CronTab::new(name, spec)`, `CronTab::crd()`, `CronTabClient::namespaced(&client, ns)`.
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), rest_core::Error> {
/// assert_eq!(CronTab::API_VERSION, "stable.example.com/v1");
/// assert_eq!(CronTab::PLURAL, "crontabs");
/// let crd = CronTab::crd(); // a serde_json::Value: apply it, or print it as YAML
/// assert_eq!(crd["metadata"]["name"], "crontabs.stable.example.com");
///
/// // On the fixture API server, with the CRD registered:
/// let server = fixtures::ApiServer::builder().crd(crd).start().await;
/// let client = rest_core::RestClient::for_config(&rest_core::Config::new(server.url()))?;
/// let crontabs = CronTabClient::namespaced(&client, "default");
/// let spec = CronTabSpec { cron_spec: "*/5 * * * *".into(), replicas: 2 };
/// let created = crontabs.create(&CronTab::new("nightly", spec), &Default::default()).await?;
/// assert_eq!(created.spec.replicas, 2);
/// assert_eq!(created.metadata.namespace.as_deref(), Some("default"));
/// # Ok(())
/// # }
/// ```
///
/// The spec (and status) types must implement `Serialize`, `Deserialize`, `Clone`, `Debug`,
/// `Send`, `Sync` and `schemars::JsonSchema` (for `crd()`); the crate needs `serde` (the
/// generated code derives with it).
///
/// Attributes, in `#[resource(...)]`:
/// - `group = ".."`, `version = ".."`, `kind = ".."`: required.
/// - `plural = ".."` (default: the kind lowercased and pluralized, `Policy` -> `policies`),
///   `singular = ".."` (default: the kind lowercased).
/// - `namespaced` (the default) or `cluster`.
/// - `status = "Type"`: the status type; adds the `status` subresource.
/// - `scale(spec_replicas_path = ".spec.replicas", status_replicas_path = ".status.replicas",
///   label_selector_path = ".status.selector")`: the `scale` subresource (needs `status`).
/// - `shortname = ".."`, `category = ".."`, `selectable_field = ".spec.x"`: repeatable.
/// - `printcolumn(name = "..", type = "integer", json_path = ".spec.replicas",
///   description = "..", format = "..", priority = 1)`: repeatable.
/// - `crate = "path::to::rest_core"` (default `::rest_core`), `derive = "PartialEq"`
///   (repeatable): more derives on the root type.
#[proc_macro_derive(Resource, attributes(resource))]
pub fn derive_resource(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
