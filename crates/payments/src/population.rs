//! The report population (§17.1) as the store hands it over: the providers and their included
//! cases, grouped and put in report order once, so every report and export agrees on it.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use surgicase_kernel::{CaseId, Money, Npi, UserId};

/// A provider as the reports need them (from `user_profile`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    pub user_id: UserId,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// `None` when the profile has none or a stored value fails the check digit.
    pub npi: Option<Npi>,
    pub state: Option<String>,
    pub email: Option<String>,
    /// The profile's IANA zone name, as stored.
    pub timezone: Option<String>,
}

impl Provider {
    /// "First Last" as stored; a missing part is left out, and a provider with no name at all
    /// is shown by user id.
    pub fn display_name(&self) -> String {
        let parts: Vec<&str> = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if parts.is_empty() { self.user_id.as_str().to_owned() } else { parts.join(" ") }
    }

    /// The stored last name, trimmed, when there is one.
    pub fn last_name_trimmed(&self) -> Option<&str> {
        self.last_name.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    /// The stored first name, trimmed, when there is one.
    pub fn first_name_trimmed(&self) -> Option<&str> {
        self.first_name.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }

    /// The profile state, trimmed, when there is one.
    pub fn state_trimmed(&self) -> Option<&str> {
        self.state.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
}

/// Report order: last name, first name, user id. Names compare case-insensitively first (so
/// "de Souza" sits beside "Doe"), then exactly, so the order is total and stable.
pub fn provider_order(a: &Provider, b: &Provider) -> Ordering {
    let fold = |s: Option<&str>| s.map(str::to_lowercase);
    fold(a.last_name_trimmed())
        .cmp(&fold(b.last_name_trimmed()))
        .then_with(|| fold(a.first_name_trimmed()).cmp(&fold(b.first_name_trimmed())))
        .then_with(|| a.last_name_trimmed().cmp(&b.last_name_trimmed()))
        .then_with(|| a.first_name_trimmed().cmp(&b.first_name_trimmed()))
        .then_with(|| a.user_id.cmp(&b.user_id))
}

/// One case of the population, its patient names already decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludedCase {
    pub case_id: CaseId,
    /// The owner.
    pub user_id: UserId,
    pub human_case_id: i64,
    pub case_date: NaiveDate,
    pub patient_first: String,
    pub patient_last: String,
    /// In entry order.
    pub procedure_codes: Vec<String>,
    pub pay_category: Option<String>,
    pub pay_amount: Money,
}

impl IncludedCase {
    /// "First Last".
    pub fn patient_name(&self) -> String {
        let first = self.patient_first.trim();
        let last = self.patient_last.trim();
        match (first.is_empty(), last.is_empty()) {
            (false, false) => format!("{first} {last}"),
            (false, true) => first.to_owned(),
            _ => last.to_owned(),
        }
    }
}

/// A provider with their cases, ordered by case date, then case id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderCases {
    pub provider: Provider,
    pub cases: Vec<IncludedCase>,
}

impl ProviderCases {
    pub fn total(&self) -> Money {
        self.cases.iter().map(|c| c.pay_amount).sum()
    }

    pub fn case_count(&self) -> usize {
        self.cases.len()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PopulationError {
    #[error("case {case_id} belongs to {user_id}, who is not among the providers")]
    UnknownOwner { case_id: String, user_id: String },
    #[error("provider {0} is listed twice")]
    DuplicateProvider(String),
    #[error("case {0} is listed twice")]
    DuplicateCase(String),
}

/// The providers that have at least one included case, in report order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Population {
    groups: Vec<ProviderCases>,
}

/// Label of cases without a pay category in the category summary.
pub const UNSPECIFIED_CATEGORY: &str = "Unspecified";

/// One line of "Payment Summary by Category".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryTotal {
    /// The category, or `Unspecified`.
    pub name: String,
    pub cases: usize,
    pub amount: Money,
}

