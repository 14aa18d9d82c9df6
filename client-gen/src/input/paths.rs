//! Input paths with globs (`crds/*.yaml`, `api/**/*.json`, `v?.json`), expanded in sorted
//! order so output never depends on directory order. A pattern matching nothing is an error.

use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// Whether a path has glob characters.
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// The files a path or pattern names, sorted; a plain path is returned as it is.
pub fn expand(pattern: &str) -> Result<Vec<PathBuf>, Error> {
    if !is_glob(pattern) {
        return Ok(vec![PathBuf::from(pattern)]);
    }
    let path = Path::new(pattern);
    let mut base = PathBuf::new();
    let mut rest = Vec::new();
    for component in path.components() {
        let text = component.as_os_str().to_string_lossy().into_owned();
        if rest.is_empty() && !is_glob(&text) {
            base.push(component);
        } else if !matches!(component, Component::CurDir) {
            rest.push(text);
        }
    }
    let start = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base.clone()
    };
    let mut out = Vec::new();
    walk(&start, &base, &rest, &mut out);
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err(Error::Read {
            file: PathBuf::from(pattern),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the pattern matches no file",
            ),
        });
    }
    Ok(out)
}

/// The directory a pattern's files live under (for `cargo:rerun-if-changed`, which then
/// notices files added later).
pub fn glob_root(pattern: &str) -> PathBuf {
    let mut base = PathBuf::new();
    for component in Path::new(pattern).components() {
        if is_glob(&component.as_os_str().to_string_lossy()) {
            break;
        }
        base.push(component);
    }
    if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base
    }
}

/// Matches `rest` (pattern components) below `dir`; `shown` is how found paths are spelled.
fn walk(dir: &Path, shown: &Path, rest: &[String], out: &mut Vec<PathBuf>) {
    let Some((first, tail)) = rest.split_first() else {
        if dir.is_file() {
            out.push(shown.to_owned());
        }
        return;
    };
    if first == "**" {
        // Zero directories, then one more level of `**`.
        walk(dir, shown, tail, out);
        for (name, path) in entries(dir) {
            if path.is_dir() {
                walk(&path, &shown.join(&name), rest, out);
            }
        }
        return;
    }
    for (name, path) in entries(dir) {
        if matches(first, &name) {
            walk(&path, &shown.join(&name), tail, out);
        }
    }
}

/// Entries of a directory (hidden ones only when asked for by name), sorted.
fn entries(dir: &Path) -> Vec<(String, PathBuf)> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, PathBuf)> = read
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    out.sort();
    out
}

/// Shell-style match of one path component: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`.
pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_from(&p, &n)
}

fn match_from(p: &[char], n: &[char]) -> bool {
    match p.first() {
        None => n.is_empty(),
        Some('*') => (0..=n.len()).any(|skip| match_from(&p[1..], &n[skip..])),
        Some('?') => !n.is_empty() && match_from(&p[1..], &n[1..]),
        Some('[') => {
            let Some(close) = p.iter().skip(1).position(|c| *c == ']').map(|i| i + 1) else {
                return n.first() == Some(&'[') && match_from(&p[1..], &n[1..]);
            };
            let Some(c) = n.first() else { return false };
            let mut set = &p[1..close];
            let negate = matches!(set.first(), Some('!') | Some('^'));
            if negate {
                set = &set[1..];
            }
            let mut hit = false;
            let mut i = 0;
            while i < set.len() {
                if i + 2 < set.len() && set[i + 1] == '-' {
                    hit |= set[i] <= *c && *c <= set[i + 2];
                    i += 3;
                } else {
                    hit |= set[i] == *c;
                    i += 1;
                }
            }
            hit != negate && match_from(&p[close + 1..], &n[1..])
        }
        Some(literal) => n.first() == Some(literal) && match_from(&p[1..], &n[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_match_like_a_shell() {
        assert!(matches("*.yaml", "a.yaml"));
        assert!(!matches("*.yaml", "a.yml"));
        assert!(matches("v?", "v1"));
        assert!(matches(
            "cert-*_[a-c]*.yaml",
            "cert-manager.io_certificates.yaml"
        ));
        assert!(!matches("[!c]*", "cert"));
    }

    #[test]
    fn patterns_expand_sorted_and_an_empty_match_is_an_error() {
        let dir = std::env::temp_dir().join(format!("client-gen-glob-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for f in ["b.yaml", "a.yaml", "c.json", "sub/d.yaml"] {
            std::fs::write(dir.join(f), "x: 1").unwrap();
        }
        let base = dir.display().to_string();
        let found = expand(&format!("{base}/*.yaml")).unwrap();
        assert_eq!(found, vec![dir.join("a.yaml"), dir.join("b.yaml")]);
        let deep = expand(&format!("{base}/**/*.yaml")).unwrap();
        assert_eq!(deep.len(), 3);
        assert!(expand(&format!("{base}/*.toml")).is_err());
        assert_eq!(glob_root(&format!("{base}/*.yaml")), dir);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
