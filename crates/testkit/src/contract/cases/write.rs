//! Writes and single-case reads.

use std::collections::BTreeMap;

use chrono::Duration;
use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::{CaseStatus, Money, Timestamp};
use surgicase_ports::Store;
use surgicase_ports::records::*;

use super::super::{assert_duplicate, assert_reference, conn, owners};
use super::{like_stored, view};
use crate::fixtures::*;
use surgicase_kernel::ArchiveState;
use surgicase_kernel::DocumentField;
use surgicase_kernel::DocumentLocation;

fn all_documents() -> DocumentNames {
    DocumentNames {
        demo_file: Some("face sheet.pdf".into()),
        note_file: Some("note opératoire.pdf".into()),
        misc_file: Some("misc.png".into()),
        admin_file: Some("admin.docx".into()),
    }
}

/// Every status timestamp column, each with its own time (microseconds differ too).
fn every_status_timestamp() -> BTreeMap<StatusTimestamp, Timestamp> {
    StatusTimestamp::ALL
        .iter()
        .zip(1i64..)
        .map(|(column, i)| (*column, at(i * 3600) + Duration::microseconds(i)))
        .collect()
}

/// Every column of `cases` round-trips (values and NULLs, accents, a leap day, microseconds,
/// 1234.56 as 123456 cents, booleans, an inactive case, all 14 status timestamps); `human_case_id` is assigned from 1;
/// `get_case_view` and `lock_case` (in a transaction) agree; joins follow the references
/// (a case without surgeon or facility has `None` joins).
pub async fn round_trip_every_column(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut c = conn(store).await;
    let zoe = PatientData {
        first: "Zoë".into(),
        last: "Ñúñez".into(),
        ins_provider: "Blue Cross Blue Shield of Texas".into(),
        dob: Some(date("1900-01-01")),
    };
    let full = CaseRow {
        case_date: date("2024-02-29"),
        patient_name_key: name_key(&zoe.first, &zoe.last),
        patient: zoe,
        case_status: status(10),
        documents: all_documents(),
        pay_amount: Money::from_cents(123_456),
        pay_category: Some("Orthopedic".into()),
        biller_status: 3,
        dupe_flag: true,
        active: false,
        deleted_ts: Some(ts("2025-03-04T00:00:00.000001Z")),
        deleted_by: Some("u-admin".into()),
        archive_state: Some(ArchiveState::Done),
        case_create_ts: ts("2025-03-01T08:00:00.000001Z"),
        case_updated_ts: ts("2025-03-02T09:30:00.999999Z"),
        status_timestamps: every_status_timestamp(),
        ..jane.case_row("c-full")
    };
    let minimal = CaseRow {
        patient: PatientData { dob: None, ..patient() },
        surgeon_id: None,
        facility_id: None,
        ..jane.case_row("c-min")
    };
    assert_eq!(c.insert_case(&full).await.unwrap(), 1);
    assert_eq!(c.insert_case(&minimal).await.unwrap(), 2);

    let got = view(&mut c, &full.case_id, None).await;
    let expected =
        Case { human_case_id: 1, row: full.clone(), phi_encrypted: false, codes: vec![], documents: vec![] };
    assert_eq!(got.case, like_stored(expected, &got.case));
    let joins = CaseJoins {
        surgeon_first: Some("Gregory".into()),
        surgeon_last: Some("House".into()),
        surgeon_npi: Some(NPIS[0]),
        facility_name: Some("Princeton-Plainsboro Teaching Hospital".into()),
        facility_state: Some("NJ".into()),
        facility_npi: Some(NPIS[1]),
        owner_first: Some("Jane".into()),
        owner_last: Some("Doe".into()),
        status_desc: Some("Ready for billing".into()),
        described_status_desc: None,
    };
    assert_eq!(got.joins, joins);

    let got_min = view(&mut c, &minimal.case_id, None).await;
    let expected =
        Case { human_case_id: 2, row: minimal, phi_encrypted: false, codes: vec![], documents: vec![] };
    assert_eq!(got_min.case, like_stored(expected, &got_min.case));
    let joins = CaseJoins {
        owner_first: Some("Jane".into()),
        owner_last: Some("Doe".into()),
        status_desc: Some("Draft".into()),
        ..CaseJoins::default()
    };
    assert_eq!(got_min.joins, joins);
    drop(c);

    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.lock_case(&full.case_id).await.unwrap(), Some(got.case));
    assert_eq!(tx.lock_case(&case_id("c-none")).await.unwrap(), None);
    tx.rollback().await.unwrap();
}

