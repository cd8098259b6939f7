//! The shipped rule sets, case by case against the tables of domain §6.7 and §6.8.

use surgicase_kernel::CaseStatus;

use crate::catalogue::SEEDED_CATALOGUE;
use crate::evaluate::{Decision, evaluate};
use crate::facts::Facts;
use crate::parse::parse_rule_set;
use crate::shipped::*;
use crate::test_support::{With, case, status};

fn moves(from: i16, to: i16, rule: &str) -> Decision {
    Decision::Move { from: status(from), to: status(to), rule: rule.to_owned() }
}

fn stays(at: i16, rule: &str) -> Decision {
    Decision::Unchanged { status: status(at), rule: rule.to_owned() }
}

fn not_managed(at: i16) -> Decision {
    Decision::NotManaged { status: status(at) }
}

#[test]
fn both_files_parse_without_warnings() {
    for text in [DEFAULT_RULE_SET_TOML, PAYER_AND_ELIGIBILITY_TOML] {
        let validated = parse_rule_set(text, &SEEDED_CATALOGUE).unwrap();
        assert_eq!(validated.warnings, []);
    }
    let default = default_rule_set().unwrap();
    assert_eq!(default.name(), "faq-default");
    assert_eq!(default.managed(), [CaseStatus::DRAFT, CaseStatus::SUBMITTED]);
    assert_eq!(default.rule_count(), 2);
    let payer = payer_and_eligibility_rule_set().unwrap();
    assert_eq!(payer.name(), "payer-and-eligibility");
    assert_eq!(payer.managed().iter().map(|s| s.code()).collect::<Vec<_>>(), [0, 1, 7, 10]);
    assert_eq!(payer.rule_count(), 8);
}

#[test]
fn faq_default_table() {
    let rules = default_rule_set().unwrap();
    let table: Vec<(&str, Facts, Decision)> = vec![
        (
            "at 0 with demo file, note file and one code",
            case().complete_docs().code("27447", Some(2)),
            moves(0, 1, "complete"),
        ),
        (
            "at 1, note file removed",
            case().at(1).docs(&["demo_file"]).code("27447", None),
            moves(1, 0, "incomplete"),
        ),
        ("at 0 with both files, no code", case().complete_docs(), stays(0, "incomplete")),
        ("at 10 (set by an admin), note file removed", case().at(10).docs(&["demo_file"]), not_managed(10)),
        // Beyond the table: a complete case at 1 stays; any document order or extra file is fine.
        ("at 1, complete", case().at(1).complete_docs().code("27447", None), stays(1, "complete")),
        (
            "at 0, all four files, two codes",
            case()
                .docs(&["admin_file", "misc_file", "note_file", "demo_file"])
                .code("29881", None)
                .code("J1100", None),
            moves(0, 1, "complete"),
        ),
    ];
    for (label, facts, expected) in table {
        assert_eq!(evaluate(&rules, &facts), expected, "{label}");
    }
}

#[test]
fn payer_and_eligibility_table() {
    let rules = payer_and_eligibility_rule_set().unwrap();
    let complete = || case().complete_docs();
    let table: Vec<(&str, Facts, Decision)> = vec![
        (
            "insurer Humana Gold Plus, no documents",
            case().insurer("Humana Gold Plus"),
            moves(0, 400, "humana-rejected"),
        ),
        (
            "codes 11042, 11043, Aetna, complete",
            complete().code("11042", None).code("11043", None).insurer("Aetna"),
            moves(0, 400, "codes-out-of-scope"),
        ),
        (
            "codes 11042, 27447 (asst_surg 2), complete, Aetna, no DOB",
            complete().code("11042", None).code("27447", Some(2)).insurer("Aetna"),
            moves(0, 10, "ready-for-billing"),
        ),
        (
            "at 10, note file removed, Aetna",
            case().at(10).docs(&["demo_file"]).code("27447", Some(2)).insurer("Aetna"),
            moves(10, 0, "incomplete-documents"),
        ),
        (
            "Medicare Part B, complete",
            complete().code("27447", Some(2)).insurer("Medicare Part B"),
            moves(0, 7, "medicare-review"),
        ),
        (
            "born 1960-03-15, case date 2025-03-15, complete, Aetna",
            complete().code("27447", Some(2)).insurer("Aetna").born("1960-03-15").on("2025-03-15"),
            moves(0, 7, "senior-review"),
        ),
        (
            "born 1960-03-15, case date 2025-03-14, complete, 27447 asst_surg 2",
            complete().code("27447", Some(2)).insurer("Aetna").born("1960-03-15").on("2025-03-14"),
            moves(0, 10, "ready-for-billing"),
        ),
        (
            "complete, only 99213 (asst_surg unknown), Cigna",
            complete().code("99213", None).insurer("Cigna"),
            moves(0, 7, "no-billable-assist-code"),
        ),
        (
            "at 10, insurer changed to Humana",
            case().at(10).complete_docs().code("27447", Some(2)).insurer("Humana"),
            moves(10, 400, "humana-rejected"),
        ),
        ("at 15, anything", case().at(15).insurer("Humana"), not_managed(15)),
        (
            "at 400, insurer corrected",
            case().at(400).complete_docs().code("27447", Some(2)).insurer("Aetna"),
            not_managed(400),
        ),
        // Beyond the table: the completeness rules and the unchanged outcome.
        ("complete docs, no code, Aetna", complete().insurer("Aetna"), stays(0, "no-codes")),
        (
            "at 10, still ready",
            case().at(10).complete_docs().code("27447", Some(2)).insurer("Aetna"),
            stays(10, "ready-for-billing"),
        ),
        (
            "at 7, review cleared by a corrected insurer",
            case().at(7).complete_docs().code("27447", Some(2)).insurer("Aetna"),
            moves(7, 10, "ready-for-billing"),
        ),
    ];
    for (label, facts, expected) in table {
        assert_eq!(evaluate(&rules, &facts), expected, "{label}");
    }
}

#[test]
fn faq_default_serialises_for_the_api() {
    let json = serde_json::to_value(default_rule_set().unwrap()).unwrap();
    let expected = serde_json::json!({
        "name": "faq-default",
        "description": "Draft until the demo file, the note file and a procedure code are present.",
        "managed": [0, 1],
        "rules": [
            {"name": "complete", "set": 1,
             "when": {"documents_present": ["demo_file", "note_file"], "min_procedure_codes": 1}},
            {"name": "incomplete", "set": 0, "when": {}}
        ]
    });
    assert_eq!(json, expected);
}

#[test]
fn payer_set_serialises_every_condition_shape() {
    let json = serde_json::to_value(payer_and_eligibility_rule_set().unwrap()).unwrap();
    let when = |i: usize| json["rules"][i]["when"].clone();
    assert_eq!(when(0), serde_json::json!({"insurer_contains_any": ["humana"]}));
    assert_eq!(when(1), serde_json::json!({"all_codes_in_range": {"from": 10004, "to": 11960}}));
    assert_eq!(when(5), serde_json::json!({"patient_age_at_least": 65}));
    assert_eq!(when(6), serde_json::json!({"no_code_with_assist_indicator": [2]}));
    assert_eq!(json["rules"][1]["set"], serde_json::json!(400));
}
