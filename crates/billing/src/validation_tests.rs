//! §6.4: one row per kind of problem, with its exact path and code, and every problem of a
//! document reported at once.

use surgicase_kernel::{CaseStatus, FieldCode};

use crate::catalogue::SEEDED_CATALOGUE;
use crate::parse::parse_rule_set;
use crate::rule_set::RuleSetWarning;

const HEAD: &str = "format = 1\nname = \"t\"\nmanaged = [0, 1]\n";
const LAST: &str = "\n[[rules]]\nname = \"last\"\nset = 0\n";

/// The head, one guarded rule with `when` (0 → 1), then the unconditional last rule.
fn with_when(when: &str) -> String {
    format!("{HEAD}\n[[rules]]\nname = \"first\"\nset = 1\n{when}\n{LAST}")
}

/// The errors of `text` as (field, code), in the order reported; empty when accepted.
fn errors(text: &str) -> Vec<(String, FieldCode)> {
    match parse_rule_set(text, &SEEDED_CATALOGUE) {
        Ok(_) => Vec::new(),
        Err(e) => e.errors.into_iter().map(|e| (e.field, e.code)).collect(),
    }
}

fn rules(n: usize) -> String {
    let mut text = HEAD.to_owned();
    for i in 0..n - 1 {
        text.push_str(&format!("[[rules]]\nname = \"r{i}\"\nset = 1\nwhen.min_procedure_codes = 1\n"));
    }
    text + LAST
}

