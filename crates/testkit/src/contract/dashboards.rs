//! `DashboardRepo`: grouped counts and sums of active cases and users.

use surgicase_kernel::{Money, UserType};
use surgicase_ports::Store;
use surgicase_ports::records::*;
use surgicase_ports::store::PayUpdate;

use super::cases::seed_list_cases;
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
