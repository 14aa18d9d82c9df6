//! Expansion tests: what the derive writes for a few structs, formatted and compared with
//! `tests/expand/<name>.expanded.rs` (`BLESS=1` rewrites them), and every attribute error's
//! message (the trybuild tests show where rustc points for a few of them).

use std::path::Path;

use quote::quote;
use syn::DeriveInput;

use crate::expand::expand;

fn expanded(input: proc_macro2::TokenStream) -> String {
    let input: DeriveInput = syn::parse2(input).unwrap();
    let tokens = expand(&input).unwrap();
    prettyplease::unparse(&syn::parse2(tokens).unwrap())
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expand")
        .join(format!("{name}.expanded.rs"));
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs (the emitter or the derive changed); if intended: BLESS=1 cargo test -p rest-derive --lib\n{actual}",
        path.display()
    );
}

fn error(input: proc_macro2::TokenStream) -> String {
    let input: DeriveInput = syn::parse2(input).unwrap();
    match expand(&input) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn crontab_with_status_scale_and_columns() {
    let out = expanded(quote! {
        #[derive(Resource)]
        #[resource(group = "stable.example.com", version = "v1", kind = "CronTab",
                   namespaced, status = "CronTabStatus", shortname = "ct",
                   printcolumn(name = "Spec", type = "string", json_path = ".spec.cronSpec"),
                   scale(spec_replicas_path = ".spec.replicas", status_replicas_path = ".status.replicas"))]
        pub struct CronTabSpec { pub cron_spec: String, pub replicas: i32 }
    });
    golden("crontab", &out);
    // The shared emitter's typed client, not a copy of it.
    assert!(out.contains("pub struct CronTabClient(pub ::rest_core::ResourceClient<CronTab>);"));
    assert!(out.contains("pub fn update_status<'a>("));
    assert!(out.contains("pub fn get_scale<'a>("));
    assert!(out.contains("const PLURAL: &'static str = \"crontabs\";"));
}

#[test]
fn a_private_cluster_scoped_kind_with_its_own_crate_path_and_derives() {
    let out = expanded(quote! {
        #[derive(Resource)]
        #[resource(group = "policy.example.com", version = "v1alpha1", kind = "Policy",
                   cluster, crate = "my::rest", derive = "PartialEq", derive = "Eq")]
        struct PolicySpec { mode: String }
    });
    golden("policy", &out);
    assert!(out.contains("#[derive(Clone, Debug, serde::Deserialize, PartialEq, Eq)]"));
    assert!(out.contains("const PLURAL: &'static str = \"policies\";"));
    assert!(out.contains("fn cluster(client: &my::rest::RestClient)"));
    assert!(
        !out.contains("pub "),
        "items follow the spec's visibility:\n{out}"
    );
    assert!(
        !out.contains("fn update_status") && !out.contains("status: Option"),
        "no status type, no status:\n{out}"
    );
}

#[test]
fn names_default_the_kubernetes_way() {
    let out = expanded(quote! {
        #[derive(Resource)]
        #[resource(group = "networking.example.com", version = "v1", kind = "Ingress")]
        pub struct IngressSpec {}
    });
    assert!(out.contains("const PLURAL: &'static str = \"ingresses\";"));
    assert!(out.contains("singular: \"ingress\""));
    assert!(out.contains("namespaced: true"));
    assert!(out.contains("fn all_namespaces("));
}

#[test]
fn the_status_type_may_be_written_without_quotes() {
    // rustc's "a struct with a similar name exists" suggestion writes it that way.
    let out = expanded(quote! {
        #[derive(Resource)]
        #[resource(group = "a.example.com", version = "v1", kind = "Thing", status = crate::model::ThingStatus)]
        pub struct ThingSpec {}
    });
    assert!(
        out.contains("pub status: Option<crate::model::ThingStatus>,"),
        "{out}"
    );
}

#[test]
fn errors_say_what_to_write() {
    let cases = [
        (
            quote!(#[resource(grup = "a.b", version = "v1", kind = "K")] struct S {}),
            "unknown key `grup` in #[resource(...)]: did you mean `group`?",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K", shortnames = "k")] struct S {}),
            "unknown key `shortnames` in #[resource(...)]: write `shortname = \"..\"` once per short name",
        ),
        (
            quote!(#[resource(version = "v1", kind = "K")] struct S {}),
            "missing `group` in #[resource(...)]: write `group = \"stable.example.com\"`",
        ),
        (
            quote!(#[resource(group = "a.b", kind = "K")] struct S {}),
            "missing `version` in #[resource(...)]",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1")] struct S {}),
            "missing `kind` in #[resource(...)]",
        ),
        (
            quote!(struct S {}),
            "`#[derive(Resource)]` needs the kind's names: add `#[resource(group",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K", namespaced, cluster)] struct S {}),
            "`cluster` conflicts with `namespaced`",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K", namespaced = true)] struct S {}),
            "`namespaced` is a flag: write `namespaced` alone",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K")] enum S { A }),
            "`#[derive(Resource)]` goes on the spec struct with named fields, not an enum: derive on a struct holding it, like `struct SSpec { mode: S, .. }`",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K")] struct S(i32);),
            "needs a struct with named fields, the spec: write `struct S { replicas: i32, .. }`, not a tuple struct",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K")] struct S;),
            "needs a struct with named fields",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K")] struct S<T> { t: T }),
            "cannot be generic",
        ),
        (
            quote!(#[resource(group = "example", version = "v1", kind = "K")] struct S {}),
            "`group` is a lowercase domain with at least one dot",
        ),
        (
            quote!(#[resource(group = "a.b", version = "V1", kind = "K")] struct S {}),
            "`version` is a lowercase name",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "my-kind")] struct S {}),
            "`kind` is an UpperCamelCase name",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "S")] struct S {}),
            "rename the struct to `SSpec`",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K", status = "not a type")] struct S {}),
            "`status` names a type: write `status = \"CronTabStatus\"`",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K", kind = "L")] struct S {}),
            "`kind` is given twice: keep one",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K", shortname = "K")] struct S {}),
            "a `shortname` is a lowercase name",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K",
                               scale(spec_replicas_path = ".spec.r", status_replicas_path = ".status.r"))] struct S {}),
            "`scale(...)` reads the replicas from the status: add `status = \"...\"`",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K", status = "St",
                               scale(spec_replicas_path = "spec.r", status_replicas_path = ".status.r"))] struct S {}),
            "`spec_replicas_path` is a JSON path under `.spec.`",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K",
                               printcolumn(name = "A", type = "str", json_path = ".spec.a"))] struct S {}),
            "a column's `type` is one of",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K", printcolumn(name = "A"))] struct S {}),
            "`printcolumn` needs `type`",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K", printcolumn(nme = "A"))] struct S {}),
            "unknown key `nme` in printcolumn(...): did you mean `name`?",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K", selectable_field = "metadata.x")] struct S {}),
            "a `selectable_field` is a JSON path",
        ),
        (
            quote!(#[resource(group = "a.b", version = "v1", kind = "K", crate = "not a path")] struct S {}),
            "`crate` is the path of rest-core here",
        ),
        (
            quote!(#[resource(version = "v1", kind = "K", group)] struct S {}),
            "`group` needs a value: write `group = \"...\"`",
        ),
        (
            quote!(#[resource(group = 1, version = "v1", kind = "K")] struct S {}),
            "`group` takes a string",
        ),
    ];
    for (input, expected) in cases {
        let input = quote!(#[derive(Resource)] #input);
        let message = error(input.clone());
        assert!(
            message.contains(expected),
            "for {input}\n  got: {message}\n want: {expected}"
        );
    }
}
