//! Status rule sets (api.md §8, domain §6): who may manage them, what a refusal stores (nothing),
//! and a re-evaluation that walks every managed case across several batches.

use surgicase_app::status_rules::{REEVALUATE_BATCH, RuleSetSource, toml_sha256};
use surgicase_billing::{DEFAULT_RULE_SET_TOML, PAYER_AND_ELIGIBILITY_TOML};
use surgicase_kernel::{CaseId, CaseStatus};
use surgicase_ports::Store;
use surgicase_ports::records::ChangeSource;

use super::world::{World, code, raw};

#[tokio::test]
async fn only_global_and_system_admins_manage_rule_sets() {
    let w = World::new().await;
    for (id, user_type, allowed) in [
        ("u-prov", 1, false),
        ("u-ca", 10, false),
        ("u-ua", 20, false),
        ("u-ga", 100, true),
        ("u-sa", 999, true),
    ] {
        let ctx = w.user(id, user_type, 1).await;
        let expect = |outcome: String| {
            assert_eq!(outcome.starts_with("ok"), allowed, "{id}: {outcome}");
            if !allowed {
                assert_eq!(outcome, "forbidden", "{id}");
            }
        };
        expect(code(w.app.status_rules(&ctx).await));
        expect(code(w.app.validate_status_rules(&ctx, DEFAULT_RULE_SET_TOML).await));
        expect(code(w.app.status_rules_history(&ctx).await));
        expect(code(w.app.replace_status_rules(&ctx, DEFAULT_RULE_SET_TOML, false).await));
    }
    // Two admins stored one set each; nobody else stored anything.
    let ga = w.user("u-ga2", 100, 1).await;
    let stored: Vec<String> =
        w.app.status_rules_history(&ga).await.unwrap().into_iter().map(|r| r.created_by).collect();
    assert_eq!(stored, ["u-sa", "u-ga"]);
}

#[tokio::test]
async fn the_default_is_in_force_until_a_set_is_stored() {
    let w = World::new().await;
    let ga = w.user("u-ga", 100, 1).await;
    let active = w.app.status_rules(&ga).await.unwrap();
    assert_eq!((active.id, active.source), (None, Some(RuleSetSource::BuiltInDefault)));
    assert_eq!(active.set.name(), "faq-default");
    assert_eq!(active.sha256, toml_sha256(DEFAULT_RULE_SET_TOML));
    assert_eq!(active.sha256.len(), 64);

    let replaced = w.app.replace_status_rules(&ga, PAYER_AND_ELIGIBILITY_TOML, false).await.unwrap();
    assert_eq!(replaced.reevaluation, None);
    let active = w.app.status_rules(&ga).await.unwrap();
    assert_eq!(active, replaced.rule_set);
    assert_eq!(active.id, Some(1));
    assert_eq!(active.source, Some(RuleSetSource::Database));
    assert_eq!(active.created_by.as_deref(), Some("u-ga"));
    assert_eq!(active.toml, PAYER_AND_ELIGIBILITY_TOML);
    assert_eq!(active.set.managed().iter().map(|s| s.code()).collect::<Vec<_>>(), [0, 1, 7, 10]);
}

#[tokio::test]
async fn a_refused_set_lists_every_problem_and_stores_nothing() {
    let w = World::new().await;
    let ga = w.user("u-ga", 100, 1).await;
    let table: &[(&str, &[&str])] = &[
        (
            "format = 1\nname = \"x\"\nmanaged = [0, 15]\n[[rules]]\nname = \"Bad Name\"\nset = 1\n",
            &["managed[1]", "rules[0].name"],
        ),
        (
            "format = 2\nname = \"x\"\nmanaged = [0]\n[[rules]]\nname = \"a\"\nset = 1\nwhen.min_procedure_codes = 1\n",
            &["format", "rules[0].when"],
        ),
        ("format = 1\nname = [", &["toml"]),
        ("", &["format", "name", "managed", "rules"]),
    ];
    for (toml, fields) in table {
        for result in [
            w.app.validate_status_rules(&ga, toml).await.map(|_| ()),
            w.app.replace_status_rules(&ga, toml, true).await.map(|_| ()),
        ] {
            match result {
                Err(surgicase_app::AppError::InvalidRuleSet(errors)) => {
                    let got: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                    for field in *fields {
                        assert!(got.contains(field), "{toml:?}: {field} missing from {got:?}");
                    }
                }
                other => panic!("{toml:?}: {other:?}"),
            }
        }
    }
    assert!(w.app.status_rules_history(&ga).await.unwrap().is_empty());
    assert_eq!(w.app.status_rules(&ga).await.unwrap().source, Some(RuleSetSource::BuiltInDefault));
}

