//! `DirectoryRepo`: `surgeon_list`, `facility_list` and the NPI search tables.
//!
//! Assumed where the trait is silent: when an owner has several surgeons (facilities) with one
//! NPI, `find_*_by_npi` may return any of them (not tested); deleting a surgeon or facility a
//! case references is `Reference` (the foreign key of `cases`) and deletes nothing; NPI search
//! ties beyond the documented keys are not tested.

use surgicase_kernel::{FacilityId, SurgeonId};
use surgicase_ports::Store;
use surgicase_ports::records::*;

use super::{assert_reference, conn, owners, seeded};
use crate::fixtures::*;

/// Surgeons: ids from 100000, every column round-trips (values and NULLs), `get_surgeon` of an
/// unknown id is `None`, an unknown owner is `Reference`.
pub async fn surgeon_round_trip_and_ids(store: &dyn Store) {
    let mut c = seeded(store).await;
    let jane = user("u-jane");
    c.insert_user(&jane).await.unwrap();
    let full = NewSurgeonRecord {
        name: PersonName { first_name: "José".into(), last_name: "Nuñez-García".into() },
        npi: Some(NPIS[5]),
        address: PostalAddress {
            addr: Some("1 Calle Ñandú".into()),
            city: Some("San José".into()),
            state: Some("CA".into()),
            zip: Some("95112-1234".into()),
        },
        created_ts: ts("2025-03-03T10:15:00.000001Z"),
        ..surgeon(&jane.user_id)
    };
    let minimal = NewSurgeonRecord { npi: None, address: PostalAddress::default(), ..surgeon(&jane.user_id) };
    let first = c.surgeons().insert(&full).await.unwrap();
    let second = c.surgeons().insert(&minimal).await.unwrap();
    // Spelled out field by field, not through NewBookEntry::stored: the check is independent.
    let expect = |id: SurgeonId, n: &NewSurgeonRecord| SurgeonRecord {
        id,
        user_id: n.user_id.clone(),
        name: n.name.clone(),
        npi: n.npi,
        address: n.address.clone(),
        created_ts: n.created_ts,
    };
    assert_eq!(first, expect(surgeon_id(100_000), &full));
    assert_eq!(second, expect(surgeon_id(100_001), &minimal));
    assert_eq!(c.surgeons().get(surgeon_id(100_000)).await.unwrap(), Some(first));
    assert_eq!(c.surgeons().get(surgeon_id(100_001)).await.unwrap(), Some(second));
    assert_eq!(c.surgeons().get(surgeon_id(99_999)).await.unwrap(), None);

    assert_reference(c.surgeons().insert(&surgeon(&user_id("u-ghost"))).await);
    assert_eq!(c.surgeons().list(&user_id("u-ghost")).await.unwrap(), vec![]);
}

/// Facilities: ids from 1000000, every column round-trips, unknown id `None`, unknown owner
/// `Reference`.
pub async fn facility_round_trip_and_ids(store: &dyn Store) {
    let mut c = seeded(store).await;
    let jane = user("u-jane");
    c.insert_user(&jane).await.unwrap();
    let full = NewFacilityRecord {
        name: "Hôpital Saint-Luc (Pavillon Nord)".into(),
        npi: Some(NPIS[6]),
        address: PostalAddress {
            addr: Some("1058 Rue Saint-Denis".into()),
            city: Some("Montréal".into()),
            state: Some("NY".into()),
            zip: Some("10001".into()),
        },
        created_ts: ts("2025-03-03T10:15:00.999999Z"),
        ..facility(&jane.user_id)
    };
    let minimal =
        NewFacilityRecord { npi: None, address: PostalAddress::default(), ..facility(&jane.user_id) };
    let first = c.facilities().insert(&full).await.unwrap();
    let second = c.facilities().insert(&minimal).await.unwrap();
    let expect = |id: FacilityId, n: &NewFacilityRecord| FacilityRecord {
        id,
        user_id: n.user_id.clone(),
        name: n.name.clone(),
        npi: n.npi,
        address: n.address.clone(),
        created_ts: n.created_ts,
    };
    assert_eq!(first, expect(facility_id(1_000_000), &full));
    assert_eq!(second, expect(facility_id(1_000_001), &minimal));
    assert_eq!(c.facilities().get(facility_id(1_000_000)).await.unwrap(), Some(first));
    assert_eq!(c.facilities().get(facility_id(1_000_001)).await.unwrap(), Some(second));
    assert_eq!(c.facilities().get(facility_id(999_999)).await.unwrap(), None);

    assert_reference(c.facilities().insert(&facility(&user_id("u-ghost"))).await);
    assert_eq!(c.facilities().list(&user_id("u-ghost")).await.unwrap(), vec![]);
}