/// The figures of a summary page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub providers: usize,
    pub cases: usize,
    pub amount: Money,
    /// Sorted by name.
    pub by_category: Vec<CategoryTotal>,
}

impl Population {
    /// Groups `cases` under their owners. Providers without a case are dropped; a case whose
    /// owner is not listed, or a provider or case listed twice, means the caller's query is
    /// wrong and is refused.
    pub fn new(providers: Vec<Provider>, cases: Vec<IncludedCase>) -> Result<Self, PopulationError> {
        let mut by_user: BTreeMap<UserId, ProviderCases> = BTreeMap::new();
        for provider in providers {
            let id = provider.user_id.clone();
            if by_user.insert(id.clone(), ProviderCases { provider, cases: Vec::new() }).is_some() {
                return Err(PopulationError::DuplicateProvider(id.into_string()));
            }
        }
        let mut seen = BTreeSet::new();
        for case in cases {
            if !seen.insert(case.case_id.clone()) {
                return Err(PopulationError::DuplicateCase(case.case_id.into_string()));
            }
            match by_user.get_mut(&case.user_id) {
                Some(group) => group.cases.push(case),
                None => {
                    return Err(PopulationError::UnknownOwner {
                        case_id: case.case_id.into_string(),
                        user_id: case.user_id.into_string(),
                    });
                }
            }
        }
        let mut groups: Vec<ProviderCases> = by_user.into_values().filter(|g| !g.cases.is_empty()).collect();
        for group in &mut groups {
            group.cases.sort_by(|a, b| a.case_date.cmp(&b.case_date).then_with(|| a.case_id.cmp(&b.case_id)));
        }
        groups.sort_by(|a, b| provider_order(&a.provider, &b.provider));
        Ok(Self { groups })
    }

