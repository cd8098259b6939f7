//! `/tiers_summary` (api.md §9): the price table as one line per tier, buckets in a fixed order.

use std::collections::{BTreeMap, BTreeSet};

use surgicase_kernel::Money;

/// The bucket order when configuration names none.
pub const DEFAULT_BUCKET_ORDER: [&str; 5] = ["OB-Gyn", "General", "Orthopedic", "Plastic", "Spine"];

/// One tier's amounts, in the summary's bucket order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierLine {
    pub tier: i32,
    /// `(400/250/450/300/600)`.
    pub amounts: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TiersSummary {
    /// `OB-Gyn/General/Orthopedic/Plastic/Spine`.
    pub buckets: String,
    pub tiers: Vec<TierLine>,
}

/// Whole dollars when the cents are zero, else two decimals.
fn amount(money: Money) -> String {
    if money.cents() % 100 == 0 { (money.cents() / 100).to_string() } else { money.to_string() }
}

/// Buckets in `order` (those named there, even without a price), then any other bucket
/// alphabetically; one line per tier in numeric order; a missing price is `0`. Buckets compare
/// case-insensitively, as the database's do.
pub fn tiers_summary<'a>(
    rows: impl IntoIterator<Item = (&'a str, i32, Money)>,
    order: &[String],
) -> TiersSummary {
    let mut prices: BTreeMap<(i32, String), Money> = BTreeMap::new();
    let mut others: BTreeMap<String, &str> = BTreeMap::new();
    let ordered: BTreeSet<String> = order.iter().map(|b| b.to_lowercase()).collect();
    for (bucket, tier, money) in rows {
        let key = bucket.to_lowercase();
        if !ordered.contains(&key) {
            others.entry(key.clone()).or_insert(bucket);
        }
        prices.insert((tier, key), money);
    }
    let mut buckets: Vec<(String, String)> = order.iter().map(|b| (b.to_lowercase(), b.clone())).collect();
    buckets.extend(others.into_iter().map(|(key, name)| (key, name.to_owned())));
    let tiers: BTreeSet<i32> = prices.keys().map(|(tier, _)| *tier).collect();
    let tiers = tiers
        .into_iter()
        .map(|tier| {
            let amounts: Vec<String> = buckets
                .iter()
                .map(|(key, _)| {
                    prices.get(&(tier, key.clone())).map_or_else(|| "0".to_owned(), |m| amount(*m))
                })
                .collect();
            TierLine { tier, amounts: format!("({})", amounts.join("/")) }
        })
        .collect();
    let names: Vec<&str> = buckets.iter().map(|(_, name)| name.as_str()).collect();
    TiersSummary { buckets: names.join("/"), tiers }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_order() -> Vec<String> {
        DEFAULT_BUCKET_ORDER.iter().map(|b| (*b).to_owned()).collect()
    }

    fn cents(c: i64) -> Money {
        Money::from_cents(c)
    }

    #[test]
    fn lines_per_tier_in_bucket_order() {
        let rows = [
            ("Spine", 2, cents(60_000)),
            ("Orthopedic", 2, cents(45_000)),
            ("OB-Gyn", 2, cents(30_000)),
            ("General", 2, cents(30_000)),
            ("Plastic", 2, cents(0)),
            ("Orthopedic", 10, cents(50_050)),
            ("Orthopedic", 3, cents(50_000)),
            ("cardiac", 3, cents(12_345)),
            ("ENT", 2, cents(100)),
        ];
        let summary = tiers_summary(rows.iter().map(|(b, t, m)| (*b, *t, *m)), &default_order());
        assert_eq!(summary.buckets, "OB-Gyn/General/Orthopedic/Plastic/Spine/cardiac/ENT");
        let lines: Vec<(i32, &str)> = summary.tiers.iter().map(|l| (l.tier, l.amounts.as_str())).collect();
        assert_eq!(
            lines,
            vec![(2, "(300/300/450/0/600/0/1)"), (3, "(0/0/500/0/0/123.45/0)"), (10, "(0/0/500.50/0/0/0/0)"),]
        );
    }

    #[test]
    fn configured_order_and_case_insensitive_buckets() {
        let order = vec!["spine".to_owned(), "General".to_owned()];
        let rows = [("Spine", 1, cents(60_000)), ("Orthopedic", 1, cents(45_000)), ("general", 1, cents(5))];
        let summary = tiers_summary(rows.iter().map(|(b, t, m)| (*b, *t, *m)), &order);
        assert_eq!(summary.buckets, "spine/General/Orthopedic");
        assert_eq!(summary.tiers, vec![TierLine { tier: 1, amounts: "(600/0.05/450)".to_owned() }]);
        let empty = tiers_summary(std::iter::empty(), &order);
        assert_eq!((empty.buckets.as_str(), empty.tiers.len()), ("spine/General", 0));
    }
}
