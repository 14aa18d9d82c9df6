//! What a user's program does with krest: a client from a config, a typed clientset, one
//! request built (not sent: CI has no cluster for it).

use generated::Clientset;
use rest_core::{Config, RestClient};

fn main() -> Result<(), rest_core::Error> {
    let client = RestClient::for_config(&Config::new("https://127.0.0.1:6443"))?;
    let pods = Clientset::new(client).core_v1().pods("default");
    println!("{}", pods.0.request("GET").url()?);
    Ok(())
}