    pub fn providers(&self) -> &[ProviderCases] {
        &self.groups
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Every included case, in report order (for the audit record of a run).
    pub fn cases(&self) -> impl Iterator<Item = &IncludedCase> {
        self.groups.iter().flat_map(|g| g.cases.iter())
    }

    pub fn totals(&self) -> Totals {
        totals_of(self.groups.iter())
    }
}

/// The summary figures of some provider groups.
pub fn totals_of<'a>(groups: impl Iterator<Item = &'a ProviderCases>) -> Totals {
    let mut providers = 0;
    let mut categories: BTreeMap<String, CategoryTotal> = BTreeMap::new();
    let mut cases = 0;
    let mut amount = Money::ZERO;
    for group in groups {
        providers += 1;
        for case in &group.cases {
            cases += 1;
            amount = amount + case.pay_amount;
            let name = case
                .pay_category
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .unwrap_or(UNSPECIFIED_CATEGORY)
                .to_owned();
            let entry = categories.entry(name.clone()).or_insert(CategoryTotal {
                name,
                cases: 0,
                amount: Money::ZERO,
            });
            entry.cases += 1;
            entry.amount = entry.amount + case.pay_amount;
        }
    }
    Totals { providers, cases, amount, by_category: categories.into_values().collect() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{case, provider};

    fn order_of(population: &Population) -> Vec<&str> {
        population.providers().iter().map(|g| g.provider.user_id.as_str()).collect()
    }

    #[test]
    fn providers_sort_by_last_first_then_user_id() {
        let providers = vec![
            provider("u-5", "Zoë", "Ångström", None),
            provider("u-4", "Ann", "doe", None),
            provider("u-3", "Bob", "Doe", None),
            provider("u-2", "Ann", "Doe", None),
            provider("u-1", "Ann", "Doe", None),
            provider("u-6", "Sean", "O'Connor", None),
            provider("u-7", "Nobody", "Without Cases", None),
        ];
        let cases = ["u-1", "u-2", "u-3", "u-4", "u-5", "u-6"]
            .iter()
            .enumerate()
            .map(|(i, u)| case(u, &format!("C{i}"), i as i64, "2025-03-03", &["27447"], None, 100))
            .collect();
        let population = Population::new(providers, cases).unwrap();
        // Case-insensitive names first, exact spelling breaks the tie ("Ann Doe" < "Ann doe"),
        // then the user id; "Å" sorts after ASCII letters by code point.
        assert_eq!(order_of(&population), ["u-1", "u-2", "u-4", "u-3", "u-6", "u-5"]);
    }

    #[test]
    fn cases_sort_by_date_then_case_id() {
        let population = Population::new(
            vec![provider("u", "A", "B", None)],
            vec![
                case("u", "C9", 9, "2025-03-04", &[], None, 1),
                case("u", "C2", 2, "2025-03-05", &[], None, 1),
                case("u", "C10", 10, "2025-03-04", &[], None, 1),
                case("u", "C1", 1, "2025-03-03", &[], None, 1),
            ],
        )
        .unwrap();
        let ids: Vec<&str> = population.cases().map(|c| c.case_id.as_str()).collect();
        assert_eq!(ids, ["C1", "C10", "C9", "C2"]);
    }

    #[test]
    fn inconsistent_rows_are_refused() {
        let p = || provider("u", "A", "B", None);
        let c = |id: &str, owner: &str| case(owner, id, 1, "2025-03-03", &[], None, 1);
        let table: Vec<(Vec<Provider>, Vec<IncludedCase>, PopulationError)> = vec![
            (
                vec![p()],
                vec![c("C1", "other")],
                PopulationError::UnknownOwner { case_id: "C1".into(), user_id: "other".into() },
            ),
            (vec![p(), p()], vec![c("C1", "u")], PopulationError::DuplicateProvider("u".into())),
            (vec![p()], vec![c("C1", "u"), c("C1", "u")], PopulationError::DuplicateCase("C1".into())),
        ];
        for (providers, cases, error) in table {
            assert_eq!(Population::new(providers, cases), Err(error.clone()), "{error}");
        }
    }

    #[test]
    fn totals_group_categories_by_name_with_unspecified() {
        let population = Population::new(
            vec![provider("a", "A", "A", None), provider("b", "B", "B", None)],
            vec![
                case("a", "C1", 1, "2025-03-03", &[], Some("Orthopedic"), 45_000),
                case("a", "C2", 2, "2025-03-03", &[], None, 1_050),
                case("b", "C3", 3, "2025-03-03", &[], Some("Orthopedic"), 50_000),
                case("b", "C4", 4, "2025-03-03", &[], Some("General"), 30_000),
                case("b", "C5", 5, "2025-03-03", &[], Some("  "), 5),
            ],
        )
        .unwrap();
        let totals = population.totals();
        assert_eq!((totals.providers, totals.cases, totals.amount.to_string().as_str()), (2, 5, "1260.55"));
        let lines: Vec<(String, usize, String)> =
            totals.by_category.iter().map(|c| (c.name.clone(), c.cases, c.amount.to_string())).collect();
        assert_eq!(
            lines,
            [
                ("General".to_owned(), 1, "300.00".to_owned()),
                ("Orthopedic".to_owned(), 2, "950.00".to_owned()),
                ("Unspecified".to_owned(), 2, "10.55".to_owned()),
            ]
        );
    }

    #[test]
    fn names_print_as_stored() {
        let table: &[(Option<&str>, Option<&str>, &str)] = &[
            (Some("Zoë"), Some("Ångström"), "Zoë Ångström"),
            (None, Some("O'Connor"), "O'Connor"),
            (Some("Jane"), None, "Jane"),
            (Some(" "), None, "u-x"),
            (None, None, "u-x"),
        ];
        for (first, last, shown) in table {
            let mut p = provider("u-x", "", "", None);
            p.first_name = first.map(str::to_owned);
            p.last_name = last.map(str::to_owned);
            assert_eq!(p.display_name(), *shown);
        }
    }
}
