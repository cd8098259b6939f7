//! `update_case`: locks, rules, codes, pay, reassignment, forbidden fields.

use serde_json::{Value, json};
use surgicase_app::ReadOnlySent;
use surgicase_app::cases::{CaseUpdateRequest, READ_ONLY_FIELDS};
use surgicase_cases::CasePatchInput;
use surgicase_kernel::time::format_timestamp;
use surgicase_kernel::{Money, Raw};
use surgicase_users::{ProfileField, ProfileInput};

use crate::world::{PDF, World, code, raw};

fn patch(case_id: &str) -> CasePatchInput {
    CasePatchInput { case_id: raw(case_id), ..CasePatchInput::default() }
}

fn update(input: CasePatchInput) -> CaseUpdateRequest {
    CaseUpdateRequest { input, read_only: ReadOnlySent::default() }
}

/// An insurer change (so the body has an updatable field) carrying one read-only value.
fn with_read_only(case_id: &str, insurer: &str, field: &str, value: Value) -> CaseUpdateRequest {
    let mut input = patch(case_id);
    input.ins_provider = raw(insurer);
    CaseUpdateRequest { input, read_only: ReadOnlySent(vec![(field.to_owned(), value)]) }
}

fn codes(list: &[&str]) -> Raw<Vec<Option<String>>> {
    Raw::Value(list.iter().map(|c| Some((*c).to_owned())).collect())
}

#[tokio::test]
async fn removing_the_note_file_sends_the_case_back_to_draft() {
    let w = World::new().await;
    let p = w.provider("u-jane", 1).await;
    w.upload("u-jane", "demo.pdf", PDF).await;
    w.upload("u-jane", "note.pdf", PDF).await;
    let mut input = p.case("c-1", &["27447"]);
    input.demo_file = raw("demo.pdf");
    input.note_file = raw("note.pdf");
    w.app.create_case(&p.ctx, input).await.unwrap();

    let mut change = patch("c-1");
    change.note_file = raw("");
    let updated = w.app.update_case(&p.ctx, update(change)).await.unwrap();
    assert_eq!(updated.updated_fields, vec!["note_file"]);
    assert!(updated.status_update.changed);
    assert_eq!(
        (updated.status_update.previous_status.code(), updated.status_update.case_status.code()),
        (1, 0)
    );
    assert_eq!(updated.status_update.rule.as_deref(), Some("incomplete"));
    assert!(updated.pay_update.is_none());
    // The removed object moved to the deleted prefix.
    assert!(w.objects.keys().contains(&"private/deleted-case-documents/u-jane/note.pdf".to_owned()));
    let read = w.app.get_case(&p.ctx, "c-1").await.unwrap();
    assert_eq!(read.view.case.row.documents.note_file, None);
    assert_eq!(read.view.case.documents.len(), 1);
}

#[tokio::test]
async fn codes_are_replaced_and_repriced() {
    let w = World::new().await;
    let p = w.provider("u-jane", 2).await;
    w.app.create_case(&p.ctx, p.case("c-1", &["58150"])).await.unwrap();
    let mut change = patch("c-1");
    change.procedure_codes = codes(&["27447", "27447"]);
    let updated = w.app.update_case(&p.ctx, update(change)).await.unwrap();
    assert_eq!(updated.updated_fields, vec!["procedure_codes", "pay_amount"]);
    let pay = updated.pay_update.unwrap();
    assert!(pay.changed);
    assert_eq!(
        (pay.pay_amount, pay.pay_category.as_deref()),
        (Money::from_cents(45_000), Some("Orthopedic"))
    );
    let report = updated.codes.unwrap();
    assert_eq!(report.corrections, vec!["Removed duplicate 27447"]);

    // The same values again change nothing.
    let mut same = patch("c-1");
    same.procedure_codes = codes(&["27447"]);
    same.case_date = raw("2025-03-03");
    let updated = w.app.update_case(&p.ctx, update(same)).await.unwrap();
    assert!(updated.updated_fields.is_empty(), "{:?}", updated.updated_fields);

    // An empty list removes every code and resets the pay.
    let mut none = patch("c-1");
    none.procedure_codes = codes(&[]);
    let updated = w.app.update_case(&p.ctx, update(none)).await.unwrap();
    assert_eq!(updated.pay_update.unwrap().pay_amount, Money::ZERO);
}

