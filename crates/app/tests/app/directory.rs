//! Surgeons, facilities, searches and the registry check.

use surgicase_directory::SurgeonInput;
use surgicase_kernel::Npi;
use surgicase_ports::Store;
use surgicase_ports::records::{NpiOrganizationRecord, NpiPersonRecord};
use surgicase_testkit::npi::{individual, organization};

use crate::world::{World, code, raw};

#[tokio::test]
async fn surgeons_are_per_owner_and_protected_while_used() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 1).await;
    let bob = w.provider("u-bob", 1).await;
    let again = SurgeonInput {
        first_name: raw("Greg"),
        last_name: raw("House"),
        surgeon_npi: raw("1234567893"),
        ..SurgeonInput::default()
    };
    assert_eq!(code(w.app.create_surgeon(&jane.ctx, &again).await), "surgeon_exists");
    let mut other = again.clone();
    other.user_id = raw("u-bob");
    assert_eq!(code(w.app.create_surgeon(&jane.ctx, &other).await), "user_not_found");
    let mut bad = again.clone();
    bad.surgeon_npi = raw("1234567890");
    assert_eq!(
        code(w.app.create_surgeon(&jane.ctx, &bad).await),
        "validation_failed [surgeon_npi:invalid_npi]"
    );

    w.app.create_case(&jane.ctx, jane.case("c-1", &[])).await.unwrap();
    assert_eq!(code(w.app.delete_surgeon(&bob.ctx, jane.surgeon).await), "surgeon_not_found");
    assert_eq!(code(w.app.delete_surgeon(&jane.ctx, jane.surgeon).await), "surgeon_in_use");
    assert_eq!(code(w.app.delete_facility(&jane.ctx, jane.facility).await), "facility_in_use");
    assert!(w.app.delete_surgeon(&bob.ctx, bob.surgeon).await.is_ok());
    assert_eq!(code(w.app.delete_surgeon(&bob.ctx, bob.surgeon).await), "surgeon_not_found");
}

#[tokio::test]
async fn searches_are_display_normalised_and_capped() {
    let w = World::new().await;
    let mut tx = w.store.begin().await.unwrap();
    let people: Vec<NpiPersonRecord> = (0..3)
        .map(|i| NpiPersonRecord {
            npi: 1_234_567_893 + i,
            first_name: Some("MARY".to_owned()),
            last_name: Some("O'NEIL".to_owned()),
            address: Some("12 N MAIN ST".to_owned()),
            city: Some("NEW YORK".to_owned()),
            state: Some("NY".to_owned()),
            zip: Some("10001".to_owned()),
        })
        .collect();
    tx.upsert_npi_people(&people).await.unwrap();
    tx.upsert_npi_organizations(&[NpiOrganizationRecord {
        npi: 1_972_672_137,
        facility_name: Some("HOSPITAL FOR SPECIAL SURGERY LLC".to_owned()),
        address: None,
        city: Some("NEW YORK".to_owned()),
        state: Some("NY".to_owned()),
        zip: None,
    }])
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let hits = w.app.search_surgeons(Some("mar"), Some("o'n"), Some("2")).await.unwrap();
    assert_eq!(hits.hits.len(), 2);
    assert!(hits.truncated);
    assert_eq!(hits.hits[0].first_name.as_deref(), Some("Mary"));
    assert_eq!(hits.hits[0].last_name.as_deref(), Some("O'Neil"));
    assert_eq!(hits.hits[0].city.as_deref(), Some("New York"));
    let found = w.app.search_facilities(Some("special"), None).await.unwrap();
    assert_eq!(found.hits[0].facility_name.as_deref(), Some("Hospital for Special Surgery LLC"));
    assert!(!found.truncated);
}

#[tokio::test]
async fn check_npi_asks_the_registry_after_the_check_digit() {
    let w = World::new().await;
    let person = Npi::parse("1234567893").unwrap();
    let org = Npi::parse("1972672137").unwrap();
    w.npi.insert(individual(person, "MARY", "O'NEIL"));
    w.npi.insert(organization(org, "HOSPITAL FOR SPECIAL SURGERY"));
    let found = w.app.check_npi("1234567893", false).await.unwrap();
    assert_eq!((found.first_name.as_str(), found.last_name.as_str()), ("Mary", "O'Neil"));
    let facility = w.app.check_npi("1972672137", true).await.unwrap();
    assert_eq!(
        (facility.first_name.as_str(), facility.last_name.as_str()),
        ("Hospital for Special Surgery", "")
    );
    let lookups = w.npi.lookups();
    assert_eq!(code(w.app.check_npi("1234567890", false).await), "validation_failed [npi:invalid_npi]");
    assert_eq!(w.npi.lookups(), lookups, "no registry call for a bad check digit");
    assert_eq!(code(w.app.check_npi("1972672137", false).await), "npi_wrong_entity_type");
    assert_eq!(code(w.app.check_npi("1588667638", false).await), "npi_not_found");
    w.npi.set_unavailable(true);
    assert_eq!(code(w.app.check_npi("1234567893", false).await), "npi_registry_unavailable");
}
