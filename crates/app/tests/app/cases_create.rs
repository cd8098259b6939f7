//! `create_case`: status, pay, codes, duplicates, address book, documents, permissions.

use surgicase_cases::PatientInput;
use surgicase_kernel::{CaseId, Money, Raw};
use surgicase_ports::Store;

use crate::world::{PDF, PNG, World, code, raw};

fn request(input: surgicase_cases::NewCaseInput) -> surgicase_cases::NewCaseInput {
    input
}

#[tokio::test]
async fn pay_follows_the_worked_example_for_tier_2() {
    let w = World::new().await;
    let p = w.provider("u-jane", 2).await;
    // (codes, pay_amount, pay_category) — domain §8.
    let table: &[(&[&str], i64, Option<&str>)] = &[
        (&["29881", "27447", "58150"], 45_000, Some("Orthopedic")),
        (&["58150", "49505"], 30_000, Some("General")),
        (&["15830", "99213"], 0, None),
        (&[], 0, None),
    ];
    for (i, (codes, cents, category)) in table.iter().enumerate() {
        let created = w.app.create_case(&p.ctx, request(p.case(&format!("c-{i}"), codes))).await.unwrap();
        assert_eq!(created.pay_update.pay_amount, Money::from_cents(*cents), "{codes:?}");
        assert_eq!(created.pay_update.pay_category.as_deref(), *category, "{codes:?}");
        let mut conn = w.store.conn().await.unwrap();
        let view = conn
            .get_case_view(&CaseId::parse(&format!("c-{i}")).unwrap(), None, None)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(view.case.row.pay_amount, Money::from_cents(*cents));
        assert_eq!(view.case.row.pay_category.as_deref(), *category);
    }
}

#[tokio::test]
async fn priced_code_and_unknown_codes_are_reported() {
    let w = World::new().await;
    let p = w.provider("u-jane", 2).await;
    let created = w
        .app
        .create_case(&p.ctx, request(p.case("c-1", &["29881", "27447", "99213", "99214"])))
        .await
        .unwrap();
    assert_eq!(created.pay_update.priced_code.as_deref(), Some("27447"));
    // 99213 is in the master without a category; 99214 is not in the master at all.
    assert_eq!(created.pay_update.procedure_codes_found, 3);
    assert_eq!(created.codes.unknown, vec!["99214".to_owned()]);
}

#[tokio::test]
async fn corrections_are_reported_and_codes_stored_in_order() {
    let w = World::new().await;
    let p = w.provider("u-jane", 1).await;
    let created = w
        .app
        .create_case(&p.ctx, request(p.case("c-1", &["27447", " 27447", "29881", "59510", "59514"])))
        .await
        .unwrap();
    assert_eq!(created.codes.corrected, vec!["27447", "29881", "59514"]);
    assert_eq!(
        created.codes.corrections,
        vec![
            "Auto-corrected 59510 to 59514 (Global obstetric code; use delivery-only code)".to_owned(),
            "Removed duplicate 27447".to_owned(),
            "Removed duplicate 59514".to_owned(),
        ]
    );
    let mut conn = w.store.conn().await.unwrap();
    let view = conn.get_case_view(&CaseId::parse("c-1").unwrap(), None, None).await.unwrap().unwrap();
    let stored: Vec<&str> = view.case.codes.iter().map(|c| c.procedure_code.as_str()).collect();
    assert_eq!(stored, vec!["27447", "29881", "59514"]);
    assert_eq!(view.case.codes[0].procedure_desc, "Knee replacement, total");
}

#[tokio::test]
async fn complete_cases_are_submitted_by_the_default_rules() {
    let w = World::new().await;
    let p = w.provider("u-jane", 1).await;
    w.upload("u-jane", "demo.pdf", PDF).await;
    w.upload("u-jane", "note.pdf", PDF).await;
    let mut input = p.case("c-1", &["27447"]);
    input.demo_file = raw("demo.pdf");
    input.note_file = raw("note.pdf");
    let created = w.app.create_case(&p.ctx, request(input)).await.unwrap();
    assert_eq!(created.case_status.code(), 1);
    assert!(created.status_update.changed);
    assert_eq!(created.status_update.rule.as_deref(), Some("complete"));
    assert_eq!(created.status_update.message, "Status changed from 0 to 1 (rule complete)");

    let mut conn = w.store.conn().await.unwrap();
    let id = CaseId::parse("c-1").unwrap();
    let view = conn.get_case_view(&id, None, None).await.unwrap().unwrap();
    assert_eq!(view.case.documents.len(), 2);
    let demo = view
        .case
        .documents
        .iter()
        .find(|d| d.document_type == surgicase_kernel::DocumentField::DemoFile)
        .unwrap();
    assert_eq!(demo.size_bytes, Some(PDF.len() as i64));
    assert_eq!(demo.content_type.as_deref(), Some("application/pdf"));
    assert_eq!(demo.object_key, "private/case-documents/u-jane/demo.pdf");
    let history = conn.case_history(&id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].from_status, history[0].to_status.code()), (None, 1));
    assert_eq!(history[0].rule_name.as_deref(), Some("complete"));
    assert_eq!(history[0].request_id.as_deref(), Some("req-1"));
}

