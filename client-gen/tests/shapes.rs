//! Union, enum and unknown-member shapes on a document of our own (`tests/shapes/shapes.json`),
//! generated in both serde styles, checked in (`BLESS=1` rewrites them), compiled here without
//! a warning, and round-tripped: every form decodes to its variant and encodes to the same JSON.

#[deny(warnings)]
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "shapes/derive.rs"]
mod derive_style;

#[deny(warnings)]
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "shapes/compact.rs"]
mod compact_style;

use std::path::Path;

use client_gen::settings::{Layout, SerdeStyle};
use client_gen::{Document, Settings};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn generate(serde: SerdeStyle) -> client_gen::Output {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/shapes/shapes.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let doc = Document::parse("shapes.json", &text).unwrap();
    let settings = Settings {
        layout: Layout::SingleFile,
        clients: false,
        serde,
        ..Settings::default()
    };
    client_gen::generate(&[doc], &settings).unwrap()
}

#[test]
fn the_checked_in_files_are_what_client_gen_makes() {
    for (style, file) in [
        (SerdeStyle::Derive, "derive.rs"),
        (SerdeStyle::Compact, "compact.rs"),
    ] {
        let out = generate(style);
        let actual = &out.files[Path::new("generated.rs")];
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/shapes")
            .join(file);
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&path, actual).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap();
        assert!(
            expected == *actual,
            "tests/shapes/{file} is stale; if intended: BLESS=1 cargo test -p client-gen --test shapes"
        );
    }
}

#[test]
fn alternatives_that_cannot_be_told_apart_are_json_with_a_warning_naming_the_schema() {
    let out = generate(SerdeStyle::Derive);
    assert_eq!(
        out.warnings,
        [
            "shapes.json#/components/schemas/Ambiguous/oneOf: oneOf: the alternatives cannot be \
          told apart (no discriminator, JSON types in common, no required member unique to \
          each): kept as serde_json::Value"
        ]
    );
    assert!(
        out.files[Path::new("generated.rs")].contains("pub type Ambiguous = serde_json::Value;")
    );
}

/// Decodes, checks, encodes: the same JSON comes back.
fn round_trip<T: DeserializeOwned + Serialize>(value: Value, check: impl FnOnce(&T)) {
    let typed: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| {
        panic!(
            "{value} does not decode as {}: {e}",
            std::any::type_name::<T>()
        )
    });
    check(&typed);
    assert_eq!(serde_json::to_value(&typed).unwrap(), value);
}

macro_rules! shapes_round_trip {
    ($style:ident, $test:ident) => {
        #[test]
        fn $test() {
            use $style::shapes::*;
            // allOf with a discriminator: each subtype with every member (base's and own).
            round_trip::<Pet>(json!({"petType": "cat", "name": "Tom", "indoor": true}), |p| {
                let Pet::Cat(cat) = p else { panic!("{p:?}") };
                assert_eq!((cat.name.as_str(), cat.indoor), ("Tom", Some(true)));
            });
            round_trip::<Pet>(json!({"petType": "dog", "name": "Rex", "barks": false}), |p| {
                assert!(matches!(p, Pet::Dog(dog) if !dog.barks), "{p:?}");
            });
            // A subtype this version does not know: kept whole.
            round_trip::<Pet>(json!({"petType": "parrot", "name": "Polly", "talks": true}), |p| {
                assert!(matches!(p, Pet::Other(v) if v["talks"] == true), "{p:?}");
            });
            // oneOf told apart by a required member only one alternative has.
            round_trip::<Payment>(json!({"cardNumber": "4111", "holder": "A"}), |p| {
                assert!(matches!(p, Payment::Card(c) if c.card_number == "4111"), "{p:?}");
            });
            round_trip::<Payment>(json!({"iban": "DE00", "holder": "B"}), |p| {
                assert!(matches!(p, Payment::Transfer(t) if t.iban == "DE00"), "{p:?}");
            });
            // oneOf told apart by JSON type.
            round_trip::<Amount>(json!("12"), |a| assert!(matches!(a, Amount::String(s) if s == "12")));
            round_trip::<Amount>(json!(12), |a| assert!(matches!(a, Amount::Number(12))));
            round_trip::<Amount>(json!(["1", "2"]), |a| assert!(matches!(a, Amount::Array(v) if v.len() == 2)));
            // A discriminator without a mapping: the schema names are the tags.
            round_trip::<Figure>(json!({"kind": "Circle", "radius": 1.5}), |f| {
                assert!(matches!(f, Figure::Circle(c) if c.radius == 1.5), "{f:?}");
            });
            round_trip::<Figure>(json!({"kind": "Square", "side": 2.0}), |f| {
                assert!(matches!(f, Figure::Square(_)), "{f:?}");
            });
            // anyOf of a bool and an object; a nullable oneOf is an Option.
            let owner = json!({"mode": "1.0", "switch": {"after": 3}, "maybe": 4,
                "labels": {"team": "a", "tier": "gold"}, "ambiguous": {"a": "x"}});
            round_trip::<Owner>(owner, |o| {
                assert_eq!(o.mode, OwnerMode::V1_0);
                assert!(matches!(&o.switch, Some(OwnerSwitch::Object(s)) if s.after == 3));
                assert_eq!(o.maybe, Some(4));
                let labels = o.labels.as_ref().unwrap();
                assert_eq!(labels.team.as_deref(), Some("a"));
                assert_eq!(labels.other["tier"], "gold");
                assert_eq!(o.ambiguous, Some(json!({"a": "x"})));
            });
            round_trip::<Owner>(json!({"mode": "", "switch": true}), |o| {
                assert_eq!(o.mode, OwnerMode::Empty);
                assert!(matches!(o.switch, Some(OwnerSwitch::Bool(true))));
            });
            // Every listed enum value and an unlisted one come back as they went.
            for value in ["01", "1.0", "10", "Other", "", "*", "\u{e9}", "a-b", "A_B", "none", "02"] {
                round_trip::<OwnerMode>(json!(value), |m| assert_eq!(m.as_str(), value));
            }
            assert_eq!(OwnerMode::from("Other"), OwnerMode::OtherValue);
            assert_eq!(OwnerMode::from("02"), OwnerMode::Other("02".into()));
        }
    };
}

shapes_round_trip!(derive_style, every_shape_round_trips_with_serde_derives);
shapes_round_trip!(compact_style, every_shape_round_trips_with_compact_impls);
