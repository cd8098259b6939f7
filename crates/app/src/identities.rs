//! Callers remembered briefly. Every request names its caller, and loading them is one of the
//! two statements a simple read costs. An active caller is remembered for at most the
//! configured time (`auth.identity_cache_ms`, at most 1 s), so a deactivation or a change of
//! role made through any replica takes effect on every replica within a second; the process
//! that makes such a change forgets the user at once. Unknown and inactive callers are never
//! remembered: a user created a moment ago through another replica can act at once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use surgicase_kernel::UserId;
use surgicase_permissions::Actor;

/// Callers remembered at most; when full, the expired ones go, and if none had expired, all.
const CAPACITY: usize = 50_000;

/// Active callers, each with when it was loaded.
#[derive(Debug, Default)]
pub struct IdentityCache {
    ttl: Duration,
    entries: Mutex<HashMap<UserId, (Actor, Instant)>>,
}

impl IdentityCache {
    /// Remembers each caller for `ttl` (zero: never).
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, entries: Mutex::default() }
    }

    /// The caller, if loaded less than the time to live before `now`.
    pub fn get(&self, id: &UserId, now: Instant) -> Option<Actor> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (actor, at) = entries.get(id)?;
        (now.saturating_duration_since(*at) < self.ttl).then(|| actor.clone())
    }

    /// Remembers an active caller loaded at `at`.
    pub fn put(&self, actor: &Actor, at: Instant) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= CAPACITY && !entries.contains_key(&actor.user_id) {
            let ttl = self.ttl;
            entries.retain(|_, (_, loaded)| at.saturating_duration_since(*loaded) < ttl);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(actor.user_id.clone(), (actor.clone(), at));
    }

    /// Forgets one user (this process changed them).
    pub fn forget(&self, id: &UserId) {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(id);
    }

    /// Forgets everyone (this process changed what every caller's rights derive from).
    pub fn forget_all(&self) {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::{CaseStatus, UserType};

    use super::*;

    fn actor(id: &str) -> Actor {
        Actor::new(UserId::parse(id).unwrap(), UserType::PROVIDER, CaseStatus::DRAFT)
    }

    #[test]
    fn a_caller_is_remembered_for_the_time_to_live_only() {
        let cache = IdentityCache::new(Duration::from_millis(900));
        let t0 = Instant::now();
        let jane = actor("u-jane");
        assert_eq!(cache.get(&jane.user_id, t0), None);
        cache.put(&jane, t0);
        // (ms after loading, remembered)
        for (ms, remembered) in [(0, true), (899, true), (900, false), (5_000, false)] {
            let got = cache.get(&jane.user_id, t0 + Duration::from_millis(ms));
            assert_eq!(got.is_some(), remembered, "{ms} ms");
        }
        assert_eq!(cache.get(&UserId::parse("u-other").unwrap(), t0), None, "another user");
    }

    #[test]
    fn forgetting_takes_effect_at_once_and_zero_remembers_nothing() {
        let cache = IdentityCache::new(Duration::from_secs(1));
        let t0 = Instant::now();
        let (jane, bob) = (actor("u-jane"), actor("u-bob"));
        cache.put(&jane, t0);
        cache.put(&bob, t0);
        cache.forget(&jane.user_id);
        assert_eq!(cache.get(&jane.user_id, t0), None);
        assert_eq!(cache.get(&bob.user_id, t0), Some(bob.clone()));
        cache.forget_all();
        assert_eq!(cache.get(&bob.user_id, t0), None);
        let off = IdentityCache::new(Duration::ZERO);
        off.put(&jane, t0);
        assert_eq!(off.get(&jane.user_id, t0), None);
    }

    #[test]
    fn a_full_cache_drops_the_expired_entries_first() {
        let cache = IdentityCache::new(Duration::from_millis(100));
        let t0 = Instant::now();
        for i in 0..CAPACITY {
            cache.put(&actor(&format!("u-{i}")), t0);
        }
        let later = t0 + Duration::from_millis(200);
        let fresh = actor("u-fresh");
        cache.put(&fresh, later);
        assert_eq!(cache.get(&fresh.user_id, later), Some(fresh));
        assert_eq!(cache.entries.lock().unwrap().len(), 1, "the expired entries went");
    }
}