#[tokio::test]
async fn providers_are_locked_out_from_15_but_case_admins_are_not() {
    let w = World::new().await;
    let p = w.provider("u-jane", 1).await;
    let admin = w.user("u-admin", 10, 1).await;
    for (id, status) in [("c-10", 10), ("c-15", 15), ("c-400", 400)] {
        w.app.create_case(&p.ctx, p.case(id, &[])).await.unwrap();
        w.force_status(id, status).await;
    }
    let table = [("c-10", "ok"), ("c-15", "case_locked"), ("c-400", "case_locked")];
    for (id, expected) in table {
        let mut change = patch(id);
        change.ins_provider = raw("Cigna");
        let got = code(w.app.update_case(&p.ctx, update(change.clone())).await);
        assert!(got.starts_with(expected), "{id}: {got}");
        assert!(w.app.update_case(&admin, update(change)).await.is_ok(), "{id}");
        let deleted = code(w.app.delete_case(&p.ctx, id).await);
        assert!(deleted.starts_with(expected), "delete {id}: {deleted}");
    }
}

#[tokio::test]
async fn forbidden_fields_and_reassignment() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 2).await;
    let bob = w.provider("u-bob", 3).await;
    let admin = w.user("u-admin", 10, 1).await;
    w.app.create_case(&jane.ctx, jane.case("c-1", &["27447"])).await.unwrap();

    let mut to_bob = patch("c-1");
    to_bob.user_id = raw("u-bob");
    assert_eq!(code(w.app.update_case(&jane.ctx, update(to_bob.clone())).await), "forbidden_field");
    // Jane's surgeon is not in Bob's address book.
    assert_eq!(
        code(w.app.update_case(&admin, update(to_bob.clone())).await),
        "validation_failed [surgeon_id:unknown_surgeon, facility_id:unknown_facility]"
    );
    to_bob.surgeon_id = raw(&bob.surgeon.to_string());
    to_bob.facility_id = raw(&bob.facility.to_string());
    let moved = w.app.update_case(&admin, update(to_bob)).await.unwrap();
    assert_eq!(moved.updated_fields, vec!["user_id", "surgeon_id", "facility_id", "pay_amount"]);
    // Re-priced with Bob's tier 3 (Orthopedic 500.00).
    assert_eq!(moved.pay_update.unwrap().pay_amount, Money::from_cents(50_000));
    assert_eq!(code(w.app.get_case(&jane.ctx, "c-1").await), "case_not_found");

    let mut own = patch("c-1");
    own.user_id = raw("u-bob");
    own.ins_provider = raw("Cigna");
    assert!(
        w.app.update_case(&bob.ctx, update(own)).await.is_ok(),
        "sending one's own id as owner is no reassignment"
    );
    let mut admin_file = patch("c-1");
    admin_file.admin_file = raw("x.pdf");
    assert_eq!(code(w.app.update_case(&bob.ctx, update(admin_file)).await), "forbidden_field");
    assert_eq!(
        code(w.app.update_case(&bob.ctx, update(patch("c-1"))).await),
        "validation_failed [:no_fields_to_update]"
    );
}

#[tokio::test]
async fn tier_changes_reprice_only_pre_payment_cases() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 2).await;
    let ua = w.user("u-ua", 20, 1).await;
    for id in ["c-10", "c-15"] {
        let input = jane.case(id, &["29881", "27447", "58150"]);
        w.app.create_case(&jane.ctx, input).await.unwrap();
    }
    w.force_status("c-10", 10).await;
    w.force_status("c-15", 15).await;
    let input = ProfileInput::new("u-jane").with(ProfileField::UserTier, 3);
    let updated = w.app.update_user(&ua, &input).await.unwrap();
    assert_eq!(updated.updated_fields, vec!["user_tier"]);
    assert_eq!(updated.cases_repriced, Some(1));
    let pay = |id: &'static str| {
        let app = w.app.clone();
        let ctx = jane.ctx.clone();
        async move { app.get_case(&ctx, id).await.unwrap().view.case.row.pay_amount }
    };
    assert_eq!(pay("c-10").await, Money::from_cents(50_000));
    assert_eq!(pay("c-15").await, Money::from_cents(45_000));
}

