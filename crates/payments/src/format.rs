//! How reports and exports print dates, procedure lists and money.

use chrono::{NaiveDate, Utc};
use surgicase_kernel::{Money, Timestamp};

/// `March 03, 2025` (`Month DD, YYYY`).
pub fn long_date(date: NaiveDate) -> String {
    date.format("%B %d, %Y").to_string()
}

/// `2025-03-03`.
pub fn iso_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// `03/03/2025`, as QuickBooks reads dates.
pub fn us_date(date: NaiveDate) -> String {
    date.format("%m/%d/%Y").to_string()
}

/// `2025-03-03 09:00:00` in UTC, as the case export prints timestamps.
pub fn utc_seconds(ts: Timestamp) -> String {
    ts.with_timezone(&Utc).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// `$1,234.56`.
pub fn dollars(amount: Money) -> String {
    amount.to_dollars()
}

/// Codes shown in a report row before the rest are counted.
pub const PROCEDURES_SHOWN: usize = 4;

/// Up to four codes joined by ", ", then ` +K` for K more: `27447, 27130, 29881, 29880 +2`.
pub fn procedures_cell(codes: &[String]) -> String {
    let shown: Vec<&str> = codes.iter().take(PROCEDURES_SHOWN).map(String::as_str).collect();
    let mut cell = shown.join(", ");
    if codes.len() > PROCEDURES_SHOWN {
        cell.push_str(&format!(" +{}", codes.len() - PROCEDURES_SHOWN));
    }
    cell
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, date};

    #[test]
    fn procedure_cells() {
        let table: &[(&[&str], &str)] = &[
            (&[], ""),
            (&["27447"], "27447"),
            (&["27447", "27130", "29881", "29880"], "27447, 27130, 29881, 29880"),
            (&["27447", "27130", "29881", "29880", "58150"], "27447, 27130, 29881, 29880 +1"),
            (&["27447", "27130", "29881", "29880", "58150", "49505"], "27447, 27130, 29881, 29880 +2"),
        ];
        for (codes, cell) in table {
            let codes: Vec<String> = codes.iter().map(|c| (*c).to_owned()).collect();
            assert_eq!(procedures_cell(&codes), *cell);
        }
    }

    #[test]
    fn dates() {
        let d = date("2025-03-03");
        assert_eq!(long_date(d), "March 03, 2025");
        assert_eq!(long_date(date("2024-12-25")), "December 25, 2024");
        assert_eq!(iso_date(d), "2025-03-03");
        assert_eq!(us_date(d), "03/03/2025");
        assert_eq!(utc_seconds(at("2025-03-10T09:05:07.999Z")), "2025-03-10 09:05:07");
    }
}
