//! The OpenAPI documents a server publishes, as client-go's discovery client reads them:
//! `/openapi/v2` (`OpenAPISchema`), the `/openapi/v3` index and its documents (`OpenAPIV3`).

use std::collections::BTreeMap;

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::client::DiscoveryClient;
use crate::config::GroupVersion;
use crate::error::Error;

/// What the documents are asked for as: JSON (a real server also offers protobuf).
const JSON: &str = "application/json";

/// `/openapi/v3`: one entry per document the server publishes, by path (`api/v1`,
/// `apis/apps/v1`, `apis`, `version`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenApiV3Index {
    pub paths: BTreeMap<String, OpenApiV3Path>,
}

/// Where one v3 document is: a path relative to the server, with the `?hash=` that changes
/// when the document does (so it may be cached for as long as the hash is the same).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenApiV3Path {
    #[serde(rename = "serverRelativeURL")]
    pub server_relative_url: String,
}

impl OpenApiV3Index {
    /// The documents that describe one group/version's resources (`api/v1` is the core
    /// group's), by group/version; the others (`apis`, `version`, `.well-known/...`) left out.
    pub fn group_versions(&self) -> impl Iterator<Item = (GroupVersion, &OpenApiV3Path)> {
        self.paths.iter().filter_map(|(name, path)| {
            let gv = match name.split('/').collect::<Vec<_>>().as_slice() {
                ["api", version] => GroupVersion::new("", *version),
                ["apis", group, version] => GroupVersion::new(*group, *version),
                _ => return None,
            };
            Some((gv, path))
        })
    }
}

impl DiscoveryClient {
    /// `GET /openapi/v2`: the whole API as one Swagger 2.0 document, as JSON text (client-go's
    /// `OpenAPISchema`). Errors name the URL; a server without it answers 404.
    pub async fn openapi_v2(&self) -> Result<Bytes, Error> {
        let response = self
            .rest_client()
            .get()
            .abs_path("/openapi/v2")
            .header("accept", JSON)
            .send()
            .await
            .into_result()?;
        Ok(response.into_body())
    }

    /// `GET /openapi/v3`: the index of the v3 documents (client-go's `OpenAPIV3().Paths()`).
    /// A server that does not publish v3 (older than 1.24, or with it turned off) answers 404.
    pub async fn openapi_v3_index(&self) -> Result<OpenApiV3Index, Error> {
        self.rest_client()
            .get()
            .abs_path("/openapi/v3")
            .header("accept", JSON)
            .send()
            .await
            .decode()
    }

    /// One v3 document of the index, as JSON text (client-go's `GroupVersion.Schema`).
    pub async fn openapi_v3_document(&self, path: &OpenApiV3Path) -> Result<Bytes, Error> {
        let (only_path, query) = path
            .server_relative_url
            .split_once('?')
            .unwrap_or((&path.server_relative_url, ""));
        let mut request = self
            .rest_client()
            .get()
            .abs_path(only_path)
            .header("accept", JSON);
        // The query (`hash=...`) goes back as the server wrote it, decoded once here and
        // encoded again by the engine.
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            request = request.param(&key, &value);
        }
        Ok(request.send().await.into_result()?.into_body())
    }
}
