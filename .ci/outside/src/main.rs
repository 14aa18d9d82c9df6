//! What a user's program does with krest: a client from a config, a typed clientset, a derived
//! custom resource with its client, a store from rest-runtime; requests built, not sent (CI
//! has no cluster for it).

use generated::Clientset;
use rest_core::{Config, Resource, RestClient};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A custom resource as a user's operator declares one.
#[derive(Resource, Serialize, Deserialize, JsonSchema, Clone, Debug)]
#[resource(group = "example.com", version = "v1", kind = "Widget", namespaced)]
pub struct WidgetSpec {
    /// How many.
    pub size: i32,
}

fn main() -> Result<(), rest_core::Error> {
    let client = RestClient::for_config(&Config::new("https://127.0.0.1:6443"))?;
    let pods = Clientset::new(client.clone()).core_v1().pods("default");
    println!("{}", pods.0.request("GET").url()?);
    println!("{} {}", Widget::api_version(), Widget::PLURAL);
    let writer = rest_runtime::Writer::<Widget>::default();
    println!("{} widgets cached", writer.as_reader().len());
    Ok(())
}