/// `get_case_view` describes the stored status and the `describe` status from the catalogue
/// (`None` when not in it or not asked); unknown cases are `None`.
pub async fn view_describes_statuses(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut c = conn(store).await;
    let row = CaseRow { case_status: CaseStatus::SENT_TO_BILLER, ..jane.case_row("c-1") };
    c.insert_case(&row).await.unwrap();

    let joins = view(&mut c, &row.case_id, Some(CaseStatus::PAID)).await.joins;
    assert_eq!(joins.status_desc.as_deref(), Some("Sent to biller"));
    assert_eq!(joins.described_status_desc.as_deref(), Some("Paid"));
    let joins = view(&mut c, &row.case_id, Some(status(999))).await.joins;
    assert_eq!(joins.status_desc.as_deref(), Some("Sent to biller"));
    assert_eq!(joins.described_status_desc, None);
    assert_eq!(c.get_case_view(&case_id("c-none"), Some(CaseStatus::PAID), None).await.unwrap(), None);
}

/// With an owner, `get_case_view` returns only that owner's case: another owner's case reads
/// as missing (an id or a case of someone else are indistinguishable, also in cost).
pub async fn view_limited_to_an_owner(store: &dyn Store) {
    let [jane, bob] = owners(store, ["u-jane", "u-bob"]).await;
    let mut c = conn(store).await;
    c.insert_case(&jane.case_row("c-jane")).await.unwrap();
    let id = case_id("c-jane");
    let own = c.get_case_view(&id, None, Some(jane.id())).await.unwrap();
    assert_eq!(own.map(|v| v.case.row.user_id), Some(jane.id().clone()));
    assert_eq!(c.get_case_view(&id, None, Some(bob.id())).await.unwrap(), None);
    assert!(c.get_case_view(&id, None, None).await.unwrap().is_some());
    assert_eq!(c.get_case_view(&case_id("c-none"), None, Some(jane.id())).await.unwrap(), None);
}

/// A taken `case_id` — by an active or a deleted case — is `Duplicate` and the stored case is
/// untouched; `case_id_taken` is true for both and compares exactly.
pub async fn insert_taken_id_is_duplicate_even_when_deleted(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut c = conn(store).await;
    let live = jane.case_row("c-1");
    let deleted = CaseRow { active: false, deleted_ts: Some(at(10)), ..jane.case_row("c-del") };
    c.insert_case(&live).await.unwrap();
    c.insert_case(&deleted).await.unwrap();

    for id in ["c-1", "c-del"] {
        assert!(c.case_id_taken(&case_id(id)).await.unwrap(), "{id}");
    }
    for id in ["c-2", "C-1"] {
        assert!(!c.case_id_taken(&case_id(id)).await.unwrap(), "{id}");
    }
    assert_duplicate(c.insert_case(&CaseRow { case_date: date("2025-01-01"), ..jane.case_row("c-1") }).await);
    assert_duplicate(c.insert_case(&jane.case_row("c-del")).await);
    assert_eq!(view(&mut c, &live.case_id, None).await.case.row, live);
    assert_eq!(view(&mut c, &deleted.case_id, None).await.case.row, deleted);

    c.insert_case(&jane.case_row("C-1")).await.unwrap();
    assert!(c.case_id_taken(&case_id("C-1")).await.unwrap());
}

/// An unknown owner, surgeon, facility or status is `Reference` on insert and on update;
/// nothing is written.
pub async fn unknown_references_are_refused(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut c = conn(store).await;
    let bad_rows = [
        CaseRow { user_id: user_id("u-ghost"), ..jane.case_row("c-bad") },
        CaseRow { surgeon_id: Some(surgeon_id(999_999)), ..jane.case_row("c-bad") },
        CaseRow { facility_id: Some(facility_id(9_999_999)), ..jane.case_row("c-bad") },
        CaseRow { case_status: status(999), ..jane.case_row("c-bad") },
    ];
    for row in &bad_rows {
        assert_reference(c.insert_case(row).await);
        assert!(!c.case_id_taken(&row.case_id).await.unwrap());
    }

    let good = jane.case_row("c-1");
    c.insert_case(&good).await.unwrap();
    for row in bad_rows {
        assert_reference(c.update_case(&CaseRow { case_id: good.case_id.clone(), ..row }).await);
    }
    assert_eq!(view(&mut c, &good.case_id, None).await.case.row, good);
}

