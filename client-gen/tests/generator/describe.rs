//! API descriptions: a short YAML file describing resources by hand (group, version, kind,
//! plural, scope, verbs, subresources, a Rust type path), and its errors.

use std::path::Path;

use client_gen::input::read::parse_text;
use client_gen::model::{ApiSet, Payload, Scope, Shape, Ty, Verb};
use client_gen::{Error, Settings};

const DESCRIPTION: &str = "\
kind: APIDescription
group: example.com
version: v1
resources:
- kind: Widget
  plural: widgets
  shortNames: [wd]
  subresources: [status, scale]
- kind: Dial
  plural: dials
  scope: Cluster
  verbs: [get, list, watch]
- kind: Gadget
  plural: gadgets
  type: crate::Gadget
  subresources:
  - status
  - name: approval
    verbs: [update]
    type: crate::Approval
";

fn model(text: &str) -> Result<ApiSet, Error> {
    let docs = parse_text("api.yaml", text)?;
    client_gen::model(&docs, &Settings::default())
}

#[test]
fn described_resources_with_their_defaults() {
    let set = model(DESCRIPTION).unwrap();
    let v1 = &set.groups["example.com"].versions["v1"];
    let widgets = &v1.resources["widgets"];
    assert_eq!(widgets.scope, Scope::Namespaced);
    assert_eq!(widgets.singular, "widget");
    assert_eq!(widgets.short_names, ["wd"]);
    assert_eq!(widgets.verbs.len(), 9, "every verb by default");
    let Ty::Named(id) = &widgets.object else {
        panic!()
    };
    assert_eq!(set.types[id].shape, Shape::Untyped);
    assert_eq!(
        widgets.subresources["scale"].response,
        Payload::Object(Ty::Named("io.k8s.api.autoscaling.v1.Scale".into()))
    );
    let dials = &v1.resources["dials"];
    assert_eq!(dials.scope, Scope::Cluster);
    assert_eq!(
        dials.verbs.iter().copied().collect::<Vec<_>>(),
        [Verb::Get, Verb::List, Verb::Watch]
    );
}

#[test]
fn a_rust_type_path_is_used_as_it_is() {
    let set = model(DESCRIPTION).unwrap();
    let gadgets = &set.groups["example.com"].versions["v1"].resources["gadgets"];
    assert_eq!(gadgets.object, Ty::Rust("crate::Gadget".into()));
    let approval = &gadgets.subresources["approval"];
    assert_eq!(approval.request, Some(Ty::Rust("crate::Approval".into())));
    assert_eq!(
        approval.verbs.iter().copied().collect::<Vec<_>>(),
        [Verb::Update]
    );

    let docs = parse_text("api.yaml", DESCRIPTION).unwrap();
    let out = client_gen::generate(&docs, &Settings::default()).unwrap();
    let module = &out.files[Path::new("example/v1.rs")];
    // The user's type brings its own `Resource` impl; the client uses it.
    assert!(
        !module.contains("impl rest_core::Resource for crate::Gadget"),
        "{module}"
    );
    assert!(
        module.contains("pub struct GadgetClient(pub rest_core::ResourceClient<crate::Gadget>);"),
        "{module}"
    );
    assert!(module.contains("pub fn update_approval<'a>("), "{module}");
    assert!(
        module.contains("impl rest_core::Resource for Widget"),
        "{module}"
    );
}

#[test]
fn the_core_group_is_named_core_or_empty() {
    let set = model(
        "kind: APIDescription\ngroup: core\nversion: v1\nresources:\n- {kind: Pod, plural: pods}\n",
    )
    .unwrap();
    assert!(set.groups[""].versions["v1"].resources.contains_key("pods"));
}

fn error(text: &str) -> String {
    model(text).unwrap_err().to_string()
}

#[test]
fn mistakes_are_named_with_their_line() {
    let typo = DESCRIPTION.replace("  verbs: [get, list, watch]", "  verb: [get, list, watch]");
    let err = error(&typo);
    assert!(
        err.starts_with("api.yaml:9: resource: unknown field `verb`"),
        "{err}"
    );

    let err = error(&DESCRIPTION.replace("scope: Cluster", "scope: Global"));
    assert!(
        err.starts_with("api.yaml:11: scope \"Global\" is neither Namespaced nor Cluster"),
        "{err}"
    );

    let err = error(&DESCRIPTION.replace("type: crate::Gadget", "type: crate::<Gadget"));
    assert!(
        err.starts_with("api.yaml:15: `crate::<Gadget` is not a Rust type"),
        "{err}"
    );

    let err = error(&DESCRIPTION.replace("[get, list, watch]", "[get, lists]"));
    assert!(
        err.starts_with("api.yaml:12: unknown verb \"lists\""),
        "{err}"
    );

    let err = error("kind: APIDescription\nversion: v1\nresources: []\n");
    assert!(err.contains("APIDescription needs `group`"), "{err}");

    let err = error(&format!(
        "{DESCRIPTION}- kind: Widget2\n  plural: widgets\n"
    ));
    assert!(err.contains("resource widgets is described twice"), "{err}");
}
