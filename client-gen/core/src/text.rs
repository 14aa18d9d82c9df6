//! Words for messages: counted nouns (`1 file`, `3 groups`) and the closest of the names that
//! exist, for "did you mean" hints when a name given is unknown.

/// `n` and the noun, plural unless `n` is 1: `counted(1, "file")` is `1 file`.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else if noun.ends_with('s') || noun.ends_with('x') || noun.ends_with("ch") {
        format!("{n} {noun}es")
    } else {
        format!("{n} {noun}s")
    }
}

/// The candidate nearest to `name` when it is near enough to be a slip (an edit or two, a
/// third of the name at most): `closest("certficates", ..)` is `certificates`.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_slips() {
        assert_eq!(counted(1, "file"), "1 file");
        assert_eq!(counted(0, "group"), "0 groups");
        assert_eq!(counted(2, "class"), "2 classes");
        let plurals = ["certificates", "issuers", "orders"];
        assert_eq!(closest("certficates", plurals), Some("certificates"));
        assert_eq!(closest("issuer", plurals), Some("issuers"));
        assert_eq!(closest("gadgets", plurals), None);
    }
}
