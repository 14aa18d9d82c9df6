//! `client-gen inspect`: what the generator understood from its inputs, one line per
//! resource with its scope, verbs and subresources, and under it the Rust names it becomes
//! (module, type, client and accessors, nested types), so a user can check before generating.

use std::fmt::Write as _;

use client_gen::emit::{resource_names, ResourceNames};
use client_gen::model::{ApiSet, Payload, Resource, Scope, Shape, Ty, Verb};
use client_gen::text::counted;
use client_gen::{Error, Settings};

/// The model as text: groups, versions (storage marked), resources and their Rust names.
pub fn render(set: &ApiSet, settings: &Settings) -> Result<String, Error> {
    let names = resource_names(set, settings)?;
    let mut out = String::new();
    for group in set.groups.values() {
        let name = if group.name.is_empty() {
            "core"
        } else {
            &group.name
        };
        let _ = writeln!(out, "{name}");
        for version in group.versions.values() {
            let storage = if version.storage { " (storage)" } else { "" };
            let _ = writeln!(out, "  {}{storage}", version.name);
            for r in version.resources.values() {
                let _ = writeln!(out, "    {}", resource_line(set, r));
                let rust = names.iter().find(|n| {
                    n.group == group.name && n.version == version.name && n.plural == r.plural
                });
                if let Some(rust) = rust {
                    out.push_str(&rust_lines(rust));
                }
            }
        }
    }
    let kinds = set.resources().count();
    let _ = writeln!(
        out,
        "{}, {}, {}",
        counted(set.groups.len(), "group"),
        counted(kinds, "resource"),
        counted(set.types.len(), "type")
    );
    Ok(out)
}

/// `rust: MODULE::TYPE, client CLIENT: Clientset::ACCESSOR().ACCESSOR(namespace)`, then the
/// nested types, indented under the resource.
fn rust_lines(n: &ResourceNames) -> String {
    let object = match &n.object {
        Some(name) => format!("{}::{name}", n.module),
        None => format!("{} (untyped objects)", n.module),
    };
    let mut line = format!("      rust: {object}");
    match &n.client {
        Some(c) => {
            let _ = write!(line, ", client {}: {}", c.client, c.call());
            if let Some(all) = &c.all_namespaces {
                let _ = write!(line, " or .{all}()");
            }
        }
        None => line.push_str(", no typed client"),
    }
    line.push('\n');
    if !n.nested.is_empty() {
        let _ = writeln!(line, "      types: {}", n.nested.join(", "));
    }
    line
}

fn resource_line(set: &ApiSet, r: &Resource) -> String {
    let scope = match r.scope {
        Scope::Namespaced => "namespaced",
        Scope::Cluster => "cluster",
    };
    let typing = match &r.object {
        Ty::Named(id) => match set.types.get(id).map(|d| &d.shape) {
            Some(Shape::Untyped) => " untyped",
            _ => "",
        },
        Ty::Rust(path) => return format!("{} {} ({path})", r.plural, r.kind),
        _ => " untyped",
    };
    let mut line = format!(
        "{} {} {scope}{typing} [{}]",
        r.plural,
        r.kind,
        verbs(r.verbs.iter())
    );
    for sub in r.subresources.values() {
        let text = if sub.response == Payload::Text {
            " text"
        } else {
            ""
        };
        let _ = write!(line, " {}{text}[{}]", sub.name, verbs(sub.verbs.iter()));
    }
    if !r.short_names.is_empty() {
        let _ = write!(line, " short: {}", r.short_names.join(","));
    }
    if !r.categories.is_empty() {
        let _ = write!(line, " categories: {}", r.categories.join(","));
    }
    line
}

fn verbs<'a>(verbs: impl Iterator<Item = &'a Verb>) -> String {
    verbs.map(|v| v.as_str()).collect::<Vec<_>>().join(" ")
}
