//! `DashboardRepo`: grouped counts and sums of active cases and users.

use std::collections::BTreeMap;

use surgicase_kernel::{CaseId, Money, UserType};
use surgicase_ports::records::*;
use surgicase_ports::store::PayUpdate;
use surgicase_ports::{Conn, Store};

use super::cases::{all_cases, seed_list_cases};
use super::conn;
use crate::fixtures::*;

fn price(id: &str, cents: i64, category: Option<&str>) -> PayUpdate {
    PayUpdate {
        case_id: case_id(id),
        pay_amount: Money::from_cents(cents),
        pay_category: category.map(str::to_owned),
        updated_ts: at(100),
    }
}

/// (status, description, cases, cents) of each row.
fn status_rows(rows: &[StatusTotal]) -> Vec<(i16, Option<&str>, i64, i64)> {
    rows.iter()
        .map(|r| (r.case_status.code(), r.case_status_desc.as_deref(), r.cases, r.total.cents()))
        .collect()
}

fn category_rows(rows: &[CategoryTotal]) -> Vec<(Option<&str>, i64, i64)> {
    rows.iter().map(|r| (r.pay_category.as_deref(), r.cases, r.total.cents())).collect()
}

/// Active cases only, grouped by stored status and by category (unpriced first), within the
/// inclusive date range; the deleted j7 (80) never counts.
pub async fn case_totals_group_active_cases_in_range(store: &dyn Store) {
    seed_list_cases(store).await;
    let mut c = conn(store).await;
    c.update_pay(&[
        price("j2", 10_000, Some("Orthopedic")),
        price("b2", 5_050, Some("Orthopedic")),
        price("j3", 3_000, Some("Spine")),
        price("j6", 45_000, Some("Spine")),
        price("j7", 99_900, Some("Spine")),
    ])
    .await
    .unwrap();

    let all = c.case_totals_by_status(CaseDateRange::default()).await.unwrap();
    assert_eq!(
        status_rows(&all),
        vec![
            (0, Some("Draft"), 1, 0),
            (1, Some("Submitted"), 1, 0),
            (10, Some("Ready for billing"), 2, 15_050),
            (15, Some("Pending payment"), 1, 0),
            (20, Some("Paid"), 1, 3_000),
            (30, Some("Sent to biller"), 1, 0),
            (400, Some("Rejected"), 1, 0),
            (500, Some("Closed"), 1, 45_000),
        ]
    );
    let categories = c.case_totals_by_category(CaseDateRange::default()).await.unwrap();
    assert_eq!(
        category_rows(&categories),
        vec![(None, 5, 0), (Some("Orthopedic"), 2, 15_050), (Some("Spine"), 2, 48_000)]
    );

    // 2025-02-01 ..= 2025-03-01 holds j3, j4, b1 (02-01), j5 (02-15), j6, b2, a1 (03-01).
    let range = CaseDateRange { from: Some(date("2025-02-01")), to: Some(date("2025-03-01")) };
    let ranged = c.case_totals_by_status(range).await.unwrap();
    assert_eq!(
        status_rows(&ranged).iter().map(|r| (r.0, r.2)).collect::<Vec<_>>(),
        vec![(1, 1), (10, 1), (15, 1), (20, 1), (30, 1), (400, 1), (500, 1)]
    );
    let only_start = CaseDateRange { from: Some(date("2025-03-01")), to: None };
    let categories = c.case_totals_by_category(only_start).await.unwrap();
    assert_eq!(
        category_rows(&categories),
        vec![(None, 1, 0), (Some("Orthopedic"), 1, 5_050), (Some("Spine"), 1, 45_000)]
    );
    let empty = CaseDateRange { from: Some(date("2030-01-01")), to: None };
    assert!(c.case_totals_by_status(empty).await.unwrap().is_empty());
    assert!(c.case_totals_by_category(empty).await.unwrap().is_empty());
}

