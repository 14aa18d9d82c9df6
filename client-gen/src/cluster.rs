//! `--from-cluster`: a running server's discovery and OpenAPI documents (`/openapi/v3`, else
//! `/openapi/v2`) as input documents, read through rest-core's discovery client.

use std::path::{Path, PathBuf};

use rest_core::discovery::{Discovery, DiscoveryClient};
use rest_core::{Config, KubeconfigOptions, RestClient};
use serde_json::{json, Value};

use crate::error::Error;
use crate::input::{read_inputs, Document, Input, Inputs};

/// Which server to read: a kubeconfig (default: `KUBECONFIG`, then `~/.kube/config`, then
/// the in-cluster service account, as kubectl finds it) and a context of it (default: its
/// current context).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cluster {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
}

impl Cluster {
    /// The client configuration this names.
    pub fn config(&self) -> Result<Config, Error> {
        let options = KubeconfigOptions {
            context: self.context.clone(),
            ..Default::default()
        };
        let config = match &self.kubeconfig {
            Some(path) => Config::from_kubeconfig_with(path, &options),
            None => Config::infer_with(&rest_core::Env::process(), &options),
        };
        config.map_err(|e| cluster_error("configuration", e))
    }
}

/// Files and, when given, a cluster's documents after them: what the CLI and the builder
/// generate from.
pub fn read_with_cluster(inputs: &[Input], cluster: Option<&Cluster>) -> Result<Inputs, Error> {
    let mut read = read_inputs(inputs)?;
    if let Some(cluster) = cluster {
        read.documents.extend(fetch(cluster)?);
    }
    Ok(read)
}

/// Reads the server's documents, blocking: on a thread of its own with a runtime made for
/// the call, so `build.rs`, the CLI and code inside a tokio runtime can all call it.
pub fn fetch(cluster: &Cluster) -> Result<Vec<Document>, Error> {
    let config = cluster.config()?;
    let client = RestClient::for_config(&config).map_err(|e| cluster_error("the client", e))?;
    let discovery = DiscoveryClient::new(client);
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| cluster_error("a runtime to read it on", e))?
                .block_on(fetch_with(&discovery))
        });
        reader.join().unwrap_or_else(|_| {
            Err(Error::Cluster {
                what: "the server".to_owned(),
                source: "the thread reading it panicked".into(),
            })
        })
    })
}

/// Reads the server's documents through `discovery`: what discovery finds (aggregated, or
/// the legacy documents; every group/version must answer), as `api.json` (the core group)
/// and `apis.json` (`APIGroupDiscoveryList`s), then every group/version's `/openapi/v3`
/// document, or the `/openapi/v2` document on a server without v3. The whole API is read
/// whatever the allow-list: a group's types may be described in another group's document.
/// In file-name order, the order `save` then a glob give them back.
pub async fn fetch_with(discovery: &DiscoveryClient) -> Result<Vec<Document>, Error> {
    let found = discovery
        .discover()
        .await
        .map_err(|e| cluster_error("discovery", e))?;
    found.check().map_err(|e| cluster_error("discovery", e))?;
    // How documents are named in errors: the URL they came from (with the index's query).
    let url = |relative: &str| {
        let (path, query) = relative.split_once('?').unwrap_or((relative, ""));
        let request = discovery.rest_client().get().abs_path(path);
        let mut url = request
            .url()
            .map_or_else(|_| path.to_owned(), |u| u.to_string());
        if !query.is_empty() {
            url = format!("{url}?{query}");
        }
        url
    };
    let (core, apis) = discovery_lists(&found);
    let mut docs = vec![
        Document {
            file: url("/api"),
            json: core,
            origin: None,
        },
        Document {
            file: url("/apis"),
            json: apis,
            origin: None,
        },
    ];
    match discovery.openapi_v3_index().await {
        Ok(index) => {
            for (_, path) in index.group_versions() {
                let text = discovery
                    .openapi_v3_document(path)
                    .await
                    .map_err(|e| cluster_error("/openapi/v3", e))?;
                docs.push(parse(&url(&path.server_relative_url), &text)?);
            }
        }
        Err(v3) if v3.is_not_found() => {
            let text = discovery.openapi_v2().await.map_err(|v2| Error::Cluster {
                what: format!("/openapi/v3 ({v3}), then /openapi/v2"),
                source: Box::new(v2),
            })?;
            docs.push(parse(&url("/openapi/v2"), &text)?);
        }
        Err(e) => return Err(cluster_error("/openapi/v3", e)),
    }
    docs.sort_by_cached_key(|doc| file_name(&doc.file));
    Ok(docs)
}

