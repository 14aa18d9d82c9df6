mod support;
use support::*;
#[test]
fn print() {
    println!("{}", serde_norway::to_string(&CronTab::crd()).unwrap());
    println!("{}", serde_norway::to_string(&Policy::crd()).unwrap());
}