/// `list_surgeons` / `list_facilities`: only the owner's, by last name, first name, id /
/// by name, id.
pub async fn lists_ordered_per_owner(store: &dyn Store) {
    let mut c = seeded(store).await;
    let (jane, bob) = (user_id("u-jane"), user_id("u-bob"));
    c.insert_user(&user("u-jane")).await.unwrap();
    c.insert_user(&user("u-bob")).await.unwrap();
    let named = |owner, first: &str, last: &str| NewSurgeonRecord {
        name: PersonName { first_name: first.into(), last_name: last.into() },
        ..surgeon(owner)
    };
    let mut ids = Vec::new();
    for (owner, first, last) in [
        (&jane, "Amy", "Zed"),
        (&jane, "Bob", "Adams"),
        (&jane, "Amy", "Adams"),
        (&jane, "Amy", "Adams"),
        (&bob, "Aaron", "Aaron"),
    ] {
        ids.push(c.surgeons().insert(&named(owner, first, last)).await.unwrap().id);
    }
    let listed: Vec<SurgeonId> = c.surgeons().list(&jane).await.unwrap().iter().map(|s| s.id).collect();
    assert_eq!(listed, [ids[2], ids[3], ids[1], ids[0]]);
    let listed: Vec<SurgeonId> = c.surgeons().list(&bob).await.unwrap().iter().map(|s| s.id).collect();
    assert_eq!(listed, [ids[4]]);

    let named = |owner, name: &str| NewFacilityRecord { name: name.into(), ..facility(owner) };
    let mut ids = Vec::new();
    for (owner, name) in [
        (&jane, "Zeta Surgical Center"),
        (&jane, "Alpha Hospital"),
        (&jane, "Mercy Medical"),
        (&jane, "Alpha Hospital"),
        (&bob, "Aardvark Clinic"),
    ] {
        ids.push(c.facilities().insert(&named(owner, name)).await.unwrap().id);
    }
    let listed: Vec<FacilityId> = c.facilities().list(&jane).await.unwrap().iter().map(|f| f.id).collect();
    assert_eq!(listed, [ids[1], ids[3], ids[2], ids[0]]);
    let listed: Vec<FacilityId> = c.facilities().list(&bob).await.unwrap().iter().map(|f| f.id).collect();
    assert_eq!(listed, [ids[4]]);
}

/// `find_surgeon_by_npi` / `find_facility_by_npi` look only in the owner's address book.
pub async fn find_by_npi_per_owner(store: &dyn Store) {
    let mut c = seeded(store).await;
    let (jane, bob) = (user_id("u-jane"), user_id("u-bob"));
    c.insert_user(&user("u-jane")).await.unwrap();
    c.insert_user(&user("u-bob")).await.unwrap();
    let with_npi = |owner, npi| NewSurgeonRecord { npi, ..surgeon(owner) };
    let jane_s = c.surgeons().insert(&with_npi(&jane, Some(NPIS[0]))).await.unwrap();
    let jane_s2 = c.surgeons().insert(&with_npi(&jane, Some(NPIS[2]))).await.unwrap();
    c.surgeons().insert(&with_npi(&jane, None)).await.unwrap();
    let bob_s = c.surgeons().insert(&with_npi(&bob, Some(NPIS[0]))).await.unwrap();

    assert_eq!(c.surgeons().find_by_npi(&jane, NPIS[0]).await.unwrap(), Some(jane_s));
    assert_eq!(c.surgeons().find_by_npi(&jane, NPIS[2]).await.unwrap(), Some(jane_s2));
    assert_eq!(c.surgeons().find_by_npi(&bob, NPIS[0]).await.unwrap(), Some(bob_s));
    assert_eq!(c.surgeons().find_by_npi(&bob, NPIS[2]).await.unwrap(), None);
    assert_eq!(c.surgeons().find_by_npi(&user_id("u-ghost"), NPIS[0]).await.unwrap(), None);

    let with_npi = |owner, npi| NewFacilityRecord { npi, ..facility(owner) };
    let jane_f = c.facilities().insert(&with_npi(&jane, Some(NPIS[1]))).await.unwrap();
    c.facilities().insert(&with_npi(&jane, None)).await.unwrap();
    let bob_f = c.facilities().insert(&with_npi(&bob, Some(NPIS[1]))).await.unwrap();
    assert_eq!(c.facilities().find_by_npi(&jane, NPIS[1]).await.unwrap(), Some(jane_f));
    assert_eq!(c.facilities().find_by_npi(&bob, NPIS[1]).await.unwrap(), Some(bob_f));
    assert_eq!(c.facilities().find_by_npi(&jane, NPIS[3]).await.unwrap(), None);
}

