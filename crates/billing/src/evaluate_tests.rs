//! Each condition of §6.3 on its own, edges included, and the decision messages.

use surgicase_kernel::CaseStatus;

use crate::catalogue::SEEDED_CATALOGUE;
use crate::evaluate::{Decision, evaluate};
use crate::facts::Facts;
use crate::parse::parse_rule_set;
use crate::rule_set::RuleSet;
use crate::test_support::{With, case, status};

/// A set whose first rule `hit` (0 → 1) carries `when`, followed by `miss` (stay at 0).
fn probe(when: &str) -> RuleSet {
    let text = format!(
        "format = 1\nname = \"probe\"\nmanaged = [0]\n\n[[rules]]\nname = \"hit\"\nset = 1\n{when}\n\n\
         [[rules]]\nname = \"miss\"\nset = 0\n"
    );
    parse_rule_set(&text, &SEEDED_CATALOGUE).unwrap().rule_set
}

fn check(when: &str, rows: Vec<(Facts, bool)>) {
    let rules = probe(when);
    for (i, (facts, holds)) in rows.into_iter().enumerate() {
        let decision = evaluate(&rules, &facts);
        assert_eq!(decision.rule() == Some("hit"), holds, "{when} row {i}: {facts:?}");
    }
}

#[test]
fn documents_present() {
    check(
        "when.documents_present = [\"demo_file\", \"note_file\"]",
        vec![
            (case().docs(&["demo_file", "note_file"]), true),
            (case().docs(&["demo_file", "note_file", "misc_file"]), true),
            (case().docs(&["demo_file"]), false),
            (case(), false),
        ],
    );
}

#[test]
fn documents_missing_any() {
    check(
        "when.documents_missing_any = [\"demo_file\", \"note_file\"]",
        vec![
            (case().docs(&["demo_file", "note_file"]), false),
            (case().docs(&["demo_file"]), true),
            (case().docs(&["admin_file"]), true),
            (case(), true),
        ],
    );
}

#[test]
fn procedure_code_counts() {
    check(
        "when.min_procedure_codes = 2",
        vec![(case().code("27447", None), false), (case().code("27447", None).code("29881", None), true)],
    );
    check("when.min_procedure_codes = 0", vec![(case(), true)]);
    check("when.max_procedure_codes = 0", vec![(case(), true), (case().code("27447", None), false)]);
    check(
        "when.min_procedure_codes = 1\nwhen.max_procedure_codes = 1",
        vec![
            (case(), false),
            (case().code("27447", None), true),
            (case().code("1234F", None).code("27447", None), false),
        ],
    );
}

#[test]
fn insurer_contains_any() {
    check(
        "when.insurer_contains_any = [\"humana\", \"Gold  Plus\"]",
        vec![
            (case().insurer("Humana Gold Plus"), true),
            (case().insurer("  HUMANA  "), true),
            (case().insurer("Aetna gold    plus"), true),
            (case().insurer("Aetna"), false),
            (case(), false),
        ],
    );
}

#[test]
fn insurer_equals_any() {
    check(
        "when.insurer_equals_any = [\"Blue Cross\"]",
        vec![
            (case().insurer("blue   cross"), true),
            (case().insurer(" BLUE CROSS "), true),
            (case().insurer("Blue Cross Blue Shield"), false),
            (case().insurer("BlueCross"), false),
            (case(), false),
        ],
    );
}

#[test]
fn any_code_in() {
    check(
        "when.any_code_in = [\"27447\", \" j1100 \"]",
        vec![
            (case().code("J1100", None), true),
            (case().code("29881", None).code("27447", None), true),
            (case().code("29881", None), false),
            (case(), false),
        ],
    );
}

#[test]
fn all_codes_in_range() {
    check(
        "when.all_codes_in_range = { from = 10004, to = 11960 }",
        vec![
            (case(), false),
            (case().code("11042", None), true),
            (case().code("10004", None).code("11960", None), true),
            (case().code("10003", None), false),
            (case().code("11961", None), false),
            (case().code("11042", None).code("27447", None), false),
            (case().code("11042", None).code("J1100", None), false),
            (case().code("1004T", None), false),
        ],
    );
}

#[test]
fn any_code_in_range() {
    check(
        "when.any_code_in_range = { from = 10004, to = 11960 }",
        vec![
            (case().code("J1100", None).code("11042", None), true),
            (case().code("27447", None).code("10004", None), true),
            (case().code("27447", None), false),
            (case().code("1100T", None), false),
            (case(), false),
        ],
    );
}

