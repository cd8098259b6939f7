//! The checks of the shell's bodies, and the agreement of their schemas with those checks.

use serde_json::{Map, Value, json};
use surgicase_kernel::{RequestBody, ValidationErrors};
use utoipa::ToSchema;
use validator::Validate;

use super::read;
use crate::dto::document_bodies::{CaseImagesBody, CaseUploadUrlBody, ConfirmBody, UserUploadUrlBody};
use crate::dto::observability::{BugBody, ClientLogBody};

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn problems<T: RequestBody + Validate>(body: Value, strict: bool) -> Vec<(String, &'static str)> {
    let errors = read::<T>(object(body), strict).map(|(_, e)| e).unwrap_or_default();
    errors.iter().map(|e| (e.field.clone(), e.code.as_str())).collect()
}

fn listed(items: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    items.iter().map(|(f, c)| ((*f).to_owned(), *c)).collect()
}

#[test]
fn every_problem_of_a_body_with_its_path() {
    let body = json!({
        "endpoint": "x".repeat(256), "method": 5, "response_status": 99.5, "execution_time_ms": -1,
        "error_message": "", "extra": 1
    });
    assert_eq!(
        problems::<ClientLogBody>(body.clone(), false),
        listed(&[
            ("endpoint", "too_long"),
            ("execution_time_ms", "out_of_range"),
            ("method", "invalid_type"),
            ("response_status", "invalid_type"),
        ])
    );
    let strict = problems::<ClientLogBody>(body, true);
    assert_eq!(strict.last(), Some(&("extra".to_owned(), "unknown_field")), "{strict:?}");
    assert_eq!(
        problems::<ClientLogBody>(json!({"response_status": 600.0}), false),
        listed(&[
            ("endpoint", "required"),
            ("execution_time_ms", "required"),
            ("method", "required"),
            ("response_status", "out_of_range"),
        ])
    );

    let ids: Vec<Value> = (0..201).map(|i| json!(format!("c-{i}"))).collect();
    assert_eq!(
        problems::<CaseImagesBody>(json!({"case_ids": ids}), false),
        listed(&[("case_ids", "too_many")])
    );
    assert_eq!(
        problems::<CaseImagesBody>(json!({"case_ids": []}), false),
        listed(&[("case_ids", "too_short")])
    );
    assert_eq!(
        problems::<CaseImagesBody>(json!({"case_ids": ["a", 2, null]}), false),
        listed(&[("case_ids[1]", "invalid_type"), ("case_ids[2]", "invalid_type")])
    );
    assert_eq!(
        problems::<CaseImagesBody>(json!({"case_ids": null}), false),
        listed(&[("case_ids", "required")])
    );

    let bug = json!({"bug": {"title": "t".repeat(251)}, "user_profile": {"first_name": 1}, "surgeons": {}});
    assert_eq!(
        problems::<BugBody>(bug, false),
        listed(&[
            ("bug.title", "too_long"),
            ("surgeons", "invalid_type"),
            ("user_profile.first_name", "invalid_type")
        ])
    );
    assert_eq!(
        problems::<ConfirmBody>(json!({"upload_id": " "}), false),
        listed(&[("upload_id", "required")])
    );
    assert_eq!(problems::<ConfirmBody>(json!({"upload_id": "u"}), false), listed(&[]));
    assert_eq!(
        problems::<CaseUploadUrlBody>(json!({"case_id": "c", "size_bytes": 1.5}), false),
        listed(&[
            ("content_type", "required"),
            ("document_type", "required"),
            ("file_name", "required"),
            ("size_bytes", "invalid_type"),
        ])
    );
}

/// A limit the schema states for one field.
#[derive(Debug)]
struct Limit {
    path: Vec<String>,
    keyword: String,
    value: f64,
}

fn resolve<'a>(schema: &'a Value, doc: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(&doc["components"]["schemas"][name], doc)
        }
        None => schema,
    }
}

