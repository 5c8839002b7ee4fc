//! A small time-limited cache for computed page data: entries expire after a fixed time and can be
//! dropped early. Per instance; nothing in it must be shared between instances (it is only a cache).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;
use std::time::{Duration, Instant};

pub struct TtlCache<K, V> {
    ttl: Duration,
    max_entries: usize,
    entries: RwLock<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        TtlCache { ttl, max_entries, entries: RwLock::new(HashMap::new()) }
    }

    /// A fresh entry, if there is one.
    pub fn get(&self, key: &K) -> Option<V> {
        let map = self.entries.read().ok()?;
        map.get(key).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: K, value: V) {
        if let Ok(mut map) = self.entries.write() {
            if map.len() >= self.max_entries {
                let ttl = self.ttl;
                map.retain(|_, (at, _)| at.elapsed() < ttl);
                if map.len() >= self.max_entries {
                    map.clear();
                }
            }
            map.insert(key, (Instant::now(), value));
        }
    }

    /// Drops one entry.
    pub fn remove(&self, key: &K) {
        if let Ok(mut map) = self.entries.write() {
            map.remove(key);
        }
    }

    /// Drops the entries whose value matches.
    pub fn remove_where(&self, mut pred: impl FnMut(&V) -> bool) {
        if let Ok(mut map) = self.entries.write() {
            map.retain(|_, (_, v)| !pred(v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_and_removes() {
        let c = TtlCache::new(Duration::from_millis(50), 2);
        c.put("a", 1);
        assert_eq!(c.get(&"a"), Some(1));
        c.remove_where(|v| *v == 1);
        assert_eq!(c.get(&"a"), None);
        c.put("b", 2);
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(c.get(&"b"), None);
        c.put("c", 3);
        c.put("d", 4);
        c.put("e", 5);
        assert_eq!(c.get(&"e"), Some(5));
    }
}
