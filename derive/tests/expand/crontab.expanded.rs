/// `CronTab` of `stable.example.com/v1`, the custom resource whose spec is `CronTabSpec` (made by `#[derive(Resource)]`).
#[derive(Clone, Debug, serde::Deserialize)]
pub struct CronTab {
    /// Standard object metadata: name, namespace, labels, annotations, versions.
    #[serde(default)]
    pub metadata: ::rest_core::meta::ObjectMeta,
    /// What the object should be.
    pub spec: CronTabSpec,
    /// What the object is, as last observed (written through the status subresource).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<CronTabStatus>,
}
impl serde::Serialize for CronTab {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("apiVersion", "stable.example.com/v1")?;
        map.serialize_entry("kind", "CronTab")?;
        map.serialize_entry("metadata", &self.metadata)?;
        map.serialize_entry("spec", &self.spec)?;
        if let Some(value) = &self.status {
            map.serialize_entry("status", value)?;
        }
        map.end()
    }
}
impl ::rest_core::Resource for CronTab {
    const GROUP: &'static str = "stable.example.com";
    const VERSION: &'static str = "v1";
    const API_VERSION: &'static str = "stable.example.com/v1";
    const KIND: &'static str = "CronTab";
    const PLURAL: &'static str = "crontabs";
    const SCOPE: ::rest_core::Scope = ::rest_core::Scope::Namespaced;
    fn metadata(&self) -> &::rest_core::meta::ObjectMeta {
        &self.metadata
    }
    fn metadata_mut(&mut self) -> &mut ::rest_core::meta::ObjectMeta {
        &mut self.metadata
    }
}
/// Typed client for `crontabs` (`stable.example.com/v1` `CronTab`).
#[derive(Clone, Debug)]
pub struct CronTabClient(pub ::rest_core::ResourceClient<CronTab>);
impl CronTabClient {
    /// Reads the named object.
    #[inline]
    pub async fn get(
        &self,
        name: &str,
        opts: &::rest_core::meta::GetOptions,
    ) -> Result<CronTab, ::rest_core::Error> {
        self.0.get(name, opts).await
    }
    /// Lists objects; with `limit`, one page (continue from `metadata.continue`).
    #[inline]
    pub async fn list(
        &self,
        opts: &::rest_core::meta::ListOptions,
    ) -> Result<::rest_core::meta::List<CronTab>, ::rest_core::Error> {
        self.0.list(opts).await
    }
    /// Watches for changes, from `resource_version` when set.
    #[inline]
    pub async fn watch(
        &self,
        opts: &::rest_core::meta::ListOptions,
    ) -> Result<::rest_core::WatchStream<CronTab>, ::rest_core::Error> {
        self.0.watch(opts).await
    }
    /// Creates the object.
    #[inline]
    pub async fn create(
        &self,
        obj: &CronTab,
        opts: &::rest_core::meta::CreateOptions,
    ) -> Result<CronTab, ::rest_core::Error> {
        self.0.create(obj, opts).await
    }
    /// Replaces the object named by its metadata (`resource_version` guards conflicts).
    #[inline]
    pub async fn update(
        &self,
        obj: &CronTab,
        opts: &::rest_core::meta::UpdateOptions,
    ) -> Result<CronTab, ::rest_core::Error> {
        self.0.update(obj, opts).await
    }
    /// Patches the named object (JSON, merge, strategic merge or apply patch).
    #[inline]
    pub async fn patch<P: serde::Serialize>(
        &self,
        name: &str,
        patch: &::rest_core::meta::Patch<P>,
        opts: &::rest_core::meta::PatchOptions,
    ) -> Result<CronTab, ::rest_core::Error> {
        self.0.patch(name, patch, opts).await
    }
    /// Server-side apply of the fields `obj` sets, owned by `opts.field_manager`.
    #[inline]
    pub async fn apply<P: serde::Serialize>(
        &self,
        name: &str,
        obj: &P,
        opts: &::rest_core::meta::ApplyOptions,
    ) -> Result<CronTab, ::rest_core::Error> {
        self.0.apply(name, obj, opts).await
    }
    /// Deletes the named object: the object while it finalizes, or a `Status` once gone.
    #[inline]
    pub async fn delete(
        &self,
        name: &str,
        opts: &::rest_core::meta::DeleteOptions,
    ) -> Result<::rest_core::Deleted<CronTab>, ::rest_core::Error> {
        self.0.delete(name, opts).await
    }
    /// Deletes every object `list` selects.
    #[inline]
    pub async fn delete_collection(
        &self,
        opts: &::rest_core::meta::DeleteOptions,
        list: &::rest_core::meta::ListOptions,
    ) -> Result<::rest_core::meta::List<CronTab>, ::rest_core::Error> {
        self.0.delete_collection(opts, list).await
    }
    /// Reads the `scale` subresource.
    #[inline]
    pub async fn get_scale(
        &self,
        name: &str,
        params: &::rest_core::meta::GetOptions,
    ) -> Result<::rest_core::derive_support::serde_json::Value, ::rest_core::Error> {
        self.0.get_subresource("scale", name, params).await
    }
    /// Replaces the `scale` subresource.
    #[inline]
    pub async fn update_scale(
        &self,
        name: &str,
        body: &::rest_core::derive_support::serde_json::Value,
        opts: &::rest_core::meta::UpdateOptions,
    ) -> Result<::rest_core::derive_support::serde_json::Value, ::rest_core::Error> {
        self.0.update_subresource("scale", name, body, opts).await
    }
    /// Patches the `scale` subresource.
    #[inline]
    pub async fn patch_scale<P: serde::Serialize>(
        &self,
        name: &str,
        patch: &::rest_core::meta::Patch<P>,
        opts: &::rest_core::meta::PatchOptions,
    ) -> Result<::rest_core::derive_support::serde_json::Value, ::rest_core::Error> {
        self.0.patch_subresource("scale", name, patch, opts).await
    }
    /// Reads the `status` subresource.
    #[inline]
    pub async fn get_status(
        &self,
        name: &str,
        params: &::rest_core::meta::GetOptions,
    ) -> Result<CronTab, ::rest_core::Error> {
        self.0.get_subresource("status", name, params).await
    }
    /// Replaces the status of the object named by its metadata.
    #[inline]
    pub async fn update_status(
        &self,
        obj: &CronTab,
        opts: &::rest_core::meta::UpdateOptions,
    ) -> Result<CronTab, ::rest_core::Error> {
        self.0.update_status(obj, opts).await
    }
    /// Patches the status of the named object.
    #[inline]
    pub async fn patch_status<P: serde::Serialize>(
        &self,
        name: &str,
        patch: &::rest_core::meta::Patch<P>,
        opts: &::rest_core::meta::PatchOptions,
    ) -> Result<CronTab, ::rest_core::Error> {
        self.0.patch_status(name, patch, opts).await
    }
}
impl CronTab {
    /// A `CronTab` named `name` with `spec` and no status; the namespace comes from the client it is created through.
    pub fn new(name: &str, spec: CronTabSpec) -> Self {
        Self {
            metadata: ::rest_core::meta::ObjectMeta {
                name: Some(name.to_owned()),
                ..Default::default()
            },
            spec,
            status: None,
        }
    }
    /// The `apiextensions.k8s.io/v1` CustomResourceDefinition of `CronTab` (`crontabs.stable.example.com`), its `openAPIV3Schema` made structural from the types' `schemars::JsonSchema`; print it as YAML with any serde YAML crate.
    pub fn crd() -> ::rest_core::derive_support::serde_json::Value {
        ::rest_core::derive_support::crd(
            &::rest_core::derive_support::CrdInfo {
                group: "stable.example.com",
                version: "v1",
                kind: "CronTab",
                plural: "crontabs",
                singular: "crontab",
                namespaced: true,
                short_names: &["ct"],
                categories: &[],
                printer_columns: &[
                    ::rest_core::derive_support::PrinterColumn {
                        name: "Spec",
                        type_: "string",
                        json_path: ".spec.cronSpec",
                        description: None,
                        format: None,
                        priority: None,
                    },
                ],
                selectable_fields: &[],
                status: true,
                scale: Some(::rest_core::derive_support::ScalePaths {
                    spec_replicas_path: ".spec.replicas",
                    status_replicas_path: ".status.replicas",
                    label_selector_path: None,
                }),
            },
            ::rest_core::derive_support::schema::<CronTabSpec>(),
            Some(::rest_core::derive_support::schema::<CronTabStatus>()),
        )
    }
}
impl CronTabClient {
    /// `crontabs` in `namespace`.
    pub fn namespaced(client: &::rest_core::RestClient, namespace: &str) -> Self {
        Self(::rest_core::ResourceClient::namespaced(client, namespace))
    }
    /// `crontabs` across all namespaces (list, watch, delete_collection).
    pub fn all_namespaces(client: &::rest_core::RestClient) -> Self {
        Self(::rest_core::ResourceClient::all_namespaces(client))
    }
}
