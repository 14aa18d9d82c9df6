//! The order clients run in within a round: balanced over rounds, so that no client is
//! favoured by its position or by the client that ran just before it.

use crate::clients::Kind;

/// The clients in the order of round `round`: a Williams design, in which over a cycle of
/// rounds (four for four clients; for an odd count twice as many, ten for five) each client
/// takes each position equally often and follows each other client equally often. A plain
/// rotation left every client always after the same one, and that mattered: with krest
/// always after the floor its 64-way GET measured 0.94-0.97x the floor, with krest after
/// reqwest 0.98-0.99x, the same build on the same machine.
pub fn order(round: usize, only: &[Kind]) -> Vec<Kind> {
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| only.is_empty() || only.contains(k))
        .collect();
    in_order(round, &kinds)
}

/// `items` in the order of round `round` (the same design, for anything run in turns).
pub fn in_order<T: Copy>(round: usize, items: &[T]) -> Vec<T> {
    williams_row(round, items.len())
        .into_iter()
        .map(|i| items[i])
        .collect()
}

/// Rounds in one complete design for `n` treatments.
fn cycle(n: usize) -> usize {
    if n.is_multiple_of(2) {
        n
    } else {
        2 * n
    }
}

/// Row `round` of a Williams square for `n` treatments: the first row is 0, 1, n-1, 2,
/// n-2, ..., row r adds r (mod n); odd `n` needs the reversed rows as well (2n in all).
fn williams_row(round: usize, n: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let first: Vec<usize> = (0..n)
        .map(|j| {
            if j % 2 == 1 {
                j.div_ceil(2)
            } else {
                (n - j / 2) % n
            }
        })
        .collect();
    let r = round % cycle(n);
    let mut row: Vec<usize> = first.iter().map(|&i| (i + r % n) % n).collect();
    if r >= n {
        row.reverse();
    }
    row
}

#[cfg(test)]
mod tests {
    use super::{cycle, williams_row};

    /// Over one cycle, each client takes each position once and follows each other once
    /// (twice for odd counts, whose cycle is twice as long).
    #[test]
    fn williams_rows_are_balanced() {
        for n in 1..=6usize {
            let per = cycle(n) / n;
            let mut position = vec![vec![0; n]; n];
            let mut follows = vec![vec![0; n]; n];
            for r in 0..cycle(n) {
                let row = williams_row(r, n);
                let mut sorted = row.clone();
                sorted.sort();
                assert_eq!(sorted, (0..n).collect::<Vec<_>>(), "n={n} row {r}: {row:?}");
                for (p, &c) in row.iter().enumerate() {
                    position[c][p] += 1;
                }
                for w in row.windows(2) {
                    follows[w[1]][w[0]] += 1;
                }
            }
            for c in 0..n {
                assert!(position[c].iter().all(|&k| k == per), "n={n}: {position:?}");
                for d in 0..n {
                    let want = if c == d { 0 } else { per };
                    assert_eq!(follows[c][d], want, "n={n}: {follows:?}");
                }
            }
        }
    }
}
