//! `ReferenceRepo`: catalogues, the code master, prices, the auto-fix map, rule sets.
//!
//! Assumed where the trait is silent: `code_info` and `active_auto_fixes` return rows in no
//! particular order (compared sorted by code here) and once per code however often it is
//! listed; a 0.00 price row is returned as `Some(0.00)` (the pricing rule, not the store, treats
//! it as unpriced); pay tiers with equal tier and amount come in any order.

use surgicase_kernel::{CaseStatus, Money, UserType};
use surgicase_ports::records::*;
use surgicase_ports::{Conn, Store};

use super::{conn, seeded};
use crate::fixtures::*;

/// Statuses by code; an upsert updates the description of an existing code and adds new codes
/// in order, without duplicates.
pub async fn statuses_ordered_and_upserted(store: &dyn Store) {
    let mut c = seeded(store).await;
    assert_eq!(c.case_statuses().await.unwrap(), statuses());

    let rows = [
        StatusRecord { case_status: CaseStatus::PAID, case_status_desc: "Paid to provider".into() },
        StatusRecord { case_status: status(90), case_status_desc: "Réclamation".into() },
    ];
    c.upsert_statuses(&rows).await.unwrap();
    c.upsert_statuses(&rows).await.unwrap();
    let got = c.case_statuses().await.unwrap();
    let codes: Vec<i16> = got.iter().map(|s| s.case_status.code()).collect();
    assert_eq!(codes, [0, 1, 7, 8, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 400, 500]);
    assert_eq!(got[6], rows[0]);
    assert_eq!(got[13], rows[1]);
}

/// User types by type, with their caps; upserts update description and cap.
pub async fn user_types_ordered_and_upserted(store: &dyn Store) {
    let mut c = seeded(store).await;
    assert_eq!(c.user_types().await.unwrap(), user_types());

    let changed = UserTypeRecord {
        user_type: UserType::CASE_ADMIN,
        user_type_desc: "Case Administrator".into(),
        user_max_case_status: Some(CaseStatus::REJECTED),
    };
    let added = UserTypeRecord {
        user_type: UserType::new(5).unwrap(),
        user_type_desc: "Assistant".into(),
        user_max_case_status: None,
    };
    c.upsert_user_types(&[changed.clone(), added.clone()]).await.unwrap();
    c.upsert_user_types(&[changed.clone(), added.clone()]).await.unwrap();
    let got = c.user_types().await.unwrap();
    let types: Vec<i32> = got.iter().map(|t| t.user_type.get()).collect();
    assert_eq!(types, [1, 5, 7, 10, 20, 100, 999]);
    assert_eq!(got[1], added);
    assert_eq!(got[3], changed);
}

/// Document types by name and time zones by identifier; upserts update the non-key column and
/// add rows in order.
pub async fn doc_types_and_timezones_ordered_and_upserted(store: &dyn Store) {
    let mut c = seeded(store).await;
    assert_eq!(c.doc_types().await.unwrap(), doc_types());
    assert_eq!(c.timezones().await.unwrap(), timezones());

    let w9 = DocTypeRecord { doc_type: "W9".into(), doc_prefix: None };
    let acls = DocTypeRecord { doc_type: "ACLS Certificate".into(), doc_prefix: Some("acls".into()) };
    c.upsert_doc_types(&[w9.clone(), acls.clone()]).await.unwrap();
    c.upsert_doc_types(std::slice::from_ref(&w9)).await.unwrap();
    let mut expected = doc_types();
    expected.insert(0, acls);
    expected[3] = w9;
    assert_eq!(c.doc_types().await.unwrap(), expected);

    let ny = TimezoneRecord { tz_identifier: "America/New_York".into(), utc_offset: "UTC-04:00".into() };
    let ak = TimezoneRecord { tz_identifier: "America/Anchorage".into(), utc_offset: "UTC-09:00".into() };
    c.upsert_timezones(&[ny.clone(), ak.clone()]).await.unwrap();
    c.upsert_timezones(&[ny.clone(), ak.clone()]).await.unwrap();
    let mut expected = timezones();
    expected.insert(0, ak);
    expected[3] = ny;
    assert_eq!(c.timezones().await.unwrap(), expected);
}

async fn search(c: &mut Box<dyn Conn>, q: Option<&str>, limit: i64) -> Vec<String> {
    c.procedure_codes(q, limit).await.unwrap().into_iter().map(|r| r.procedure_code).collect()
}

