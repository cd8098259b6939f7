//! The positive cache of the CMS client: found entries only, for a short TTL.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use surgicase_ports::RegistryEntry;

/// At most this many numbers are remembered; a full cache drops expired entries, then all.
const MAX_ENTRIES: usize = 10_000;

pub(crate) struct EntryCache {
    ttl: Duration,
    entries: Mutex<HashMap<u64, (Instant, RegistryEntry)>>,
}

impl EntryCache {
    pub(crate) fn new(ttl: Duration) -> Self {
        Self { ttl, entries: Mutex::new(HashMap::new()) }
    }

    pub(crate) fn get(&self, npi: u64, now: Instant) -> Option<RegistryEntry> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        match entries.get(&npi) {
            Some((at, entry)) if now.saturating_duration_since(*at) < self.ttl => Some(entry.clone()),
            _ => None,
        }
    }

    pub(crate) fn put(&self, npi: u64, entry: RegistryEntry, now: Instant) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| now.saturating_duration_since(*at) < ttl);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(npi, (now, entry));
    }
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::Npi;
    use surgicase_ports::NpiKind;

    use super::*;

    fn entry(npi: u64) -> RegistryEntry {
        RegistryEntry {
            npi: Npi::from_u64(npi).unwrap(),
            kind: NpiKind::Individual,
            first_name: Some("JANE".into()),
            last_name: None,
            organization_name: None,
            address: None,
            city: None,
            state: None,
            zip: None,
        }
    }

    #[test]
    fn entries_expire_after_the_ttl() {
        let cache = EntryCache::new(Duration::from_secs(60));
        let t0 = Instant::now();
        cache.put(1234567893, entry(1234567893), t0);
        let table = [(0, true), (59, true), (60, false), (600, false)];
        for (after, hit) in table {
            let got = cache.get(1234567893, t0 + Duration::from_secs(after));
            assert_eq!(got.is_some(), hit, "after {after}s");
        }
        assert!(cache.get(1245319599, t0).is_none());
    }

    #[test]
    fn a_zero_ttl_caches_nothing() {
        let cache = EntryCache::new(Duration::ZERO);
        let t0 = Instant::now();
        cache.put(1234567893, entry(1234567893), t0);
        assert!(cache.get(1234567893, t0).is_none());
    }
}
