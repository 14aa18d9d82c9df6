use rest_core::Resource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Resource, Serialize, Deserialize, JsonSchema, Clone, Debug)]
#[resource(group = "stable.example.com", version = "v1", kind = "CronTab", status = "CronTabStatu")]
pub struct CronTabSpec {
    pub replicas: i32,
}

#[derive(Serialize, Deserialize, JsonSchema, Clone, Debug)]
pub struct CronTabStatus {
    pub replicas: i32,
}

fn main() {}
