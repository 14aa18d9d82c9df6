//! Bad CRD input: each a clear error naming the file, the line and what to do, never a
//! panic and never output.

use client_gen::input::read::parse_text;
use client_gen::select::{Entry, Selection};
use client_gen::{Error, Settings};

/// A CRD whose `v1` version block is `version` (indented for its place).
fn crd(name: &str, kind: &str, version: &str) -> String {
    let plural = name.split('.').next().unwrap_or(name);
    format!(
        "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: {name}
spec:
  group: example.com
  names:
    kind: {kind}
    plural: {plural}
  scope: Namespaced
  versions:
{version}"
    )
}

const GOOD_VERSION: &str = "  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
";

fn generate(file: &str, text: &str) -> Result<client_gen::Output, Error> {
    let docs = parse_text(file, text)?;
    client_gen::generate(&docs, &Settings::default())
}

#[test]
fn a_crd_without_a_schema_names_the_file_and_line_of_its_version() {
    let text = format!(
        "{}---\n{}",
        crd("widgets.example.com", "Widget", GOOD_VERSION),
        crd(
            "gadgets.example.com",
            "Gadget",
            "  - name: v1\n    served: true\n    storage: true\n"
        )
    );
    let err = generate("crds.yaml", &text).unwrap_err().to_string();
    // The second document starts at line 22; its version item is line 33.
    assert_eq!(
        err,
        "crds.yaml:33: CustomResourceDefinition gadgets.example.com: version v1 has no schema \
         (`schema.openAPIV3Schema`): client-gen needs one to generate types \
         (at /spec/versions/0/schema)"
    );
}

#[test]
fn a_kind_defined_by_two_crds_is_refused() {
    let text = format!(
        "{}---\n{}",
        crd("widgets.example.com", "Widget", GOOD_VERSION),
        crd("gadgets.example.com", "Widget", GOOD_VERSION)
    );
    let err = generate("crds.yaml", &text).unwrap_err().to_string();
    assert!(
        err.starts_with("crds.yaml:29: CustomResourceDefinition gadgets.example.com: kind Widget of group example.com is already defined by CustomResourceDefinition widgets.example.com (crds.yaml:8)"),
        "{err}"
    );
    // The same CRD given twice (a glob matching a copy) is no conflict.
    let same = crd("widgets.example.com", "Widget", GOOD_VERSION);
    assert!(generate("crds.yaml", &format!("{same}---\n{same}")).is_ok());
}

#[test]
fn a_crd_that_serves_no_version_is_refused() {
    let version = GOOD_VERSION.replace("served: true", "served: false");
    let err = generate("w.yaml", &crd("widgets.example.com", "Widget", &version))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "w.yaml:11: CustomResourceDefinition widgets.example.com: no version is served"
        ),
        "{err}"
    );
}

#[test]
fn asking_for_a_version_that_is_not_served_says_which_are() {
    let mut text = crd("widgets.example.com", "Widget", GOOD_VERSION);
    text.push_str(
        &GOOD_VERSION
            .replace("name: v1", "name: v1alpha1")
            .replace("served: true", "served: false")
            .replace("storage: true", "storage: false"),
    );
    let docs = parse_text("w.yaml", &text).unwrap();
    let settings = Settings {
        select: Selection {
            entries: vec![Entry::version("example.com/v1alpha1").unwrap()],
        },
        ..Settings::default()
    };
    let err = client_gen::generate(&docs, &settings)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "allow-list entry \"example.com/v1alpha1\": example.com serves v1, not v1alpha1 \
         (versions that are not served are not generated)"
    );
}

#[test]
fn exactly_one_storage_version() {
    let version = GOOD_VERSION.replace("storage: true", "storage: false");
    let err = generate("w.yaml", &crd("widgets.example.com", "Widget", &version))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("exactly one version must be the storage version, found none"),
        "{err}"
    );
}

#[test]
fn a_yaml_syntax_error_names_line_and_column() {
    let text = format!(
        "{}---\nkind: CustomResourceDefinition\nspec: [unclosed\n",
        crd("widgets.example.com", "Widget", GOOD_VERSION)
    );
    let err = parse_text("crds.yaml", &text).unwrap_err();
    match &err {
        Error::Yaml { file, line, .. } => {
            assert_eq!(file, "crds.yaml");
            assert!(*line >= 22, "line {line}");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().starts_with("crds.yaml:"), "{err}");
    assert!(err.to_string().contains("not valid YAML"), "{err}");
}

#[test]
fn v1beta1_crds_are_refused_with_what_to_do() {
    let text = crd("widgets.example.com", "Widget", GOOD_VERSION).replace(
        "apiextensions.k8s.io/v1\n",
        "apiextensions.k8s.io/v1beta1\n",
    );
    let err = generate("w.yaml", &text).unwrap_err().to_string();
    assert!(err.starts_with("w.yaml:1: "), "{err}");
    assert!(err.contains("convert the manifest"), "{err}");
}

#[test]
fn a_bad_scope_and_a_bad_schema_type_point_at_their_lines() {
    let text = crd("widgets.example.com", "Widget", GOOD_VERSION).replace("Namespaced", "Galaxy");
    let err = generate("w.yaml", &text).unwrap_err().to_string();
    assert!(err.starts_with("w.yaml:10: "), "{err}");
    assert!(err.contains("\"Galaxy\""), "{err}");

    let text = crd(
        "widgets.example.com",
        "Widget",
        &GOOD_VERSION.replace(
            "          spec:\n            type: object",
            "          spec:\n            type: obj",
        ),
    );
    let err = generate("w.yaml", &text).unwrap_err().to_string();
    assert_eq!(
        err,
        "w.yaml:20: unknown schema type \"obj\" (at /spec/versions/0/schema/openAPIV3Schema/properties/spec/type)"
    );
}

#[test]
fn a_missing_group_is_named() {
    let text =
        crd("widgets.example.com", "Widget", GOOD_VERSION).replace("  group: example.com\n", "");
    let err = generate("w.yaml", &text).unwrap_err().to_string();
    assert!(
        err.contains("CustomResourceDefinition widgets.example.com: `spec.group` is required"),
        "{err}"
    );
}
