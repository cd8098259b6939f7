//! Status rule sets over HTTP (api.md §8): the body types, the limit, the errors, the shapes.

use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use surgicase_app::status_rules::{DEFAULT_RULE_SET_TOML, PAYER_AND_ELIGIBILITY_TOML, toml_sha256};

use super::support::Answer;
use super::world::World;

async fn world() -> World {
    let w = World::new().await;
    w.user("u-ga", "Gina", "Globaladmin", 100).await;
    w
}

async fn send(w: &World, method: TestRequest, path: &str, content_type: Option<&str>, body: &str) -> Answer {
    let mut req = method.uri(path).set_payload(body.to_owned());
    if let Some(content_type) = content_type {
        req = req.insert_header((header::CONTENT_TYPE, content_type));
    }
    w.send(req).await
}

#[actix_web::test]
async fn get_answers_the_set_in_force_with_every_contract_field() {
    let w = world().await;
    let answer = w.get("/admin/status_rules?calling_user_id=u-ga").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    let keys: Vec<&str> = answer.body.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = [
        "id",
        "name",
        "format",
        "description",
        "managed",
        "rules",
        "toml",
        "sha256",
        "created_ts",
        "created_by",
        "source",
    ];
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(answer.body["source"], "built-in default");
    assert_eq!(answer.body["toml"], DEFAULT_RULE_SET_TOML);
    assert_eq!(answer.body["sha256"], toml_sha256(DEFAULT_RULE_SET_TOML));
    assert_eq!(answer.body["managed"], json!([0, 1]));
    assert_eq!(
        answer.body["rules"],
        json!([
            {"name": "complete", "set": 1,
             "when": {"documents_present": ["demo_file", "note_file"], "min_procedure_codes": 1}},
            {"name": "incomplete", "set": 0, "when": {}},
        ])
    );
}

#[actix_web::test]
async fn a_set_arrives_as_toml_plain_text_or_json() {
    let w = world().await;
    let path = "/admin/status_rules?calling_user_id=u-ga";
    for (content_type, body) in [
        ("application/toml", PAYER_AND_ELIGIBILITY_TOML.to_owned()),
        ("text/plain; charset=utf-8", PAYER_AND_ELIGIBILITY_TOML.to_owned()),
        ("application/json", json!({"toml": PAYER_AND_ELIGIBILITY_TOML}).to_string()),
    ] {
        let stored = send(&w, TestRequest::put(), path, Some(content_type), &body).await;
        assert_eq!(stored.status, 200, "{content_type}: {}", stored.raw);
        assert_eq!(stored.body["rule_set"]["name"], "payer-and-eligibility");
        assert_eq!(stored.body["rule_set"]["sha256"], toml_sha256(PAYER_AND_ELIGIBILITY_TOML));
        assert_eq!(stored.body["rule_set"]["created_by"], "u-ga");
        assert_eq!(stored.body["reevaluation"], Value::Null);
    }
    // Re-evaluation from the JSON body or the query: the owner's case (at 1, no documents) is
    // incomplete under the payer set and goes back to 0, where the default set leaves it.
    let json_body = json!({"toml": PAYER_AND_ELIGIBILITY_TOML, "reevaluate": true}).to_string();
    let stored = send(&w, TestRequest::put(), path, Some("application/json"), &json_body).await;
    assert_eq!(stored.body["reevaluation"], json!({"evaluated": 1, "changed": 1}), "{}", stored.raw);
    let flagged = format!("{path}&reevaluate=true");
    let stored =
        send(&w, TestRequest::put(), &flagged, Some("application/toml"), DEFAULT_RULE_SET_TOML).await;
    assert_eq!(stored.body["reevaluation"], json!({"evaluated": 1, "changed": 0}), "{}", stored.raw);

    let history = w.get("/admin/status_rules/history?calling_user_id=u-ga").await;
    let ids: Vec<i64> =
        history.body["rule_sets"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [5, 4, 3, 2, 1]);
    assert_eq!(history.body["rule_sets"][0]["name"], "faq-default");
    assert!(history.body["rule_sets"][0].get("toml").is_none());
}

