//! Owner-wide reads and writes: counts, re-pricing, soft-deleting a user's cases.
//!
//! Assumed where the trait is silent: `owner_cases_below` and `deactivate_owner_cases` return
//! cases in no particular order (compared sorted here); `update_pay` ignores unknown case ids
//! and writes `case_updated_ts`; `deactivate_owner_cases` sets `active = 0`, `deleted_ts` and
//! `case_updated_ts` to `at`, `deleted_by`, and `archive_state = 'pending'` (domain §13: the
//! cases' documents are marked for archiving in the same transaction).

use surgicase_kernel::{CaseStatus, Money};
use surgicase_ports::Store;
use surgicase_ports::records::*;
use surgicase_ports::store::PayUpdate;

use super::super::conn;
use super::list::{all_cases, seed_list_cases};
use super::view;
use crate::fixtures::*;
use surgicase_kernel::ArchiveState;

/// `count_owner_cases_at` counts the owner's active cases at exactly that status.
pub async fn count_owner_cases_at_exact_status(store: &dyn Store) {
    let [jane, bob, _] = seed_list_cases(store).await;
    let mut c = conn(store).await;
    let table = [
        (&jane, 10, 1),
        (&jane, 20, 1),
        (&jane, 80, 0),
        (&jane, 15, 0),
        (&bob, 15, 1),
        (&bob, 10, 1),
        (&bob, 0, 0),
    ];
    for (owner, code, expected) in table {
        assert_eq!(c.count_owner_cases_at(owner, status(code)).await.unwrap(), expected, "{owner} at {code}");
    }
    assert_eq!(c.count_owner_cases_at(&user_id("u-ghost"), CaseStatus::DRAFT).await.unwrap(), 0);
}

/// `owner_cases_below` returns the owner's active cases strictly below the status, whole
/// (as `lock_case` reads them, codes in order).
pub async fn owner_cases_below_with_codes(store: &dyn Store) {
    let [jane, bob, _] = seed_list_cases(store).await;
    let mut c = conn(store).await;
    let table: &[(&surgicase_kernel::UserId, i16, &[&str])] = &[
        (&jane, 15, &["j1", "j2"]),
        (&jane, 0, &[]),
        (&jane, 401, &["j1", "j2", "j3", "j4", "j5"]),
        (&bob, 15, &["b2"]),
        (&bob, 16, &["b1", "b2"]),
    ];
    for (owner, below, expected) in table {
        let mut found = c.owner_cases_below(owner, status(*below)).await.unwrap();
        found.sort_by(|a, b| a.row.case_id.cmp(&b.row.case_id));
        let ids: Vec<&str> = found.iter().map(|r| r.row.case_id.as_str()).collect();
        assert_eq!(ids, *expected, "{owner} below {below}");
        for record in &found {
            assert_eq!(Some(record), c.lock_case(&record.row.case_id).await.unwrap().as_ref());
        }
    }
    let found = c.owner_cases_below(&jane, status(15)).await.unwrap();
    let j2 = found.iter().find(|r| r.row.case_id.as_str() == "j2").expect("j2");
    let codes: Vec<&str> = j2.codes.iter().map(|k| k.procedure_code.as_str()).collect();
    assert_eq!(codes, ["29881", "27447"]);
}

/// `get_cases` returns the listed cases, active or not, whole (as `lock_case` reads them); unknown
/// ids are absent and a repeated id counts once; no ids, no cases.
pub async fn get_cases_whole_records_active_or_not(store: &dyn Store) {
    seed_list_cases(store).await;
    let mut c = conn(store).await;
    let ids = [case_id("j6"), case_id("j7"), case_id("c-ghost"), case_id("b1"), case_id("j6"), case_id("j2")];
    let mut found = c.get_cases(&ids).await.unwrap();
    found.sort_by(|a, b| a.row.case_id.cmp(&b.row.case_id));
    let got: Vec<&str> = found.iter().map(|r| r.row.case_id.as_str()).collect();
    assert_eq!(got, ["b1", "j2", "j6", "j7"]);
    for record in &found {
        assert_eq!(Some(record), c.lock_case(&record.row.case_id).await.unwrap().as_ref());
    }
    let j6 = found.iter().find(|r| r.row.case_id.as_str() == "j6").expect("j6");
    let docs: Vec<&str> = j6.documents.iter().map(|d| d.document_name.as_str()).collect();
    assert_eq!(docs, ["note.pdf"]);
    assert_eq!(j6.codes.len(), 2);
    let j7 = found.iter().find(|r| r.row.case_id.as_str() == "j7").expect("j7");
    assert!(!j7.row.active);
    assert!(c.get_cases(&[]).await.unwrap().is_empty());
    assert!(c.get_cases(&[case_id("c-ghost")]).await.unwrap().is_empty());
}

