//! `DiscoveryClient`: what a server serves (client-go's `DiscoveryClient`), from aggregated
//! discovery when the server has it, else from the legacy documents, one request per version.

use futures::future::join_all;

use super::aggregated::{self, APIGroupDiscoveryList};
use super::model::{
    from_resource_list, ApiGroupResources, ApiResource, ApiVersionResources, Discovery,
    FailedGroupVersion,
};
use crate::client::RestClient;
use crate::config::GroupVersion;
use crate::error::Error;
use crate::meta::{
    APIGroup, APIGroupList, APIResourceList, APIVersions, GroupVersionForDiscovery, Info,
};
use crate::response::Response;

/// Reads discovery from a server. Cheap to clone; every request goes through the client's
/// `Request` engine (its retries, throttling, warnings and metrics).
///
/// [`discover`](Self::discover) reads every group's resources (aggregated discovery, or the
/// legacy documents from older servers); [`CachedDiscoveryClient`](super::CachedDiscoveryClient)
/// keeps the answer and resolves the names kubectl accepts through a [`RestMapper`](crate::RestMapper).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = fixtures::ApiServer::builder().seed(fixtures::seed_pods()).start().await;
/// # let client = rest_core::RestClient::for_config(&rest_core::Config::new(server.url()))?;
/// use rest_core::{CachedDiscoveryClient, DiscoveryClient};
///
/// let discovery_client = DiscoveryClient::new(client);
/// let version = discovery_client.server_version().await?;
/// assert_eq!(version.major, "1");
///
/// let discovery = discovery_client.discover().await?;
/// discovery.check()?; // every group/version was read
/// let deployments = discovery
///     .resources()
///     .find(|r| r.group == "apps" && r.plural == "deployments")
///     .expect("apps/v1 deployments");
/// assert!(deployments.namespaced && deployments.supports("watch"));
///
/// // kubectl's names: short names, kinds, plurals, resource.group.
/// let cached = CachedDiscoveryClient::new(discovery_client);
/// assert_eq!(cached.resource_for("deploy").await?.kind, "Deployment");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct DiscoveryClient {
    client: RestClient,
}

impl DiscoveryClient {
    /// Discovery through `client` (its group/version does not matter).
    pub fn new(client: RestClient) -> DiscoveryClient {
        DiscoveryClient { client }
    }

    pub fn rest_client(&self) -> &RestClient {
        &self.client
    }

    /// `GET /version` (client-go's `ServerVersion`).
    pub async fn server_version(&self) -> Result<Info, Error> {
        self.client.get().abs_path("/version").send().await.decode()
    }

    /// The server's groups, the core group first (client-go's `ServerGroups`): its versions
    /// and the preferred one.
    pub async fn server_groups(&self) -> Result<Vec<APIGroup>, Error> {
        let (core, apis) =
            futures::join!(self.get_aggregated("/api"), self.get_aggregated("/apis"));
        let mut out = Vec::new();
        for answer in [core?, apis?] {
            match answer {
                Answer::Aggregated(list) => {
                    for item in list.items {
                        let name = item.metadata.name.unwrap_or_default();
                        let versions: Vec<GroupVersionForDiscovery> = item
                            .versions
                            .iter()
                            .map(|v| for_discovery(&name, &v.version))
                            .collect();
                        out.push(APIGroup {
                            preferred_version: versions.first().cloned(),
                            name,
                            versions,
                            ..Default::default()
                        });
                    }
                }
                Answer::Legacy(response) => out.extend(legacy_groups(&response)?),
            }
        }
        Ok(out)
    }

    /// The resources of one group/version (`/api/v1`, `/apis/apps/v1`), subresources nested
    /// (client-go's `ServerResourcesForGroupVersion`).
    pub async fn server_resources_for_group_version(
        &self,
        gv: &GroupVersion,
    ) -> Result<Vec<ApiResource>, Error> {
        let list: APIResourceList = self
            .client
            .get()
            .abs_path(&legacy_path(gv))
            .send()
            .await
            .decode()?;
        Ok(from_resource_list(&list, gv))
    }

