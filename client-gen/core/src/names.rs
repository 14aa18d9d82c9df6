//! Identifier rules: how JSON names, kinds, groups and enum values become Rust identifiers,
//! and whether a field needs a `serde(rename)` to round-trip its exact JSON name.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves (2015-2024 editions): never used bare as identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names the generated code uses unqualified (prelude types and derives): a type named like
/// one of these would shadow it.
const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Clone",
    "Debug",
    "Default",
    "Err",
    "None",
    "Ok",
    "Option",
    "PartialEq",
    "Result",
    "Some",
    "String",
    "Vec",
];

pub fn is_keyword(ident: &str) -> bool {
    KEYWORDS.contains(&ident)
}

/// Whether `text` can be used as a Rust identifier as it is.
pub fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    starts_well
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && text != "_"
        && !is_keyword(text)
}

/// Uppercases the `s` of a pluralised acronym (`podIPs` -> `podIPS`) so case conversion keeps
/// the acronym one word (`pod_ips`, not `pod_i_ps`).
fn fold_plural_acronyms(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut upper_run = 0;
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if c == 's' && upper_run >= 2 && !next.is_some_and(|n| n.is_ascii_lowercase()) {
            out.push('S');
            upper_run = 0;
            continue;
        }
        upper_run = if c.is_ascii_uppercase() {
            upper_run + 1
        } else {
            0
        };
        out.push(c);
    }
    out
}

/// A valid identifier from arbitrary text: keywords get a trailing `_`, a leading digit a
/// leading `_`, and an empty result becomes `fallback`.
fn sanitize(ident: String, fallback: &str) -> String {
    let mut ident: String = ident
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if ident.trim_matches('_').is_empty() {
        return fallback.to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if is_keyword(&ident) {
        ident.push('_');
    }
    ident
}

/// Struct field name for a JSON property (`hostIP` -> `host_ip`, `type` -> `type_`,
/// `$ref` -> `ref_`).
pub fn field_name(json_name: &str) -> String {
    sanitize(fold_plural_acronyms(json_name).to_snake_case(), "field")
}

/// Method or module name (`ephemeralcontainers`, `cert-manager` -> `cert_manager`).
pub fn snake(text: &str) -> String {
    sanitize(text.to_snake_case(), "x")
}

/// The stem of a subresource's methods (`update_<stem>`). A URL names a subresource in run-
/// together lowercase words, so the few Kubernetes ones of more than one word are split as
/// client-go's methods name them (`UpdateEphemeralContainers` -> `update_ephemeral_containers`).
pub fn subresource(name: &str) -> String {
    match name {
        "ephemeralcontainers" => "ephemeral_containers".to_owned(),
        other => snake(other),
    }
}

/// UpperCamelCase for names built from JSON names (`restartPolicy` -> `RestartPolicy`).
pub fn pascal(text: &str) -> String {
    sanitize(fold_plural_acronyms(text).to_upper_camel_case(), "X")
}

/// Type name for a definition or kind: kept as written when already a valid identifier
/// (`APIService`, `CSIDriver`), otherwise made one; never a prelude name.
pub fn type_name(name: &str) -> String {
    let valid = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    let ident = if valid { name.to_owned() } else { pascal(name) };
    if RESERVED_TYPES.contains(&ident.as_str()) || is_keyword(&ident) {
        format!("{ident}Type")
    } else {
        ident
    }
}

/// Variants an emitted enum defines itself: a value spelled like one gets `Value` appended.
const RESERVED_VARIANTS: &[&str] = &["Other", "Self"];

/// Enum variant for a string value (`OnFailure` stays, `RSA` -> `Rsa`, `""` -> `Empty`,
/// `01` -> `V01`, `1.0` -> `V1_0`, `*` -> `X2A`). Any value gives an UpperCamelCase ASCII
/// identifier that passes `non_camel_case_types`: words are joined without separators, except
/// between two digits (`_` is only allowed next to characters without case), and a leading
/// digit gets a `V`. Uniqueness within one enum is the caller's (`unique`).
pub fn variant_name(value: &str) -> String {
    if value.is_empty() {
        return "Empty".to_owned();
    }
    let mut ident = String::with_capacity(value.len());
    for word in value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_upper_camel_case();
        let digits_meet = ident.ends_with(|c: char| c.is_ascii_digit())
            && word.starts_with(|c: char| c.is_ascii_digit());
        if digits_meet {
            ident.push('_');
        }
        ident.push_str(&word);
    }
    if ident.is_empty() {
        // Values with no ASCII letter or digit (`*`, `-`, `é`): spell the bytes out.
        let hex: String = value.bytes().map(|b| format!("{b:02X}")).collect();
        return format!("X{hex}");
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, 'V');
    }
    if RESERVED_TYPES.contains(&ident.as_str()) || RESERVED_VARIANTS.contains(&ident.as_str()) {
        ident.push_str("Value");
    }
    ident
}

