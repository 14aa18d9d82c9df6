use rest_core::Resource;
use serde::{Deserialize, Serialize};

#[derive(Resource, Serialize, Deserialize, Clone, Debug)]
#[resource(group = "stable.example.com", version = "v1", kind = "CronTab")]
pub enum CronTabSpec {
    Hourly,
    Daily,
}

fn main() {}