/// `procedure_codes`: all codes by code without `q`; with `q`, codes starting with it or whose
/// description contains it, case-insensitively; at most `limit`; upserts replace by code.
pub async fn procedure_codes_search(store: &dyn Store) {
    let mut c = seeded(store).await;
    assert_eq!(c.procedure_codes(None, 100).await.unwrap(), procedure_codes());
    let table: &[(Option<&str>, i64, &[&str])] = &[
        (None, 2, &["15830", "27447"]),
        (Some("27"), 100, &["27447"]),
        (Some("5"), 100, &["58150", "59514"]),
        (Some("47"), 100, &[]),
        (Some("knee"), 100, &["27447", "29881"]),
        (Some("KNEE"), 100, &["27447", "29881"]),
        (Some("Hernia"), 100, &["49505"]),
        (Some("delivery"), 1, &["59514"]),
        (Some("zzz"), 100, &[]),
    ];
    for (q, limit, expected) in table {
        assert_eq!(search(&mut c, *q, *limit).await, *expected, "{q:?} limit {limit}");
    }

    let renamed = ProcedureCodeRecord {
        procedure_desc: "Arthroplasty, knee, condyle and plateau".into(),
        code_category: Some("Spine".into()),
        code_status: None,
        asst_surg: Some(9),
        ..procedure_codes()[1].clone()
    };
    c.upsert_procedure_codes(std::slice::from_ref(&renamed)).await.unwrap();
    c.upsert_procedure_codes(std::slice::from_ref(&renamed)).await.unwrap();
    let all = c.procedure_codes(None, 100).await.unwrap();
    assert_eq!(all.len(), 6);
    assert_eq!(all[1], renamed);
    assert_eq!(search(&mut c, Some("condyle"), 100).await, ["27447"]);
}

async fn info(c: &mut Box<dyn Conn>, codes: &[&str], tier: i32) -> Vec<CodeInfo> {
    let codes: Vec<String> = codes.iter().map(|s| (*s).to_owned()).collect();
    let mut found = c.code_info(&codes, tier).await.unwrap();
    found.sort_by(|a, b| a.procedure_code.cmp(&b.procedure_code));
    found
}

fn code_info(code: &str, tier_price: Option<i64>) -> CodeInfo {
    let master = procedure_codes().into_iter().find(|r| r.procedure_code == code).expect("seeded code");
    CodeInfo {
        procedure_code: master.procedure_code,
        procedure_desc: master.procedure_desc,
        code_category: master.code_category,
        asst_surg: master.asst_surg,
        price: tier_price.map(Money::from_cents),
    }
}

/// `code_info`: master data of each known code (unknown codes absent, each code once) with the
/// price of its category for the tier — `None` without a row for that tier or without a
/// category; a 0.00 row is `Some(0.00)`.
pub async fn code_info_prices_for_tier(store: &dyn Store) {
    let mut c = seeded(store).await;
    let got = info(&mut c, &["58150", "99213", "27447", "58150", "15830"], 2).await;
    let expected =
        vec![code_info("15830", Some(0)), code_info("27447", Some(45_000)), code_info("58150", Some(30_000))];
    assert_eq!(got, expected);
    assert_eq!(
        info(&mut c, &["27447", "58150"], 3).await,
        vec![code_info("27447", Some(50_000)), code_info("58150", None)]
    );
    assert_eq!(info(&mut c, &["27447"], 1).await, vec![code_info("27447", None)]);
    assert!(info(&mut c, &[], 2).await.is_empty());
    assert!(info(&mut c, &["99213"], 2).await.is_empty());

    let uncategorised = ProcedureCodeRecord {
        procedure_code: "99999".into(),
        procedure_desc: "Unlisted procedure".into(),
        code_category: None,
        code_status: None,
        asst_surg: None,
    };
    c.upsert_procedure_codes(&[uncategorised]).await.unwrap();
    let expected = CodeInfo {
        procedure_code: "99999".into(),
        procedure_desc: "Unlisted procedure".into(),
        code_category: None,
        asst_surg: None,
        price: None,
    };
    assert_eq!(info(&mut c, &["99999"], 2).await, vec![expected]);
}

/// An active entry correcting a modifier, and an inactive one, both outside the seeded map.
fn modifier_and_retired(created_by: Option<&str>) -> (AutoFixRecord, AutoFixRecord) {
    let modifier = AutoFixRecord {
        entered_code: "27447-80".into(),
        fixed_code: "27447".into(),
        reason: "Modifier removed".into(),
        active: true,
        created_date: at(60),
        created_by: created_by.map(str::to_owned),
    };
    let old = AutoFixRecord {
        entered_code: "OLD1".into(),
        fixed_code: "49505".into(),
        active: false,
        ..modifier.clone()
    };
    (modifier, old)
}