/// `update_pay` sets amount, category and `case_updated_ts` of each listed case and nothing
/// else; unknown ids are ignored.
pub async fn update_pay_sets_amount_and_category(store: &dyn Store) {
    seed_list_cases(store).await;
    let mut c = conn(store).await;
    let (j1, j2) = (case_id("j1"), case_id("j2"));
    let before_j1 = view(&mut c, &j1, None).await.case.row;
    c.update_pay(&[PayUpdate {
        case_id: j2.clone(),
        pay_amount: Money::from_cents(99_999),
        pay_category: Some("Spine".into()),
        updated_ts: at(90),
    }])
    .await
    .unwrap();
    let before_j2 = view(&mut c, &j2, None).await.case.row;

    let updates = [
        PayUpdate {
            case_id: j1.clone(),
            pay_amount: Money::from_cents(123_456),
            pay_category: Some("Orthopedic".into()),
            updated_ts: at(100),
        },
        PayUpdate { case_id: j2.clone(), pay_amount: Money::ZERO, pay_category: None, updated_ts: at(101) },
        PayUpdate {
            case_id: case_id("c-ghost"),
            pay_amount: Money::ZERO,
            pay_category: None,
            updated_ts: at(102),
        },
    ];
    c.update_pay(&updates).await.unwrap();

    let expected_j1 = CaseRow {
        pay_amount: Money::from_cents(123_456),
        pay_category: Some("Orthopedic".into()),
        case_updated_ts: at(100),
        ..before_j1
    };
    assert_eq!(view(&mut c, &j1, None).await.case.row, expected_j1);
    let expected_j2 =
        CaseRow { pay_amount: Money::ZERO, pay_category: None, case_updated_ts: at(101), ..before_j2 };
    assert_eq!(view(&mut c, &j2, None).await.case.row, expected_j2);
    assert!(!c.case_id_taken(&case_id("c-ghost")).await.unwrap());
}

/// `deactivate_owner_cases` soft-deletes the owner's active cases below the status and returns
/// their ids; cases at or above it, other owners' cases and already deleted cases are left.
pub async fn deactivate_owner_cases_below(store: &dyn Store) {
    let [jane, bob, _] = seed_list_cases(store).await;
    let mut c = conn(store).await;
    let before_j1 = view(&mut c, &case_id("j1"), None).await.case.row;

    let mut ids =
        c.deactivate_owner_cases(&jane, CaseStatus::PENDING_PAYMENT, at(200), "u-admin").await.unwrap();
    ids.sort();
    assert_eq!(ids, vec![case_id("j1"), case_id("j2")]);

    let expected = CaseRow {
        active: false,
        deleted_ts: Some(at(200)),
        deleted_by: Some("u-admin".into()),
        archive_state: Some(ArchiveState::Pending),
        case_updated_ts: at(200),
        ..before_j1
    };
    assert_eq!(view(&mut c, &case_id("j1"), None).await.case.row, expected);
    let j7 = view(&mut c, &case_id("j7"), None).await.case.row;
    assert_eq!((j7.deleted_ts, j7.deleted_by), (None, None), "an already deleted case is left");

    let mine = CaseQuery { owner: Some(jane.clone()), ..all_cases(CaseOrder::NewestFirst) };
    let page = c.list_cases(&mine).await.unwrap();
    let listed: Vec<&str> = page.items.iter().map(|v| v.case.row.case_id.as_str()).collect();
    assert_eq!(listed, ["j6", "j5", "j4", "j3"]);
    assert_eq!(c.count_owner_cases_at(&bob, CaseStatus::READY_FOR_BILLING).await.unwrap(), 1);
    assert!(c.case_id_taken(&case_id("j1")).await.unwrap());

    let again =
        c.deactivate_owner_cases(&jane, CaseStatus::PENDING_PAYMENT, at(300), "u-admin").await.unwrap();
    assert!(again.is_empty());
}

/// `tier_cases_below`: active cases below the status whose owner has the tier, with codes.
pub async fn tier_cases_below_follow_the_owners_tier(store: &dyn Store) {
    let [_, bob, _] = seed_list_cases(store).await;
    let mut c = conn(store).await;
    let mut bob_user = c.get_user(&bob).await.unwrap().expect("bob");
    bob_user.user_tier = 2;
    c.update_user(&bob_user).await.unwrap();
    let table: &[(i32, i16, &[&str])] = &[
        (1, 15, &["a1", "j1", "j2"]),
        (1, 1, &["j1"]),
        (2, 16, &["b1", "b2"]),
        (2, 15, &["b2"]),
        (3, 500, &[]),
    ];
    for (tier, below, expected) in table {
        let found = c.tier_cases_below(*tier, status(*below)).await.unwrap();
        let mut ids: Vec<&str> = found.iter().map(|r| r.row.case_id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids, *expected, "tier {tier} below {below}");
        for record in &found {
            assert_eq!(Some(record), c.lock_case(&record.row.case_id).await.unwrap().as_ref());
        }
    }
}