#[tokio::test]
async fn read_only_fields_are_ignored_when_equal_to_the_stored_value() {
    let w = World::new().await;
    let p = w.provider("u-jane", 2).await;
    let request = p.case("c-1", &["27447"]);
    w.app.create_case(&p.ctx, request).await.unwrap();
    let stored = w.app.get_case(&p.ctx, "c-1").await.unwrap().view.case.row;
    assert_eq!((stored.pay_amount, stored.case_status.code()), (Money::from_cents(45_000), 0));
    let created = format_timestamp(stored.case_create_ts);

    let ok = "ok";
    let refused = |field: &str| format!("validation_failed [{field}:read_only_field]");
    let table: Vec<(&str, Value, String)> = vec![
        ("case_status", json!(0), ok.into()),
        ("case_status", json!("0"), ok.into()),
        ("case_status", json!(10), refused("case_status")),
        ("pay_amount", json!(450), ok.into()),
        ("pay_amount", json!(450.0), ok.into()),
        ("pay_amount", json!("450.00"), ok.into()),
        ("pay_amount", json!(450.01), refused("pay_amount")),
        ("pay_amount", json!("free"), refused("pay_amount")),
        ("pay_category", json!("Orthopedic"), ok.into()),
        ("pay_category", json!("General"), refused("pay_category")),
        ("dupe_flag", json!(0), ok.into()),
        ("dupe_flag", json!(true), refused("dupe_flag")),
        ("active", json!(1), ok.into()),
        ("active", json!(0), refused("active")),
        ("biller_status", json!(0), ok.into()),
        ("case_create_ts", json!(created), ok.into()),
        ("case_create_ts", json!("2020-01-01T00:00:00Z"), refused("case_create_ts")),
        ("paid_to_provider_ts", Value::Null, ok.into()),
        ("paid_to_provider_ts", json!("2025-03-10T12:00:00Z"), refused("paid_to_provider_ts")),
    ];
    for (i, (field, value, expected)) in table.into_iter().enumerate() {
        let before = w.app.get_case(&p.ctx, "c-1").await.unwrap().view.case.row;
        // A new insurer each time: an accepted request writes, a refused one must not.
        let insurer = format!("Insurer {i}");
        let got =
            code(w.app.update_case(&p.ctx, with_read_only("c-1", &insurer, field, value.clone())).await);
        assert!(got.starts_with(&expected), "{field} = {value}: {got}");
        let after = w.app.get_case(&p.ctx, "c-1").await.unwrap().view.case.row;
        if expected == ok {
            assert_eq!(after.patient.ins_provider, insurer, "{field} = {value}");
        } else {
            assert_eq!(after, before, "{field} = {value}: nothing written");
        }
    }
}

#[tokio::test]
async fn every_read_only_field_is_compared() {
    let w = World::new().await;
    let p = w.provider("u-jane", 2).await;
    let request = p.case("c-1", &["27447"]);
    w.app.create_case(&p.ctx, request).await.unwrap();
    let mut request = with_read_only("c-1", "Cigna", "case_status", json!(0));
    // No field of any type reads as "x".
    request.read_only =
        ReadOnlySent(READ_ONLY_FIELDS.iter().map(|f| ((*f).to_owned(), json!("x"))).collect());
    let expected: Vec<String> = READ_ONLY_FIELDS.iter().map(|f| format!("{f}:read_only_field")).collect();
    assert_eq!(
        code(w.app.update_case(&p.ctx, request).await),
        format!("validation_failed [{}]", expected.join(", "))
    );
}

#[tokio::test]
async fn a_capped_status_sent_back_as_shown_is_no_change() {
    let w = World::new().await;
    // A provider whose cap (7) is below the case's stored status (10, still editable by them).
    let input = ProfileInput::new("u-low")
        .with(ProfileField::UserEmail, "low@example.com")
        .with(ProfileField::FirstName, "Low")
        .with(ProfileField::LastName, "Cap")
        .with(ProfileField::MaxCaseStatus, 7);
    w.app.create_user(&surgicase_app::users::Registrar::System { name: "test" }, &input).await.unwrap();
    let actor = w.app.authenticate(&crate::world::uid("u-low")).await.unwrap();
    let ctx = surgicase_app::Ctx::new(actor, None);
    let (surgeon, facility) = w.address_book(&ctx).await;
    let low = crate::world::Provider { ctx, surgeon, facility };
    let admin = w.user("u-admin", 10, 1).await;
    let request = low.case("c-1", &[]);
    w.app.create_case(&low.ctx, request).await.unwrap();
    w.force_status("c-1", 10).await;
    assert_eq!(w.app.get_case(&low.ctx, "c-1").await.unwrap().case_status.code(), 7, "shown capped");

    let table = [
        (&low.ctx, 7, "ok"),
        (&low.ctx, 10, "validation_failed [case_status:read_only_field]"),
        (&admin, 10, "ok"),
        (&admin, 7, "validation_failed [case_status:read_only_field]"),
    ];
    for (i, (ctx, sent, expected)) in table.into_iter().enumerate() {
        // Back to 10 each time: the rules re-run on every accepted write.
        w.force_status("c-1", 10).await;
        let request = with_read_only("c-1", &format!("Insurer {i}"), "case_status", json!(sent));
        let got = code(w.app.update_case(ctx, request).await);
        assert!(got.starts_with(expected), "{} sends {sent}: {got}", ctx.actor.user_id);
    }
}
