//! The visibility cap (domain §4.3, §5.4): what status a viewer is shown, how a status filter
//! on displayed statuses translates to stored statuses, and what of the history they see.

use surgicase_kernel::{CaseStatus, RoleLevel};

use crate::actor::Actor;

/// The status shown for `stored` to a viewer whose cap is `cap`: `stored` when it is 400 or
/// above or at most `cap`, else `cap`.
pub fn display_status(stored: CaseStatus, cap: CaseStatus) -> CaseStatus {
    if stored.always_shown() || stored <= cap { stored } else { cap }
}

/// The stored statuses whose displayed status is in a filter, in a form a query can use:
/// `case_status IN (exact) OR (case_status > cap AND case_status < 400)`, the second part only
/// when `shown_as_cap` is `Some(cap)`. An empty filter matches nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredStatusMatch {
    /// Stored statuses displayed as themselves that the filter names (sorted, no repeats).
    pub exact: Vec<CaseStatus>,
    /// `Some(cap)` when the filter names the cap and statuses between the cap and 400 exist:
    /// those are displayed as the cap, so they match too.
    pub shown_as_cap: Option<CaseStatus>,
}

impl StoredStatusMatch {
    /// Exactly the listed stored statuses, no cap involved (the back office's lists).
    pub fn exactly(statuses: &[CaseStatus]) -> Self {
        let mut exact = statuses.to_vec();
        exact.sort();
        exact.dedup();
        Self { exact, shown_as_cap: None }
    }

    /// Whether a case stored at `stored` matches.
    pub fn matches(&self, stored: CaseStatus) -> bool {
        self.exact.contains(&stored)
            || self.shown_as_cap.is_some_and(|cap| stored > cap && stored < CaseStatus::REJECTED)
    }

    /// True when no stored status can match.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.shown_as_cap.is_none()
    }
}

/// Translates a filter on displayed statuses (`/case_filter`) for a viewer with cap `cap`.
pub fn stored_status_match(filter: &[CaseStatus], cap: CaseStatus) -> StoredStatusMatch {
    // A filtered status above the cap and below 400 is never displayed as itself.
    let mut exact: Vec<CaseStatus> =
        filter.iter().copied().filter(|s| s.always_shown() || *s <= cap).collect();
    exact.sort();
    exact.dedup();
    let range_is_empty = cap.code() + 1 >= CaseStatus::REJECTED.code();
    let shown_as_cap = (filter.contains(&cap) && !range_is_empty).then_some(cap);
    StoredStatusMatch { exact, shown_as_cap }
}

/// One history row as a viewer with cap `cap` sees it: both statuses displayed, or `None`
/// when the displayed from and to are equal (the row is omitted). A creation row (`from`
/// `None`) is always shown.
pub fn display_history_row(
    from: Option<CaseStatus>,
    to: CaseStatus,
    cap: CaseStatus,
) -> Option<(Option<CaseStatus>, CaseStatus)> {
    let from = from.map(|s| display_status(s, cap));
    let to = display_status(to, cap);
    if from == Some(to) { None } else { Some((from, to)) }
}

