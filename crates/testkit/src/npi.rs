//! [`StaticNpiRegistry`]: the NPI registry port as a fixed map.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use surgicase_kernel::Npi;
use surgicase_ports::{NpiKind, NpiRegistry, RegistryEntry, RegistryError};

/// A registry that knows the entries it was given. Cheap to clone: clones share the entries.
#[derive(Debug, Clone, Default)]
pub struct StaticNpiRegistry {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    entries: Mutex<BTreeMap<Npi, RegistryEntry>>,
    unavailable: AtomicBool,
    lookups: AtomicUsize,
}

impl StaticNpiRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// The registry with `entry` added (builder style).
    pub fn with(self, entry: RegistryEntry) -> Self {
        self.insert(entry);
        self
    }

    /// Adds or replaces an entry.
    pub fn insert(&self, entry: RegistryEntry) {
        let mut entries = self.inner.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.insert(entry.npi, entry);
    }

    /// While `true`, `lookup` and `ping` fail with `RegistryError::Unavailable` (the 502 paths).
    pub fn set_unavailable(&self, unavailable: bool) {
        self.inner.unavailable.store(unavailable, Ordering::SeqCst);
    }

    /// How many lookups were made (including failed ones).
    pub fn lookups(&self) -> usize {
        self.inner.lookups.load(Ordering::SeqCst)
    }

    fn check_available(&self) -> Result<(), RegistryError> {
        if self.inner.unavailable.load(Ordering::SeqCst) {
            return Err(RegistryError::Unavailable("static registry switched off".into()));
        }
        Ok(())
    }
}

/// An individual provider's entry (names as the registry publishes them: upper case).
pub fn individual(npi: Npi, first: &str, last: &str) -> RegistryEntry {
    RegistryEntry {
        npi,
        kind: NpiKind::Individual,
        first_name: Some(first.to_owned()),
        last_name: Some(last.to_owned()),
        organization_name: None,
        address: Some("100 MAIN ST".to_owned()),
        city: Some("AUSTIN".to_owned()),
        state: Some("TX".to_owned()),
        zip: Some("78701".to_owned()),
    }
}

/// An organisation's entry.
pub fn organization(npi: Npi, name: &str) -> RegistryEntry {
    RegistryEntry {
        npi,
        kind: NpiKind::Organization,
        first_name: None,
        last_name: None,
        organization_name: Some(name.to_owned()),
        address: Some("1 HOSPITAL DR".to_owned()),
        city: Some("AUSTIN".to_owned()),
        state: Some("TX".to_owned()),
        zip: Some("78701".to_owned()),
    }
}

#[async_trait]
impl NpiRegistry for StaticNpiRegistry {
    async fn lookup(&self, npi: Npi) -> Result<Option<RegistryEntry>, RegistryError> {
        self.inner.lookups.fetch_add(1, Ordering::SeqCst);
        self.check_available()?;
        let entries = self.inner.entries.lock().unwrap_or_else(|p| p.into_inner());
        Ok(entries.get(&npi).cloned())
    }

    async fn ping(&self) -> Result<(), RegistryError> {
        self.check_available()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npi(raw: &str) -> Npi {
        Npi::parse(raw).expect("valid npi")
    }

    #[tokio::test]
    async fn knows_its_entries_and_can_be_switched_off() {
        let registry = StaticNpiRegistry::new().with(individual(npi("1234567893"), "JANE", "DOE"));
        let found = registry.lookup(npi("1234567893")).await.expect("available");
        assert_eq!(found.and_then(|e| e.last_name).as_deref(), Some("DOE"));
        assert_eq!(registry.lookup(npi("1000000004")).await.expect("available"), None);
        assert!(registry.ping().await.is_ok());

        registry.insert(organization(npi("1000000004"), "ST MARY HOSPITAL"));
        let org = registry.lookup(npi("1000000004")).await.expect("available");
        assert_eq!(org.map(|e| e.kind), Some(NpiKind::Organization));

        registry.set_unavailable(true);
        assert!(matches!(registry.lookup(npi("1234567893")).await, Err(RegistryError::Unavailable(_))));
        assert!(registry.ping().await.is_err());
        assert_eq!(registry.lookups(), 4);
    }
}
