//! Small serde helpers shared by the meta types: Go writes a nil slice or map as `null`, so
//! fields Kubernetes calls required still have to accept `null` and treat it as empty.

use serde::{Deserialize, Deserializer};

/// Deserialize `null` (or a missing field, with `#[serde(default)]`) as `T::default()`.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// `skip_serializing_if` for `bool` fields that are only sent when set.
pub(crate) fn is_false(value: &bool) -> bool {
    !*value
}

/// An optional list kept at its exact length: serde's `Vec` grows to four slots on its first
/// element, so the one owner reference of a cached object held room for four (over 300 bytes
/// per object, for as long as a cache keeps it). The shrink gives the tail back in place.
pub(crate) fn exact_list<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut list = Option::<Vec<T>>::deserialize(deserializer)?;
    if let Some(list) = &mut list {
        list.shrink_to_fit();
    }
    Ok(list)
}