/// `active_auto_fixes`: the listed entered codes' active entries only; an upsert can
/// deactivate an entry.
pub async fn auto_fixes_active_only(store: &dyn Store) {
    let mut c = seeded(store).await;
    let (modifier, old) = modifier_and_retired(None);
    c.upsert_auto_fixes(&[modifier.clone(), old]).await.unwrap();

    let wanted: Vec<String> =
        ["59510", "OLD1", "27447-80", "12345"].iter().map(|s| (*s).to_owned()).collect();
    let mut found = c.active_auto_fixes(&wanted).await.unwrap();
    found.sort_by(|a, b| a.entered_code.cmp(&b.entered_code));
    assert_eq!(found, vec![modifier, auto_fixes()[0].clone()]);
    assert!(c.active_auto_fixes(&[]).await.unwrap().is_empty());

    let retired = AutoFixRecord { active: false, ..auto_fixes()[0].clone() };
    c.upsert_auto_fixes(&[retired]).await.unwrap();
    assert!(c.active_auto_fixes(&["59510".into()]).await.unwrap().is_empty());
}

/// Rule sets: none at first; ids from 1; the active one is the highest id, every column
/// round-tripped; the history lists them all, newest first.
pub async fn rule_sets_highest_id_is_active(store: &dyn Store) {
    let mut c = conn(store).await;
    assert_eq!(c.active_rule_set().await.unwrap(), None);
    let first = new_rule_set("default", "format = 1\n");
    let second = NewRuleSetRecord {
        created_ts: at(3600),
        sha256: "0".repeat(64),
        ..new_rule_set("payer rules – été", "format = 1\n\n[[rule]]\nname = \"ready\"\n# é ✓\n")
    };
    assert_eq!(c.insert_rule_set(&first).await.unwrap(), 1);
    assert_eq!(c.insert_rule_set(&second).await.unwrap(), 2);
    let expected = RuleSetRecord {
        id: 2,
        name: second.name,
        format: second.format,
        source_toml: second.source_toml,
        sha256: second.sha256,
        created_ts: second.created_ts,
        created_by: second.created_by,
    };
    assert_eq!(c.active_rule_set().await.unwrap(), Some(expected));
    // The history: newest first, without the text.
    let history = c.rule_set_history().await.unwrap();
    let summary = |id, r: &NewRuleSetRecord| RuleSetSummaryRecord {
        id,
        name: r.name.clone(),
        sha256: r.sha256.clone(),
        created_ts: r.created_ts,
        created_by: r.created_by.clone(),
    };
    let second = NewRuleSetRecord {
        created_ts: at(3600),
        sha256: "0".repeat(64),
        ..new_rule_set("payer rules – été", "")
    };
    assert_eq!(history, vec![summary(2, &second), summary(1, &first)]);
}

/// Pay tiers by tier then amount; an upsert updates the amount of `(code_bucket, tier)` and adds
/// new pairs without duplicates.
pub async fn pay_tiers_ordered_and_upserted(store: &dyn Store) {
    let mut c = seeded(store).await;
    let order =
        |rows: &[PayTierRecord]| rows.iter().map(|r| (r.tier, r.pay_amount.cents())).collect::<Vec<_>>();
    let sorted = |mut rows: Vec<PayTierRecord>| {
        rows.sort_by(|a, b| (a.tier, &a.code_bucket).cmp(&(b.tier, &b.code_bucket)));
        rows
    };
    let got = c.pay_tiers().await.unwrap();
    assert_eq!(order(&got), [(2, 0), (2, 30_000), (2, 30_000), (2, 45_000), (2, 60_000), (3, 50_000)]);
    assert_eq!(sorted(got), sorted(pay_tiers()));

    let ortho =
        PayTierRecord { code_bucket: "Orthopedic".into(), tier: 2, pay_amount: Money::from_cents(47_550) };
    let spine3 = PayTierRecord { code_bucket: "Spine".into(), tier: 3, pay_amount: Money::from_cents(1) };
    c.upsert_pay_tiers(&[ortho.clone(), spine3.clone()]).await.unwrap();
    c.upsert_pay_tiers(&[ortho.clone(), spine3.clone()]).await.unwrap();
    let got = c.pay_tiers().await.unwrap();
    assert_eq!(
        order(&got),
        [(2, 0), (2, 30_000), (2, 30_000), (2, 47_550), (2, 60_000), (3, 1), (3, 50_000)]
    );
    assert!(got.contains(&ortho) && got.contains(&spine3));
    assert_eq!(info(&mut c, &["29881"], 2).await[0].price, Some(Money::from_cents(47_550)));
}

