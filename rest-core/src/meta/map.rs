//! `Map`: the string-keyed maps of Kubernetes objects (labels, annotations, a ConfigMap's
//! data, resource limits) as one vector of entries sorted by key, with `BTreeMap`'s API.
//!
//! Most of these maps hold a handful of entries. A `BTreeMap` allocates a whole node for its
//! first entry (544 bytes for `String` keys and values), so a cached pod paid over 3 KB for
//! its six small maps; the vector holds exactly its entries, and a lookup in a few sorted
//! entries is as fast. Inserting in key order (what the API server writes, in JSON and in
//! protobuf) appends; an insert elsewhere moves the entries after it, so a map built by
//! random inserts of many thousands of keys is better collected (`FromIterator` sorts once).

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Index;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A map ordered by key, as `BTreeMap` is: iteration, equality, ordering, hashing, `Debug`
/// and the JSON form are a `BTreeMap`'s with the same entries.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Map<K, V> {
    /// Sorted by key, no key twice.
    entries: Vec<(K, V)>,
}

impl<K, V> Default for Map<K, V> {
    fn default() -> Self {
        Map::new()
    }
}

impl<K, V> Map<K, V> {
    /// An empty map (no allocation).
    pub const fn new() -> Self {
        Map {
            entries: Vec::new(),
        }
    }

    /// An empty map with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Map {
            entries: Vec::with_capacity(capacity),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Gives back room beyond the entries (decoders call it once a map is complete).
    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
    }

    /// The entries, in key order.
    pub fn as_slice(&self) -> &[(K, V)] {
        &self.entries
    }

    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(self.entries.iter())
    }

    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        IterMut(self.entries.iter_mut())
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + '_ {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + '_ {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = K> + ExactSizeIterator {
        self.entries.into_iter().map(|(k, _)| k)
    }

    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }

    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.entries.first().map(|(k, v)| (k, v))
    }

    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.entries.last().map(|(k, v)| (k, v))
    }

    /// Keeps the entries `keep` returns true for, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }
}

impl<K: Ord, V> Map<K, V> {
    /// Where `key` is, or where it would go.
    fn search<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.search(key).ok().map(|i| &self.entries[i].1)
    }

    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let (k, v) = &self.entries[self.search(key).ok()?];
        Some((k, v))
    }

    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let i = self.search(key).ok()?;
        Some(&mut self.entries[i].1)
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.search(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it replaced. Appending (a key after every
    /// other) is the fast case.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        if self.entries.last().is_none_or(|(last, _)| *last < key) {
            self.entries.push((key, value));
            return None;
        }
        match self.search(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.remove_entry(key).map(|(_, v)| v)
    }

    pub fn remove_entry<Q>(&mut self, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let i = self.search(key).ok()?;
        Some(self.entries.remove(i))
    }

    /// The entry for `key`, to read, change or fill in place.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        match self.search(&key) {
            Ok(index) => Entry::Occupied(OccupiedEntry { map: self, index }),
            Err(index) => Entry::Vacant(VacantEntry {
                map: self,
                index,
                key,
            }),
        }
    }

    /// Moves every entry of `other` into this map (its values win), leaving it empty.
    pub fn append(&mut self, other: &mut Map<K, V>) {
        let other = std::mem::take(&mut other.entries);
        self.extend(other);
    }

    /// From entries in any order: sorted once; of a key given twice the last value stays, as
    /// repeated inserts would leave it.
    fn from_entries(mut entries: Vec<(K, V)>) -> Self {
        if !entries.windows(2).all(|w| w[0].0 < w[1].0) {
            // Stable, so equal keys keep their order and the last one is the latest.
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut kept: Vec<(K, V)> = Vec::with_capacity(entries.len());
            for entry in entries {
                match kept.last_mut() {
                    Some(last) if last.0 == entry.0 => *last = entry,
                    _ => kept.push(entry),
                }
            }
            entries = kept;
        }
        Map { entries }
    }
}

/// A place in a map, as `BTreeMap::entry` gives.
pub enum Entry<'a, K, V> {
    Occupied(OccupiedEntry<'a, K, V>),
    Vacant(VacantEntry<'a, K, V>),
}

pub struct OccupiedEntry<'a, K, V> {
    map: &'a mut Map<K, V>,
    index: usize,
}

pub struct VacantEntry<'a, K, V> {
    map: &'a mut Map<K, V>,
    index: usize,
    key: K,
}

impl<'a, K, V> Entry<'a, K, V> {
    pub fn key(&self) -> &K {
        match self {
            Entry::Occupied(e) => e.key(),
            Entry::Vacant(e) => &e.key,
        }
    }

