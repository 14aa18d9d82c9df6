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
    #[inline]
    fn metadata(&self) -> &::rest_core::meta::ObjectMeta {
        &self.metadata
    }
    #[inline]
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
    pub fn get<'a>(
        &'a self,
        name: &'a str,
        opts: &'a ::rest_core::meta::GetOptions,
    ) -> impl std::future::Future<Output = Result<CronTab, ::rest_core::Error>> + 'a {
        self.0.get(name, opts)
    }
    /// Lists objects; with `limit`, one page (continue from `metadata.continue`).
    #[inline]
    pub fn list<'a>(
        &'a self,
        opts: &'a ::rest_core::meta::ListOptions,
    ) -> impl std::future::Future<
        Output = Result<::rest_core::meta::List<CronTab>, ::rest_core::Error>,
    > + 'a {
        self.0.list(opts)
    }
    /// Watches for changes, from `resource_version` when set.
    #[inline]
    pub fn watch<'a>(
        &'a self,
        opts: &'a ::rest_core::meta::ListOptions,
    ) -> impl std::future::Future<
        Output = Result<::rest_core::WatchStream<CronTab>, ::rest_core::Error>,
    > + 'a {
        self.0.watch(opts)
    }
    /// Creates the object.
    #[inline]
    pub fn create<'a>(
        &'a self,
        obj: &'a CronTab,
        opts: &'a ::rest_core::meta::CreateOptions,
    ) -> impl std::future::Future<Output = Result<CronTab, ::rest_core::Error>> + 'a {
        self.0.create(obj, opts)
    }
    /// Replaces the object named by its metadata (`resource_version` guards conflicts).
    #[inline]
    pub fn update<'a>(
        &'a self,
        obj: &'a CronTab,
        opts: &'a ::rest_core::meta::UpdateOptions,
    ) -> impl std::future::Future<Output = Result<CronTab, ::rest_core::Error>> + 'a {
        self.0.update(obj, opts)
    }
    /// Patches the named object (JSON, merge, strategic merge or apply patch).
    #[inline]
    pub fn patch<'a, P: serde::Serialize>(
        &'a self,
        name: &'a str,
        patch: &'a ::rest_core::meta::Patch<P>,
        opts: &'a ::rest_core::meta::PatchOptions,
    ) -> impl std::future::Future<Output = Result<CronTab, ::rest_core::Error>> + 'a {
        self.0.patch(name, patch, opts)
    }
    /// Server-side apply of the fields `obj` sets, owned by `opts.field_manager`.
    #[inline]
    pub fn apply<'a, P: serde::Serialize>(
        &'a self,
        name: &'a str,
        obj: &'a P,
        opts: &'a ::rest_core::meta::ApplyOptions,
    ) -> impl std::future::Future<Output = Result<CronTab, ::rest_core::Error>> + 'a {
        self.0.apply(name, obj, opts)
    }
    /// Deletes the named object: the object while it finalizes, or a `Status` once gone.
    #[inline]
    pub fn delete<'a>(
        &'a self,
        name: &'a str,
        opts: &'a ::rest_core::meta::DeleteOptions,
    ) -> impl std::future::Future<
        Output = Result<::rest_core::Deleted<CronTab>, ::rest_core::Error>,
    > + 'a {
        self.0.delete(name, opts)
    }
    /// Deletes every object `list` selects.
    #[inline]
    pub fn delete_collection<'a>(
        &'a self,
        opts: &'a ::rest_core::meta::DeleteOptions,
        list: &'a ::rest_core::meta::ListOptions,
    ) -> impl std::future::Future<
        Output = Result<::rest_core::meta::List<CronTab>, ::rest_core::Error>,
    > + 'a {
        self.0.delete_collection(opts, list)
    }
    /// Reads the `scale` subresource.
    #[inline]
    pub fn get_scale<'a>(
        &'a self,
        name: &'a str,
        params: &'a ::rest_core::meta::GetOptions,
    ) -> impl std::future::Future<
        Output = Result<
            ::rest_core::derive_support::serde_json::Value,
            ::rest_core::Error,
        >,
    > + 'a {
        self.0.get_subresource("scale", name, params)
    }
    /// Replaces the `scale` subresource.
    #[inline]
    pub fn update_scale<'a>(
        &'a self,
        name: &'a str,
        body: &'a ::rest_core::derive_support::serde_json::Value,
        opts: &'a ::rest_core::meta::UpdateOptions,
    ) -> impl std::future::Future<
        Output = Result<
            ::rest_core::derive_support::serde_json::Value,
            ::rest_core::Error,
        >,
    > + 'a {
        self.0.update_subresource("scale", name, body, opts)
    }
    /// Patches the `scale` subresource.
    #[inline]
    pub fn patch_scale<'a, P: serde::Serialize>(
        &'a self,
        name: &'a str,
        patch: &'a ::rest_core::meta::Patch<P>,
        opts: &'a ::rest_core::meta::PatchOptions,
    ) -> impl std::future::Future<
        Output = Result<
            ::rest_core::derive_support::serde_json::Value,
            ::rest_core::Error,
        >,
    > + 'a {
        self.0.patch_subresource("scale", name, patch, opts)
    }
    /// Server-side apply of the `scale` fields `obj` sets, owned by `opts.field_manager`.
    #[inline]
    pub fn apply_scale<'a, P: serde::Serialize>(
        &'a self,
        name: &'a str,
        obj: &'a P,
        opts: &'a ::rest_core::meta::ApplyOptions,
    ) -> impl std::future::Future<
        Output = Result<
            ::rest_core::derive_support::serde_json::Value,
            ::rest_core::Error,
        >,
    > + 'a {
        self.0.apply_subresource("scale", name, obj, opts)
    }
    /// Reads the `status` subresource.
    #[inline]
    pub fn get_status<'a>(
        &'a self,
        name: &'a str,
        params: &'a ::rest_core::meta::GetOptions,
    ) -> impl std::future::Future<Output = Result<CronTab, ::rest_core::Error>> + 'a {
        self.0.get_subresource("status", name, params)
    }
    /// Replaces the status of the object named by its metadata.
    #[inline]
    pub fn update_status<'a>(
        &'a self,
        obj: &'a CronTab,
        opts: &'a ::rest_core::meta::UpdateOptions,
    ) -> impl std::future::Future<Output = Result<CronTab, ::rest_core::Error>> + 'a {
        self.0.update_status(obj, opts)
    }
    /// Patches the status of the named object.
    #[inline]
    pub fn patch_status<'a, P: serde::Serialize>(
        &'a self,
        name: &'a str,
        patch: &'a ::rest_core::meta::Patch<P>,
        opts: &'a ::rest_core::meta::PatchOptions,
    ) -> impl std::future::Future<Output = Result<CronTab, ::rest_core::Error>> + 'a {
        self.0.patch_status(name, patch, opts)
    }
    /// Server-side apply of the status fields `obj` sets, owned by `opts.field_manager`.
    #[inline]
    pub fn apply_status<'a, P: serde::Serialize>(
        &'a self,
        name: &'a str,
        obj: &'a P,
        opts: &'a ::rest_core::meta::ApplyOptions,
    ) -> impl std::future::Future<Output = Result<CronTab, ::rest_core::Error>> + 'a {
        self.0.apply_status(name, obj, opts)
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