    /// Every group, version and resource (client-go's `ServerGroupsAndResources`): aggregated
    /// discovery first (two requests), the legacy documents when the server answers those.
    ///
    /// A group/version that fails (a 503 from an aggregated API that is down, or one marked
    /// `Stale`) does not fail the whole: it is listed in [`Discovery::failed`] and the rest
    /// is returned; [`Discovery::check`] turns that into an error naming each one. `Err` only
    /// when `/api` or `/apis` themselves cannot be read.
    pub async fn discover(&self) -> Result<Discovery, Error> {
        let (core, apis) =
            futures::join!(self.get_aggregated("/api"), self.get_aggregated("/apis"));
        let mut discovery = Discovery::default();
        let mut legacy_versions: Vec<(String, String, Vec<String>)> = Vec::new();
        for answer in [core?, apis?] {
            match answer {
                Answer::Aggregated(list) => {
                    let (groups, failed) = aggregated::lower(list);
                    discovery.groups.extend(groups);
                    discovery.failed.extend(failed);
                }
                Answer::Legacy(response) => {
                    for group in legacy_groups(&response)? {
                        let preferred = group
                            .preferred_version
                            .as_ref()
                            .map(|p| p.version.clone())
                            .or_else(|| group.versions.first().map(|v| v.version.clone()))
                            .unwrap_or_default();
                        // Preferred first, as the aggregated form orders them.
                        let mut versions: Vec<String> =
                            group.versions.iter().map(|v| v.version.clone()).collect();
                        if let Some(i) = versions.iter().position(|v| *v == preferred) {
                            let p = versions.remove(i);
                            versions.insert(0, p);
                        }
                        legacy_versions.push((group.name, preferred, versions));
                    }
                }
            }
        }
        if !legacy_versions.is_empty() {
            self.read_legacy_versions(legacy_versions, &mut discovery)
                .await;
        }
        Ok(discovery)
    }

    /// Reads each group/version's `APIResourceList`, all at once (the engine's rate limiter
    /// paces them), recording the failures.
    async fn read_legacy_versions(
        &self,
        groups: Vec<(String, String, Vec<String>)>,
        discovery: &mut Discovery,
    ) {
        let wanted: Vec<GroupVersion> = groups
            .iter()
            .flat_map(|(g, _, vs)| vs.iter().map(move |v| GroupVersion::new(g, v)))
            .collect();
        let answers = join_all(
            wanted
                .iter()
                .map(|gv| self.server_resources_for_group_version(gv)),
        )
        .await;
        let mut answers = wanted.into_iter().zip(answers);
        for (name, preferred_version, versions) in groups {
            let mut group = ApiGroupResources {
                name,
                preferred_version,
                versions: Vec::new(),
            };
            for _ in 0..versions.len() {
                let Some((gv, answer)) = answers.next() else {
                    break;
                };
                match answer {
                    Ok(resources) => group.versions.push(ApiVersionResources {
                        version: gv.version.clone(),
                        resources,
                    }),
                    Err(err) => discovery.failed.push(FailedGroupVersion {
                        group_version: gv.to_string(),
                        error: err.to_string(),
                    }),
                }
            }
            discovery.groups.push(group);
        }
    }

    /// `GET /api` or `/apis` asking for aggregated discovery first.
    async fn get_aggregated(&self, path: &str) -> Result<Answer, Error> {
        let response = self
            .client
            .get()
            .abs_path(path)
            .header("accept", aggregated::ACCEPT)
            .send()
            .await
            .into_result()?;
        if aggregated::is_aggregated(response.content_type()) {
            Ok(Answer::Aggregated(response.decode()?))
        } else {
            Ok(Answer::Legacy(response))
        }
    }
}

/// What `/api` or `/apis` answered.
// The aggregated list is decoded, the legacy answer not yet (its type depends on the path).
#[allow(clippy::large_enum_variant)]
enum Answer {
    Aggregated(APIGroupDiscoveryList),
    Legacy(Response),
}

/// The groups of a legacy `/api` (`APIVersions`: the core group) or `/apis` answer.
fn legacy_groups(response: &Response) -> Result<Vec<APIGroup>, Error> {
    #[derive(serde::Deserialize)]
    struct Kind {
        kind: Option<String>,
    }
    let kind: Kind = response.decode()?;
    if kind.kind.as_deref() == Some("APIVersions") {
        let versions: APIVersions = response.decode()?;
        let versions: Vec<GroupVersionForDiscovery> = versions
            .versions
            .iter()
            .map(|v| for_discovery("", v))
            .collect();
        return Ok(vec![APIGroup {
            preferred_version: versions.first().cloned(),
            versions,
            ..Default::default()
        }]);
    }
    let list: APIGroupList = response.decode()?;
    Ok(list.groups)
}

fn for_discovery(group: &str, version: &str) -> GroupVersionForDiscovery {
    GroupVersionForDiscovery {
        group_version: GroupVersion::new(group, version).to_string(),
        version: version.to_owned(),
    }
}

/// `/api/<v>` or `/apis/<g>/<v>`.
pub(crate) fn legacy_path(gv: &GroupVersion) -> String {
    if gv.group.is_empty() {
        format!("/api/{}", gv.version)
    } else {
        format!("/apis/{}/{}", gv.group, gv.version)
    }
}