    pub fn or_insert(self, default: V) -> &'a mut V {
        self.or_insert_with(|| default)
    }

    pub fn or_insert_with(self, default: impl FnOnce() -> V) -> &'a mut V {
        match self {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(default()),
        }
    }

    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }

    pub fn and_modify(self, change: impl FnOnce(&mut V)) -> Self {
        match self {
            Entry::Occupied(mut e) => {
                change(e.get_mut());
                Entry::Occupied(e)
            }
            vacant => vacant,
        }
    }
}

impl<'a, K, V> OccupiedEntry<'a, K, V> {
    pub fn key(&self) -> &K {
        &self.map.entries[self.index].0
    }

    pub fn get(&self) -> &V {
        &self.map.entries[self.index].1
    }

    pub fn get_mut(&mut self) -> &mut V {
        &mut self.map.entries[self.index].1
    }

    pub fn into_mut(self) -> &'a mut V {
        &mut self.map.entries[self.index].1
    }

    /// Sets the value, returning the old one.
    pub fn insert(&mut self, value: V) -> V {
        std::mem::replace(self.get_mut(), value)
    }

    pub fn remove(self) -> V {
        self.map.entries.remove(self.index).1
    }
}

impl<'a, K, V> VacantEntry<'a, K, V> {
    pub fn key(&self) -> &K {
        &self.key
    }

    pub fn insert(self, value: V) -> &'a mut V {
        self.map.entries.insert(self.index, (self.key, value));
        &mut self.map.entries[self.index].1
    }
}

/// The entries of a [`Map`], by reference, in key order.
pub struct Iter<'a, K, V>(std::slice::Iter<'a, (K, V)>);

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

impl<K, V> Clone for Iter<'_, K, V> {
    fn clone(&self) -> Self {
        Iter(self.0.clone())
    }
}

/// The entries of a [`Map`], values mutable, in key order.
pub struct IterMut<'a, K, V>(std::slice::IterMut<'a, (K, V)>);

impl<'a, K, V> Iterator for IterMut<'a, K, V> {
    type Item = (&'a K, &'a mut V);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for IterMut<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (&*k, v))
    }
}

impl<K, V> ExactSizeIterator for IterMut<'_, K, V> {}

impl<K, V> IntoIterator for Map<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a, K, V> IntoIterator for &'a Map<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut Map<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for Map<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Map::from_entries(iter.into_iter().collect())
    }
}

impl<K: Ord, V> Extend<(K, V)> for Map<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for Map<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        Map::from_entries(Vec::from(entries))
    }
}

impl<K: Ord, V> From<Vec<(K, V)>> for Map<K, V> {
    fn from(entries: Vec<(K, V)>) -> Self {
        Map::from_entries(entries)
    }
}

impl<K, V> From<BTreeMap<K, V>> for Map<K, V> {
    fn from(map: BTreeMap<K, V>) -> Self {
        // Already in key order, each key once.
        Map {
            entries: map.into_iter().collect(),
        }
    }
}

impl<K: Ord, V> From<Map<K, V>> for BTreeMap<K, V> {
    fn from(map: Map<K, V>) -> Self {
        map.entries.into_iter().collect()
    }
}

