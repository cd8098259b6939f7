//! The vendors CSV (§18.1): one row per provider with the opening balance they are owed.

use surgicase_kernel::{Money, Timestamp};

use crate::csv::write_record;
use crate::format::us_date;
use crate::population::Population;

pub const VENDORS_CSV_HEADER: [&str; 12] = [
    "Name",
    "Company",
    "First Name",
    "Last Name",
    "Vendor Type",
    "Account Number",
    "Tax ID",
    "Is Vendor Eligible For 1099",
    "Terms",
    "Credit Limit",
    "Opening Balance",
    "As Of Date",
];

/// The file and what its metadata and headers report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendorsCsv {
    /// UTF-8 without BOM, CRLF line ends.
    pub bytes: Vec<u8>,
    pub vendors: usize,
    pub total: Money,
}

/// The header and one row per provider, in report order; `As Of Date` is the UTC date of
/// `exported_at`.
pub fn vendors_csv(population: &Population, exported_at: Timestamp) -> VendorsCsv {
    let mut bytes = Vec::new();
    let as_of = us_date(exported_at.date_naive());
    // Writing into a Vec cannot fail.
    let _ = write_record(&mut bytes, VENDORS_CSV_HEADER);
    for group in population.providers() {
        let p = &group.provider;
        let name = p.display_name();
        let npi = p.npi.map(|n| n.to_string()).unwrap_or_default();
        let balance = group.total().to_string();
        let _ = write_record(
            &mut bytes,
            [
                name.as_str(),
                name.as_str(),
                p.first_name_trimmed().unwrap_or_default(),
                p.last_name_trimmed().unwrap_or_default(),
                "Medical Provider",
                p.user_id.as_str(),
                npi.as_str(),
                "Y",
                "Net 30",
                "",
                balance.as_str(),
                as_of.as_str(),
            ],
        );
    }
    let totals = population.totals();
    VendorsCsv { bytes, vendors: totals.providers, total: totals.amount }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::Population;
    use crate::test_support::{at, case, jane_doe, provider};

    #[test]
    fn worked_example_byte_for_byte() {
        // 22:00 in New York on 9 March is 10 March in UTC.
        let csv = vendors_csv(&jane_doe(), at("2025-03-10T02:00:00Z"));
        let expected = "Name,Company,First Name,Last Name,Vendor Type,Account Number,Tax ID,\
                        Is Vendor Eligible For 1099,Terms,Credit Limit,Opening Balance,As Of Date\r\n\
                        Jane Doe,Jane Doe,Jane,Doe,Medical Provider,u-jane,1234567893,Y,Net 30,,750.00,03/10/2025\r\n";
        assert_eq!(String::from_utf8(csv.bytes).unwrap(), expected);
        assert_eq!((csv.vendors, csv.total), (1, Money::from_cents(75_000)));
    }

    #[test]
    fn quoting_missing_npi_and_order() {
        let population = Population::new(
            vec![
                provider("u-b", "Mary, Jr.", "Zed", None),
                provider("u-a", "Sean", "O\"Connor", Some("1234567893")),
            ],
            vec![
                case("u-b", "C1", 1, "2025-03-03", &[], None, 5),
                case("u-a", "C2", 2, "2025-03-03", &[], None, 0),
            ],
        )
        .unwrap();
        let text = String::from_utf8(vendors_csv(&population, at("2025-12-31T23:59:59Z")).bytes).unwrap();
        let rows: Vec<&str> = text.split("\r\n").skip(1).collect();
        assert_eq!(
            rows,
            [
                "\"Sean O\"\"Connor\",\"Sean O\"\"Connor\",Sean,\"O\"\"Connor\",Medical Provider,u-a,1234567893,Y,Net 30,,0.00,12/31/2025",
                "\"Mary, Jr. Zed\",\"Mary, Jr. Zed\",\"Mary, Jr.\",Zed,Medical Provider,u-b,,Y,Net 30,,0.05,12/31/2025",
                "",
            ]
        );
    }
}
