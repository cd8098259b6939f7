//! The local registry on the in-memory store.
// Test helpers outside `#[test]` functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use surgicase_kernel::Npi;
use surgicase_npi::LocalRegistry;
use surgicase_ports::records::{NpiOrganizationRecord, NpiPersonRecord};
use surgicase_ports::{NpiKind, NpiRegistry, RegistryEntry, Store};
use surgicase_testkit::MemoryStore;

const PERSON: u64 = 1234567893;
const ORGANISATION: u64 = 1245319599;
const UNKNOWN: u64 = 1003000126;

async fn seeded() -> MemoryStore {
    let store = MemoryStore::new();
    let mut conn = store.conn().await.unwrap();
    conn.upsert_npi_people(&[NpiPersonRecord {
        npi: PERSON as i64,
        first_name: Some("JANE".into()),
        last_name: Some("DOE".into()),
        address: Some("1 MAIN ST".into()),
        city: Some("AUSTIN".into()),
        state: Some("TX".into()),
        zip: Some("78701".into()),
    }])
    .await
    .unwrap();
    conn.upsert_npi_organizations(&[NpiOrganizationRecord {
        npi: ORGANISATION as i64,
        facility_name: Some("NORTH TEXAS ASC LLC".into()),
        address: None,
        city: Some("DALLAS".into()),
        state: Some("TX".into()),
        zip: None,
    }])
    .await
    .unwrap();
    store
}

fn npi(n: u64) -> Npi {
    Npi::from_u64(n).unwrap()
}

#[tokio::test]
async fn people_are_individuals_and_organisations_organisations() {
    let registry = LocalRegistry::new(Arc::new(seeded().await));
    let person = registry.lookup(npi(PERSON)).await.unwrap();
    assert_eq!(
        person,
        Some(RegistryEntry {
            npi: npi(PERSON),
            kind: NpiKind::Individual,
            first_name: Some("JANE".into()),
            last_name: Some("DOE".into()),
            organization_name: None,
            address: Some("1 MAIN ST".into()),
            city: Some("AUSTIN".into()),
            state: Some("TX".into()),
            zip: Some("78701".into()),
        })
    );
    let organisation = registry.lookup(npi(ORGANISATION)).await.unwrap().unwrap();
    assert_eq!(organisation.kind, NpiKind::Organization);
    assert_eq!(organisation.organization_name.as_deref(), Some("NORTH TEXAS ASC LLC"));
    assert_eq!((organisation.first_name, organisation.last_name), (None, None));
    assert_eq!(registry.lookup(npi(UNKNOWN)).await.unwrap(), None);
    assert!(registry.ping().await.is_ok());
}

#[tokio::test]
async fn a_store_outage_is_unavailable() {
    let store = seeded().await;
    let registry = LocalRegistry::new(Arc::new(store.clone()));
    store.set_unavailable(true);
    assert!(registry.lookup(npi(PERSON)).await.is_err());
    assert!(registry.ping().await.is_err());
}
