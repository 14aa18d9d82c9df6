//! Any set of enum values gives identifiers rustc accepts without a warning: valid, unique,
//! UpperCamelCase by the `non_camel_case_types` rule, never the open enum's own `Other`.

use client_gen::settings::EnumStyle;
use client_gen::{Document, Settings};
use proptest::prelude::*;
use serde_json::json;

/// rustc's `non_camel_case_types` test (`rustc_lint::nonstandard_style`): no lowercase first
/// letter, no `__`, no `_` next to a character that has case.
fn is_camel_case(name: &str) -> bool {
    let name = name.trim_matches('_');
    let has_case = |c: char| c.is_lowercase() || c.is_uppercase();
    let chars: Vec<char> = name.chars().collect();
    name.is_empty()
        || (!chars[0].is_lowercase()
            && !name.contains("__")
            && !chars.windows(2).any(|pair| {
                (has_case(pair[0]) && pair[1] == '_') || (has_case(pair[1]) && pair[0] == '_')
            }))
}

/// The variants of the one enum generated for `values`, in order.
fn variants(values: &[String], enums: EnumStyle) -> Vec<String> {
    let doc = json!({"swagger": "2.0", "paths": {}, "definitions": {
        "com.example.v1.Widget": {"type": "object", "properties": {
            "mode": {"type": "string", "enum": values}}}}});
    let doc = Document::parse("api.json", &doc.to_string()).unwrap();
    let settings = Settings {
        enums,
        clients: false,
        ..Settings::default()
    };
    let out = client_gen::generate(&[doc], &settings).unwrap();
    let text = &out.files[std::path::Path::new("example/v1.rs")];
    let file = syn::parse_file(text).unwrap();
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Enum(e) if e.ident == "WidgetMode" => {
                Some(e.variants.iter().map(|v| v.ident.to_string()).collect())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no enum WidgetMode in\n{text}"))
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9._/*+-]{0,12}",
        "[0-9]{1,3}([.-][0-9]{1,3}){0,2}",
        any::<String>(),
        Just("Other".to_owned()),
        Just("Self".to_owned()),
        Just("None".to_owned()),
        Just(String::new()),
    ]
}

proptest! {
    #[test]
    fn any_enum_value_set_gives_warning_free_identifiers(
        values in prop::collection::btree_set(value(), 1..10)
    ) {
        let values: Vec<String> = values.into_iter().collect();
        for style in [EnumStyle::Open, EnumStyle::Closed] {
            let names = variants(&values, style);
            let listed = &names[..values.len()];
            if style == EnumStyle::Open {
                prop_assert_eq!(names.last().map(String::as_str), Some("Other"));
                prop_assert_eq!(names.len(), values.len() + 1);
            } else {
                prop_assert_eq!(names.len(), values.len());
            }
            let mut seen = std::collections::BTreeSet::new();
            for name in &names {
                prop_assert!(is_camel_case(name), "{name:?} (from {values:?})");
                prop_assert!(name.is_ascii(), "{name:?}");
                prop_assert!(seen.insert(name.clone()), "{name:?} twice in {names:?}");
            }
            prop_assert!(!listed.iter().any(|n| n == "Other"), "{listed:?}");
        }
    }
}

#[test]
fn the_rule_matches_rustc_on_known_cases() {
    for good in ["V01", "V1_0", "Rsa", "X2A", "OtherValue", "A1_1B"] {
        assert!(is_camel_case(good), "{good}");
    }
    for bad in ["V_10", "rsa", "A__B", "Ab_C"] {
        assert!(!is_camel_case(bad), "{bad}");
    }
}
