//! `GET /users`, `GET /cases_by_status` and the dashboards (api.md §6).

use serde_json::{Value, json};
use surgicase_kernel::{Raw, UserType};
use surgicase_ports::records::UserTypeRecord;

use super::world::World;

/// `ids` of a list's items under `key`.
fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|item| item[key].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The owner's c-owner (03-03, status 1) and c-late (03-03, status 30: above a provider's cap),
/// c-early (01-15, status 10); the other provider's c-theirs (03-05, status 10, own facility).
async fn cases_world() -> World {
    let w = World::new().await;
    let owner = w.ctx("u-owner").await;
    w.app().create_case(&owner, w.case_input("c-late", "Jim", "Late", &["27447"])).await.expect("case");
    let mut early = w.case_input("c-early", "Jim", "Early", &["27447"]);
    early.case_date = Raw::Value("2025-01-15".to_owned());
    w.app().create_case(&owner, early).await.expect("early case");
    let other = w.ctx("u-other").await;
    let (surgeon, facility) = w.address_book_of(&other).await;
    let mut theirs = w.case_for("c-theirs", surgeon, facility);
    theirs.case_date = Raw::Value("2025-03-05".to_owned());
    w.app().create_case(&other, theirs).await.expect("their case");
    w.force_status("c-late", 30).await;
    w.force_status("c-early", 10).await;
    w.force_status("c-theirs", 10).await;
    w
}

/// A service account `u-robot` (type 1000, added to the type list first).
async fn robot(w: &World) {
    let service = UserTypeRecord {
        user_type: UserType::FIRST_SERVICE_ACCOUNT,
        user_type_desc: "Service".to_owned(),
        user_max_case_status: None,
    };
    w.store.conn().await.expect("conn").upsert_user_types(&[service]).await.expect("type");
    w.user("u-robot", "Robo", "Account", 1000).await;
}

#[actix_web::test]
async fn cases_by_status_lists_every_users_cases_at_stored_statuses() {
    let w = cases_world().await;
    let all = w.get("/cases_by_status?calling_user_id=u-ca").await;
    assert_eq!(all.status, 200, "{}", all.raw);
    // Case date desc; on one date, the provider's first name (both Olivia's), then case id desc.
    assert_eq!(ids(&all.body["cases"], "case_id"), ["c-theirs", "c-owner", "c-late", "c-early"]);
    assert_eq!((&all.body["total"], &all.body["filter"]), (&json!(4), &json!([])));
    let theirs = &all.body["cases"][0];
    assert_eq!(theirs["provider_name"], "Oscar Other", "{theirs}");
    assert_eq!(theirs["user_id"], "u-other");
    assert_eq!(theirs["facility_state"], "NJ");
    assert_eq!(theirs["facility_name"], "Seattle Grace");
    assert_eq!(theirs["case_status_desc"], "Ready for billing");
    // Stored statuses: 30 stays 30 (a provider would see it as 20).
    let late = w.get("/cases_by_status?filter=30&calling_user_id=u-ca").await;
    assert_eq!(ids(&late.body["cases"], "case_id"), ["c-late"], "{}", late.raw);
    assert_eq!(late.body["cases"][0]["case_status"], 30);
    let paid = w.get("/cases_by_status?filter=20&calling_user_id=u-ca").await;
    assert_eq!(paid.body["total"], 0, "{}", paid.raw);
    // Filters combine: statuses and an inclusive date range, echoed.
    let ranged = w
        .get("/cases_by_status?filter=10,%201&start_date=2025-03-03&end_date=2025-03-05&limit=1&offset=1&calling_user_id=u-ca")
        .await;
    assert_eq!(ranged.status, 200, "{}", ranged.raw);
    assert_eq!(ids(&ranged.body["cases"], "case_id"), ["c-owner"]);
    assert_eq!(ranged.body["total"], 2);
    assert_eq!(ranged.body["filter"], json!([10, 1]));
    assert_eq!(
        (&ranged.body["start_date"], &ranged.body["end_date"]),
        (&json!("2025-03-03"), &json!("2025-03-05"))
    );
    let all_word = w.get("/cases_by_status?filter=ALL&end_date=2025-03-03&calling_user_id=u-ca").await;
    assert_eq!(all_word.body["filter"], json!(["all"]), "{}", all_word.raw);
    assert_eq!(all_word.body["total"], 3);
}

