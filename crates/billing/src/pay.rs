//! The pay amount of a case (domain §8): one price per case, the highest, never summed.

use surgicase_kernel::{CaseStatus, Money, ProcedureCode};

/// What the code master says about one code for one tier: pricing and the snapshots stored
/// with each case code read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeInfo {
    pub procedure_code: String,
    pub procedure_desc: String,
    pub code_category: Option<String>,
    pub asst_surg: Option<i16>,
    /// `procedure_code_buckets2.pay_amount_cents` for the code's category and the tier.
    pub price: Option<Money>,
}

/// A case code with what the code master and the owner's tier say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedCode {
    pub code: ProcedureCode,
    /// Whether the code is in the code master (`procedure_codes`).
    pub known: bool,
    /// The code's `code_category` (its pay bucket).
    pub category: Option<String>,
    /// The `pay_amount_cents` of the bucket row for the owner's tier, when there is a row.
    pub price: Option<Money>,
}

impl PricedCode {
    /// The price that counts: a known code with a category and a row above 0.00.
    fn effective_price(&self) -> Option<(Money, &str)> {
        match (self.known, self.category.as_deref(), self.price) {
            (true, Some(category), Some(price)) if price > Money::ZERO => Some((price, category)),
            _ => None,
        }
    }
}

/// The recomputed pay of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayOutcome {
    /// The highest price, 0.00 when no code is priced.
    pub amount: Money,
    /// The category of the priced code.
    pub category: Option<String>,
    /// The code whose price was taken.
    pub priced_code: Option<ProcedureCode>,
    /// How many of the case's codes the code master knows (`procedure_codes_found`).
    pub codes_found: usize,
}

/// Highest price wins; ties go to the lowest code in byte order; nothing priced gives 0.00.
pub fn compute_pay(codes: &[PricedCode]) -> PayOutcome {
    let codes_found = codes.iter().filter(|c| c.known).count();
    let mut best: Option<(Money, &str, &ProcedureCode)> = None;
    for code in codes {
        let Some((price, category)) = code.effective_price() else { continue };
        let better = match best {
            None => true,
            Some((best_price, _, best_code)) => {
                price > best_price || (price == best_price && code.code.as_str() < best_code.as_str())
            }
        };
        if better {
            best = Some((price, category, &code.code));
        }
    }
    match best {
        Some((amount, category, code)) => PayOutcome {
            amount,
            category: Some(category.to_owned()),
            priced_code: Some(code.clone()),
            codes_found,
        },
        None => PayOutcome { amount: Money::ZERO, category: None, priced_code: None, codes_found },
    }
}

/// The `message` of a `PayUpdate` (api §1.9).
pub fn pay_message(outcome: &PayOutcome) -> String {
    match &outcome.category {
        Some(category) => format!("Pay amount set to {} ({category})", outcome.amount),
        None => format!("Pay amount set to {} (no priced procedure code)", outcome.amount),
    }
}