#[tokio::test]
async fn a_target_outside_managed_is_a_warning() {
    let w = World::new().await;
    let ga = w.user("u-ga", 100, 1).await;
    let toml = "format = 1\nname = \"park\"\nmanaged = [0]\n[[rules]]\nname = \"review\"\nset = 7\n";
    let checked = w.app.validate_status_rules(&ga, toml).await.unwrap();
    let fields: Vec<&str> = checked.warnings.iter().map(|w| w.field.as_str()).collect();
    assert_eq!(fields, ["rules[0].set"]);
    assert_eq!(checked.rule_set.id, None);
    assert!(w.app.status_rules_history(&ga).await.unwrap().is_empty(), "validation stores nothing");
}

#[tokio::test]
async fn reevaluation_walks_every_managed_case_once_across_batches() {
    let w = World::new().await;
    let ga = w.user("u-ga", 100, 1).await;
    let jane = w.provider("u-jane", 1).await;
    // More Humana cases than two batches hold, all drafts under the default set.
    let count = 2 * REEVALUATE_BATCH + 7;
    for n in 0..count {
        let mut input = jane.case(&format!("u-jane_{n}"), &["27447"]);
        if let surgicase_kernel::Raw::Value(patient) = &mut input.patient {
            patient.ins_provider = raw("Humana Gold Plus");
        }
        w.app.create_case(&jane.ctx, input).await.unwrap();
    }
    // Two cases the payer set does not manage: paid (20) and deleted.
    w.force_status("u-jane_0", 20).await;
    w.app.delete_case(&jane.ctx, "u-jane_1").await.unwrap();

    let replaced = w.app.replace_status_rules(&ga, PAYER_AND_ELIGIBILITY_TOML, true).await.unwrap();
    let done = replaced.reevaluation.unwrap();
    assert_eq!((done.evaluated, done.changed), (count as u64 - 2, count as u64 - 2));
    let set_id = replaced.rule_set.id;

    let mut conn = w.store.conn().await.unwrap();
    let ids: Vec<CaseId> = (0..count).map(|n| CaseId::parse(&format!("u-jane_{n}")).unwrap()).collect();
    let cases = conn.get_cases(&ids).await.unwrap();
    assert_eq!(cases.len(), count);
    for case in &cases {
        match case.row.case_id.as_str() {
            "u-jane_0" => assert_eq!(case.row.case_status, CaseStatus::PAID),
            "u-jane_1" => assert!(!case.row.active && case.row.case_status != CaseStatus::REJECTED),
            other => assert_eq!(case.row.case_status, CaseStatus::REJECTED, "{other}"),
        }
    }
    let history = conn.case_history(&ids[count - 1]).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!((last.source, last.rule_name.as_deref()), (ChangeSource::Rule, Some("humana-rejected")));
    assert_eq!((last.rule_set_id, last.actor_id.as_str()), (set_id, "u-ga"));
    assert_eq!(last.request_id.as_deref(), Some("req-1"));

    // Nothing left to change: a second pass evaluates the managed cases again and moves none.
    let again = w.app.replace_status_rules(&ga, PAYER_AND_ELIGIBILITY_TOML, true).await.unwrap();
    assert_eq!(again.reevaluation.map(|r| (r.evaluated, r.changed)), Some((0, 0)), "400 is not managed");
}