/// A label, the TOML text and the expected (field, code) list.
type Row<'a> = (&'a str, String, Vec<(&'a str, FieldCode)>);

#[test]
fn one_row_per_kind_of_problem() {
    use FieldCode::*;
    let long_name = "x".repeat(101);
    let long_rule = "r".repeat(65);
    let long_insurer = "i".repeat(101);
    let table: Vec<Row<'_>> = vec![
        // Top level.
        ("format 2", HEAD.replace("format = 1", "format = 2") + LAST, vec![("format", OutOfRange)]),
        ("format missing", HEAD.replace("format = 1\n", "") + LAST, vec![("format", Required)]),
        (
            "format as a string",
            HEAD.replace("format = 1", "format = \"1\"") + LAST,
            vec![("format", InvalidType)],
        ),
        ("name missing", HEAD.replace("name = \"t\"\n", "") + LAST, vec![("name", Required)]),
        ("name blank", HEAD.replace("\"t\"", "\"   \"") + LAST, vec![("name", Required)]),
        ("name too long", HEAD.replace("\"t\"", &format!("\"{long_name}\"")) + LAST, vec![("name", TooLong)]),
        (
            "description not a string",
            format!("{HEAD}description = 5\n{LAST}"),
            vec![("description", InvalidType)],
        ),
        ("unknown top-level key", format!("colour = \"red\"\n{HEAD}{LAST}"), vec![("colour", UnknownField)]),
        // managed.
        ("managed missing", HEAD.replace("managed = [0, 1]\n", "") + LAST, vec![("managed", Required)]),
        ("managed empty", HEAD.replace("[0, 1]", "[]") + LAST, vec![("managed", TooShort)]),
        ("managed not a list", HEAD.replace("[0, 1]", "0") + LAST, vec![("managed", InvalidType)]),
        (
            "unknown status in managed",
            HEAD.replace("[0, 1]", "[0, 3]") + LAST,
            vec![("managed[1]", UnknownStatus)],
        ),
        (
            "status out of range in managed",
            HEAD.replace("[0, 1]", "[-1, 1]") + LAST,
            vec![("managed[0]", UnknownStatus)],
        ),
        (
            "managed status not pre-billing",
            HEAD.replace("[0, 1]", "[0, 15]") + LAST,
            vec![("managed[1]", OutOfRange)],
        ),
        ("managed 400", HEAD.replace("[0, 1]", "[0, 400]") + LAST, vec![("managed[1]", OutOfRange)]),
        ("repeated managed", HEAD.replace("[0, 1]", "[0, 1, 0]") + LAST, vec![("managed[2]", InvalidFormat)]),
        (
            "managed entry wrong type",
            HEAD.replace("[0, 1]", "[0, \"1\"]") + LAST,
            vec![("managed[1]", InvalidType)],
        ),
        // rules.
        ("rules missing", HEAD.to_owned(), vec![("rules", Required)]),
        ("rules empty", format!("{HEAD}rules = []\n"), vec![("rules", TooShort)]),
        ("rules not a list", format!("{HEAD}rules = 3\n"), vec![("rules", InvalidType)]),
        (
            "rule not a table",
            format!("{HEAD}rules = [1, {{ name = \"last\", set = 0 }}]\n"),
            vec![("rules[0]", InvalidType)],
        ),
        ("too many rules", rules(101), vec![("rules", TooMany)]),
        (
            "unknown rule key",
            with_when("target = 3\nwhen.min_procedure_codes = 1"),
            vec![("rules[0].target", UnknownField)],
        ),
        ("rule name missing", format!("{HEAD}[[rules]]\nset = 0\n"), vec![("rules[0].name", Required)]),
        (
            "bad rule name",
            with_when("when.min_procedure_codes = 1").replace("\"first\"", "\"Complete\""),
            vec![("rules[0].name", InvalidCharacters)],
        ),
        (
            "rule name with a space",
            with_when("when.min_procedure_codes = 1").replace("\"first\"", "\"a b\""),
            vec![("rules[0].name", InvalidCharacters)],
        ),
        (
            "empty rule name",
            with_when("when.min_procedure_codes = 1").replace("\"first\"", "\"\""),
            vec![("rules[0].name", Required)],
        ),
        (
            "rule name too long",
            with_when("when.min_procedure_codes = 1").replace("first", &long_rule),
            vec![("rules[0].name", TooLong)],
        ),
        (
            "duplicate rule name",
            with_when("when.max_procedure_codes = 0").replace("\"last\"", "\"first\""),
            vec![("rules[1].name", InvalidFormat)],
        ),
        ("set missing", format!("{HEAD}[[rules]]\nname = \"last\"\n"), vec![("rules[0].set", Required)]),
        (
            "set wrong type",
            with_when("when.min_procedure_codes = 1").replace("set = 1", "set = \"one\""),
            vec![("rules[0].set", InvalidType)],
        ),
        (
            "set 15 refused",
            with_when("when.min_procedure_codes = 1").replace("set = 1", "set = 15"),
            vec![("rules[0].set", OutOfRange)],
        ),
        (
            "set 500 refused",
            with_when("when.min_procedure_codes = 1").replace("set = 1", "set = 500"),
            vec![("rules[0].set", OutOfRange)],
        ),
        (
            "set not in catalogue",
            with_when("when.min_procedure_codes = 1").replace("set = 1", "set = 3"),
            vec![("rules[0].set", UnknownStatus)],
        ),
        (
            "set 400 allowed",
            with_when("when.min_procedure_codes = 1").replace("set = 1", "set = 400"),
            vec![],
        ),
        ("set 8 allowed", with_when("when.min_procedure_codes = 1").replace("set = 1", "set = 8"), vec![]),
        ("when not a table", with_when("when = 3"), vec![("rules[0].when", InvalidType)]),
        // Structure.
        (
            "unreachable rule",
            format!("{HEAD}{LAST}{}", LAST.replace("last", "after")),
            vec![("rules[1]", InvalidFormat)],
        ),
        (
            "two unreachable rules",
            format!("{HEAD}{LAST}{}{}", LAST.replace("last", "b"), LAST.replace("last", "c")),
            vec![("rules[1]", InvalidFormat), ("rules[2]", InvalidFormat)],
        ),
        (
            "last rule has conditions",
            format!("{HEAD}{LAST}when.min_procedure_codes = 1\n"),
            vec![("rules[0].when", InvalidFormat)],
        ),
        ("empty when is no condition", format!("{HEAD}{LAST}when = {{}}\n"), vec![]),
        // Conditions.
        ("unknown condition", with_when("when.foo = 1"), vec![("rules[0].when.foo", UnknownField)]),
        (
            "documents_present wrong type",
            with_when("when.documents_present = \"demo_file\""),
            vec![("rules[0].when.documents_present", InvalidType)],
        ),
        (
            "unknown document field",
            with_when("when.documents_present = [\"demo_file\", \"x_file\"]"),
            vec![("rules[0].when.documents_present[1]", UnknownDocumentType)],
        ),
        (
            "empty document list",
            with_when("when.documents_missing_any = []"),
            vec![("rules[0].when.documents_missing_any", TooShort)],
        ),
        (
            "count above 50",
            with_when("when.min_procedure_codes = 51"),
            vec![("rules[0].when.min_procedure_codes", OutOfRange)],
        ),
        (
            "negative count",
            with_when("when.max_procedure_codes = -1"),
            vec![("rules[0].when.max_procedure_codes", OutOfRange)],
        ),
        (
            "count as float",
            with_when("when.max_procedure_codes = 1.0"),
            vec![("rules[0].when.max_procedure_codes", InvalidType)],
        ),
        (
            "min above max",
            with_when("when.min_procedure_codes = 3\nwhen.max_procedure_codes = 2"),
            vec![("rules[0].when.max_procedure_codes", OutOfRange)],
        ),
        ("min equal to max", with_when("when.min_procedure_codes = 2\nwhen.max_procedure_codes = 2"), vec![]),
        (
            "empty insurer list",
            with_when("when.insurer_contains_any = []"),
            vec![("rules[0].when.insurer_contains_any", TooShort)],
        ),
        (
            "blank insurer",
            with_when("when.insurer_contains_any = [\"aetna\", \"  \"]"),
            vec![("rules[0].when.insurer_contains_any[1]", Required)],
        ),
        (
            "insurer too long",
            with_when(&format!("when.insurer_equals_any = [\"{long_insurer}\"]")),
            vec![("rules[0].when.insurer_equals_any[0]", TooLong)],
        ),
        (
            "insurer with a control character",
            with_when("when.insurer_equals_any = [\"a\\u0007b\"]"),
            vec![("rules[0].when.insurer_equals_any[0]", InvalidCharacters)],
        ),
        (
            "insurer not a string",
            with_when("when.insurer_equals_any = [1]"),
            vec![("rules[0].when.insurer_equals_any[0]", InvalidType)],
        ),
        (
            "bad procedure code",
            with_when("when.any_code_in = [\"27447\", \"2744\"]"),
            vec![("rules[0].when.any_code_in[1]", InvalidProcedureCode)],
        ),
        (
            "range from above to",
            with_when("when.all_codes_in_range = { from = 20000, to = 10000 }"),
            vec![("rules[0].when.all_codes_in_range.to", OutOfRange)],
        ),
        (
            "range above 99999",
            with_when("when.any_code_in_range = { from = 0, to = 100000 }"),
            vec![("rules[0].when.any_code_in_range.to", OutOfRange)],
        ),
        (
            "range negative",
            with_when("when.any_code_in_range = { from = -1, to = 5 }"),
            vec![("rules[0].when.any_code_in_range.from", OutOfRange)],
        ),
        (
            "range missing from",
            with_when("when.all_codes_in_range = { to = 5 }"),
            vec![("rules[0].when.all_codes_in_range.from", Required)],
        ),
        (
            "range unknown key",
            with_when("when.all_codes_in_range = { from = 1, to = 5, step = 1 }"),
            vec![("rules[0].when.all_codes_in_range.step", UnknownField)],
        ),
        (
            "range not a table",
            with_when("when.all_codes_in_range = [1, 5]"),
            vec![("rules[0].when.all_codes_in_range", InvalidType)],
        ),
        (
            "age at least above 130",
            with_when("when.patient_age_at_least = 131"),
            vec![("rules[0].when.patient_age_at_least", OutOfRange)],
        ),
        (
            "age below 0",
            with_when("when.patient_age_below = 0"),
            vec![("rules[0].when.patient_age_below", OutOfRange)],
        ),
        (
            "age bounds accepted",
            with_when("when.patient_age_at_least = 0\nwhen.patient_age_below = 130"),
            vec![],
        ),
        (
            "assist indicator 3",
            with_when("when.no_code_with_assist_indicator = [2, 3]"),
            vec![("rules[0].when.no_code_with_assist_indicator[1]", OutOfRange)],
        ),
        (
            "assist indicator empty",
            with_when("when.any_code_with_assist_indicator = []"),
            vec![("rules[0].when.any_code_with_assist_indicator", TooShort)],
        ),
        (
            "assist indicator wrong type",
            with_when("when.any_code_with_assist_indicator = [\"2\"]"),
            vec![("rules[0].when.any_code_with_assist_indicator[0]", InvalidType)],
        ),
        (
            "assist indicators accepted",
            with_when("when.any_code_with_assist_indicator = [0, 1, 2, 9]"),
            vec![],
        ),
    ];
    for (label, text, expected) in table {
        let expected: Vec<(String, FieldCode)> =
            expected.into_iter().map(|(f, c)| (f.to_owned(), c)).collect();
        assert_eq!(errors(&text), expected, "{label}\n{text}");
    }
}