#[test]
fn patient_age_at_least() {
    check(
        "when.patient_age_at_least = 65",
        vec![
            (case(), false),
            (case().born("1960-03-15").on("2025-03-15"), true),
            (case().born("1960-03-15").on("2025-03-14"), false),
            (case().born("1950-01-01").on("2025-03-14"), true),
            // A date of birth after the case date is an unknown age.
            (case().born("2026-01-01").on("2025-03-14"), false),
        ],
    );
    // 29 February: the anniversary in a non-leap year is 1 March.
    check(
        "when.patient_age_at_least = 25",
        vec![
            (case().born("2000-02-29").on("2025-02-28"), false),
            (case().born("2000-02-29").on("2025-03-01"), true),
        ],
    );
    check(
        "when.patient_age_at_least = 0",
        vec![(case().born("2025-03-15").on("2025-03-15"), true), (case(), false)],
    );
}

#[test]
fn patient_age_below() {
    check(
        "when.patient_age_below = 18",
        vec![
            (case(), false),
            (case().born("2010-01-01").on("2025-03-15"), true),
            (case().born("2007-03-15").on("2025-03-14"), true),
            (case().born("2007-03-15").on("2025-03-15"), false),
        ],
    );
}

#[test]
fn any_code_with_assist_indicator() {
    check(
        "when.any_code_with_assist_indicator = [2]",
        vec![
            (case().code("27447", Some(2)), true),
            (case().code("29881", Some(0)).code("27447", Some(2)), true),
            (case().code("99213", None), false),
            (case().code("29881", Some(1)), false),
            (case(), false),
        ],
    );
}

#[test]
fn no_code_with_assist_indicator() {
    check(
        "when.no_code_with_assist_indicator = [2, 9]",
        vec![
            (case().code("99213", None), true),
            (case(), true),
            (case().code("29881", Some(0)), true),
            (case().code("27447", Some(2)), false),
            (case().code("29881", Some(1)).code("27447", Some(9)), false),
        ],
    );
}

#[test]
fn conditions_are_anded_and_the_first_match_wins() {
    let text = "format = 1\nname = \"t\"\nmanaged = [0, 1]\n\
                [[rules]]\nname = \"a\"\nset = 7\nwhen.insurer_contains_any = [\"medicare\"]\nwhen.min_procedure_codes = 1\n\
                [[rules]]\nname = \"b\"\nset = 1\nwhen.insurer_contains_any = [\"medicare\"]\n\
                [[rules]]\nname = \"c\"\nset = 0\n";
    let rules = parse_rule_set(text, &SEEDED_CATALOGUE).unwrap().rule_set;
    let table: &[(Facts, &str)] = &[
        (case().insurer("Medicare").code("27447", None), "a"),
        (case().insurer("Medicare"), "b"),
        (case().code("27447", None), "c"),
    ];
    for (facts, rule) in table {
        assert_eq!(evaluate(&rules, facts).rule(), Some(*rule), "{facts:?}");
    }
}

/// A decision, then changed, previous status, status, rule and message.
type Expect<'a> = (&'a Decision, bool, i16, i16, Option<&'a str>, &'a str);

#[test]
fn decision_accessors_and_messages() {
    let moved = Decision::Move { from: status(0), to: status(1), rule: "complete".into() };
    let same = Decision::Unchanged { status: status(0), rule: "incomplete".into() };
    let outside = Decision::NotManaged { status: status(15) };
    let table: &[Expect<'_>] = &[
        (&moved, true, 0, 1, Some("complete"), "Status changed from 0 to 1 (rule complete)"),
        (&same, false, 0, 0, Some("incomplete"), "Status 0 unchanged (rule incomplete)"),
        (&outside, false, 15, 15, None, "Status 15 is not managed by the automatic rules"),
    ];
    for (decision, changed, before, after, rule, message) in table {
        assert_eq!(decision.changed(), *changed, "{decision:?}");
        assert_eq!(decision.previous_status().code(), *before, "{decision:?}");
        assert_eq!(decision.status().code(), *after, "{decision:?}");
        assert_eq!(decision.rule(), *rule, "{decision:?}");
        assert_eq!(decision.message(), *message, "{decision:?}");
    }
}

#[test]
fn messages_show_displayed_statuses() {
    // A reader capped at 10 sees 15 as 10 (domain §4.3); 400 is always shown.
    let cap = |s: CaseStatus| if s.always_shown() || s.code() <= 10 { s } else { status(10) };
    let outside = Decision::NotManaged { status: status(15) };
    assert_eq!(outside.message_with(cap), "Status 10 is not managed by the automatic rules");
    let rejected = Decision::Move { from: status(10), to: status(400), rule: "humana-rejected".into() };
    assert_eq!(rejected.message_with(cap), "Status changed from 10 to 400 (rule humana-rejected)");
}
