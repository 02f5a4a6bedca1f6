//! The one type for state a request leaves for a later request of the same
//! flow, kept in this process's memory: BankID logins in progress, OIDC
//! states and login tickets, and signatures in progress. An entry expires a
//! fixed time after it began. This state lives in one process: a second
//! instance does not see it, so a flow must reach the instance it began on
//! (ARCHITECTURE.md, "State in memory"); a later issue moves it to the
//! database.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Values by opaque key, each forgotten `ttl` after the instant `began` reads from it.
pub struct Expiring<V> {
    ttl: Duration,
    began: fn(&V) -> Instant,
    entries: Mutex<HashMap<String, V>>,
}

impl<V> std::fmt::Debug for Expiring<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Expiring").field("ttl", &self.ttl).finish_non_exhaustive()
    }
}

impl<V> Expiring<V> {
    /// An empty map whose entries live `ttl` after `began` of each.
    pub fn new(ttl: Duration, began: fn(&V) -> Instant) -> Self {
        Self { ttl, began, entries: Mutex::new(HashMap::new()) }
    }

    /// The live entries, under the lock; what expired is dropped first. Each
    /// change made under the lock is one insert, remove or assignment, so the
    /// map is whole even after a panic while it was held, and a poisoned lock
    /// is taken over rather than failing every later request.
    pub fn live(&self) -> MutexGuard<'_, HashMap<String, V>> {
        let mut entries = self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (ttl, began) = (self.ttl, self.began);
        entries.retain(|_, v| began(v).elapsed() < ttl);
        entries
    }

    /// Removes and returns the live entry under `key`, once.
    pub fn take(&self, key: &str) -> Option<V> {
        self.live().remove(key)
    }

    /// The number of live entries.
    pub fn len(&self) -> usize {
        self.live().len()
    }

    /// True when no entry is live.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::Expiring;

    #[test]
    fn an_entry_is_there_until_its_time_is_up_and_is_taken_once() {
        let map: Expiring<(Instant, u32)> = Expiring::new(Duration::from_secs(60), |(at, _)| *at);
        let now = Instant::now();
        map.live().insert("fresh".into(), (now, 1));
        map.live().insert("old".into(), (now - Duration::from_secs(61), 2));
        assert_eq!(map.len(), 1, "the expired entry is gone");
        assert_eq!(map.take("fresh"), Some((now, 1)));
        assert_eq!(map.take("fresh"), None, "taken once");
        assert!(map.is_empty());
    }

    #[test]
    fn a_panic_while_the_lock_is_held_does_not_stop_the_map() {
        let map: std::sync::Arc<Expiring<(Instant, u32)>> =
            std::sync::Arc::new(Expiring::new(Duration::from_secs(60), |(at, _)| *at));
        map.live().insert("a".into(), (Instant::now(), 1));
        let m = map.clone();
        let _ = std::thread::spawn(move || {
            let _guard = m.live();
            panic!("while holding the lock");
        })
        .join();
        assert_eq!(map.len(), 1);
    }
}
