//! The hasher of the maps keyed by object keys (store, indexes, work queue): foldhash, seeded
//! per process like std's, but without SipHash's cost, which showed in the controller's profile.

pub(crate) type KeyHasher = foldhash::fast::RandomState;
pub(crate) type KeyMap<K, V> = std::collections::HashMap<K, V, KeyHasher>;
pub(crate) type KeySet<K> = std::collections::HashSet<K, KeyHasher>;
