//! Name rules: the plural Kubernetes tooling derives from a kind, the shapes the apiserver
//! accepts for groups, versions and resource names, and "did you mean" suggestions.

/// The resource name of a kind, lowercased and pluralized as Kubernetes tooling does
/// (`Policy` -> `policies`, `Ingress` -> `ingresses`, `Gateway` -> `gateways`).
pub fn plural(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    let ends = |s: &str| lower.ends_with(s);
    if ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh") {
        return format!("{lower}es");
    }
    if let Some(stem) = lower.strip_suffix('y') {
        let vowel_before = stem.ends_with(['a', 'e', 'i', 'o', 'u']);
        if !vowel_before && !stem.is_empty() {
            return format!("{stem}ies");
        }
    }
    format!("{lower}s")
}

/// A DNS label as resource names, short names and categories must be (`[a-z0-9-]`, starting
/// with a letter, not ending with `-`, at most 63 bytes).
pub fn is_dns_label(text: &str) -> bool {
    text.len() <= 63
        && text.starts_with(|c: char| c.is_ascii_lowercase())
        && !text.ends_with('-')
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A CRD's group: a DNS subdomain with at least one dot (`stable.example.com`).
pub fn is_crd_group(text: &str) -> bool {
    text.contains('.')
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A kind that can name the generated Rust type: ASCII, UpperCamelCase, no keyword.
pub fn is_kind(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_uppercase())
        && text.chars().all(|c| c.is_ascii_alphanumeric())
        && text != "Self"
}

/// The candidate closest to `word` by edit distance, when close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_follow_kubernetes() {
        assert_eq!(plural("CronTab"), "crontabs");
        assert_eq!(plural("Policy"), "policies");
        assert_eq!(plural("NetworkPolicy"), "networkpolicies");
        assert_eq!(plural("Ingress"), "ingresses");
        assert_eq!(plural("Gateway"), "gateways");
        assert_eq!(plural("Box"), "boxes");
        assert_eq!(plural("Mesh"), "meshes");
        assert_eq!(plural("Patch"), "patches");
    }

    #[test]
    fn shapes() {
        assert!(is_crd_group("stable.example.com"));
        assert!(!is_crd_group("example"));
        assert!(!is_crd_group("Example.com"));
        assert!(is_dns_label("ct"));
        assert!(!is_dns_label("Ct"));
        assert!(!is_dns_label("c_t"));
        assert!(is_kind("CronTab"));
        assert!(!is_kind("cronTab"));
        assert!(!is_kind("Cron-Tab"));
    }

    #[test]
    fn suggestions() {
        assert_eq!(closest("grup", &["group", "version"]), Some("group"));
        assert_eq!(closest("plurals", &["plural", "kind"]), Some("plural"));
        assert_eq!(closest("zzzzzz", &["group", "kind"]), None);
    }
}