/// `update_case` writes every column but `case_id` and `case_create_ts` (owner, references,
/// patient, values to NULL and back); an unknown case id writes nothing.
pub async fn update_writes_every_column_but_id_and_create_ts(store: &dyn Store) {
    let [jane, bob] = owners(store, ["u-jane", "u-bob"]).await;
    let mut c = conn(store).await;
    let original = jane.case_row("c-1");
    c.insert_case(&original).await.unwrap();

    let jose = PatientData {
        first: "José".into(),
        last: "D'Angelo".into(),
        ins_provider: "Cigna".into(),
        dob: None,
    };
    let moved = CaseRow {
        user_id: bob.id().clone(),
        surgeon_id: Some(bob.surgeon_id()),
        facility_id: Some(bob.facility_id()),
        case_date: date("2025-12-31"),
        patient_name_key: name_key(&jose.first, &jose.last),
        patient: jose,
        case_status: CaseStatus::NEEDS_REVIEW,
        documents: all_documents(),
        pay_amount: Money::from_cents(45_000),
        pay_category: Some("Orthopedic".into()),
        biller_status: 2,
        dupe_flag: true,
        active: false,
        deleted_ts: Some(at(7)),
        deleted_by: Some("u-admin".into()),
        archive_state: Some(ArchiveState::Pending),
        case_create_ts: at(5000),
        case_updated_ts: at(10),
        status_timestamps: BTreeMap::from([
            (StatusTimestamp::BillableFlag, at(9)),
            (StatusTimestamp::Closed, at(8)),
        ]),
        ..original.clone()
    };
    c.update_case(&moved).await.unwrap();
    let got = view(&mut c, &original.case_id, None).await;
    assert_eq!(got.case.row, CaseRow { case_create_ts: t0(), ..moved });
    assert_eq!(got.case.human_case_id, 1);
    assert_eq!(got.joins.owner_first.as_deref(), Some("Bob"));
    assert_eq!(got.joins.status_desc.as_deref(), Some("Needs review"));

    let every = CaseRow { status_timestamps: every_status_timestamp(), ..original.clone() };
    c.update_case(&every).await.unwrap();
    assert_eq!(view(&mut c, &original.case_id, None).await.case.row, every);

    let back = CaseRow { case_updated_ts: at(20), ..original.clone() };
    c.update_case(&back).await.unwrap();
    assert_eq!(view(&mut c, &original.case_id, None).await.case.row, back);

    c.update_case(&jane.case_row("c-ghost")).await.unwrap();
    assert!(!c.case_id_taken(&case_id("c-ghost")).await.unwrap());
}

/// `replace_case_codes` stores the codes in the given order (not sorted), replaces the whole
/// list, empties it with `[]`, refuses a code twice (`Duplicate`, old list kept) and an
/// unknown case (`Reference`); other cases are untouched.
pub async fn replace_codes_in_order(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut c = conn(store).await;
    let (c1, c2) = (case_id("c-1"), case_id("c-2"));
    c.insert_case(&jane.case_row("c-1")).await.unwrap();
    c.insert_case(&jane.case_row("c-2")).await.unwrap();

    let first = vec![
        case_code("29881", "Knee arthroscopy with meniscectomy", Some(1)),
        case_code("27447", "Total knee arthroplasty", Some(2)),
        case_code("99213", "", None),
    ];
    c.replace_case_codes(&c1, &first).await.unwrap();
    let other = vec![case_code("58150", "Total abdominal hysterectomy", Some(2))];
    c.replace_case_codes(&c2, &other).await.unwrap();
    assert_eq!(view(&mut c, &c1, None).await.case.codes, first);

    let second = vec![case_code("49505", "Repair initial inguinal hernia", Some(1)), first[1].clone()];
    c.replace_case_codes(&c1, &second).await.unwrap();
    assert_eq!(view(&mut c, &c1, None).await.case.codes, second);

    let twice = [case_code("15830", "x", None), case_code("15830", "x", None)];
    assert_duplicate(c.replace_case_codes(&c1, &twice).await);
    assert_eq!(view(&mut c, &c1, None).await.case.codes, second);

    assert_reference(c.replace_case_codes(&case_id("c-ghost"), &other).await);
    c.replace_case_codes(&case_id("c-ghost"), &[]).await.unwrap();

    c.replace_case_codes(&c1, &[]).await.unwrap();
    assert!(view(&mut c, &c1, None).await.case.codes.is_empty());
    assert_eq!(view(&mut c, &c2, None).await.case.codes, other);
}