#[test]
fn hundred_rules_are_accepted() {
    assert_eq!(errors(&rules(100)), []);
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = r#"
format = 2
managed = [0, 15, 0, 3]
extra = true

[[rules]]
name = "Bad Name"
set = "one"
when.foo = 1
when.all_codes_in_range = { from = 20000, to = 10000 }
when.min_procedure_codes = 5
when.max_procedure_codes = 4

[[rules]]
name = "dup"
set = 15

[[rules]]
name = "dup"
set = 0
when.insurer_contains_any = []
"#;
    let found: Vec<(String, FieldCode)> = errors(text);
    let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "extra",
            "format",
            "name",
            "managed[1]",
            "managed[2]",
            "managed[3]",
            "rules[0].name",
            "rules[0].set",
            "rules[0].when.all_codes_in_range.to",
            "rules[0].when.foo",
            "rules[0].when.max_procedure_codes",
            "rules[1].set",
            "rules[2]",
            "rules[2].when",
            "rules[2].name",
            "rules[2].when.insurer_contains_any",
        ]
    );
}

#[test]
fn syntax_errors_give_line_and_column() {
    let text = "format = 1\nname = = \"x\"\n";
    let error = parse_rule_set(text, &SEEDED_CATALOGUE).unwrap_err();
    assert_eq!(error.errors.len(), 1);
    assert_eq!(error.errors[0].field, "toml");
    assert_eq!(error.errors[0].code, FieldCode::InvalidFormat);
    assert!(error.errors[0].message.starts_with("line 2, column 8: "), "{}", error.errors[0].message);

    // A repeated key is a TOML error too.
    let text = "format = 1\nname = \"a\"\nname = \"b\"\n";
    let error = parse_rule_set(text, &SEEDED_CATALOGUE).unwrap_err();
    assert_eq!(error.fields(), ["toml"]);
    assert!(error.errors[0].message.starts_with("line 3, column 1: "), "{}", error.errors[0].message);
}