#[actix_web::test]
async fn bad_bodies_are_refused_with_the_reason() {
    let w = world().await;
    let put = "/admin/status_rules?calling_user_id=u-ga";
    let validate = "/admin/status_rules/validate?calling_user_id=u-ga";
    let too_big = format!("{DEFAULT_RULE_SET_TOML}#{}\n", "x".repeat(256 * 1024));
    let table: &[(&str, Option<&str>, &str, u16, &str)] = &[
        (put, Some("application/xml"), DEFAULT_RULE_SET_TOML, 415, "unsupported_media_type"),
        (put, None, DEFAULT_RULE_SET_TOML, 415, "unsupported_media_type"),
        (validate, Some("application/x-www-form-urlencoded"), "toml=x", 415, "unsupported_media_type"),
        (put, Some("application/toml"), &too_big, 413, "payload_too_large"),
        (put, Some("application/toml"), "format = 1\nname = [", 422, "invalid_rule_set"),
        (validate, Some("text/plain"), "format = 1\nname = \"x\"\nmanaged = [0]\n", 422, "invalid_rule_set"),
        (put, Some("application/json"), r#"{"toml": 1}"#, 422, "validation_failed"),
        (put, Some("application/json"), r#"{"reevaluate": true}"#, 422, "validation_failed"),
        (
            put,
            Some("application/json"),
            r#"{"toml": "format = 1", "reevaluate": 0}"#,
            422,
            "validation_failed",
        ),
        (put, Some("application/json"), r#"["format = 1"]"#, 422, "validation_failed"),
        (put, Some("application/json"), r#"{"toml": "#, 400, "malformed_json"),
        (
            "/admin/status_rules?calling_user_id=u-ga&reevaluate=maybe",
            Some("application/toml"),
            DEFAULT_RULE_SET_TOML,
            422,
            "validation_failed",
        ),
    ];
    for (path, content_type, body, status, code) in table {
        let method = if path.contains("validate") { TestRequest::post() } else { TestRequest::put() };
        let answer = send(&w, method, path, *content_type, body).await;
        assert_eq!(
            (answer.status.as_u16(), answer.error_code()),
            (*status, *code),
            "{content_type:?}: {}",
            answer.raw
        );
    }
    // A syntax error names the line and column; a refused set lists every problem by path.
    let syntax = send(&w, TestRequest::put(), put, Some("application/toml"), "format = 1\nname = [").await;
    assert_eq!(syntax.body["errors"][0]["field"], "toml");
    assert!(
        syntax.body["errors"][0]["message"].as_str().unwrap().starts_with("line 2, column"),
        "{}",
        syntax.raw
    );
    let invalid = "format = 1\nname = \"x\"\nmanaged = [0, 15]\n[[rules]]\nname = \"Bad\"\nset = 1\nwhen.min_procedure_codes = 99\n";
    let refused = send(&w, TestRequest::post(), validate, Some("application/toml"), invalid).await;
    let fields: Vec<&str> =
        refused.body["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    for field in ["managed[1]", "rules[0].name", "rules[0].when.min_procedure_codes", "rules[0].when"] {
        assert!(fields.contains(&field), "{field} missing: {}", refused.raw);
    }
    // Nothing of the above was stored.
    let history = w.get("/admin/status_rules/history?calling_user_id=u-ga").await;
    assert_eq!(history.body, json!({"rule_sets": []}));
}

#[actix_web::test]
async fn validate_stores_nothing_and_reports_warnings() {
    let w = world().await;
    let toml = "format = 1\nname = \"park\"\nmanaged = [0]\n[[rules]]\nname = \"review\"\nset = 7\n";
    let answer = send(
        &w,
        TestRequest::post(),
        "/admin/status_rules/validate?calling_user_id=u-ga",
        Some("application/toml"),
        toml,
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(answer.body["valid"], true);
    assert_eq!(answer.body["rule_set"]["id"], Value::Null);
    assert_eq!(answer.body["rule_set"]["source"], Value::Null);
    assert_eq!(answer.body["warnings"][0]["field"], "rules[0].set");
    let active = w.get("/admin/status_rules?calling_user_id=u-ga").await;
    assert_eq!(active.body["source"], "built-in default");
}