/// `put_case_documents` inserts or replaces by `(case_id, document_type)`; documents come by
/// type; `remove_case_documents` removes only the named types of that case; an unknown case is
/// `Reference`.
pub async fn documents_upsert_and_remove(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut c = conn(store).await;
    let (c1, c2) = (case_id("c-1"), case_id("c-2"));
    c.insert_case(&jane.case_row("c-1")).await.unwrap();
    c.insert_case(&jane.case_row("c-2")).await.unwrap();

    let note = case_document("note_file", "op-note.pdf");
    let demo = case_document("demo_file", "face sheet é.pdf");
    c.put_case_documents(&c1, &[note.clone(), demo]).await.unwrap();
    let c2_note = case_document("note_file", "other.pdf");
    c.put_case_documents(&c2, std::slice::from_ref(&c2_note)).await.unwrap();

    let demo_v2 = CaseDocumentRecord {
        location: DocumentLocation::Deleted,
        object_key: "private/deleted-case-documents/u-jane/c-1/demo_file/v2.pdf".into(),
        size_bytes: None,
        sha256: None,
        content_type: None,
        uploaded_by: None,
        uploaded_ts: None,
        ..case_document("demo_file", "v2.pdf")
    };
    c.put_case_documents(&c1, std::slice::from_ref(&demo_v2)).await.unwrap();
    assert_eq!(view(&mut c, &c1, None).await.case.documents, vec![demo_v2.clone(), note]);

    c.remove_case_documents(&c1, &[DocumentField::NoteFile, DocumentField::MiscFile]).await.unwrap();
    assert_eq!(view(&mut c, &c1, None).await.case.documents, vec![demo_v2]);
    assert_eq!(view(&mut c, &c2, None).await.case.documents, vec![c2_note]);

    assert_reference(c.put_case_documents(&case_id("c-ghost"), &[case_document("demo_file", "x.pdf")]).await);
}

/// `find_duplicate` finds an active case of the owner on the date with the name key, other
/// than `exclude`; deleted cases, other owners, dates and names do not match.
pub async fn find_duplicate_active_only_excluding_self(store: &dyn Store) {
    let [jane, bob] = owners(store, ["u-jane", "u-bob"]).await;
    let mut c = conn(store).await;
    let day = date("2025-03-03");
    let key = name_key("Mary-Ann", "O'Neil");
    let rows = [
        jane.case_row("c-1"),
        CaseRow { active: false, ..jane.case_row("c-del") },
        CaseRow { case_date: date("2025-03-04"), ..jane.case_row("c-next-day") },
        bob.case_row("c-bob"),
        CaseRow {
            patient: PatientData { first: "John".into(), last: "Smith".into(), ..patient() },
            patient_name_key: name_key("John", "Smith"),
            ..jane.case_row("c-john")
        },
    ];
    for row in &rows {
        c.insert_case(row).await.unwrap();
    }
    let expected = DuplicateCase {
        case_id: case_id("c-1"),
        user_id: jane.id().clone(),
        case_date: day,
        patient_first: "Mary-Ann".into(),
        patient_last: "O'Neil".into(),
    };
    assert_eq!(c.find_duplicate(jane.id(), day, &key, None).await.unwrap(), Some(expected.clone()));
    assert_eq!(
        c.find_duplicate(jane.id(), day, &key, Some(&case_id("c-other"))).await.unwrap(),
        Some(expected)
    );
    assert_eq!(c.find_duplicate(jane.id(), day, &key, Some(&case_id("c-1"))).await.unwrap(), None);
    assert_eq!(c.find_duplicate(jane.id(), date("2025-03-05"), &key, None).await.unwrap(), None);
    assert_eq!(c.find_duplicate(jane.id(), day, "v1|nobody|x", None).await.unwrap(), None);

    let found = c.find_duplicate(bob.id(), day, &key, Some(&case_id("c-1"))).await.unwrap();
    assert_eq!(found.map(|d| d.case_id), Some(case_id("c-bob")));
    let found = c.find_duplicate(jane.id(), day, &name_key("John", "Smith"), None).await.unwrap();
    assert_eq!(found.map(|d| (d.patient_first, d.patient_last)), Some(("John".into(), "Smith".into())));
    let found = c.find_duplicate(jane.id(), date("2025-03-04"), &key, None).await.unwrap();
    assert_eq!(found.map(|d| d.case_id), Some(case_id("c-next-day")));
}