/// The limits of a schema and of the fields it holds, through `$ref`s and `oneOf` branches.
fn limits(schema: &Value, doc: &Value, path: &[String], out: &mut Vec<Limit>) {
    let schema = resolve(schema, doc);
    for keyword in ["maxLength", "maxItems", "minItems", "maximum", "minimum"] {
        if let Some(value) = schema.get(keyword).and_then(Value::as_f64) {
            out.push(Limit { path: path.to_vec(), keyword: keyword.to_owned(), value });
        }
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        for branch in schema.get(combinator).and_then(Value::as_array).into_iter().flatten() {
            limits(branch, doc, path, out);
        }
    }
    for (name, field) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let mut inner = path.to_vec();
        inner.push(name.clone());
        limits(field, doc, &inner, out);
    }
}

/// A value at the limit (`ok = true`) or one step beyond it.
fn at(limit: &Limit, ok: bool) -> Value {
    let (n, step) = (limit.value, if ok { 0.0 } else { 1.0 });
    match limit.keyword.as_str() {
        "maxLength" => json!("a".repeat((n + step) as usize)),
        "maxItems" => json!(vec!["a"; (n + step) as usize]),
        "minItems" => json!(vec!["a"; (n - step) as usize]),
        "maximum" => json!(n + step),
        _ => json!(n - step),
    }
}

/// `{"a": {"b": value}}` for the path `a.b`.
fn nested(path: &[String], value: Value) -> Value {
    path.iter().rev().fold(value, |inner, key| json!({ key.as_str(): inner }))
}

/// The validator accepts each limit the document states for `T` and refuses one step beyond,
/// except where `elsewhere` says the use case refuses it (path, keyword).
fn schema_and_checks_agree<T: RequestBody + Validate + ToSchema>(elsewhere: &[(&str, &str)]) -> usize {
    let doc = serde_json::to_value(crate::openapi::document(crate::routes::ROUTES)).unwrap_or_default();
    let name = T::name();
    let schema = &doc["components"]["schemas"][name.as_ref()];
    assert!(schema.is_object(), "{name} is in the document");
    let mut found = Vec::new();
    limits(schema, &doc, &[], &mut found);
    let mut checked = 0;
    for limit in &found {
        let field = limit.path.join(".");
        if elsewhere.contains(&(field.as_str(), limit.keyword.as_str())) {
            continue;
        }
        let flagged = |ok: bool| {
            let errors: ValidationErrors = read::<T>(object(nested(&limit.path, at(limit, ok))), false)
                .map(|(_, e)| e)
                .unwrap_or_default();
            errors.iter().any(|e| e.field == field)
        };
        assert!(!flagged(true), "{name}.{field}: {} {} is refused", limit.keyword, limit.value);
        assert!(flagged(false), "{name}.{field}: one beyond {} {} is accepted", limit.keyword, limit.value);
        checked += 1;
    }
    checked
}

#[test]
fn the_documented_limits_are_the_checked_ones() {
    // `size_bytes`: 0 is `empty_document` and over the limit 413, both the use case's. A
    // `user_id` that no user can have (too long included) names nobody: 404, or 401 for a caller.
    let size = [("size_bytes", "minimum"), ("size_bytes", "maximum")];
    let user_id = ("user_id", "maxLength");
    let checked = [
        schema_and_checks_agree::<CaseUploadUrlBody>(&size),
        schema_and_checks_agree::<UserUploadUrlBody>(&[size[0], size[1], user_id]),
        schema_and_checks_agree::<ConfirmBody>(&[]),
        schema_and_checks_agree::<CaseImagesBody>(&[user_id]),
        schema_and_checks_agree::<BugBody>(&[]),
        schema_and_checks_agree::<ClientLogBody>(&[]),
    ];
    // case id and file name; file name; case_ids (2); 6 bug texts; log: 3 texts, 2 + 2 bounds.
    assert_eq!(checked, [2, 1, 0, 2, 6, 7], "limits found");
}