#[test]
fn warnings_name_targets_outside_managed() {
    let text = format!(
        "{}\n[[rules]]\nname = \"reject\"\nset = 400\nwhen.insurer_contains_any = [\"x\"]\n\
         [[rules]]\nname = \"review\"\nset = 7\nwhen.min_procedure_codes = 3\n\
         [[rules]]\nname = \"docs\"\nset = 8\nwhen.max_procedure_codes = 0\n{LAST}",
        HEAD.replace("[0, 1]", "[0]")
    );
    let validated = parse_rule_set(&text, &SEEDED_CATALOGUE).unwrap();
    let warning = |field: &str, status: i16| RuleSetWarning {
        field: field.to_owned(),
        message: format!(
            "status {status} is not in managed: cases that reach it stay there until an admin moves them"
        ),
    };
    assert_eq!(validated.warnings, [warning("rules[1].set", 7), warning("rules[2].set", 8)]);
    assert_eq!(validated.rule_set.rule_count(), 4);
}

#[test]
fn the_catalogue_decides_which_statuses_exist() {
    // An admin-added pre-billing status 3 becomes usable once it is in the catalogue.
    let text = with_when("when.min_procedure_codes = 1").replace("set = 1", "set = 3");
    let mut catalogue = SEEDED_CATALOGUE.to_vec();
    catalogue.push(CaseStatus::new(3).unwrap());
    assert!(parse_rule_set(&text, &catalogue).is_ok());
    assert!(parse_rule_set(&text, &SEEDED_CATALOGUE).is_err());
}

#[test]
fn accepted_values_are_kept() {
    let text = with_when(
        "when.insurer_contains_any = [\"  Humana   Gold \"]\nwhen.any_code_in = [\" j1100\"]\n\
         when.any_code_in_range = { from = 10, to = 20 }",
    );
    let rule_set = parse_rule_set(&text, &SEEDED_CATALOGUE).unwrap().rule_set;
    let first = rule_set.rules().next().unwrap();
    assert_eq!(first.when.insurer_contains_any.as_deref(), Some(&["Humana Gold".to_owned()][..]));
    assert_eq!(first.when.any_code_in.as_ref().map(|l| l[0].as_str()), Some("J1100"));
    assert_eq!(first.when.any_code_in_range.map(|r| (r.from(), r.to())), Some((10, 20)));
    assert!(rule_set.rules().last().unwrap().when.is_empty());
}
