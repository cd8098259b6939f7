//! The admin lists (api.md §9), as a global admin and below.

use serde_json::{Value, json};

use super::world::World;

async fn world_with_admin() -> World {
    let w = World::new().await;
    w.user("u-ga", "Gary", "Global", 100).await;
    w
}

fn field_errors(answer: &super::support::Answer) -> Vec<(String, String)> {
    answer.field_errors()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect()
}

#[actix_web::test]
async fn user_types_and_statuses_are_listed_and_created_once() {
    let w = world_with_admin().await;
    let types = w.get("/user_types?calling_user_id=u-ga").await;
    assert_eq!(types.status, 200, "{}", types.raw);
    let first = &types.body["user_types"][0];
    assert_eq!(*first, json!({"user_type": 1, "user_type_desc": "Provider", "user_max_case_status": 20}));

    let body = json!({"user_type": 5, "user_type_desc": " Assistant ", "user_max_case_status": 10, "user_id": "u-ga"});
    let created = w.post("/user_types", &body).await;
    assert_eq!(created.status, 201, "{}", created.raw);
    assert_eq!(
        created.body,
        json!({"message": "User type created successfully", "user_type": 5, "user_type_desc": "Assistant",
               "user_max_case_status": 10, "created_by": "u-ga"})
    );
    let again =
        w.post("/user_types?calling_user_id=u-ga", &json!({"user_type": 5, "user_type_desc": "Other"})).await;
    assert_eq!((again.status.as_u16(), again.error_code()), (409, "already_exists"), "{}", again.raw);
    let listed = w.get("/user_types?calling_user_id=u-ga").await;
    let five: Vec<&Value> =
        listed.body["user_types"].as_array().into_iter().flatten().filter(|t| t["user_type"] == 5).collect();
    assert_eq!(
        five,
        vec![&json!({"user_type": 5, "user_type_desc": "Assistant", "user_max_case_status": 10})]
    );

    let table: [(Value, Vec<(&str, &str)>); 4] = [
        (json!({"user_type_desc": "X"}), vec![("user_type", "required")]),
        (json!({"user_type": 0, "user_type_desc": "X"}), vec![("user_type", "out_of_range")]),
        (json!({"user_type": 6, "user_type_desc": "   "}), vec![("user_type_desc", "required")]),
        (
            json!({"user_type": 6, "user_type_desc": "X", "user_max_case_status": 16}),
            vec![("user_max_case_status", "unknown_status")],
        ),
    ];
    for (body, expected) in table {
        let answer = w.post("/user_types?calling_user_id=u-ga", &body).await;
        assert_eq!(answer.status, 422, "{body}: {}", answer.raw);
        assert_eq!(field_errors(&answer), pairs(&expected), "{body}");
    }

    let status = w
        .post(
            "/case_statuses?calling_user_id=u-ga",
            &json!({"case_status": 90, "case_status_desc": "Appeal"}),
        )
        .await;
    assert_eq!(status.status, 201, "{}", status.raw);
    assert_eq!(status.body["case_status"], 90);
    let taken = w
        .post(
            "/case_statuses?calling_user_id=u-ga",
            &json!({"case_status": 20, "case_status_desc": "Paid again"}),
        )
        .await;
    assert_eq!((taken.status.as_u16(), taken.error_code()), (409, "already_exists"), "{}", taken.raw);
    let catalogue = w.get("/case_statuses?calling_user_id=u-ga").await;
    let codes: Vec<i64> = catalogue.body["case_statuses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["case_status"].as_i64())
        .collect();
    assert!(codes.windows(2).all(|p| p[0] < p[1]) && codes.contains(&90), "{codes:?}");
    let paid = catalogue.body["case_statuses"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["case_status"] == 20)
        .cloned();
    assert_eq!(paid.map(|p| p["case_status_desc"].clone()), Some(json!("Paid")));
    // A new status is usable at once: a bulk update to 90 is accepted.
    let bulk = w
        .patch(
            "/bulk_update_case_status?calling_user_id=u-ca",
            &json!({"case_ids": ["c-owner"], "new_status": 90}),
        )
        .await;
    assert_eq!(bulk.body["total_updated"], 1, "{}", bulk.raw);
}

#[actix_web::test]
async fn document_types_compare_without_case() {
    let w = world_with_admin().await;
    let before = w.get("/user_doc_types?calling_user_id=u-owner").await;
    assert_eq!(before.status, 200, "{}", before.raw);
    let created = w
        .post(
            "/user_doc_types?calling_user_id=u-ga",
            &json!({"doc_type": "State License", "doc_prefix": "license"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.raw);
    assert_eq!(created.body["doc_prefix"], "license");
    let shouted = w.post("/user_doc_types?calling_user_id=u-ga", &json!({"doc_type": "STATE LICENSE"})).await;
    assert_eq!((shouted.status.as_u16(), shouted.error_code()), (409, "already_exists"), "{}", shouted.raw);
    let after = w.get("/user_doc_types?calling_user_id=u-owner").await;
    let names: Vec<&str> = after.body["user_doc_types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["doc_type"].as_str())
        .collect();
    assert_eq!(names.iter().filter(|n| n.eq_ignore_ascii_case("state license")).count(), 1, "{names:?}");
    let long = w
        .post("/user_doc_types?calling_user_id=u-ga", &json!({"doc_type": "W", "doc_prefix": "p".repeat(26)}))
        .await;
    assert_eq!(field_errors(&long), pairs(&[("doc_prefix", "too_long")]), "{}", long.raw);
}

#[actix_web::test]
async fn prices_are_listed_and_summarised() {
    let w = world_with_admin().await;
    let tiers = w.get("/pay_tiers?calling_user_id=u-ga").await;
    assert_eq!(tiers.status, 200, "{}", tiers.raw);
    let rows = tiers.body["pay_tiers"].as_array().cloned().unwrap_or_default();
    assert!(!rows.is_empty(), "{}", tiers.raw);
    let order: Vec<(i64, f64)> = rows
        .iter()
        .map(|r| (r["tier"].as_i64().unwrap_or(0), r["pay_amount"].as_f64().unwrap_or(0.0)))
        .collect();
    assert!(order.windows(2).all(|p| p[0].0 < p[1].0 || (p[0].0 == p[1].0 && p[0].1 <= p[1].1)), "{order:?}");

    let summary = w.get("/tiers_summary?calling_user_id=u-ua").await;
    assert_eq!(summary.status, 200, "{}", summary.raw);
    let buckets = summary.body["buckets"].as_str().unwrap_or_default();
    assert!(buckets.starts_with("OB-Gyn/General/Orthopedic/Plastic/Spine"), "{buckets}");
    // Every tier of the table appears once, in numeric order, with one amount per bucket.
    let mut expected_tiers: Vec<i64> = order.iter().map(|(t, _)| *t).collect();
    expected_tiers.dedup();
    let lines = summary.body["tiers_summary"].as_array().cloned().unwrap_or_default();
    let got: Vec<i64> = lines.iter().filter_map(|l| l["tier"].as_str()?.parse().ok()).collect();
    assert_eq!(got, expected_tiers);
    let width = buckets.split('/').count();
    for line in &lines {
        let amounts = line["amounts"].as_str().unwrap_or_default();
        assert_eq!(amounts.trim_matches(|c| c == '(' || c == ')').split('/').count(), width, "{amounts}");
    }
    // One price, checked against the table: tier 1 Orthopedic, third bucket of the first line.
    let ortho = rows
        .iter()
        .find(|r| r["tier"] == 1 && r["code_bucket"] == "Orthopedic")
        .and_then(|r| r["pay_amount"].as_f64())
        .expect("tier 1 prices Orthopedic");
    let amounts = lines[0]["amounts"].as_str().unwrap_or_default();
    let shown = amounts.trim_matches(|c| c == '(' || c == ')').split('/').nth(2).unwrap_or_default();
    assert_eq!(shown.parse::<f64>().ok(), Some(ortho), "{}", summary.raw);
}

#[actix_web::test]
async fn auto_fix_entries_refuse_chains_and_deactivate() {
    let w = world_with_admin().await;
    let listed = w.get("/procedure_code_auto_fix?calling_user_id=u-ga").await;
    assert_eq!(listed.status, 200, "{}", listed.raw);
    assert_eq!(listed.body["auto_fixes"][0]["entered_code"], "59510");
    assert_eq!(listed.body["auto_fixes"][0]["active"], 1);

    let body = json!({"entered_code": " 27447-80 ", "fixed_code": "27447", "reason": "Modifier removed"});
    let created = w.post("/procedure_code_auto_fix?calling_user_id=u-ga", &body).await;
    assert_eq!(created.status, 201, "{}", created.raw);
    assert_eq!(
        (&created.body["entered_code"], &created.body["created_by"]),
        (&json!("27447-80"), &json!("u-ga"))
    );
    let again = w.post("/procedure_code_auto_fix?calling_user_id=u-ga", &body).await;
    assert_eq!((again.status.as_u16(), again.error_code()), (409, "already_exists"), "{}", again.raw);

    // No chains either way, and shapes are checked.
    let table: [(Value, Vec<(&str, &str)>); 4] = [
        (
            json!({"entered_code": "59514", "fixed_code": "59515", "reason": "r"}),
            vec![("entered_code", "invalid_format")],
        ),
        (
            json!({"entered_code": "1234", "fixed_code": "59510", "reason": "r"}),
            vec![("fixed_code", "invalid_format")],
        ),
        (
            json!({"entered_code": "X1", "fixed_code": "27-447", "reason": "r"}),
            vec![("fixed_code", "invalid_procedure_code")],
        ),
        (json!({"entered_code": "X1", "fixed_code": "27447", "reason": " "}), vec![("reason", "required")]),
    ];
    for (body, expected) in table {
        let answer = w.post("/procedure_code_auto_fix?calling_user_id=u-ga", &body).await;
        assert_eq!(answer.status, 422, "{body}: {}", answer.raw);
        assert_eq!(field_errors(&answer), pairs(&expected), "{body}");
    }

    // The entry applies to new cases at once.
    let owner = w.ctx("u-owner").await;
    let case =
        w.app().create_case(&owner, w.case_input("c-fixed", "Al", "Fix", &["27447-80"])).await.expect("case");
    assert_eq!(case.codes.corrected, vec!["27447".to_owned()]);

    let gone = w.delete("/procedure_code_auto_fix?entered_code=27447-80&calling_user_id=u-ga").await;
    assert_eq!(
        gone.body,
        json!({"message": "Auto-fix deactivated", "entered_code": "27447-80", "active": 0}),
        "{}",
        gone.raw
    );
    let missing = w.delete("/procedure_code_auto_fix?entered_code=27447-80&calling_user_id=u-ga").await;
    assert_eq!((missing.status.as_u16(), missing.error_code()), (404, "not_found"), "{}", missing.raw);
    let active = w.get("/procedure_code_auto_fix?calling_user_id=u-ga").await;
    assert_eq!(active.body["auto_fixes"].as_array().map(Vec::len), Some(1), "{}", active.raw);
    let all = w.get("/procedure_code_auto_fix?include_inactive=true&calling_user_id=u-ga").await;
    assert_eq!(all.body["auto_fixes"][0]["active"], 0, "{}", all.raw);
    // A deactivated entry may be created anew.
    let revived = w.post("/procedure_code_auto_fix?calling_user_id=u-ga", &body).await;
    assert_eq!(revived.status, 201, "{}", revived.raw);
}

#[actix_web::test]
async fn price_writes_reprice_the_tiers_pre_payment_cases() {
    let w = world_with_admin().await;
    let owner = w.ctx("u-owner").await;
    w.app().create_case(&owner, w.case_input("c-paid", "Al", "Paid", &["27447"])).await.expect("case");
    w.force_status("c-paid", 15).await;
    let pay = |id: &'static str| {
        let w = &w;
        async move {
            let case = w.get(&format!("/case?case_id={id}&calling_user_id=u-ca")).await;
            case.body["case"]["pay_amount"].as_f64()
        }
    };
    let before_paid = pay("c-paid").await;

    // The owner is tier 1: a PUT of tier 1's Orthopedic price re-prices c-owner (status 1), not
    // c-paid (15). Bucket names match the stored spelling whatever their case.
    let put = json!({"tier": 1, "buckets": [{"bucket": "orthopedic", "pay_amount": "123.45"}, {"bucket": "Cardiac", "pay_amount": 99}]});
    let stored = w
        .send(super::world::json(
            actix_web::test::TestRequest::put(),
            "/pay_tiers?calling_user_id=u-ga",
            &put,
        ))
        .await;
    assert_eq!(stored.status, 200, "{}", stored.raw);
    assert_eq!(
        stored.body,
        json!({"message": "Pay tier saved successfully", "tier": 1, "records_created": 1, "records_updated": 1, "cases_repriced": 1})
    );
    assert_eq!(pay("c-owner").await, Some(123.45));
    assert_eq!(pay("c-paid").await, before_paid);
    let rows = w.get("/pay_tiers?calling_user_id=u-ga").await;
    let ortho: Vec<&Value> = rows.body["pay_tiers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| {
            r["tier"] == 1 && r["code_bucket"].as_str().is_some_and(|b| b.eq_ignore_ascii_case("orthopedic"))
        })
        .collect();
    assert_eq!(ortho.len(), 1, "{}", rows.raw);

    // POST refuses a priced bucket of the tier, whole, naming it.
    let clash = json!({"tier": 1, "buckets": [{"bucket": "Spine2", "pay_amount": 1}, {"bucket": "CARDIAC", "pay_amount": 2}]});
    let refused = w.post("/pay_tiers?calling_user_id=u-ga", &clash).await;
    assert_eq!((refused.status.as_u16(), refused.error_code()), (409, "already_exists"), "{}", refused.raw);
    assert_eq!(refused.body["existing"], json!([{"bucket": "Cardiac", "tier": 1}]), "{}", refused.raw);
    let after = w.get("/pay_tiers?calling_user_id=u-ga").await;
    assert!(!after.raw.contains("Spine2"), "nothing written: {}", after.raw);

    let created = w
        .post(
            "/pay_tiers?calling_user_id=u-ga",
            &json!({"tier": 9, "buckets": [{"bucket": "Spine", "pay_amount": 700}]}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.raw);
    assert_eq!(created.body["buckets_created"], json!([{"bucket": "Spine", "pay_amount": 700.0}]));
    assert_eq!((&created.body["records_created"], &created.body["cases_repriced"]), (&json!(1), &json!(0)));

    let table: [(Value, Vec<(&str, &str)>); 5] = [
        (json!({}), vec![("buckets", "required"), ("tier", "required")]),
        (json!({"tier": 0, "buckets": []}), vec![("buckets", "too_short"), ("tier", "out_of_range")]),
        (
            json!({"tier": "x", "buckets": [{"bucket": "A"}]}),
            vec![("buckets[0].pay_amount", "required"), ("tier", "invalid_type")],
        ),
        (
            json!({"tier": 2, "buckets": [{"bucket": 5, "pay_amount": "1.234"}]}),
            vec![("buckets[0].bucket", "invalid_type"), ("buckets[0].pay_amount", "invalid_amount")],
        ),
        (
            json!({"tier": 2, "buckets": [{"bucket": "A", "pay_amount": 1}, {"bucket": "a", "pay_amount": 2}]}),
            vec![("buckets[1].bucket", "invalid_format")],
        ),
    ];
    for (body, expected) in table {
        let answer = w.post("/pay_tiers?calling_user_id=u-ga", &body).await;
        assert_eq!(answer.status, 422, "{body}: {}", answer.raw);
        let mut got = field_errors(&answer);
        got.sort();
        assert_eq!(got, pairs(&expected), "{body}");
    }
}

#[actix_web::test]
async fn faqs_are_shown_to_their_user_type_in_display_order() {
    let w = world_with_admin().await;
    let add = |body: Value| {
        let w = &w;
        async move { w.post("/faqs?calling_user_id=u-ga", &body).await }
    };
    let second = add(json!({"user_type": 1, "faq_header": "When am I paid?", "faq_text": "Mondays.\nBy transfer.", "display_order": 2})).await;
    assert_eq!(second.status, 201, "{}", second.raw);
    assert_eq!(second.body["message"], "FAQ created successfully");
    assert!(second.body["faq_id"].as_i64().is_some_and(|id| id > 0), "{}", second.raw);
    assert_eq!((&second.body["display_order"], &second.body["created_by"]), (&json!(2), &json!("u-ga")));
    let first =
        add(json!({"user_type": 1, "faq_header": " How do I log a case? ", "faq_text": "POST /case."})).await;
    assert_eq!(first.body["display_order"], 0, "{}", first.raw);
    add(json!({"user_type": 10, "faq_header": "Admins", "faq_text": "Only for case admins."})).await;

    let mine = w.get("/faqs?calling_user_id=u-owner").await;
    assert_eq!(mine.status, 200, "{}", mine.raw);
    assert_eq!(
        mine.body,
        json!({"faqs": [
            {"faq_header": "How do I log a case?", "faq_text": "POST /case."},
            {"faq_header": "When am I paid?", "faq_text": "Mondays.\nBy transfer."},
        ], "user_type": 1})
    );
    let admins = w.get("/faqs?calling_user_id=u-ca").await;
    assert_eq!(admins.body["faqs"].as_array().map(Vec::len), Some(1), "{}", admins.raw);
    // A provider naming another type still reads their own type's FAQs.
    let other_type = w.get("/faqs?user_type=10&calling_user_id=u-owner").await;
    assert_eq!(other_type.body["user_type"], 1, "{}", other_type.raw);
    assert_eq!(other_type.body["faqs"], mine.body["faqs"]);
    let none = w.get("/faqs?calling_user_id=u-ua").await;
    assert_eq!(none.body, json!({"faqs": [], "user_type": 20}));

    let table: [(Value, Vec<(&str, &str)>); 4] = [
        (
            json!({"user_type": 42, "faq_header": "H", "faq_text": "T"}),
            vec![("user_type", "unknown_user_type")],
        ),
        (json!({"user_type": 1, "faq_header": "  ", "faq_text": "T"}), vec![("faq_header", "required")]),
        (
            json!({"user_type": 1, "faq_header": "H", "faq_text": "a\u{0007}b"}),
            vec![("faq_text", "invalid_characters")],
        ),
        (
            json!({"user_type": 1, "faq_header": "H", "faq_text": "x".repeat(20_001)}),
            vec![("faq_text", "too_long")],
        ),
    ];
    for (body, expected) in table {
        let answer = w.post("/faqs?calling_user_id=u-ga", &body).await;
        assert_eq!(answer.status, 422, "{}", answer.raw);
        let mut got = field_errors(&answer);
        got.sort();
        assert_eq!(got, pairs(&expected));
    }
}