impl<K, Q, V> Index<&Q> for Map<K, V>
where
    K: Ord + Borrow<Q>,
    Q: Ord + ?Sized,
{
    type Output = V;

    /// # Panics
    /// When the key is not in the map, as `BTreeMap`'s index does.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for Map<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Serialize, V: Serialize> Serialize for Map<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for Map<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<K, V>(PhantomData<(K, V)>);

        impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Visitor<'de> for Entries<K, V> {
            type Value = Map<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                // serde_json gives no length, and a vector grown by push keeps room a cached
                // object holds as long as it lives, or is shrunk by a realloc whose freed tail
                // slows glibc's next large allocations (a watch's decode measured it). So the
                // first entries wait on the stack and the vector is sized once; only a map of
                // more entries grows, and is shrunk once. Large entries skip the stack.
                const HEAD: usize = 8;
                if std::mem::size_of::<(K, V)>() > 64 {
                    let mut entries = Vec::new();
                    while let Some(entry) = access.next_entry()? {
                        entries.push(entry);
                    }
                    entries.shrink_to_fit();
                    return Ok(Map::from_entries(entries));
                }
                let mut head: [Option<(K, V)>; HEAD] = [const { None }; HEAD];
                let mut n = 0;
                while n < HEAD {
                    match access.next_entry()? {
                        Some(entry) => head[n] = Some(entry),
                        None => break,
                    }
                    n += 1;
                }
                let more = if n == HEAD {
                    access.next_entry()?
                } else {
                    None
                };
                let mut entries = Vec::with_capacity(if more.is_some() { 2 * HEAD } else { n });
                entries.extend(head.iter_mut().take(n).filter_map(Option::take));
                if let Some(entry) = more {
                    entries.push(entry);
                    while let Some(entry) = access.next_entry()? {
                        entries.push(entry);
                    }
                    entries.shrink_to_fit();
                }
                Ok(Map::from_entries(entries))
            }
        }

        deserializer.deserialize_map(Entries(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Insert(u8, u16),
        Remove(u8),
        Entry(u8, u16),
        Retain(u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (any::<u8>(), any::<u16>()).prop_map(|(k, v)| Op::Insert(k % 32, v)),
            any::<u8>().prop_map(|k| Op::Remove(k % 32)),
            (any::<u8>(), any::<u16>()).prop_map(|(k, v)| Op::Entry(k % 32, v)),
            any::<u8>().prop_map(|m| Op::Retain(m % 5 + 1)),
        ]
    }

    proptest! {
        /// Every operation leaves the map as a `BTreeMap` given the same operations.
        #[test]
        fn behaves_as_a_btree_map(ops in proptest::collection::vec(op(), 0..64)) {
            let mut map = Map::new();
            let mut model = BTreeMap::new();
            for op in ops {
                match op {
                    Op::Insert(k, v) => prop_assert_eq!(map.insert(k, v), model.insert(k, v)),
                    Op::Remove(k) => prop_assert_eq!(map.remove(&k), model.remove(&k)),
                    Op::Entry(k, v) => {
                        let x = map.entry(k).and_modify(|x| *x ^= v).or_insert(v);
                        *x = x.wrapping_add(1);
                        let x = model.entry(k).and_modify(|x| *x ^= v).or_insert(v);
                        *x = x.wrapping_add(1);
                    }
                    Op::Retain(m) => {
                        map.retain(|k, _| k % m != 0);
                        model.retain(|k, _| k % m != 0);
                    }
                }
                prop_assert!(map.iter().eq(model.iter()));
                prop_assert_eq!(map.len(), model.len());
            }
            let collected: Map<u8, u16> = model.clone().into_iter().rev().collect();
            prop_assert_eq!(&collected, &map);
            prop_assert_eq!(BTreeMap::from(map), model);
        }

        /// Decoding JSON whose keys come in any order, some twice, gives what `BTreeMap`
        /// decodes (the last value of a repeated key).
        #[test]
        fn decodes_as_a_btree_map(keys in proptest::collection::vec(0u8..16, 0..24)) {
            let body = format!(
                "{{{}}}",
                keys.iter()
                    .enumerate()
                    .map(|(i, k)| format!("\"k{k}\":{i}"))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let map: Map<String, usize> = serde_json::from_str(&body).unwrap();
            let model: BTreeMap<String, usize> = serde_json::from_str(&body).unwrap();
            prop_assert!(map.iter().eq(model.iter()));
            prop_assert_eq!(serde_json::to_string(&map).unwrap(), serde_json::to_string(&model).unwrap());
            prop_assert_eq!(format!("{map:?}"), format!("{model:?}"));
        }
    }

    #[test]
    fn a_small_map_holds_only_its_entries() {
        let map: Map<String, String> =
            serde_json::from_str(r#"{"app":"web","tier":"front"}"#).unwrap();
        assert_eq!(map.entries.capacity(), 2);
        assert_eq!(map["app"], "web");
        assert_eq!(map.get("tier").map(String::as_str), Some("front"));
        assert!(map.get("none").is_none());
    }

    #[test]
    fn maps_of_any_size_decode_at_their_exact_length() {
        for n in [0, 1, 7, 8, 9, 40] {
            let body = format!(
                "{{{}}}",
                (0..n)
                    .map(|i| format!("\"k{i:02}\":\"v\""))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let map: Map<String, String> = serde_json::from_str(&body).unwrap();
            assert_eq!(map.len(), n);
            assert_eq!(map.entries.capacity(), n, "{n} entries");
            assert_eq!(
                map.keys().next().map(String::as_str),
                (n > 0).then_some("k00")
            );
        }
        // Entries too large for the stack take the vector's way, with the same result.
        let big: Map<String, [u64; 16]> =
            serde_json::from_str(&format!("{{\"b\":{0:?},\"a\":{0:?}}}", [1u64; 16])).unwrap();
        assert_eq!(big.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(big.entries.capacity(), 2);
    }

    #[test]
    fn a_value_that_is_not_a_map_is_refused_with_what_was_expected() {
        let err = serde_json::from_str::<Map<String, String>>("[1]").unwrap_err();
        assert!(err.to_string().contains("expected a map"), "{err}");
    }
}
