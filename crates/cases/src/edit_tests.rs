//! The case aggregate without a store: who may edit, what an edit changes, how it prices and
//! which documents leave.

use std::collections::BTreeMap;

use surgicase_billing::CodeInfo;
use surgicase_kernel::time::parse_date;
use surgicase_kernel::{
    CaseId, CaseStatus, Date, DocumentField, DocumentLocation, FacilityId, Money, Raw, SurgeonId, Timestamp,
    UserId, UserType,
};
use surgicase_permissions::{Actor, Denied};

use crate::codes::AutoFixes;
use crate::edit::Pricing;
use crate::patch::{CasePatch, CasePatchInput};
use crate::record::{Case, CaseCodeRecord, CaseDocumentRecord, CaseRow, DocumentNames, PatientData};

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn now() -> Timestamp {
    d("2025-03-04").and_hms_opt(12, 0, 0).unwrap().and_utc()
}

fn uid(s: &str) -> UserId {
    UserId::parse(s).unwrap()
}

fn doc(field: DocumentField, name: &str, location: DocumentLocation) -> CaseDocumentRecord {
    CaseDocumentRecord {
        document_type: field,
        document_name: name.to_owned(),
        object_key: format!("private/case-documents/u-jane/{name}"),
        location,
        size_bytes: Some(10),
        sha256: None,
        content_type: Some("application/pdf".to_owned()),
        uploaded_by: Some("u-jane".to_owned()),
        uploaded_ts: None,
    }
}

fn code(c: &str) -> CaseCodeRecord {
    CaseCodeRecord { procedure_code: c.to_owned(), procedure_desc: format!("desc {c}"), asst_surg: Some(2) }
}

/// Jane's draft: one code, a demo and a note document.
fn case(status: i16) -> Case {
    Case {
        human_case_id: 1,
        row: CaseRow {
            case_id: CaseId::parse("c-1").unwrap(),
            user_id: uid("u-jane"),
            case_date: d("2025-03-01"),
            patient: PatientData {
                first: "Mary".to_owned(),
                last: "Lee".to_owned(),
                ins_provider: "Aetna".to_owned(),
                dob: Some(d("1970-01-01")),
            },
            patient_name_key: "v1|mary|lee".to_owned(),
            surgeon_id: Some(SurgeonId::new(1).unwrap()),
            facility_id: Some(FacilityId::new(2).unwrap()),
            case_status: CaseStatus::new(status.into()).unwrap(),
            documents: DocumentNames {
                demo_file: Some("demo.pdf".to_owned()),
                note_file: Some("note.pdf".to_owned()),
                ..DocumentNames::default()
            },
            pay_amount: Money::from_cents(30_000),
            pay_category: Some("General".to_owned()),
            biller_status: 0,
            dupe_flag: false,
            active: true,
            deleted_ts: None,
            deleted_by: None,
            archive_state: None,
            case_create_ts: now(),
            case_updated_ts: now(),
            status_timestamps: BTreeMap::new(),
        },
        phi_encrypted: false,
        codes: vec![code("49505")],
        documents: vec![
            doc(DocumentField::DemoFile, "demo.pdf", DocumentLocation::Live),
            doc(DocumentField::NoteFile, "note.pdf", DocumentLocation::Live),
        ],
    }
}

fn patch(input: CasePatchInput) -> CasePatch {
    let input = CasePatchInput { case_id: "c-1".into(), ..input };
    CasePatch::validate(&input, d("2025-03-04"), &AutoFixes::default()).unwrap()
}

fn actor(user: &str, user_type: UserType) -> Actor {
    Actor::new(uid(user), user_type, CaseStatus::new(999).unwrap())
}