/// Writes the documents into `dir`, one file each named after its URL's path
/// (`/openapi/v3/apis/apps/v1` is `openapi-v3-apis-apps-v1.json`); generating from
/// `dir/*.json` gives what generating from the documents gives.
pub fn save(docs: &[Document], dir: &Path) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_owned(),
        source,
    })?;
    let mut written = Vec::new();
    for doc in docs {
        let path = dir.join(file_name(&doc.file));
        let text = serde_json::to_vec_pretty(&doc.json).map_err(|e| Error::Write {
            path: path.clone(),
            source: e.into(),
        })?;
        std::fs::write(&path, text).map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// A fetched document; errors in it name the URL it came from.
fn parse(url: &str, text: &[u8]) -> Result<Document, Error> {
    let text = std::str::from_utf8(text).map_err(|e| Error::Cluster {
        what: url.to_owned(),
        source: format!("the document is not UTF-8: {e}").into(),
    })?;
    Document::parse(url, text)
}

/// The file a document of `url` is saved as: its path, `/` as `-`, without the query.
fn file_name(url: &str) -> String {
    let path = url::Url::parse(url).map_or_else(|_| url.to_owned(), |u| u.path().to_owned());
    let name: String = path
        .trim_matches('/')
        .chars()
        .map(|c| if c == '/' { '-' } else { c })
        .collect();
    format!("{name}.json")
}

/// What discovery found as the aggregated documents a server answers for `/api` and
/// `/apis`, whichever form it answered in: the form the discovery front end reads.
fn discovery_lists(found: &Discovery) -> (Value, Value) {
    let list = |core: bool| {
        let items: Vec<Value> = found
            .groups
            .iter()
            .filter(|g| g.name.is_empty() == core)
            .map(|g| {
                let versions: Vec<Value> = g
                    .versions
                    .iter()
                    .map(|v| {
                        let resources: Vec<Value> = v
                            .resources
                            .iter()
                            .map(|r| {
                                let subresources: Vec<Value> = r
                                    .subresources
                                    .iter()
                                    .map(|s| {
                                        json!({
                                            "subresource": s.name,
                                            "responseKind": s.kind,
                                            "verbs": s.verbs,
                                        })
                                    })
                                    .collect();
                                json!({
                                    "resource": r.plural,
                                    "responseKind": r.gvk(),
                                    "scope": if r.namespaced { "Namespaced" } else { "Cluster" },
                                    "singularResource": r.singular,
                                    "verbs": r.verbs,
                                    "shortNames": r.short_names,
                                    "categories": r.categories,
                                    "subresources": subresources,
                                })
                            })
                            .collect();
                        json!({"version": v.version, "resources": resources})
                    })
                    .collect();
                json!({"metadata": {"name": g.name}, "versions": versions})
            })
            .collect();
        json!({
            "apiVersion": "apidiscovery.k8s.io/v2",
            "kind": "APIGroupDiscoveryList",
            "metadata": {},
            "items": items,
        })
    };
    (list(true), list(false))
}

fn cluster_error(what: &str, e: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::Cluster {
        what: what.to_owned(),
        source: Box::new(e),
    }
}