#[actix_web::test]
async fn cases_by_status_refuses_bad_filters_and_dates() {
    let w = cases_world().await;
    let table: [(&str, Vec<(&str, &str)>); 6] = [
        ("filter=abc", vec![("filter", "invalid_format")]),
        ("filter=16", vec![("filter", "unknown_status")]),
        ("start_date=2025-02-30", vec![("start_date", "invalid_date")]),
        ("end_date=03%2F01%2F2025", vec![("end_date", "invalid_date")]),
        ("start_date=2025-03-02&end_date=2025-03-01", vec![("end_date", "invalid_date")]),
        ("limit=0", vec![("limit", "out_of_range")]),
    ];
    for (q, expected) in table {
        let answer = w.get(&format!("/cases_by_status?{q}&calling_user_id=u-ca")).await;
        assert_eq!(answer.status, 422, "{q}: {}", answer.raw);
        let expected: Vec<(String, String)> =
            expected.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect();
        assert_eq!(answer.field_errors(), expected, "{q}");
    }
}

#[actix_web::test]
async fn case_dashboard_counts_and_sums_active_cases_per_status_and_category() {
    let w = cases_world().await;
    let one = w.get("/case?case_id=c-owner&calling_user_id=u-ca").await;
    let price = one.body["case"]["pay_amount"].as_f64().expect("priced");
    assert!(price > 0.0, "{}", one.raw);
    let cents = |n: f64| format!("{:.2}", n * price);
    // c-late is deleted: it no longer counts.
    let deleted = w.delete("/case?case_id=c-late&calling_user_id=u-ca").await;
    assert_eq!(deleted.status, 200, "{}", deleted.raw);

    let answer = w.get("/case_dashboard_data?calling_user_id=u-ca").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(
        answer.body["dashboard_data"],
        json!([
            {"case_status": 1, "case_status_desc": "Submitted", "cases": 1, "total_amount": cents(1.0)},
            {"case_status": 10, "case_status_desc": "Ready for billing", "cases": 2, "total_amount": cents(2.0)},
        ])
    );
    assert_eq!(
        answer.body["pay_category_data"],
        json!([{"pay_category": "Orthopedic", "cases": 3, "total_amount": cents(3.0)}])
    );
    assert_eq!(answer.body["summary"], json!({"total_cases": 3, "total_amount": cents(3.0)}));
    assert_eq!(answer.body["filters"], json!({"start_date": null, "end_date": null}));

    let ranged = w.get("/case_dashboard_data?start_date=2025-03-04&calling_user_id=u-ca").await;
    assert_eq!(
        ranged.body["summary"],
        json!({"total_cases": 1, "total_amount": cents(1.0)}),
        "{}",
        ranged.raw
    );
    assert_eq!(ranged.body["filters"], json!({"start_date": "2025-03-04", "end_date": null}));
    let bad =
        w.get("/case_dashboard_data?start_date=2025-03-04&end_date=2025-03-01&calling_user_id=u-ca").await;
    assert_eq!(bad.status, 422, "{}", bad.raw);
}