/// The `actor_id` of a history row as the viewer sees it: case admins see every actor, others
/// only themselves (api.md GET /case/status_history).
pub fn visible_history_actor<'a>(viewer: &Actor, row_actor_id: Option<&'a str>) -> Option<&'a str> {
    if viewer.has_level(RoleLevel::CaseAdmin) {
        return row_actor_id;
    }
    row_actor_id.filter(|id| *id == viewer.user_id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{actor, st};

    fn all_statuses() -> impl Iterator<Item = CaseStatus> {
        (0..=999).map(st)
    }

    #[test]
    fn display_table() {
        // (stored, cap, displayed)
        let table: &[(i64, i64, i64)] = &[
            (0, 20, 0),
            (10, 20, 10),
            (15, 20, 15),
            (20, 20, 20),
            (30, 20, 20),
            (80, 20, 20),
            (399, 20, 20),
            (400, 20, 400),
            (500, 20, 500),
            (30, 500, 30),
            (450, 10, 450),
            (15, 10, 10),
            (5, 0, 0),
            (0, 0, 0),
            (999, 0, 999),
        ];
        for (stored, cap, shown) in table {
            assert_eq!(display_status(st(*stored), st(*cap)), st(*shown), "{stored} cap {cap}");
        }
    }

    /// A small deterministic generator, so the brute-force test covers many filters.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, bound: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % bound
        }
    }

    #[test]
    fn filter_translation_matches_brute_force() {
        let mut caps: Vec<i64> =
            vec![0, 1, 7, 8, 10, 14, 15, 20, 30, 80, 397, 398, 399, 400, 401, 500, 998, 999];
        caps.extend((0..=999).step_by(37));
        let seeded = [0, 1, 7, 8, 10, 15, 20, 30, 40, 50, 60, 70, 80, 400, 500];
        let mut rng = Lcg(42);
        let mut filters: Vec<Vec<i64>> = seeded.iter().map(|s| vec![*s]).collect();
        filters.push(seeded.to_vec());
        filters.push(vec![20, 20, 10]);
        for _ in 0..60 {
            let n = 1 + rng.next(6);
            filters.push((0..n).map(|_| rng.next(1000) as i64).collect());
        }
        for cap in &caps {
            let cap = st(*cap);
            let mut with_cap: Vec<Vec<i64>> = filters.clone();
            with_cap.push(vec![i64::from(cap.code())]);
            with_cap.push(vec![i64::from(cap.code()), 400]);
            for filter in &with_cap {
                let filter: Vec<CaseStatus> = filter.iter().map(|s| st(*s)).collect();
                let m = stored_status_match(&filter, cap);
                for s in all_statuses() {
                    let expected = filter.contains(&display_status(s, cap));
                    assert_eq!(m.matches(s), expected, "stored {s} cap {cap} filter {filter:?}");
                }
                let matches_any = all_statuses().any(|s| m.matches(s));
                assert_eq!(m.is_empty(), !matches_any, "cap {cap} filter {filter:?}");
            }
        }
    }

    #[test]
    fn filter_translation_examples() {
        // With cap 20, filter 20 also returns cases stored at 30 (api.md /case_filter).
        let m = stored_status_match(&[st(20)], st(20));
        assert_eq!(m.exact, vec![st(20)]);
        assert_eq!(m.shown_as_cap, Some(st(20)));
        assert!(m.matches(st(30)) && m.matches(st(399)) && !m.matches(st(400)));
        // Filter 30 with cap 20 matches nothing: 30 is displayed as 20.
        assert!(stored_status_match(&[st(30)], st(20)).is_empty());
        // Filter 400 returns rejected cases only.
        let m = stored_status_match(&[st(400), st(10), st(10)], st(20));
        assert_eq!(m.exact, vec![st(10), st(400)]);
        assert_eq!(m.shown_as_cap, None);
        // Cap 399: nothing lies between the cap and 400.
        assert_eq!(stored_status_match(&[st(399)], st(399)).shown_as_cap, None);
        assert!(stored_status_match(&[], st(20)).is_empty());
    }

    #[test]
    fn history_rows_through_the_cap() {
        // (from, to, cap, shown)
        type Row = (Option<i64>, i64, i64, Option<(Option<i64>, i64)>);
        let table: &[Row] = &[
            (None, 0, 20, Some((None, 0))),
            (None, 30, 20, Some((None, 20))),
            (Some(0), 1, 20, Some((Some(0), 1))),
            (Some(10), 15, 20, Some((Some(10), 15))),
            (Some(15), 20, 20, Some((Some(15), 20))),
            // 20 → 30 is displayed 20 → 20: omitted.
            (Some(20), 30, 20, None),
            (Some(30), 40, 20, None),
            (Some(40), 400, 20, Some((Some(20), 400))),
            (Some(400), 30, 20, Some((Some(400), 20))),
            (Some(20), 30, 500, Some((Some(20), 30))),
            (Some(500), 500, 500, None),
        ];
        for (from, to, cap, shown) in table {
            let got = display_history_row(from.map(st), st(*to), st(*cap));
            let want = shown.map(|(f, t)| (f.map(st), st(t)));
            assert_eq!(got, want, "{from:?} → {to} cap {cap}");
        }
    }

    #[test]
    fn history_rows_brute_force() {
        for cap in [0, 10, 20, 399, 500] {
            let cap = st(cap);
            for from in (0..=999).step_by(7).map(st) {
                for to in [0, 14, 15, 20, 21, 399, 400, 999].map(st) {
                    let got = display_history_row(Some(from), to, cap);
                    let (df, dt) = (display_status(from, cap), display_status(to, cap));
                    let want = (df != dt).then_some((Some(df), dt));
                    assert_eq!(got, want, "{from} → {to} cap {cap}");
                }
            }
        }
    }

    #[test]
    fn history_actor_visibility() {
        // (viewer type, row actor, visible)
        let table: &[(i64, Option<&str>, Option<&str>)] = &[
            (1, Some("u1"), Some("u1")),
            (1, Some("u-other"), None),
            (1, Some("job:paid_transition"), None),
            (1, None, None),
            (7, Some("u7"), Some("u7")),
            (7, Some("u1"), None),
            (10, Some("u-other"), Some("u-other")),
            (10, Some("job:paid_transition"), Some("job:paid_transition")),
            (20, Some("u1"), Some("u1")),
            (100, Some("u1"), Some("u1")),
            (999, None, None),
        ];
        for (t, row, want) in table {
            assert_eq!(visible_history_actor(&actor(*t), *row), *want, "type {t} row {row:?}");
        }
    }
}
