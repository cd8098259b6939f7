//! The case status catalogue, remembered briefly. Every status filter of a list is checked
//! against it, which cost each page one statement for a table no route writes (it changes by
//! seeding or import only). It is remembered for the caller's time to live
//! (`auth.identity_cache_ms`, at most 1 s), so a change reaches every replica within a second.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use surgicase_ports::records::StatusRecord;
use surgicase_ports::{Conn, StoreError};

/// The catalogue and when it was loaded.
#[derive(Debug, Default)]
pub struct CatalogueCache {
    ttl: Duration,
    loaded: Mutex<Option<(Arc<Vec<StatusRecord>>, Instant)>>,
}

impl CatalogueCache {
    /// Remembers the catalogue for `ttl` (zero: never).
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, loaded: Mutex::default() }
    }

    /// The catalogue, read through `conn` unless it was loaded less than the time to live ago.
    pub async fn get(&self, conn: &mut dyn Conn) -> Result<Arc<Vec<StatusRecord>>, StoreError> {
        if let Some(remembered) = self.remembered(Instant::now()) {
            return Ok(remembered);
        }
        let at = Instant::now();
        let catalogue = Arc::new(conn.case_statuses().await?);
        if !self.ttl.is_zero() {
            *self.loaded.lock().unwrap_or_else(PoisonError::into_inner) = Some((catalogue.clone(), at));
        }
        Ok(catalogue)
    }

    fn remembered(&self, now: Instant) -> Option<Arc<Vec<StatusRecord>>> {
        let loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        let (catalogue, at) = loaded.as_ref()?;
        (now.saturating_duration_since(*at) < self.ttl).then(|| catalogue.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache_loaded_at(ttl_ms: u64, at: Instant) -> CatalogueCache {
        let cache = CatalogueCache::new(Duration::from_millis(ttl_ms));
        *cache.loaded.lock().unwrap() = Some((Arc::new(Vec::new()), at));
        cache
    }

    #[test]
    fn the_catalogue_is_remembered_for_the_time_to_live_only() {
        let t0 = Instant::now();
        let table: &[(u64, u64, bool)] =
            &[(900, 0, true), (900, 899, true), (900, 900, false), (0, 0, false)];
        for &(ttl, after, remembered) in table {
            let cache = cache_loaded_at(ttl, t0);
            let now = t0 + Duration::from_millis(after);
            assert_eq!(cache.remembered(now).is_some(), remembered, "ttl {ttl} ms, {after} ms later");
        }
    }
}
