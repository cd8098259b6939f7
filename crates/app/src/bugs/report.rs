//! The rules of a bug report (api.md §10, domain §19), as pure functions: reading the request
//! body, the tracker task made from a stored report, and the retry schedule.

use std::time::Duration;

use serde_json::{Map, Value};
use surgicase_kernel::text::{check_max, optional_line};
use surgicase_kernel::{FieldCode, FieldError, ValidationErrors};
use surgicase_ports::bugs::{BugPriority, BugRecord, TrackerTask};

pub const MAX_TITLE: usize = 250;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_CALLING_PAGE: usize = 500;
pub const MAX_BUG_DATE: usize = 50;
/// Each of the reporter's names (`reported_by` holds "First Last", at most 250).
pub const MAX_NAME: usize = 120;
/// The title of a report that has none.
pub const UNTITLED: &str = "Untitled Bug";
/// The status a report is filed with (the tracker's workflow moves it on).
pub const FILED_STATUS: &str = "Open";
/// The tags of every task.
pub const TAGS: [&str; 2] = ["bug", "auto-created"];

/// The first retry comes a minute after a failure; each next one waits twice as long.
pub const FIRST_RETRY: Duration = Duration::from_secs(60);
/// The longest wait between two attempts.
pub const MAX_RETRY: Duration = Duration::from_secs(3600);

/// What a valid report body says (the whole body is stored besides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BugReport {
    pub title: String,
    pub description: Option<String>,
    pub calling_page: Option<String>,
    pub bug_date: Option<String>,
    pub priority: BugPriority,
    /// "First Last" from `user_profile`, when it names someone.
    pub reported_by: Option<String>,
}

/// The keys holding arrays and objects of context, stored but not read.
const ARRAYS: [&str; 4] = ["case_statuses", "surgeons", "facilities", "user_types"];
const OBJECTS: [&str; 2] = ["permissions", "environment_info"];

fn invalid_type(field: &str, expected: &str) -> FieldError {
    FieldError::new(field, FieldCode::InvalidType, format!("must be {expected}"))
}

/// A string member of `map` at `path` (absent or `null`: `None`), recording a wrong type.
fn text<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    path: &str,
    errors: &mut ValidationErrors,
) -> Option<&'a str> {
    match map.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            errors.push(invalid_type(path, "a string"));
            None
        }
    }
}

/// An object member (absent or `null`: `None`), recording a wrong type.
fn object<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    errors: &mut ValidationErrors,
) -> Option<&'a Map<String, Value>> {
    match map.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::Object(o)) => Some(o),
        Some(_) => {
            errors.push(invalid_type(key, "an object"));
            None
        }
    }
}

fn line(raw: Option<&str>, max: usize, path: &str, errors: &mut ValidationErrors) -> Option<String> {
    raw.and_then(|r| errors.check(path, optional_line(r, max)).flatten())
}

impl BugReport {
    /// Reads a `POST /bugs` body, listing every problem.
    pub fn read(body: &Map<String, Value>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let bug_date =
            line(text(body, "bug_date", "bug_date", &mut errors), MAX_BUG_DATE, "bug_date", &mut errors);
        let calling_page = line(
            text(body, "calling_page", "calling_page", &mut errors),
            MAX_CALLING_PAGE,
            "calling_page",
            &mut errors,
        );
        let priority = match text(body, "priority", "priority", &mut errors) {
            None => BugPriority::Medium,
            Some(raw) if raw.trim().is_empty() => BugPriority::Medium,
            Some(raw) => BugPriority::parse(raw).unwrap_or_else(|| {
                errors.push(FieldError::new(
                    "priority",
                    FieldCode::InvalidFormat,
                    "must be one of urgent, high, medium, normal, low",
                ));
                BugPriority::Medium
            }),
        };
        let (mut title, mut description) = (None, None);
        if let Some(bug) = object(body, "bug", &mut errors) {
            title = line(text(bug, "title", "bug.title", &mut errors), MAX_TITLE, "bug.title", &mut errors);
            description = text(bug, "description", "bug.description", &mut errors).and_then(|d| {
                // A blank description counts against the limit too, as the schema says.
                errors.check("bug.description", check_max(d, MAX_DESCRIPTION))?;
                (!d.trim().is_empty()).then(|| d.to_owned())
            });
        }
        let mut reported_by = None;
        if let Some(profile) = object(body, "user_profile", &mut errors) {
            let first = line(
                text(profile, "first_name", "user_profile.first_name", &mut errors),
                MAX_NAME,
                "user_profile.first_name",
                &mut errors,
            );
            let last = line(
                text(profile, "last_name", "user_profile.last_name", &mut errors),
                MAX_NAME,
                "user_profile.last_name",
                &mut errors,
            );
            reported_by = full_name(first.as_deref(), last.as_deref());
        }
        for key in ARRAYS {
            if body.get(key).is_some_and(|v| !v.is_null() && !v.is_array()) {
                errors.push(invalid_type(key, "an array"));
            }
        }
        for key in OBJECTS {
            object(body, key, &mut errors);
        }
        errors.into_result(BugReport {
            title: title.unwrap_or_else(|| UNTITLED.to_owned()),
            description,
            calling_page,
            bug_date,
            priority,
            reported_by,
        })
    }
}

/// "First Last" from whichever names are given.
pub fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let parts: Vec<&str> =
        [first, last].into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// `Bug #<bug_id>: <title>`: unique per report, so a task can be found again by its name.