/// The totals by status and by category, and the count of an every-owner list, agree with the
/// active cases themselves after every kind of write: inserts, re-pricing, a field update that
/// moves a case to another day, status and category, deletion, restoring, bulk and scheduled
/// status moves, an owner's deactivation (a store that keeps totals apart from the rows must
/// keep them right).
pub async fn case_totals_follow_every_write(store: &dyn Store) {
    let [_, bob, _] = seed_list_cases(store).await;
    let mut c = conn(store).await;
    c.update_pay(&[price("j2", 10_000, Some("Orthopedic")), price("j3", 3_000, Some("Spine"))])
        .await
        .unwrap();
    let mut j2 = c.get_case_view(&case_id("j2"), None, None).await.unwrap().unwrap().case.row;
    j2.case_date = date("2025-03-01");
    j2.case_status = status(20);
    j2.pay_category = Some("Spine".to_owned());
    c.update_case(&j2).await.unwrap();
    let mut a1 = c.get_case_view(&case_id("a1"), None, None).await.unwrap().unwrap().case.row;
    a1.active = false;
    c.update_case(&a1).await.unwrap();
    let mut j7 = c.get_case_view(&case_id("j7"), None, None).await.unwrap().unwrap().case.row;
    j7.active = true;
    c.update_case(&j7).await.unwrap();
    // A change of fields the totals do not hold.
    let mut b1 = c.get_case_view(&case_id("b1"), None, None).await.unwrap().unwrap().case.row;
    b1.patient.last = "Renamed".to_owned();
    c.update_case(&b1).await.unwrap();
    c.set_case_statuses(&[case_id("j4"), case_id("b2")], status(15), None, at(200)).await.unwrap();
    c.move_cases_at_status(status(15), status(20), None, at(300)).await.unwrap();
    c.deactivate_owner_cases(&bob, status(20), at(400), "test").await.unwrap();

    assert_totals_agree(&mut *c).await;
    drop(c);
    // Folding the queued changes into the totals changes nothing they read, and leaves
    // nothing for the next fold.
    let pending = conn(store).await.case_totals_pending().await.unwrap();
    let moved = fold(store).await;
    assert_eq!(pending, moved > 0, "pending exactly when the fold moves changes");
    assert!(!conn(store).await.case_totals_pending().await.unwrap(), "nothing pending after a fold");
    assert_totals_agree(&mut *conn(store).await).await;
    assert_eq!(fold(store).await, 0, "a second fold finds nothing left");
    assert_totals_agree(&mut *conn(store).await).await;
}

async fn fold(store: &dyn Store) -> i64 {
    let mut tx = store.begin().await.unwrap();
    let moved = tx.fold_case_totals().await.unwrap();
    tx.commit().await.unwrap();
    moved
}

/// The dashboards' totals and the count of a filtered every-owner list, as computed from the
/// active cases themselves.
async fn assert_totals_agree(c: &mut dyn Conn) {
    let every = all_cases(CaseOrder::NewestFirst);
    let rows: Vec<CaseRow> =
        c.list_cases(&every).await.unwrap().items.into_iter().map(|v| v.case.row).collect();
    let mut by_status: BTreeMap<i16, (i64, i64)> = BTreeMap::new();
    let mut by_category: BTreeMap<Option<String>, (i64, i64)> = BTreeMap::new();
    for row in &rows {
        let s = by_status.entry(row.case_status.code()).or_default();
        *s = (s.0 + 1, s.1 + row.pay_amount.cents());
        let k = by_category.entry(row.pay_category.clone()).or_default();
        *k = (k.0 + 1, k.1 + row.pay_amount.cents());
    }
    let totals = c.case_totals_by_status(CaseDateRange::default()).await.unwrap();
    let got: Vec<(i16, i64, i64)> =
        totals.iter().map(|t| (t.case_status.code(), t.cases, t.total.cents())).collect();
    let want: Vec<(i16, i64, i64)> = by_status.iter().map(|(s, (n, cents))| (*s, *n, *cents)).collect();
    assert_eq!(got, want);
    let categories = c.case_totals_by_category(CaseDateRange::default()).await.unwrap();
    let got: Vec<(Option<String>, i64, i64)> =
        categories.iter().map(|t| (t.pay_category.clone(), t.cases, t.total.cents())).collect();
    let want: Vec<(Option<String>, i64, i64)> =
        by_category.into_iter().map(|(k, (n, cents))| (k, n, cents)).collect();
    assert_eq!(got, want);
    let filtered = CaseQuery {
        status: Some(StoredStatusMatch::exactly(&[status(20), status(0)])),
        date_from: Some(date("2025-02-01")),
        ..every
    };
    let page = c.list_cases(&filtered).await.unwrap();
    let expected = rows
        .iter()
        .filter(|r| [0, 20].contains(&r.case_status.code()) && r.case_date >= date("2025-02-01"))
        .count();
    assert_eq!((page.total, page.items.len()), (expected as i64, expected));
}