/// Case counts include deleted cases; a referenced surgeon or facility cannot be deleted
/// (`Reference`, row kept); an unreferenced one is deleted once (`true`, then `false`).
pub async fn delete_and_case_counts(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut c = conn(store).await;
    let used_s = jane.surgeon_id();
    let used_f = jane.facility_id();
    let deleted_only_s = c.surgeons().insert(&surgeon(jane.id())).await.unwrap().id;
    let deleted_only_f = c.facilities().insert(&facility(jane.id())).await.unwrap().id;
    let free_s = c.surgeons().insert(&surgeon(jane.id())).await.unwrap().id;
    let free_f = c.facilities().insert(&facility(jane.id())).await.unwrap().id;

    c.insert_case(&jane.case_row("c-1")).await.unwrap();
    c.insert_case(&surgicase_ports::records::CaseRow { active: false, ..jane.case_row("c-2") })
        .await
        .unwrap();
    let gone = CaseRow {
        active: false,
        surgeon_id: Some(deleted_only_s),
        facility_id: Some(deleted_only_f),
        ..jane.case_row("c-3")
    };
    c.insert_case(&gone).await.unwrap();

    assert_eq!(c.surgeons().count_cases_with(used_s).await.unwrap(), 2);
    assert_eq!(c.surgeons().count_cases_with(deleted_only_s).await.unwrap(), 1);
    assert_eq!(c.surgeons().count_cases_with(free_s).await.unwrap(), 0);
    assert_eq!(c.facilities().count_cases_with(used_f).await.unwrap(), 2);
    assert_eq!(c.facilities().count_cases_with(deleted_only_f).await.unwrap(), 1);
    assert_eq!(c.facilities().count_cases_with(free_f).await.unwrap(), 0);

    assert_reference(c.surgeons().delete(deleted_only_s).await);
    assert_reference(c.facilities().delete(used_f).await);
    assert!(c.surgeons().get(deleted_only_s).await.unwrap().is_some());
    assert!(c.facilities().get(used_f).await.unwrap().is_some());

    assert!(c.surgeons().delete(free_s).await.unwrap());
    assert!(c.facilities().delete(free_f).await.unwrap());
    assert_eq!(c.surgeons().get(free_s).await.unwrap(), None);
    assert_eq!(c.facilities().get(free_f).await.unwrap(), None);
    assert!(!c.surgeons().delete(free_s).await.unwrap());
    assert!(!c.facilities().delete(free_f).await.unwrap());
    assert_eq!(c.surgeons().list(jane.id()).await.unwrap().len(), 2);
}

fn people_npis(rows: &[NpiPersonRecord]) -> Vec<i64> {
    rows.iter().map(|r| r.npi).collect()
}