#[test]
fn who_may_edit() {
    let provider = actor("u-jane", UserType::PROVIDER);
    let other = actor("u-bob", UserType::PROVIDER);
    let admin = actor("u-ca", UserType::CASE_ADMIN);
    let rename = || CasePatchInput { patient_last: "Smith".into(), ..Default::default() };
    let give_away = || CasePatchInput { user_id: "u-bob".into(), ..Default::default() };
    let keep_owner = || CasePatchInput { user_id: "u-jane".into(), ..Default::default() };
    let admin_file = || CasePatchInput { admin_file: "bill.pdf".into(), ..Default::default() };
    let clear_absent_admin = || CasePatchInput { admin_file: "".into(), ..Default::default() };
    // (actor, stored status, patch, expected)
    let table: Vec<(&Actor, i16, CasePatchInput, Result<(), Denied>)> = vec![
        (&provider, 0, rename(), Ok(())),
        (&provider, 14, rename(), Ok(())),
        (&provider, 15, rename(), Err(Denied::Locked)),
        (&other, 0, rename(), Err(Denied::NotFound)),
        (&admin, 20, rename(), Ok(())),
        (&provider, 0, give_away(), Err(Denied::ForbiddenField("user_id"))),
        (&provider, 0, keep_owner(), Ok(())),
        (&admin, 0, give_away(), Ok(())),
        (&provider, 0, admin_file(), Err(Denied::ForbiddenField("admin_file"))),
        (&provider, 0, clear_absent_admin(), Ok(())),
        (&admin, 0, admin_file(), Ok(())),
        // The lock is judged before the fields.
        (&provider, 15, give_away(), Err(Denied::Locked)),
    ];
    for (i, (who, status, input, expected)) in table.into_iter().enumerate() {
        assert_eq!(case(status).check_edit(who, &patch(input)), expected, "row {i}");
    }
    let mut deleted = case(0);
    deleted.row.active = false;
    assert_eq!(deleted.check_edit(&admin, &patch(rename())), Err(Denied::NotFound));
}

#[test]
fn what_an_edit_changes() {
    // (patch, status, changed fields before pricing, pricing, duplicate check, surgeon/facility to check)
    type Row = (CasePatchInput, i16, &'static [&'static str], &'static str, bool, (bool, bool));
    let table: Vec<Row> = vec![
        (
            CasePatchInput { ins_provider: "Cigna".into(), ..Default::default() },
            0,
            &["ins_provider"],
            "keep",
            false,
            (false, false),
        ),
        (
            CasePatchInput { patient_last: "Smith".into(), ..Default::default() },
            0,
            &["patient_last"],
            "keep",
            true,
            (false, false),
        ),
        // A change the name key cannot see is a change, but no duplicate check.
        (
            CasePatchInput { patient_first: "MARY".into(), ..Default::default() },
            0,
            &[],
            "keep",
            false,
            (false, false),
        ),
        (
            CasePatchInput { case_date: "2025-02-01".into(), ..Default::default() },
            0,
            &["case_date"],
            "keep",
            true,
            (false, false),
        ),
        (
            CasePatchInput { surgeon_id: "7".into(), ..Default::default() },
            0,
            &["surgeon_id"],
            "keep",
            false,
            (true, false),
        ),
        (
            CasePatchInput { user_id: "u-bob".into(), ..Default::default() },
            0,
            &["user_id"],
            "reprice",
            true,
            (true, true),
        ),
        // A case at pending payment keeps its amount across a new owner.
        (
            CasePatchInput { user_id: "u-bob".into(), ..Default::default() },
            15,
            &["user_id"],
            "keep",
            true,
            (true, true),
        ),
        (
            CasePatchInput {
                procedure_codes: Raw::Value(vec![Some("27447".to_owned())]),
                ..Default::default()
            },
            0,
            &[],
            "codes",
            false,
            (false, false),
        ),
        (
            CasePatchInput { patient_dob: "".into(), ..Default::default() },
            0,
            &["patient_dob"],
            "keep",
            false,
            (false, false),
        ),
        (
            CasePatchInput { note_file: "".into(), ..Default::default() },
            0,
            &["note_file"],
            "keep",
            false,
            (false, false),
        ),
        // Clearing what is not there changes nothing.
        (
            CasePatchInput { misc_file: "".into(), ..Default::default() },
            0,
            &[],
            "keep",
            false,
            (false, false),
        ),
    ];
    for (i, (input, status, fields, pricing, duplicate, checks)) in table.into_iter().enumerate() {
        let stored = case(status);
        let edit = stored.edit(&patch(input), Vec::new()).unwrap();
        let fields: Vec<String> = fields.iter().map(|f| (*f).to_owned()).collect();
        assert_eq!(edit.changed_fields(), fields, "row {i}");
        let kind = match edit.pricing {
            Pricing::Keep => "keep",
            Pricing::Codes(_) => "codes",
            Pricing::Reprice => "reprice",
        };
        assert_eq!(kind, pricing, "row {i}");
        assert_eq!(edit.duplicate_check, duplicate, "row {i}");
        assert_eq!((edit.check_surgeon.is_some(), edit.check_facility.is_some()), checks, "row {i}");
    }
}

