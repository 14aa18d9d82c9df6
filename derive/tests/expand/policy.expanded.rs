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
    #[inline]
    fn metadata(&self) -> &my::rest::meta::ObjectMeta {
        &self.metadata
    }
    #[inline]
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
    fn get<'a>(
        &'a self,
        name: &'a str,
        opts: &'a my::rest::meta::GetOptions,
    ) -> impl std::future::Future<Output = Result<Policy, my::rest::Error>> + 'a {
        self.0.get(name, opts)
    }
    /// Lists objects; with `limit`, one page (continue from `metadata.continue`).
    #[inline]
    fn list<'a>(
        &'a self,
        opts: &'a my::rest::meta::ListOptions,
    ) -> impl std::future::Future<
        Output = Result<my::rest::meta::List<Policy>, my::rest::Error>,
    > + 'a {
        self.0.list(opts)
    }
    /// Watches for changes, from `resource_version` when set.
    #[inline]
    fn watch<'a>(
        &'a self,
        opts: &'a my::rest::meta::ListOptions,
    ) -> impl std::future::Future<
        Output = Result<my::rest::WatchStream<Policy>, my::rest::Error>,
    > + 'a {
        self.0.watch(opts)
    }
    /// Creates the object.
    #[inline]
    fn create<'a>(
        &'a self,
        obj: &'a Policy,
        opts: &'a my::rest::meta::CreateOptions,
    ) -> impl std::future::Future<Output = Result<Policy, my::rest::Error>> + 'a {
        self.0.create(obj, opts)
    }
    /// Replaces the object named by its metadata (`resource_version` guards conflicts).
    #[inline]
    fn update<'a>(
        &'a self,
        obj: &'a Policy,
        opts: &'a my::rest::meta::UpdateOptions,
    ) -> impl std::future::Future<Output = Result<Policy, my::rest::Error>> + 'a {
        self.0.update(obj, opts)
    }
    /// Patches the named object (JSON, merge, strategic merge or apply patch).
    #[inline]
    fn patch<'a, P: serde::Serialize>(
        &'a self,
        name: &'a str,
        patch: &'a my::rest::meta::Patch<P>,
        opts: &'a my::rest::meta::PatchOptions,
    ) -> impl std::future::Future<Output = Result<Policy, my::rest::Error>> + 'a {
        self.0.patch(name, patch, opts)
    }
    /// Server-side apply of the fields `obj` sets, owned by `opts.field_manager`.
    #[inline]
    fn apply<'a, P: serde::Serialize>(
        &'a self,
        name: &'a str,
        obj: &'a P,
        opts: &'a my::rest::meta::ApplyOptions,
    ) -> impl std::future::Future<Output = Result<Policy, my::rest::Error>> + 'a {
        self.0.apply(name, obj, opts)
    }
    /// Deletes the named object: the object while it finalizes, or a `Status` once gone.
    #[inline]
    fn delete<'a>(
        &'a self,
        name: &'a str,
        opts: &'a my::rest::meta::DeleteOptions,
    ) -> impl std::future::Future<
        Output = Result<my::rest::Deleted<Policy>, my::rest::Error>,
    > + 'a {
        self.0.delete(name, opts)
    }
    /// Deletes every object `list` selects.
    #[inline]
    fn delete_collection<'a>(
        &'a self,
        opts: &'a my::rest::meta::DeleteOptions,
        list: &'a my::rest::meta::ListOptions,
    ) -> impl std::future::Future<
        Output = Result<my::rest::meta::List<Policy>, my::rest::Error>,
    > + 'a {
        self.0.delete_collection(opts, list)
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
