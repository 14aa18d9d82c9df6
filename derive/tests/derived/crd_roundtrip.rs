//! The two directions agree: the CRD `crd()` makes of a derived kind, read back by
//! client-gen's CRD front end, gives types that carry the same JSON as the derived ones.
//! What client-gen makes of the CRDs is checked in (`tests/roundtrip/generated.rs`, rewritten
//! with `BLESS=1`) and compiled into this test, so both sides are real types.

// Compared byte for byte with client-gen's output: `cargo fmt` must leave it as generated.
#[rustfmt::skip]
#[allow(dead_code)]
#[path = "../roundtrip/generated.rs"]
mod generated;

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::*;
use client_gen::settings::Layout;
use client_gen::{Document, Settings};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn settings() -> Settings {
    Settings {
        layout: Layout::SingleFile,
        ..Settings::default()
    }
}

#[test]
fn client_gen_makes_the_checked_in_types_of_the_derived_crds() {
    let docs = [
        ("crontab", CronTab::crd()),
        ("policy", Policy::crd()),
        ("tricky", Tricky::crd()),
    ]
    .map(|(name, crd)| Document::parse(&format!("{name}.json"), &crd.to_string()).unwrap());
    let output = client_gen::generate(&docs, &settings()).unwrap();
    let actual = &output.files[Path::new("generated.rs")];
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/roundtrip/generated.rs");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert!(
        expected == *actual,
        "client-gen's output for the derived CRDs changed; if intended: \
         BLESS=1 cargo test -p rest-derive --test derived crd_roundtrip::client_gen (then the rest of the file)"
    );
}

/// `a` as JSON, read as `B` and written again, then read back as `A`: the same JSON each way.
fn same_json<A, B>(a: &A) -> Value
where
    A: Serialize + DeserializeOwned,
    B: Serialize + DeserializeOwned,
{
    let json = serde_json::to_value(a).unwrap();
    let b: B = serde_json::from_value(json.clone()).unwrap();
    let through_b = serde_json::to_value(&b).unwrap();
    assert_eq!(through_b, json, "derived -> generated -> JSON differs");
    let a_again: A = serde_json::from_value(through_b).unwrap();
    assert_eq!(
        serde_json::to_value(&a_again).unwrap(),
        json,
        "and back differs"
    );
    json
}

#[test]
fn crontabs_carry_the_same_json_both_ways() {
    use generated::stable::v1::CronTab as Generated;
    let mut full = CronTab::new("nightly", crontab_spec("0 0 * * *", 2));
    full.metadata.namespace = Some("default".into());
    full.spec.suspend = Some(true);
    full.spec.env = BTreeMap::from([("TZ".to_owned(), "UTC".to_owned())]);
    full.status = Some(CronTabStatus {
        replicas: 2,
        label_selector: Some("app=nightly".into()),
        last_schedule_time: Some("2024-01-01T00:00:00Z".into()),
    });
    let json = same_json::<CronTab, Generated>(&full);
    assert_eq!(json["apiVersion"], "stable.example.com/v1");
    same_json::<CronTab, Generated>(&CronTab::new("bare", crontab_spec("* * * * *", 0)));

    // And from the generated side: a typed object the generator's user builds.
    let generated: Generated = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(generated.spec.cron_spec, "0 0 * * *");
    assert_eq!(generated.status.as_ref().map(|s| s.replicas), Some(2));
    same_json::<Generated, CronTab>(&generated);
}

#[test]
fn policies_carry_the_same_json_both_ways() {
    use generated::policy::v1alpha1::Policy as Generated;
    let rules = vec![
        Rule {
            name: "a".into(),
            verbs: vec!["get".into(), "list".into()],
            max_age_seconds: Some(60),
        },
        Rule {
            name: "b".into(),
            verbs: vec![],
            max_age_seconds: None,
        },
    ];
    let targets = [
        None,
        Some(Target::Namespace { name: "ns".into() }),
        Some(Target::Labels {
            selector: BTreeMap::from([("team".to_owned(), "a".to_owned())]),
        }),
    ];
    for target in targets {
        let policy = Policy::new(
            "p",
            PolicySpec {
                mode: Mode::Enforce,
                rules: rules.clone(),
                target,
                limits: BTreeMap::from([("pods".to_owned(), 3)]),
                extra: Some(serde_json::json!({"free": ["form", 1]})),
            },
        );
        same_json::<Policy, Generated>(&policy);
    }
}

#[test]
fn tricky_shapes_carry_the_same_json_both_ways() {
    use generated::tricky::v1::Tricky as Generated;
    let spec = tricky_spec();
    // A `null` inside a list (`Vec<Option<i32>>`, whose schema marks the items nullable).
    assert_eq!(spec.maybe, [Some(1), None]);
    let json = same_json::<Tricky, Generated>(&Tricky::new("t", spec));
    // The generator's side is typed down to where a CRD schema stops saying things (an
    // object that keeps unknown members has its known ones typed, the rest in a map).
    let generated: Generated = serde_json::from_value(json).unwrap();
    assert_eq!(generated.spec.small, 7);
    assert_eq!(generated.spec.action.channel.as_deref(), Some("ops"));
    assert_eq!(generated.spec.extras.known, "k");
    assert_eq!(
        generated.spec.extras.other["unlisted"],
        serde_json::json!({"kept": [1, 2]})
    );
    assert_eq!(generated.spec.maybe, Some(vec![Some(1), None]));
}
