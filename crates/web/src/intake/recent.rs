//! What the intake writer remembers of the responses stored recently, so that a batch is screened by the
//! anti-fraud rules without asking the database.
//!
//! For each rule a [`Window`] counts the stored responses per key — (device, organisation) or
//! (source, organisation) — whose time lies within the rule's window. The memory is filled from the
//! database when the writer starts and then from every commit, so it holds exactly what the database
//! would answer, as long as this process is the only one writing responses: that is the case on the
//! embedded SQLite database, and the writer uses it only there (on PostgreSQL several instances may write,
//! and the rules ask the database).
//!
//! The memory is bounded: past `capacity` entries the oldest are forgotten and the window stops being
//! *complete* until they would have expired anyway; the writer then asks the database, as before.
//!
//! Keys are 64-bit keyed hashes (the key is random per process, so nobody can aim a collision); two
//! distinct pairs sharing one would at worst flag a response for review, never drop it.

use std::collections::VecDeque;
use std::collections::hash_map::{Entry, HashMap};
use std::hash::{BuildHasher, RandomState};

/// Counts of stored responses per key within a sliding time window.
#[derive(Debug)]
pub struct Window {
    secs: i64,
    capacity: usize,
    /// `(time, key)` in commit order; times never decrease (see [`Window::record`]).
    order: VecDeque<(i64, u64)>,
    counts: HashMap<u64, u32>,
    /// Every stored response at or after this time is counted here.
    complete_since: i64,
}

impl Window {
    /// An empty window that knows every response stored at or after `complete_since`.
    pub fn new(secs: i64, capacity: usize, complete_since: i64) -> Window {
        Window { secs, capacity: capacity.max(1), order: VecDeque::new(), counts: HashMap::new(), complete_since }
    }

    /// The window's length in seconds.
    pub fn secs(&self) -> i64 {
        self.secs
    }

    /// Forgets what lies before the window ending at `now`.
    pub fn expire(&mut self, now: i64) {
        let since = now - self.secs;
        while let Some(&(at, key)) = self.order.front() {
            if at >= since {
                break;
            }
            self.order.pop_front();
            self.forget(key);
        }
    }

    /// Whether the counts cover the whole window ending at `now`.
    pub fn complete(&self, now: i64) -> bool {
        self.complete_since <= now - self.secs
    }

    /// Responses counted for `key` (meaningful only while [`Window::complete`]).
    pub fn count(&self, key: u64) -> u32 {
        self.counts.get(&key).copied().unwrap_or(0)
    }

    /// Counts one stored response. A time earlier than the last one recorded is taken as that one, so the
    /// order stays sorted; a response is then kept at most a second or so longer than its window.
    pub fn record(&mut self, at: i64, key: u64) {
        let at = self.order.back().map_or(at, |&(last, _)| at.max(last));
        self.order.push_back((at, key));
        *self.counts.entry(key).or_insert(0) += 1;
        while self.order.len() > self.capacity {
            let Some((oldest, key)) = self.order.pop_front() else { break };
            self.forget(key);
            self.complete_since = self.complete_since.max(oldest + 1);
        }
    }

    fn forget(&mut self, key: u64) {
        if let Entry::Occupied(mut e) = self.counts.entry(key) {
            *e.get_mut() -= 1;
            if *e.get() == 0 {
                e.remove();
            }
        }
    }
}

/// The writer's memory for both rules.
#[derive(Debug)]
pub struct Recent {
    hasher: RandomState,
    /// (device hash, organisation) → responses within the device window.
    pub devices: Window,
    /// (source hash, organisation) → responses within the burst window.
    pub sources: Window,
}

impl Recent {
    /// Empty windows, complete from `complete_since` on.
    pub fn new(device_secs: i64, burst_secs: i64, capacity: usize, complete_since: i64) -> Recent {
        Recent {
            hasher: RandomState::new(),
            devices: Window::new(device_secs, capacity, complete_since),
            sources: Window::new(burst_secs, capacity, complete_since),
        }
    }

    /// The key of a (device or source hash, organisation) pair. Devices and sources live in separate
    /// windows, so they may share keys.
    pub fn key(&self, hash: &str, organization_id: i32) -> u64 {
        self.hasher.hash_one((hash, organization_id))
    }

    /// Forgets what lies before both windows ending at `now`; whether both are then complete.
    pub fn ready(&mut self, now: i64) -> bool {
        self.devices.expire(now);
        self.sources.expire(now);
        self.devices.complete(now) && self.sources.complete(now)
    }

    /// Counts one stored response.
    pub fn record(&mut self, at: i64, device: Option<&str>, source: Option<&str>, organization_id: i32) {
        if let Some(d) = device {
            let key = self.key(d, organization_id);
            self.devices.record(at, key);
        }
        if let Some(s) = source {
            let key = self.key(s, organization_id);
            self.sources.record(at, key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Recent, Window};

    #[test]
    fn counts_expire_with_the_window() {
        let mut w = Window::new(10, 100, 0);
        w.record(100, 1);
        w.record(105, 1);
        w.record(106, 2);
        assert_eq!((w.count(1), w.count(2)), (2, 1));
        w.expire(110);
        assert_eq!(w.count(1), 2, "100 is still within [100, 110]");
        w.expire(111);
        assert_eq!((w.count(1), w.count(2)), (1, 1));
        w.expire(200);
        assert_eq!((w.count(1), w.count(2)), (0, 0));
        assert!(w.counts.is_empty() && w.order.is_empty());
    }

    #[test]
    fn completeness_follows_the_start_and_the_capacity() {
        let mut w = Window::new(10, 2, 50);
        assert!(!w.complete(59), "the window [49, 59] starts before what was loaded");
        assert!(w.complete(60));
        w.record(70, 1);
        w.record(71, 2);
        w.record(72, 3);
        assert_eq!(w.count(1), 0, "the oldest entry is forgotten past the capacity");
        assert!(!w.complete(80), "the window [70, 80] lost the response at 70");
        assert!(w.complete(81));
    }

    #[test]
    fn times_out_of_order_are_kept_sorted() {
        let mut w = Window::new(10, 100, 0);
        w.record(100, 1);
        w.record(99, 2);
        w.expire(110);
        assert_eq!(w.count(2), 1, "recorded as 100, so still within the window");
        w.expire(111);
        assert_eq!(w.count(2), 0);
    }

    #[test]
    fn devices_and_sources_are_counted_apart() {
        let mut r = Recent::new(100, 10, 1000, 0);
        r.record(500, Some("d"), Some("s"), 7);
        r.record(501, Some("d"), None, 8);
        assert_eq!(r.devices.count(r.key("d", 7)), 1);
        assert_eq!(r.devices.count(r.key("d", 8)), 1);
        assert_eq!(r.sources.count(r.key("s", 7)), 1);
        assert_eq!(r.sources.count(r.key("s", 8)), 0);
        assert!(r.ready(505));
        assert!(r.ready(520), "the source window lost its entries, which is fine: it is still complete");
        assert_eq!(r.sources.count(r.key("s", 7)), 0);
        assert_eq!(r.devices.count(r.key("d", 7)), 1);
    }
}
