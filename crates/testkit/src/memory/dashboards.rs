//! The dashboards' aggregates over `cases` and `user_profile`.

use std::collections::BTreeMap;

use async_trait::async_trait;
use surgicase_kernel::{CaseStatus, Money, UserType};
use surgicase_ports::DashboardRepo;
use surgicase_ports::records::*;

use super::state::{State, StoredCase, fold_opt};
use super::{R, Session};

fn in_range(range: CaseDateRange, c: &StoredCase) -> bool {
    c.row.active
        && range.from.is_none_or(|from| c.row.case_date >= from)
        && range.to.is_none_or(|to| c.row.case_date <= to)
}

fn by_status(s: &State, range: CaseDateRange) -> Vec<StatusTotal> {
    let mut sums: BTreeMap<CaseStatus, (i64, Money)> = BTreeMap::new();
    for c in s.cases.values().filter(|c| in_range(range, c)) {
        let entry = sums.entry(c.row.case_status).or_insert((0, Money::ZERO));
        *entry = (entry.0 + 1, entry.1 + c.row.pay_amount);
    }
    sums.into_iter()
        .map(|(status, (cases, total))| StatusTotal {
            case_status: status,
            case_status_desc: s.statuses.get(&status).map(|r| r.case_status_desc.clone()),
            cases,
            total,
        })
        .collect()
}

/// Grouped like the databases' case-insensitive columns; the first case's spelling names it.
fn by_category(s: &State, range: CaseDateRange) -> Vec<CategoryTotal> {
    let mut sums: BTreeMap<Option<String>, CategoryTotal> = BTreeMap::new();
    for c in s.cases.values().filter(|c| in_range(range, c)) {
        let entry = sums.entry(fold_opt(&c.row.pay_category)).or_insert_with(|| CategoryTotal {
            pay_category: c.row.pay_category.clone(),
            cases: 0,
            total: Money::ZERO,
        });
        entry.cases += 1;
        entry.total = entry.total + c.row.pay_amount;
    }
    sums.into_values().collect()
}

fn by_user_type(s: &State, below: UserType) -> Vec<UserTypeCount> {
    let mut counts: BTreeMap<UserType, i64> = BTreeMap::new();
    for user in s.users.values().filter(|u| u.active && u.user_type < below) {
        *counts.entry(user.user_type).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(user_type, count)| UserTypeCount {
            user_type,
            user_type_desc: s.user_types.get(&user_type).map(|t| t.user_type_desc.clone()),
            count,
        })
        .collect()
}

#[async_trait]
impl DashboardRepo for Session {
    async fn case_totals_by_status(&mut self, range: CaseDateRange) -> R<Vec<StatusTotal>> {
        Ok(self.read(|s| by_status(s, range)))
    }

    async fn case_totals_by_category(&mut self, range: CaseDateRange) -> R<Vec<CategoryTotal>> {
        Ok(self.read(|s| by_category(s, range)))
    }

    async fn user_counts_by_type(&mut self, below: UserType) -> R<Vec<UserTypeCount>> {
        Ok(self.read(|s| by_user_type(s, below)))
    }

    /// The fake's totals are computed from the cases on every read: nothing is ever queued.
    async fn fold_case_totals(&mut self) -> R<i64> {
        Ok(0)
    }

    async fn case_totals_pending(&mut self) -> R<bool> {
        Ok(false)
    }
}