/// `search_people`: by NPI exactly; by case-insensitive first and last name prefixes, ordered
/// by state, city, last name, first name (JOHN SMITH before JOE SMITHSON); at most `limit` rows; upserts replace by NPI.
pub async fn search_people_by_npi_and_name(store: &dyn Store) {
    let mut c = conn(store).await;
    let rows = [
        npi_person(NPIS[0], "JOHN", "SMITH", "AUSTIN", "TX"),
        npi_person(NPIS[1], "JOHNNY", "SMITHERS", "DALLAS", "TX"),
        npi_person(NPIS[2], "JOHN", "SMITH", "BOSTON", "MA"),
        npi_person(NPIS[3], "JANE", "SMITH", "AUSTIN", "TX"),
        npi_person(NPIS[4], "JOHN", "SMYTHE", "AUSTIN", "TX"),
        npi_person(NPIS[5], "JOHN", "ADAMS", "AUSTIN", "TX"),
        npi_person(NPIS[6], "JOANNA", "SMITH", "AUSTIN", "TX"),
        npi_person(NPIS[8], "JOE", "SMITHSON", "AUSTIN", "TX"),
    ];
    c.upsert_npi_people(&rows).await.unwrap();

    let by_name = |first: &str, last: &str| PersonSearch::ByName {
        first_prefix: first.into(),
        last_prefix: last.into(),
    };
    let found = c.search_people(&by_name("JO", "SMI"), 50).await.unwrap();
    assert_eq!(people_npis(&found), [NPIS[2], NPIS[6], NPIS[0], NPIS[8], NPIS[1]]);
    assert_eq!(found[0], rows[2]);
    let found = c.search_people(&by_name("jO", "Smi"), 50).await.unwrap();
    assert_eq!(people_npis(&found), [NPIS[2], NPIS[6], NPIS[0], NPIS[8], NPIS[1]]);
    let found = c.search_people(&by_name("jo", "smi"), 2).await.unwrap();
    assert_eq!(people_npis(&found), [NPIS[2], NPIS[6]]);
    let found = c.search_people(&by_name("john", "smithers"), 50).await.unwrap();
    assert_eq!(people_npis(&found), [NPIS[1]]);
    assert!(c.search_people(&by_name("oh", "mit"), 50).await.unwrap().is_empty(), "prefixes, not substrings");

    assert_eq!(c.search_people(&PersonSearch::ByNpi(NPIS[3]), 50).await.unwrap(), vec![rows[3].clone()]);
    assert!(c.search_people(&PersonSearch::ByNpi(NPIS[7]), 50).await.unwrap().is_empty());

    let moved = NpiPersonRecord {
        address: None,
        zip: None,
        ..npi_person(NPIS[3], "JANE", "SMITH-JONES", "HOUSTON", "TX")
    };
    c.upsert_npi_people(std::slice::from_ref(&moved)).await.unwrap();
    assert_eq!(c.search_people(&PersonSearch::ByNpi(NPIS[3]), 50).await.unwrap(), vec![moved]);
    assert_eq!(c.search_people(&by_name("", "SMITH-J"), 50).await.unwrap().len(), 1);
}

/// `search_organizations`: by NPI exactly; by case-insensitive name substring, ordered by
/// state, city, name; at most `limit` rows; upserts replace by NPI.
pub async fn search_organizations_by_npi_and_name(store: &dyn Store) {
    let mut c = conn(store).await;
    let rows = [
        npi_organization(NPIS[0], "ST MARY HOSPITAL", "AUSTIN", "TX"),
        npi_organization(NPIS[1], "MARYVILLE SURGERY CENTER", "DALLAS", "TX"),
        npi_organization(NPIS[2], "BOSTON GENERAL", "BOSTON", "MA"),
        npi_organization(NPIS[3], "ROSEMARY CLINIC", "AUSTIN", "TX"),
        npi_organization(NPIS[4], "MERCY HOSPITAL", "BOSTON", "MA"),
    ];
    c.upsert_npi_organizations(&rows).await.unwrap();
    let npis = |found: Vec<NpiOrganizationRecord>| found.iter().map(|r| r.npi).collect::<Vec<_>>();

    let by_name = |q: &str| OrganizationSearch::ByName(q.into());
    assert_eq!(
        npis(c.search_organizations(&by_name("mary"), 50).await.unwrap()),
        [NPIS[3], NPIS[0], NPIS[1]]
    );
    assert_eq!(npis(c.search_organizations(&by_name("Hospital"), 50).await.unwrap()), [NPIS[4], NPIS[0]]);
    assert_eq!(npis(c.search_organizations(&by_name("HOSPITAL"), 1).await.unwrap()), [NPIS[4]]);
    assert!(c.search_organizations(&by_name("clinics"), 50).await.unwrap().is_empty());

    let found = c.search_organizations(&OrganizationSearch::ByNpi(NPIS[2]), 50).await.unwrap();
    assert_eq!(found, vec![rows[2].clone()]);
    let renamed = NpiOrganizationRecord {
        city: None,
        ..npi_organization(NPIS[2], "BOSTON GENERAL HOSPITAL", "", "MA")
    };
    c.upsert_npi_organizations(std::slice::from_ref(&renamed)).await.unwrap();
    assert_eq!(c.search_organizations(&OrganizationSearch::ByNpi(NPIS[2]), 50).await.unwrap(), vec![renamed]);
    assert_eq!(npis(c.search_organizations(&by_name("hospital"), 50).await.unwrap()).len(), 3);
}