/// Transactions moving disjoint cases that share days and categories, each walking the days in
/// its own order, commit while folds run: none fails (writers share no totals row, so none
/// waits for another or deadlocks on one) and the totals still agree with the cases.
pub async fn concurrent_moves_and_folds_keep_the_totals(store: &dyn Store) {
    const WRITERS: usize = 4;
    const DAYS: usize = 6;
    seed_list_cases(store).await;
    let owner = seed_owner(store, "u-mover").await.unwrap();
    // Writer w's cases, in case-id order, fall on the days ascending (even w) or descending.
    let mut c = conn(store).await;
    let mut mine: Vec<Vec<CaseId>> = vec![Vec::new(); WRITERS];
    for (w, ids) in mine.iter_mut().enumerate() {
        for k in 0..DAYS {
            let day = if w % 2 == 0 { k } else { DAYS - 1 - k };
            let id = format!("w{w}-{k}");
            let row = CaseRow {
                case_date: date("2025-04-01") + chrono::Days::new(day as u64),
                pay_amount: Money::from_cents(1_000 + day as i64),
                pay_category: Some(["Spine", "Orthopedic"][day % 2].to_owned()),
                ..owner.case_row(&id)
            };
            c.insert_case(&row).await.unwrap();
            ids.push(case_id(&id));
        }
    }
    drop(c);
    let writers = mine.iter().map(|ids| async move {
        for (round, target) in [10, 15, 20, 10].into_iter().enumerate() {
            let mut tx = store.begin().await.unwrap();
            let locked = tx.lock_case_statuses(ids).await.unwrap();
            assert_eq!(locked.len(), ids.len());
            tx.set_case_statuses(ids, status(target), None, at(1_000 + round as i64)).await.unwrap();
            tx.commit().await.unwrap();
        }
    });
    let folds = async {
        for _ in 0..8 {
            fold(store).await;
        }
    };
    futures::future::join(futures::future::join_all(writers), folds).await;
    assert_totals_agree(&mut *conn(store).await).await;
    fold(store).await;
    assert_eq!(fold(store).await, 0);
    let mut c = conn(store).await;
    assert_totals_agree(&mut *c).await;
    let moved: i64 = c
        .case_totals_by_status(CaseDateRange { from: Some(date("2025-04-01")), to: Some(date("2025-04-06")) })
        .await
        .unwrap()
        .iter()
        .filter(|t| t.case_status.code() == 10)
        .map(|t| t.cases)
        .sum();
    assert_eq!(moved, (WRITERS * DAYS) as i64, "every moved case counts at its last status");
}

/// Active users of the types below the bound, per type with its description.
pub async fn user_counts_by_type_active_people_only(store: &dyn Store) {
    seed_list_cases(store).await;
    let mut c = conn(store).await;
    let service = UserTypeRecord {
        user_type: UserType::FIRST_SERVICE_ACCOUNT,
        user_type_desc: "Service".to_owned(),
        user_max_case_status: None,
    };
    c.upsert_user_types(&[service]).await.unwrap();
    let admin = UserRecord { user_type: UserType::CASE_ADMIN, ..user("u-admin") };
    let gone = UserRecord { active: false, ..user("u-gone") };
    let robot = UserRecord { user_type: UserType::FIRST_SERVICE_ACCOUNT, ..user("u-robot") };
    for u in [admin, gone, robot] {
        c.insert_user(&u).await.unwrap();
    }
    let counts = c.user_counts_by_type(UserType::FIRST_SERVICE_ACCOUNT).await.unwrap();
    let rows: Vec<(i32, Option<&str>, i64)> =
        counts.iter().map(|r| (r.user_type.get(), r.user_type_desc.as_deref(), r.count)).collect();
    assert_eq!(rows, vec![(1, Some("Provider"), 3), (10, Some("Case Admin"), 1)]);
    let below_admins = c.user_counts_by_type(UserType::CASE_ADMIN).await.unwrap();
    assert_eq!(below_admins.iter().map(|r| r.count).collect::<Vec<_>>(), vec![3]);
}