#[test]
fn names_follow_the_patient() {
    let edit =
        case(0).edit(&patch(CasePatchInput { patient_last: "o'neil".into(), ..Default::default() }), vec![]);
    let edit = edit.unwrap();
    assert_eq!(edit.row.patient.last, "O'Neil");
    assert_eq!(edit.row.patient_name_key, "v1|mary|o'neil");
}

#[test]
fn merged_dates_are_judged() {
    // The stored case date is 2025-03-01.
    let late_dob = CasePatchInput { patient_dob: "2025-03-02".into(), ..Default::default() };
    let error = case(0).edit(&patch(late_dob), vec![]);
    let fields: Vec<String> = error.unwrap_err().iter().map(|e| e.field.clone()).collect();
    assert_eq!(fields, vec!["patient_dob".to_owned()]);
}

fn info(c: &str, category: &str, cents: i64) -> CodeInfo {
    CodeInfo {
        procedure_code: c.to_owned(),
        procedure_desc: format!("master {c}"),
        code_category: Some(category.to_owned()),
        asst_surg: Some(1),
        price: Some(Money::from_cents(cents)),
    }
}

#[test]
fn pricing_new_codes_and_a_new_owner() {
    let codes = CasePatchInput {
        procedure_codes: Raw::Value(vec![Some("27447".to_owned()), Some("99999".to_owned())]),
        ..Default::default()
    };
    let mut edit = case(0).edit(&patch(codes), vec![]).unwrap();
    assert_eq!(edit.codes_to_price(), vec!["27447".to_owned(), "99999".to_owned()]);
    let repriced = edit.price(&[info("27447", "Orthopedic", 45_000)]).unwrap().unwrap();
    assert_eq!(repriced.unknown, vec!["99999".to_owned()]);
    assert_eq!(edit.row.pay_amount, Money::from_cents(45_000));
    assert!(edit.codes_changed());
    assert_eq!(edit.codes[0].procedure_desc, "master 27447");
    assert!(edit.changed_fields().ends_with(&["procedure_codes".to_owned(), "pay_amount".to_owned()]));

    // The same list again replaces nothing.
    let same =
        CasePatchInput { procedure_codes: Raw::Value(vec![Some("49505".to_owned())]), ..Default::default() };
    let mut edit = case(0).edit(&patch(same), vec![]).unwrap();
    edit.price(&[CodeInfo {
        procedure_desc: "desc 49505".to_owned(),
        asst_surg: Some(2),
        ..info("49505", "General", 30_000)
    }])
    .unwrap();
    assert!(!edit.codes_changed());
    assert!(edit.changed_fields().is_empty());
    assert!(!edit.touch(false, now()));
    assert!(edit.touch(true, now()), "a status move alone writes the row");

    // A new owner re-prices the stored codes at their tier; snapshots stay.
    let mut edit = case(0)
        .edit(&patch(CasePatchInput { user_id: "u-bob".into(), ..Default::default() }), vec![])
        .unwrap();
    edit.price(&[info("49505", "General", 35_000)]).unwrap();
    assert_eq!(edit.row.pay_amount, Money::from_cents(35_000));
    assert_eq!(edit.codes[0].procedure_desc, "desc 49505");
    assert!(!edit.codes_changed());

    // Nothing to price: pay stays.
    let mut edit = case(0)
        .edit(&patch(CasePatchInput { ins_provider: "Cigna".into(), ..Default::default() }), vec![])
        .unwrap();
    assert!(edit.codes_to_price().is_empty());
    assert_eq!(edit.price(&[]).unwrap(), None);
}

