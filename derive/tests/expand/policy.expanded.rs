/// `Policy` of `policy.example.com/v1alpha1`, the custom resource whose spec is `PolicySpec` (made by `#[derive(Resource)]`).
#[derive(Clone, Debug, serde::Deserialize, PartialEq, Eq)]
struct Policy {
    /// Standard object metadata: name, namespace, labels, annotations, versions.
    #[serde(default)]
    metadata: my::rest::meta::ObjectMeta,
    /// What the object should be.
    spec: PolicySpec,
}
impl serde::Serialize for Policy {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("apiVersion", "policy.example.com/v1alpha1")?;
        map.serialize_entry("kind", "Policy")?;
        map.serialize_entry("metadata", &self.metadata)?;
        map.serialize_entry("spec", &self.spec)?;
        map.end()
    }
}
impl my::rest::Resource for Policy {
    const GROUP: &'static str = "policy.example.com";
    const VERSION: &'static str = "v1alpha1";
    const API_VERSION: &'static str = "policy.example.com/v1alpha1";
    const KIND: &'static str = "Policy";
    const PLURAL: &'static str = "policies";
    const SCOPE: my::rest::Scope = my::rest::Scope::Cluster;
    fn metadata(&self) -> &my::rest::meta::ObjectMeta {
        &self.metadata
    }
    fn metadata_mut(&mut self) -> &mut my::rest::meta::ObjectMeta {
        &mut self.metadata
    }
}
/// Typed client for `policies` (`policy.example.com/v1alpha1` `Policy`).
#[derive(Clone, Debug)]
struct PolicyClient(my::rest::ResourceClient<Policy>);
impl PolicyClient {
    /// Reads the named object.
    #[inline]
    async fn get(
        &self,
        name: &str,
        opts: &my::rest::meta::GetOptions,
    ) -> Result<Policy, my::rest::Error> {
        self.0.get(name, opts).await
    }
    /// Lists objects; with `limit`, one page (continue from `metadata.continue`).
    #[inline]
    async fn list(
        &self,
        opts: &my::rest::meta::ListOptions,
    ) -> Result<my::rest::meta::List<Policy>, my::rest::Error> {
        self.0.list(opts).await
    }
    /// Watches for changes, from `resource_version` when set.
    #[inline]
    async fn watch(
        &self,
        opts: &my::rest::meta::ListOptions,
    ) -> Result<my::rest::WatchStream<Policy>, my::rest::Error> {
        self.0.watch(opts).await
    }
    /// Creates the object.
    #[inline]
    async fn create(
        &self,
        obj: &Policy,
        opts: &my::rest::meta::CreateOptions,
    ) -> Result<Policy, my::rest::Error> {
        self.0.create(obj, opts).await
    }
    /// Replaces the object named by its metadata (`resource_version` guards conflicts).
    #[inline]
    async fn update(
        &self,
        obj: &Policy,
        opts: &my::rest::meta::UpdateOptions,
    ) -> Result<Policy, my::rest::Error> {
        self.0.update(obj, opts).await
    }
    /// Patches the named object (JSON, merge, strategic merge or apply patch).
    #[inline]
    async fn patch<P: serde::Serialize>(
        &self,
        name: &str,
        patch: &my::rest::meta::Patch<P>,
        opts: &my::rest::meta::PatchOptions,
    ) -> Result<Policy, my::rest::Error> {
        self.0.patch(name, patch, opts).await
    }
    /// Server-side apply of the fields `obj` sets, owned by `opts.field_manager`.
    #[inline]
    async fn apply<P: serde::Serialize>(
        &self,
        name: &str,
        obj: &P,
        opts: &my::rest::meta::ApplyOptions,
    ) -> Result<Policy, my::rest::Error> {
        self.0.apply(name, obj, opts).await
    }
    /// Deletes the named object: the object while it finalizes, or a `Status` once gone.
    #[inline]
    async fn delete(
        &self,
        name: &str,
        opts: &my::rest::meta::DeleteOptions,
    ) -> Result<my::rest::Deleted<Policy>, my::rest::Error> {
        self.0.delete(name, opts).await
    }
    /// Deletes every object `list` selects.
    #[inline]
    async fn delete_collection(
        &self,
        opts: &my::rest::meta::DeleteOptions,
        list: &my::rest::meta::ListOptions,
    ) -> Result<my::rest::meta::List<Policy>, my::rest::Error> {
        self.0.delete_collection(opts, list).await
    }
}
impl Policy {
    /// A `Policy` named `name` with `spec` and no status; the namespace comes from the client it is created through.
    fn new(name: &str, spec: PolicySpec) -> Self {
        Self {
            metadata: my::rest::meta::ObjectMeta {
                name: Some(name.to_owned()),
                ..Default::default()
            },
            spec,
        }
    }
    /// The `apiextensions.k8s.io/v1` CustomResourceDefinition of `Policy` (`policies.policy.example.com`), its `openAPIV3Schema` made structural from the types' `schemars::JsonSchema`; print it as YAML with any serde YAML crate.
    fn crd() -> my::rest::derive_support::serde_json::Value {
        my::rest::derive_support::crd(
            &my::rest::derive_support::CrdInfo {
                group: "policy.example.com",
                version: "v1alpha1",
                kind: "Policy",
                plural: "policies",
                singular: "policy",
                namespaced: false,
                short_names: &[],
                categories: &[],
                printer_columns: &[],
                selectable_fields: &[],
                status: false,
                scale: None,
            },
            my::rest::derive_support::schema::<PolicySpec>(),
            None,
        )
    }
}
impl PolicyClient {
    /// `policies` (cluster-scoped).
    fn cluster(client: &my::rest::RestClient) -> Self {
        Self(my::rest::ResourceClient::cluster(client))
    }
}