/// Seeding twice changes nothing.
pub async fn seed_is_idempotent(store: &dyn Store) {
    let mut c = seeded(store).await;
    seed_reference(store).await.unwrap();
    assert_eq!(c.case_statuses().await.unwrap(), statuses());
    assert_eq!(c.user_types().await.unwrap(), user_types());
    assert_eq!(c.doc_types().await.unwrap(), doc_types());
    assert_eq!(c.timezones().await.unwrap(), timezones());
    assert_eq!(c.procedure_codes(None, 100).await.unwrap(), procedure_codes());
    assert_eq!(c.pay_tiers().await.unwrap().len(), pay_tiers().len());
    let entered: Vec<String> = auto_fixes().into_iter().map(|f| f.entered_code).collect();
    assert_eq!(c.active_auto_fixes(&entered).await.unwrap(), auto_fixes());
}

/// The whole map by entered code, inactive entries on request; deactivating touches the active
/// entry only, and says whether there was one.
pub async fn auto_fix_map_listed_and_deactivated(store: &dyn Store) {
    let mut c = seeded(store).await;
    let (modifier, old) = modifier_and_retired(Some("u-admin"));
    c.upsert_auto_fixes(&[modifier.clone(), old.clone()]).await.unwrap();
    let seeded_fix = auto_fixes()[0].clone();
    assert_eq!(c.auto_fixes(false).await.unwrap(), vec![modifier.clone(), seeded_fix.clone()]);
    assert_eq!(c.auto_fixes(true).await.unwrap(), vec![modifier.clone(), seeded_fix.clone(), old.clone()]);

    assert!(c.deactivate_auto_fix("27447-80").await.unwrap());
    assert!(!c.deactivate_auto_fix("27447-80").await.unwrap(), "already inactive");
    assert!(!c.deactivate_auto_fix("OLD1").await.unwrap());
    assert!(!c.deactivate_auto_fix("NOPE").await.unwrap());
    assert_eq!(c.auto_fixes(false).await.unwrap(), vec![seeded_fix]);
    let all = c.auto_fixes(true).await.unwrap();
    assert_eq!(all[0], AutoFixRecord { active: false, ..modifier });
}

/// Creations of the admin lists add a row, and refuse an existing key without changing it.
pub async fn list_inserts_refuse_existing_keys(store: &dyn Store) {
    let mut c = seeded(store).await;
    let status_row = StatusRecord { case_status: status(90), case_status_desc: "Appeal".into() };
    c.insert_status(&status_row).await.unwrap();
    assert!(c.case_statuses().await.unwrap().contains(&status_row));
    let taken = StatusRecord { case_status: CaseStatus::PAID, case_status_desc: "Changed".into() };
    super::assert_duplicate(c.insert_status(&taken).await);
    assert_eq!(
        c.case_statuses().await.unwrap().iter().filter(|s| s.case_status_desc == "Changed").count(),
        0
    );

    let assistant = UserTypeRecord {
        user_type: UserType::new(5).unwrap(),
        user_type_desc: "Assistant".into(),
        user_max_case_status: Some(CaseStatus::PAID),
    };
    c.insert_user_type(&assistant).await.unwrap();
    assert!(c.user_types().await.unwrap().contains(&assistant));
    super::assert_duplicate(
        c.insert_user_type(&UserTypeRecord { user_type_desc: "Other".into(), ..assistant.clone() }).await,
    );
    assert!(c.user_types().await.unwrap().contains(&assistant));

    let license = DocTypeRecord { doc_type: "State License".into(), doc_prefix: Some("license".into()) };
    c.insert_doc_type(&license).await.unwrap();
    assert!(c.doc_types().await.unwrap().contains(&license));
    super::assert_duplicate(c.insert_doc_type(&DocTypeRecord { doc_prefix: None, ..license.clone() }).await);
    assert!(c.doc_types().await.unwrap().contains(&license));
}

/// `insert_pay_tiers` adds rows, and refuses the whole list when one `(bucket, tier)` exists.
pub async fn pay_tier_inserts_refuse_existing_pairs(store: &dyn Store) {
    let mut c = seeded(store).await;
    let row = |bucket: &str, tier: i32, cents: i64| PayTierRecord {
        code_bucket: bucket.into(),
        tier,
        pay_amount: Money::from_cents(cents),
    };
    c.insert_pay_tiers(&[row("Spine", 7, 70_000), row("General", 7, 20_000)]).await.unwrap();
    let tier7: Vec<PayTierRecord> =
        c.pay_tiers().await.unwrap().into_iter().filter(|r| r.tier == 7).collect();
    assert_eq!(tier7, vec![row("General", 7, 20_000), row("Spine", 7, 70_000)]);

    super::assert_duplicate(c.insert_pay_tiers(&[row("Plastic", 7, 1), row("Spine", 7, 1)]).await);
    let after: Vec<PayTierRecord> =
        c.pay_tiers().await.unwrap().into_iter().filter(|r| r.tier == 7).collect();
    assert_eq!(after, tier7, "nothing written");
}