#[test]
fn unreadable_stored_codes_refuse_a_reprice() {
    let mut stored = case(0);
    stored.codes.push(code("not a code"));
    let mut edit = stored
        .edit(&patch(CasePatchInput { user_id: "u-bob".into(), ..Default::default() }), vec![])
        .unwrap();
    let refused = edit.price(&[info("49505", "General", 35_000)]).unwrap_err();
    assert_eq!(refused.code, "not a code");
    assert_eq!(edit.row.pay_amount, Money::from_cents(30_000), "pay unchanged");
    assert!(stored.reprice(&[]).is_err());
    // New codes replace the unreadable ones without reading them.
    let codes =
        CasePatchInput { procedure_codes: Raw::Value(vec![Some("49505".to_owned())]), ..Default::default() };
    assert!(stored.edit(&patch(codes), vec![]).unwrap().price(&[]).is_ok());
}

#[test]
fn documents_that_leave() {
    let loaded = |field, name: &str| doc(field, name, DocumentLocation::Live);
    // (patch, loaded, cleared, archived names, names after)
    type Row = (CasePatchInput, Vec<CaseDocumentRecord>, Vec<DocumentField>, Vec<&'static str>);
    let table: Vec<Row> = vec![
        (
            CasePatchInput { note_file: "".into(), ..Default::default() },
            vec![],
            vec![DocumentField::NoteFile],
            vec!["note.pdf"],
        ),
        (
            CasePatchInput { demo_file: "demo2.pdf".into(), ..Default::default() },
            vec![loaded(DocumentField::DemoFile, "demo2.pdf")],
            vec![],
            vec!["demo.pdf"],
        ),
        // The same object loaded again under the field stays where it is.
        (
            CasePatchInput {
                demo_file: "demo.pdf".into(),
                note_file: "renamed.pdf".into(),
                ..Default::default()
            },
            vec![CaseDocumentRecord {
                document_name: "renamed.pdf".to_owned(),
                ..loaded(DocumentField::NoteFile, "note.pdf")
            }],
            vec![],
            vec![],
        ),
        (
            CasePatchInput { misc_file: "misc.pdf".into(), ..Default::default() },
            vec![loaded(DocumentField::MiscFile, "misc.pdf")],
            vec![],
            vec![],
        ),
    ];
    for (i, (input, docs, cleared, archived)) in table.into_iter().enumerate() {
        let p = patch(input);
        let edit = case(0).edit(&p, docs.clone()).unwrap();
        assert_eq!(edit.cleared, cleared, "row {i}");
        let names: Vec<&str> = edit.archived.iter().map(|d| d.document_name.as_str()).collect();
        assert_eq!(names, archived, "row {i}");
        for doc in &docs {
            assert_eq!(
                edit.row.documents.get(doc.document_type),
                Some(doc.document_name.as_str()),
                "row {i}"
            );
        }
    }
    // Only names other than the stored ones are loaded.
    let p = patch(CasePatchInput {
        demo_file: "demo.pdf".into(),
        misc_file: "misc.pdf".into(),
        ..Default::default()
    });
    let to_load: Vec<DocumentField> =
        p.documents_to_load(&case(0).row.documents).into_iter().map(|(f, _)| f).collect();
    assert_eq!(to_load, vec![DocumentField::MiscFile]);
    // A deleted (already moved) document is not archived again.
    let mut stored = case(0);
    stored.documents[1].location = DocumentLocation::Deleted;
    let edit =
        stored.edit(&patch(CasePatchInput { note_file: "".into(), ..Default::default() }), vec![]).unwrap();
    assert!(edit.archived.is_empty());
}

#[test]
fn delete_and_restore() {
    let stored = case(0);
    let deleted = stored.deleted(&uid("u-ca"), now());
    assert!(!deleted.active);
    assert_eq!(deleted.deleted_by.as_deref(), Some("u-ca"));
    assert_eq!(deleted.archive_state, Some(surgicase_kernel::ArchiveState::Pending));
    let gone = Case { row: deleted, ..stored };
    let back = gone.restored(true, now());
    assert!(back.active && back.dupe_flag && back.deleted_ts.is_none());
    assert!(gone.restore_reprices());
    assert!(!case(15).restore_reprices());
}
