//! `generate --check`: how the files on disk differ from a fresh generation, summarised per
//! file (lines added and removed), for a CI log.

use std::collections::BTreeMap;
use std::path::Path;

use client_gen::output::Drift;
use client_gen::Output;

/// One line per differing file: `changed: DIR/x.rs (+3 -1 lines)`, `missing: ...`,
/// `not generated any more: ...`.
pub fn summary(output: &Output, drift: &Drift, dir: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    for rel in &drift.changed {
        let path = dir.join(rel);
        match std::fs::read_to_string(&path) {
            Ok(old) => {
                let (added, removed) = line_changes(&old, &output.files[rel]);
                lines.push(format!(
                    "changed: {} (+{added} -{removed} lines)",
                    path.display()
                ));
            }
            Err(_) => lines.push(format!("missing: {}", path.display())),
        }
    }
    for rel in &drift.stale {
        lines.push(format!(
            "not generated any more: {}",
            dir.join(rel).display()
        ));
    }
    lines
}

/// Lines only in `new` and only in `old`, counted as multisets (order ignored: a summary,
/// not a diff).
fn line_changes(old: &str, new: &str) -> (usize, usize) {
    let mut count: BTreeMap<&str, isize> = BTreeMap::new();
    for line in new.lines() {
        *count.entry(line).or_default() += 1;
    }
    for line in old.lines() {
        *count.entry(line).or_default() -= 1;
    }
    let added = count
        .values()
        .filter(|c| **c > 0)
        .map(|c| *c as usize)
        .sum();
    let removed = count
        .values()
        .filter(|c| **c < 0)
        .map(|c| (-*c) as usize)
        .sum();
    (added, removed)
}
