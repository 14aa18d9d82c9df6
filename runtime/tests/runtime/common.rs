//! What the rest-runtime tests share: a ConfigMap type, a client for the fixture server,
//! random writes, and the object-by-object comparison of a store with the server.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use rest_core::{
    Config, DeleteOptions, ListOptions, ObjectMeta, Resource, ResourceClient, RestClient, Scope,
    UpdateOptions,
};
use rest_runtime::Store;

pub const CMS: &str = "/api/v1/namespaces/default/configmaps";

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigMap {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub metadata: ObjectMeta,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<BTreeMap<String, String>>,
}

impl Resource for ConfigMap {
    const GROUP: &'static str = "";
    const VERSION: &'static str = "v1";
    const API_VERSION: &'static str = "v1";
    const KIND: &'static str = "ConfigMap";
    const PLURAL: &'static str = "configmaps";
    const SCOPE: Scope = Scope::Namespaced;
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

pub fn config_map(name: &str, labels: &[(&str, &str)], value: &str) -> ConfigMap {
    let mut metadata = ObjectMeta::namespaced("default", name);
    if !labels.is_empty() {
        metadata.labels = Some(
            labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
    }
    ConfigMap {
        api_version: Some("v1".into()),
        kind: Some("ConfigMap".into()),
        metadata,
        data: Some(BTreeMap::from([("k".to_string(), value.to_string())])),
    }
}

/// A client of `url` that is not throttled (tests write fast).
pub fn rest_client(url: &str) -> RestClient {
    let mut config = Config::new(url);
    config.qps = 10_000.0;
    config.burst = 10_000;
    config.max_retries = 0;
    RestClient::for_config(&config).unwrap()
}

pub fn config_maps(url: &str) -> ResourceClient<ConfigMap> {
    ResourceClient::namespaced(&rest_client(url), "default")
}

/// A small deterministic random sequence (xorshift), so failures can be replayed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// `count` random writes over `cm-0`..`cm-{names}`: creates, updates (data and labels) and
/// deletes, through the API like any client's.
pub async fn random_writes(
    cms: &ResourceClient<ConfigMap>,
    rng: &mut Rng,
    count: usize,
    names: u64,
) {
    for i in 0..count {
        let name = format!("cm-{}", rng.below(names));
        let tier = ["web", "db", "cache"][rng.below(3) as usize];
        match rng.below(4) {
            0 => {
                let _ = cms.delete(&name, &DeleteOptions::default()).await;
            }
            _ => {
                let cm = config_map(&name, &[("tier", tier)], &format!("v{i}"));
                match cms.create(&cm, &Default::default()).await {
                    Ok(_) => {}
                    Err(e) if e.is_already_exists() => {
                        if let Ok(mut current) = cms.get(&name, &Default::default()).await {
                            current.data = cm.data.clone();
                            current.metadata.labels = cm.metadata.labels.clone();
                            let _ = cms.update(&current, &UpdateOptions::default()).await;
                        }
                    }
                    Err(_) => {}
                }
            }
        }
    }
}

/// The server's objects (by name) next to the store's: equal object by object.
pub async fn server_state(
    cms: &ResourceClient<ConfigMap>,
    selector: Option<&str>,
) -> BTreeMap<String, ConfigMap> {
    let opts = ListOptions {
        label_selector: selector.map(str::to_owned),
        ..Default::default()
    };
    let list = cms.list(&opts).await.unwrap();
    list.items
        .into_iter()
        .map(|mut cm| {
            // List items carry no kind/apiVersion; watch events do. Compare the rest.
            cm.kind = None;
            cm.api_version = None;
            (cm.metadata.name.clone().unwrap(), cm)
        })
        .collect()
}

pub fn store_state(store: &Store<ConfigMap>) -> BTreeMap<String, ConfigMap> {
    store
        .list()
        .into_iter()
        .map(|cm: Arc<ConfigMap>| {
            let mut cm = (*cm).clone();
            cm.kind = None;
            cm.api_version = None;
            (cm.metadata.name.clone().unwrap(), cm)
        })
        .collect()
}

/// Polls `cond` every 10 ms until it holds or `limit` passes; false on time-out.
pub async fn eventually<F, Fut>(limit: Duration, mut cond: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        if cond().await {
            return true;
        }
        if tokio::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Waits until the store holds exactly the server's objects, then asserts it object by object.
pub async fn assert_converges(
    cms: &ResourceClient<ConfigMap>,
    store: &Store<ConfigMap>,
    selector: Option<&str>,
    what: &str,
) {
    let ok = eventually(Duration::from_secs(20), || async {
        store_state(store) == server_state(cms, selector).await
    })
    .await;
    let server = server_state(cms, selector).await;
    let ours = store_state(store);
    if !ok {
        let missing: Vec<&String> = server.keys().filter(|k| !ours.contains_key(*k)).collect();
        let extra: Vec<&String> = ours.keys().filter(|k| !server.contains_key(*k)).collect();
        let stale: Vec<&String> = server
            .iter()
            .filter(|(k, v)| ours.get(*k).is_some_and(|o| o != *v))
            .map(|(k, _)| k)
            .collect();
        panic!("{what}: the store did not converge: missing {missing:?}, extra {extra:?}, stale {stale:?}");
    }
    assert_eq!(ours, server, "{what}");
}