pub fn task_name(bug_id: i64, title: &str) -> String {
    format!("Bug #{bug_id}: {title}")
}

/// The description paragraph, a blank line, and the whole report pretty-printed in a fenced
/// JSON block (a body that is not JSON is shown as it was stored).
pub fn task_description(description: Option<&str>, full_json: &str) -> String {
    let pretty = serde_json::from_str::<Value>(full_json)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| full_json.to_owned());
    format!("{}\n\n```json\n{pretty}\n```", description.unwrap_or(""))
}

/// The task to create for a stored report.
pub fn tracker_task(bug: &BugRecord) -> TrackerTask {
    TrackerTask {
        name: task_name(bug.bug_id, &bug.title),
        description: task_description(bug.description.as_deref(), &bug.full_json),
        priority: bug.priority,
        tags: TAGS.iter().map(|t| (*t).to_owned()).collect(),
    }
}

/// How long after the `attempt`-th attempt (1-based) fails the next one is due: 1 min,
/// doubling, at most 1 h.
pub fn retry_delay(attempt: i32) -> Duration {
    let doublings = u32::try_from(attempt.saturating_sub(1)).unwrap_or(0).min(16);
    FIRST_RETRY.saturating_mul(1_u32 << doublings).min(MAX_RETRY)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(v: Value) -> Result<BugReport, Vec<(String, &'static str)>> {
        let Value::Object(map) = v else { panic!("object") };
        BugReport::read(&map).map_err(|e| e.iter().map(|f| (f.field.clone(), f.code.as_str())).collect())
    }

    #[test]
    fn a_full_report() {
        let report = read(json!({
            "bug_date": "2025-03-03 10:14",
            "calling_page": " /cases ",
            "priority": "URGENT",
            "bug": {"title": "  Save   does nothing ", "description": "Line 1\nLine 2"},
            "user_profile": {"first_name": "Jane", "last_name": "Doe", "user_type": 1},
            "case_statuses": [], "surgeons": [1], "facilities": null, "user_types": [],
            "permissions": {}, "environment_info": {"browser": "x"}, "extra": 1
        }))
        .expect("valid");
        assert_eq!(
            report,
            BugReport {
                title: "Save does nothing".into(),
                description: Some("Line 1\nLine 2".into()),
                calling_page: Some("/cases".into()),
                bug_date: Some("2025-03-03 10:14".into()),
                priority: BugPriority::Urgent,
                reported_by: Some("Jane Doe".into()),
            }
        );
    }

    #[test]
    fn defaults() {
        let report = read(json!({})).expect("valid");
        assert_eq!(report.title, UNTITLED);
        assert_eq!(report.priority, BugPriority::Medium);
        assert_eq!((report.description, report.reported_by), (None, None));
        let report =
            read(json!({"bug": {"title": "  "}, "priority": " ", "user_profile": {"last_name": "Doe"}}))
                .expect("valid");
        assert_eq!((report.title.as_str(), report.priority), (UNTITLED, BugPriority::Medium));
        assert_eq!(report.reported_by.as_deref(), Some("Doe"));
    }

    #[test]
    fn every_problem_is_listed() {
        let errors = read(json!({
            "bug_date": 20250303,
            "calling_page": "x".repeat(501),
            "priority": "critical",
            "bug": {"title": "a\u{0007}b", "description": "d".repeat(20_001)},
            "user_profile": "Jane",
            "surgeons": {},
            "environment_info": [],
        }))
        .unwrap_err();
        assert_eq!(
            errors,
            vec![
                ("bug_date".into(), "invalid_type"),
                ("calling_page".into(), "too_long"),
                ("priority".into(), "invalid_format"),
                ("bug.title".into(), "invalid_characters"),
                ("bug.description".into(), "too_long"),
                ("user_profile".into(), "invalid_type"),
                ("surgeons".into(), "invalid_type"),
                ("environment_info".into(), "invalid_type"),
            ]
        );
        assert_eq!(read(json!({"bug": "title"})).unwrap_err(), vec![("bug".into(), "invalid_type")]);
        assert_eq!(read(json!({"priority": 1})).unwrap_err(), vec![("priority".into(), "invalid_type")]);
    }

    #[test]
    fn the_task() {
        let name = task_name(42, "Save does nothing");
        assert_eq!(name, "Bug #42: Save does nothing");
        let description = task_description(Some("It broke."), r#"{"b":1,"a":[2]}"#);
        assert_eq!(description, "It broke.\n\n```json\n{\n  \"a\": [\n    2\n  ],\n  \"b\": 1\n}\n```");
        assert_eq!(task_description(None, "not json"), "\n\n```json\nnot json\n```");
    }

    #[test]
    fn retries_back_off_doubling_up_to_an_hour() {
        let table =
            [(1, 60), (2, 120), (3, 240), (4, 480), (5, 960), (6, 1920), (7, 3600), (8, 3600), (40, 3600)];
        for (attempt, seconds) in table {
            assert_eq!(retry_delay(attempt), Duration::from_secs(seconds), "attempt {attempt}");
        }
        assert_eq!(retry_delay(0), Duration::from_secs(60));
        assert_eq!(retry_delay(i32::MAX), MAX_RETRY);
    }

    #[test]
    fn names() {
        assert_eq!(full_name(Some("Jane"), Some("Doe")).as_deref(), Some("Jane Doe"));
        assert_eq!(full_name(None, Some(" Doe ")).as_deref(), Some("Doe"));
        assert_eq!(full_name(Some(""), None), None);
    }
}