/// Whether a tier or price change recomputes a case: only active cases not yet at pending
/// payment; cases at 15 and above keep their amount.
pub fn reprices_on_tier_change(status: CaseStatus, active: bool) -> bool {
    active && status.is_pre_billing()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The §8 worked example: master categories and tier prices.
    fn priced(code: &str, tier: u8) -> PricedCode {
        let category = match code {
            "27447" | "29881" => Some("Orthopedic"),
            "58150" => Some("OB-Gyn"),
            "49505" => Some("General"),
            "15830" => Some("Plastic"),
            _ => None,
        };
        let cents = match (category, tier) {
            (Some("Orthopedic"), 2) => Some(45_000),
            (Some("Orthopedic"), 3) => Some(50_000),
            (Some("OB-Gyn" | "General"), 2 | 3) => Some(30_000),
            (Some("Spine"), 2) => Some(60_000),
            (Some("Plastic"), 2) => Some(0),
            _ => None,
        };
        PricedCode {
            code: ProcedureCode::parse(code).unwrap(),
            known: category.is_some(),
            category: category.map(str::to_owned),
            price: cents.map(Money::from_cents),
        }
    }

    /// Tier, codes, then the expected amount, category, priced code and codes found.
    type Row<'a> = (u8, &'a [&'a str], &'a str, Option<&'a str>, Option<&'a str>, usize);

    #[test]
    fn worked_example() {
        let table: &[Row<'_>] = &[
            (2, &["29881", "27447", "58150"], "450.00", Some("Orthopedic"), Some("27447"), 3),
            (2, &["58150", "49505"], "300.00", Some("General"), Some("49505"), 2),
            (2, &["15830", "99213"], "0.00", None, None, 1),
            (2, &[], "0.00", None, None, 0),
            // Row 5: after the owner moves to tier 3 (Orthopedic 500.00) a status-10 case reprices.
            (3, &["29881", "27447", "58150"], "500.00", Some("Orthopedic"), Some("27447"), 3),
        ];
        for (tier, codes, amount, category, priced_code, found) in table {
            let input: Vec<PricedCode> = codes.iter().map(|c| priced(c, *tier)).collect();
            let outcome = compute_pay(&input);
            assert_eq!(outcome.amount.to_string(), *amount, "{codes:?}");
            assert_eq!(outcome.category.as_deref(), *category, "{codes:?}");
            assert_eq!(outcome.priced_code.as_ref().map(|c| c.as_str()), *priced_code, "{codes:?}");
            assert_eq!(outcome.codes_found, *found, "{codes:?}");
        }
    }

    #[test]
    fn order_of_entry_does_not_matter() {
        let forward = compute_pay(&[priced("27447", 2), priced("29881", 2)]);
        let backward = compute_pay(&[priced("29881", 2), priced("27447", 2)]);
        assert_eq!(forward, backward);
        assert_eq!(forward.priced_code.map(String::from).as_deref(), Some("27447"));
    }

    #[test]
    fn prices_that_do_not_count() {
        let code = |known: bool, category: Option<&str>, cents: Option<i64>| PricedCode {
            code: ProcedureCode::parse("27447").unwrap(),
            known,
            category: category.map(str::to_owned),
            price: cents.map(Money::from_cents),
        };
        let table: &[(PricedCode, i64)] = &[
            (code(true, Some("Orthopedic"), Some(45_000)), 45_000),
            (code(true, Some("Orthopedic"), Some(0)), 0),
            (code(true, Some("Orthopedic"), None), 0),
            (code(true, None, Some(45_000)), 0),
            (code(false, Some("Orthopedic"), Some(45_000)), 0),
        ];
        for (input, cents) in table {
            assert_eq!(compute_pay(std::slice::from_ref(input)).amount.cents(), *cents, "{input:?}");
        }
    }

    #[test]
    fn ties_break_by_byte_order_of_the_code() {
        // Byte order puts digits before letters: 99999 < J1100.
        let code = |c: &str, category: &str| PricedCode {
            code: ProcedureCode::parse(c).unwrap(),
            known: true,
            category: Some(category.to_owned()),
            price: Some(Money::from_cents(10_000)),
        };
        let outcome = compute_pay(&[code("J1100", "Drugs"), code("99999", "General"), code("0042T", "New")]);
        assert_eq!(outcome.priced_code.map(String::from).as_deref(), Some("0042T"));
        assert_eq!(outcome.category.as_deref(), Some("New"));
    }

    #[test]
    fn messages() {
        let set = compute_pay(&[priced("27447", 2)]);
        assert_eq!(pay_message(&set), "Pay amount set to 450.00 (Orthopedic)");
        let zero = compute_pay(&[priced("99213", 2)]);
        assert_eq!(pay_message(&zero), "Pay amount set to 0.00 (no priced procedure code)");
    }

    #[test]
    fn tier_changes_reprice_only_active_pre_billing_cases() {
        let table: &[(i64, bool, bool)] = &[
            (10, true, true),  // worked example row 5
            (15, true, false), // worked example row 6: stays 450.00
            (0, true, true),
            (14, true, true),
            (20, true, false),
            (400, true, false),
            (10, false, false),
        ];
        for (code, active, reprices) in table {
            let status = CaseStatus::new(*code).unwrap();
            assert_eq!(reprices_on_tier_change(status, *active), *reprices, "{code} {active}");
        }
    }
}