#[tokio::test]
async fn incomplete_cases_stay_draft() {
    let w = World::new().await;
    let p = w.provider("u-jane", 1).await;
    w.upload("u-jane", "demo.pdf", PDF).await;
    let mut input = p.case("c-1", &["27447"]);
    input.demo_file = raw("demo.pdf");
    let created = w.app.create_case(&p.ctx, request(input)).await.unwrap();
    assert_eq!(created.case_status.code(), 0);
    assert!(!created.status_update.changed);
    assert_eq!(created.status_update.rule.as_deref(), Some("incomplete"));
}

#[tokio::test]
async fn duplicate_patients_are_refused_unless_forced() {
    let w = World::new().await;
    let p = w.provider("u-jane", 1).await;
    let patient = |first: &str, last: &str| {
        Raw::Value(PatientInput { first: raw(first), last: raw(last), ins_provider: raw("Aetna") })
    };
    let mut first = p.case("c-1", &[]);
    first.patient = patient("Mary-Ann", "O'Neil");
    w.app.create_case(&p.ctx, request(first)).await.unwrap();

    let mut again = p.case("c-2", &[]);
    again.patient = patient("  MARY-ANN  ", "o'neil");
    let refused = w.app.create_case(&p.ctx, request(again.clone())).await;
    assert_eq!(code(refused), "duplicate_case");
    again.force_duplicate = Raw::Value(surgicase_kernel::Flag(true));
    let forced = w.app.create_case(&p.ctx, again).await.unwrap();
    assert!(forced.dupe_flag && forced.forced_duplicate);

    // Another date is no duplicate.
    let mut other_day = p.case("c-3", &[]);
    other_day.patient = patient("Mary-Ann", "O'Neil");
    other_day.case_date = raw("2025-03-04");
    let created = w.app.create_case(&p.ctx, request(other_day)).await.unwrap();
    assert!(!created.dupe_flag);
}

#[tokio::test]
async fn refusals_write_nothing() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 1).await;
    let bob = w.provider("u-bob", 1).await;
    w.app.create_case(&jane.ctx, request(jane.case("c-1", &[]))).await.unwrap();
    w.upload("u-jane", "fake.pdf", PNG).await;
    w.upload("u-jane", "empty.pdf", b"").await;

    let bad_codes = jane.case("c-2", &["27447", "2744", "27447-80"]);
    let mut bad_date = jane.case("c-9", &[]);
    bad_date.case_date = raw("2025-02-30");
    let mut others_book = jane.case("c-3", &[]);
    others_book.surgeon_id = raw(&bob.surgeon.to_string());
    others_book.facility_id = raw(&bob.facility.to_string());
    let mut missing_doc = jane.case("c-4", &[]);
    missing_doc.demo_file = raw("nowhere.pdf");
    let mut lying_doc = jane.case("c-5", &[]);
    lying_doc.demo_file = raw("fake.pdf");
    let mut empty_doc = jane.case("c-6", &[]);
    empty_doc.note_file = raw("empty.pdf");
    let mut for_bob = jane.case("c-7", &[]);
    for_bob.user_id = raw("u-bob");
    let mut traversal = jane.case("c-8", &[]);
    traversal.misc_file = raw("../u-bob/x.pdf");

    let table = [
        (jane.case("c-1", &[]), "case_exists"),
        (
            bad_codes,
            "validation_failed [procedure_codes[1]:invalid_procedure_code, procedure_codes[2]:invalid_procedure_code]",
        ),
        (bad_date, "validation_failed [case_date:invalid_date]"),
        (others_book, "validation_failed [surgeon_id:unknown_surgeon, facility_id:unknown_facility]"),
        (missing_doc, "validation_failed [demo_file:document_missing]"),
        (lying_doc, "unsupported_document_type"),
        (empty_doc, "validation_failed [note_file:empty_document]"),
        (for_bob, "user_not_found"),
        (traversal, "validation_failed [misc_file:invalid_characters]"),
    ];
    for (input, expected) in table {
        let id = match &input.case_id {
            Raw::Value(id) => id.clone(),
            _ => String::new(),
        };
        assert_eq!(code(w.app.create_case(&jane.ctx, request(input)).await), expected, "{id}");
        if id != "c-1" {
            let mut conn = w.store.conn().await.unwrap();
            assert!(!conn.case_id_taken(&CaseId::parse(&id).unwrap()).await.unwrap(), "{id} was written");
        }
    }
}

#[tokio::test]
async fn case_admins_create_for_others() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 2).await;
    let admin = w.user("u-admin", 10, 1).await;
    let mut input = jane.case("c-1", &["27447"]);
    input.user_id = raw("u-jane");
    let created = w.app.create_case(&admin, request(input)).await.unwrap();
    assert_eq!(created.owner.as_str(), "u-jane");
    // Priced with the owner's tier, not the admin's.
    assert_eq!(created.pay_update.pay_amount, Money::from_cents(45_000));
}

#[tokio::test]
async fn a_taken_id_is_case_exists_before_an_unknown_owner_with_or_without_documents() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 1).await;
    let admin = w.user("u-admin", 10, 1).await;
    w.app.create_case(&jane.ctx, request(jane.case("c-1", &[]))).await.unwrap();
    let mut plain = jane.case("c-1", &[]);
    plain.user_id = raw("u-ghost");
    let mut with_doc = jane.case("c-1", &[]);
    with_doc.user_id = raw("u-ghost");
    with_doc.demo_file = raw("face.pdf");
    for input in [plain, with_doc] {
        assert_eq!(code(w.app.create_case(&admin, request(input)).await), "case_exists");
    }
}