/// Rust module for an API group: its first DNS label (`networking.k8s.io` -> `networking`),
/// `core` for the core group.
pub fn group_module(group: &str) -> String {
    if group.is_empty() {
        return "core".to_owned();
    }
    let label = group.split('.').next().unwrap_or(group);
    snake(label)
}

/// The same group spelled fully, used when two groups share a first label
/// (`networking.istio.io` -> `networking_istio_io`).
pub fn group_module_long(group: &str) -> String {
    snake(&group.replace(['.', '-'], "_"))
}

/// Rust module for a version (`v1beta1`).
pub fn version_module(version: &str) -> String {
    snake(version)
}

/// The JSON name serde derives for `field` under `rename_all = "camelCase"`: serde's own
/// rule (drop underscores, uppercase the letter after each, lowercase the first).
pub fn serde_camel(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut out = String::with_capacity(field.len());
    let mut capitalize = false;
    for (i, c) in field.chars().enumerate() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            out.extend(c.to_uppercase());
            capitalize = false;
        } else if i == 0 {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a field called `rust_name` needs `#[serde(rename = json_name)]` under
/// `rename_all = "camelCase"`.
pub fn needs_rename(rust_name: &str, json_name: &str) -> bool {
    serde_camel(rust_name) != json_name
}

/// Accessor for a resource, client-go's method name in snake case: the plural with the
/// kind's word breaks (`configmaps` of `ConfigMap` -> `config_maps`, `networkpolicies` of
/// `NetworkPolicy` -> `network_policies`).
pub fn resource_accessor(plural: &str, kind: &str) -> String {
    let words = field_name(kind);
    let mut out = String::with_capacity(plural.len() + 4);
    let mut word_chars = words.chars().peekable();
    let mut matching = true;
    for c in plural.chars() {
        if matching {
            if word_chars.peek() == Some(&'_') {
                word_chars.next();
                out.push('_');
            }
            if word_chars.next() != Some(c) {
                matching = false;
            }
        }
        out.push(c);
    }
    snake(&out)
}

/// Makes `candidate` unique against `taken` by appending 2, 3, ... and records it.
pub fn unique(candidate: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    if taken.insert(candidate.clone()) {
        return candidate;
    }
    let mut n = 2;
    loop {
        let next = format!("{candidate}{n}");
        if taken.insert(next.clone()) {
            return next;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_word_subresources_split_as_client_go_names_them() {
        assert_eq!(subresource("ephemeralcontainers"), "ephemeral_containers");
        assert_eq!(subresource("status"), "status");
        assert_eq!(subresource("cert-manager"), "cert_manager");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("hostIP"), "host_ip");
        assert_eq!(field_name("podIPs"), "pod_ips");
        assert_eq!(field_name("nonResourceURLs"), "non_resource_urls");
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("$ref"), "ref_");
        assert_eq!(
            field_name("x-kubernetes-int-or-string"),
            "x_kubernetes_int_or_string"
        );
        assert_eq!(field_name("continue"), "continue_");
        assert_eq!(field_name("3d"), "_3d");
        assert_eq!(field_name("self"), "self_");
    }

    #[test]
    fn renames_only_when_camel_case_differs() {
        assert!(!needs_rename("api_version", "apiVersion"));
        assert!(!needs_rename("type_", "type"));
        assert!(needs_rename("host_ip", "hostIP"));
        assert!(needs_rename("ref_", "$ref"));
    }

    #[test]
    fn type_and_variant_names() {
        assert_eq!(type_name("APIService"), "APIService");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(variant_name("OnFailure"), "OnFailure");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("*"), "X2A");
        assert_eq!(variant_name("1.0"), "V1_0");
        assert_eq!(variant_name("01"), "V01");
        assert_eq!(variant_name("v1.2"), "V1_2");
        assert_eq!(variant_name("none-of-these"), "NoneOfThese");
        assert_eq!(variant_name("Other"), "OtherValue");
        assert_eq!(variant_name("é"), "XC3A9");
        assert_eq!(resource_accessor("configmaps", "ConfigMap"), "config_maps");
        assert_eq!(
            resource_accessor("networkpolicies", "NetworkPolicy"),
            "network_policies"
        );
        assert_eq!(resource_accessor("csidrivers", "CSIDriver"), "csi_drivers");
        assert_eq!(
            resource_accessor("componentstatuses", "ComponentStatus"),
            "component_statuses"
        );
        assert_eq!(resource_accessor("endpoints", "Endpoints"), "endpoints");
        assert_eq!(resource_accessor("pods", "Pod"), "pods");
        assert_eq!(resource_accessor("foos", "Bar"), "foos");
        assert_eq!(group_module("networking.k8s.io"), "networking");
        assert_eq!(group_module(""), "core");
        assert_eq!(group_module("cert-manager.io"), "cert_manager");
    }
}