#[actix_web::test]
async fn user_dashboard_counts_active_people_per_type() {
    let w = World::new().await;
    robot(&w).await;
    let answer = w.get("/user_dashboard_data?validated=true&skip_logging=true&calling_user_id=u-ca").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(
        answer.body,
        json!({
            "user_types": [
                {"user_type": 1, "user_type_desc": "Provider", "count": 2},
                {"user_type": 10, "user_type_desc": "Case Admin", "count": 1},
                {"user_type": 20, "user_type_desc": "User Admin", "count": 1},
            ],
            "summary": {"total_users": 4},
        })
    );
    let gone = w.delete("/user?user_id=u-other&calling_user_id=u-ua").await;
    assert_eq!(gone.status, 200, "{}", gone.raw);
    let after = w.get("/user_dashboard_data?calling_user_id=u-ca").await;
    assert_eq!(after.body["user_types"][0]["count"], 1, "{}", after.raw);
    assert_eq!(after.body["summary"]["total_users"], 3);
}

#[actix_web::test]
async fn users_lists_people_up_to_the_callers_type() {
    let w = World::new().await;
    w.user("u-ga", "Gary", "Global", 100).await;
    robot(&w).await;
    let answer = w.get("/users?calling_user_id=u-ua").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    // By type, first name, last name; nobody above the caller's 20, no service account.
    assert_eq!(ids(&answer.body["users"], "user_id"), ["u-owner", "u-other", "u-ca", "u-ua"]);
    assert_eq!(answer.body["total_count"], 4);
    let first = &answer.body["users"][0];
    assert_eq!((&first["first_name"], &first["user_type_desc"]), (&json!("Olivia"), &json!("Provider")));
    let ga = w.get("/users?calling_user_id=u-ga").await;
    assert_eq!(
        ids(&ga.body["users"], "user_id"),
        ["u-owner", "u-other", "u-ca", "u-ua", "u-ga"],
        "{}",
        ga.raw
    );

    let gone = w.delete("/user?user_id=u-other&calling_user_id=u-ua").await;
    assert_eq!(gone.status, 200, "{}", gone.raw);
    let active = w.get("/users?limit=2&offset=1&calling_user_id=u-ua").await;
    assert_eq!(ids(&active.body["users"], "user_id"), ["u-ca", "u-ua"], "{}", active.raw);
    assert_eq!(active.body["total_count"], 3);
    let all = w.get("/users?include_inactive=1&calling_user_id=u-ua").await;
    assert_eq!(all.body["total_count"], 4, "{}", all.raw);
    let bad = w.get("/users?include_inactive=maybe&calling_user_id=u-ua").await;
    assert_eq!(bad.status, 422, "{}", bad.raw);
}

#[actix_web::test]
async fn build_dashboard_combines_health_cases_users_and_tiers() {
    let w = cases_world().await;
    let answer = w.get("/build_dashboard?end_date=2025-03-03&calling_user_id=u-ca").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    let body = &answer.body;
    assert_eq!(
        (&body["dashboard_type"], &body["status"], &body["errors"]),
        (&json!("comprehensive"), &json!("complete"), &Value::Null)
    );
    assert_eq!(
        body["request_filters"],
        json!({"user_id": "u-ca", "start_date": null, "end_date": "2025-03-03"})
    );
    let cases = w.get("/case_dashboard_data?end_date=2025-03-03&calling_user_id=u-ca").await;
    assert_eq!(body["data"]["cases"], cases.body);
    let users = w.get("/user_dashboard_data?calling_user_id=u-ca").await;
    assert_eq!(body["data"]["users"], users.body);
    assert!(body["data"]["health"]["status"].is_string(), "{body}");
    let summary = &body["summary"];
    assert_eq!(summary["total_cases"], 3, "{summary}");
    assert_eq!(summary["total_users"], 4);
    assert_eq!(summary["case_total_amount"], cases.body["summary"]["total_amount"]);
    assert_eq!(summary["overall_health"], body["data"]["health"]["status"]);
    assert!(summary["total_pay_tiers"].as_u64().is_some_and(|n| n > 0), "{summary}");
    assert_eq!(summary["total_services"], body["data"]["health"]["summary"]["total_services"]);
}
