//! The transactions IIF (§18.2): one bill per case with a non-zero amount, crediting Accounts
//! Payable and debiting the expense account by the same amount, so every transaction sums to
//! zero.

use std::fmt::Write as _;

use surgicase_kernel::{Money, Timestamp};

use crate::format::us_date;
use crate::population::Population;

/// Account names, from `exports.quickbooks.*` configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IifAccounts {
    /// Debited by each bill (type EXP).
    pub expense: String,
    /// Credited by each bill (type AP).
    pub payable: String,
}

impl Default for IifAccounts {
    fn default() -> Self {
        Self { expense: "Medical Expenses".to_owned(), payable: "Accounts Payable".to_owned() }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IifOptions {
    pub accounts: IifAccounts,
    /// `exports.quickbooks.include_patient_names` (default false): the memo then reads
    /// `Case <case_id> - First Last`.
    pub include_patient_names: bool,
}

/// The file and what its metadata and headers report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IifExport {
    /// UTF-8, TAB-separated, CRLF line ends.
    pub bytes: Vec<u8>,
    pub transactions: usize,
    pub total: Money,
}

/// TAB, CR and LF become a space and `"` becomes `'`, so a value cannot break a record.
pub fn clean_iif_value(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '\t' | '\r' | '\n' => ' ',
            '"' => '\'',
            other => other,
        })
        .collect()
}

/// One record: the fields cleaned and joined by TAB, then CRLF.
fn record(out: &mut String, fields: &[&str]) {
    let cleaned: Vec<String> = fields.iter().map(|f| clean_iif_value(f)).collect();
    out.push_str(&cleaned.join("\t"));
    out.push_str("\r\n");
}

/// The whole file for `population`, exported at `exported_at` (header date and time in UTC).
pub fn transactions_iif(population: &Population, exported_at: Timestamp, options: &IifOptions) -> IifExport {
    let accounts = &options.accounts;
    let mut out = String::new();
    record(&mut out, &["!HDR", "PROD", "VER", "REL", "IIFVER", "DATE", "TIME", "ACCNT"]);
    let date = us_date(exported_at.date_naive());
    let time = exported_at.format("%H:%M:%S").to_string();
    record(&mut out, &["HDR", "QuickBooks Pro", "2023", "R1", "1", &date, &time, "N"]);
    record(&mut out, &["!ACCNT", "NAME", "ACCNTTYPE", "DESC"]);
    record(&mut out, &["ACCNT", &accounts.expense, "EXP", "Medical Provider Payments"]);
    record(&mut out, &["ACCNT", &accounts.payable, "AP", "Accounts Payable"]);
    record(&mut out, &["!VEND", "NAME", "VTYPE", "CONTACT", "COMPANY", "ADDR1"]);
    for group in population.providers() {
        let vendor = group.provider.display_name();
        record(&mut out, &["VEND", &vendor, "Medical Provider", &vendor, &vendor, ""]);
    }
    record(&mut out, &["!TRNS", "TRNSTYPE", "DATE", "ACCNT", "NAME", "CLASS", "AMOUNT", "DOCNUM", "MEMO"]);
    record(
        &mut out,
        &["!SPL", "SPLID", "TRNSTYPE", "DATE", "ACCNT", "NAME", "CLASS", "AMOUNT", "DOCNUM", "MEMO"],
    );
    record(&mut out, &["!ENDTRNS"]);
    let mut spl_id = 0u64;
    let mut total = Money::ZERO;
    for group in population.providers() {
        let vendor = group.provider.display_name();
        for case in group.cases.iter().filter(|c| c.pay_amount != Money::ZERO) {
            spl_id += 1;
            total = total + case.pay_amount;
            let date = us_date(case.case_date);
            let docnum = format!("SC{}", case.human_case_id);
            let mut memo = format!("Case {}", case.case_id);
            if options.include_patient_names {
                let _ = write!(memo, " - {}", case.patient_name());
            }
            let credit = Money::from_cents(case.pay_amount.cents().saturating_neg()).to_string();
            let debit = case.pay_amount.to_string();
            let codes = case.procedure_codes.join(", ");
            let spl = spl_id.to_string();
            record(
                &mut out,
                &["TRNS", "BILL", &date, &accounts.payable, &vendor, "", &credit, &docnum, &memo],
            );
            record(
                &mut out,
                &["SPL", &spl, "BILL", &date, &accounts.expense, &vendor, "", &debit, &docnum, &codes],
            );
            record(&mut out, &["ENDTRNS"]);
        }
    }
    let transactions = usize::try_from(spl_id).unwrap_or(usize::MAX);
    IifExport { bytes: out.into_bytes(), transactions, total }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::Population;
    use crate::test_support::{at, case, jane_doe, provider};

    /// The §18.2 worked example, header records included, TAB written as `→` for legibility.
    const WORKED_EXAMPLE: &str = "\
!HDR→PROD→VER→REL→IIFVER→DATE→TIME→ACCNT
HDR→QuickBooks Pro→2023→R1→1→03/10/2025→09:30:00→N
!ACCNT→NAME→ACCNTTYPE→DESC
ACCNT→Medical Expenses→EXP→Medical Provider Payments
ACCNT→Accounts Payable→AP→Accounts Payable
!VEND→NAME→VTYPE→CONTACT→COMPANY→ADDR1
VEND→Jane Doe→Medical Provider→Jane Doe→Jane Doe→
!TRNS→TRNSTYPE→DATE→ACCNT→NAME→CLASS→AMOUNT→DOCNUM→MEMO
!SPL→SPLID→TRNSTYPE→DATE→ACCNT→NAME→CLASS→AMOUNT→DOCNUM→MEMO
!ENDTRNS
TRNS→BILL→03/03/2025→Accounts Payable→Jane Doe→→-450.00→SC1001→Case C1
SPL→1→BILL→03/03/2025→Medical Expenses→Jane Doe→→450.00→SC1001→27447, 29881
ENDTRNS
TRNS→BILL→03/04/2025→Accounts Payable→Jane Doe→→-300.00→SC1002→Case C2
SPL→2→BILL→03/04/2025→Medical Expenses→Jane Doe→→300.00→SC1002→58150
ENDTRNS
";

    fn bytes_of(legible: &str) -> Vec<u8> {
        legible.replace('→', "\t").replace('\n', "\r\n").into_bytes()
    }

    #[test]
    fn worked_example_byte_for_byte() {
        let export = transactions_iif(&jane_doe(), at("2025-03-10T09:30:00Z"), &IifOptions::default());
        assert_eq!(
            String::from_utf8(export.bytes.clone()).unwrap(),
            String::from_utf8(bytes_of(WORKED_EXAMPLE)).unwrap()
        );
        assert_eq!(export.bytes, bytes_of(WORKED_EXAMPLE));
        assert_eq!((export.transactions, export.total), (2, Money::from_cents(75_000)));
    }

    #[test]
    fn zero_amounts_are_skipped_and_spl_numbers_run_across_providers() {
        let population = Population::new(
            vec![provider("u-a", "Al", "Able", None), provider("u-b", "Bo", "Baker", None)],
            vec![
                case("u-a", "A1", 1, "2025-03-03", &["1"], None, 100),
                case("u-a", "A2", 2, "2025-03-04", &["2"], None, 0),
                case("u-b", "B1", 3, "2025-03-03", &["3"], None, 250),
            ],
        )
        .unwrap();
        let export = transactions_iif(&population, at("2025-03-10T09:30:00Z"), &IifOptions::default());
        let text = String::from_utf8(export.bytes).unwrap();
        let spl: Vec<&str> = text.split("\r\n").filter(|l| l.starts_with("SPL\t")).collect();
        assert_eq!(
            spl,
            [
                "SPL\t1\tBILL\t03/03/2025\tMedical Expenses\tAl Able\t\t1.00\tSC1\t1",
                "SPL\t2\tBILL\t03/03/2025\tMedical Expenses\tBo Baker\t\t2.50\tSC3\t3",
            ]
        );
        assert!(!text.contains("SC2"));
        // Both providers are vendors, even the one whose only other case was zero.
        assert_eq!(text.matches("\r\nVEND\t").count(), 2);
        assert_eq!((export.transactions, export.total), (2, Money::from_cents(350)));
    }

    #[test]
    fn configured_accounts_patient_names_and_cleaning() {
        let mut p = provider("u-a", "Ann\t\"Tab\"", "Lee\r\nX", None);
        p.first_name = Some("Ann\t\"Tab\"".to_owned());
        let mut c = case("u-a", "A1", 7, "2025-03-03", &["27447"], None, 100);
        c.patient_first = "Pat\"ty".to_owned();
        c.patient_last = "Smith\nJr".to_owned();
        let population = Population::new(vec![p], vec![c]).unwrap();
        let options = IifOptions {
            accounts: IifAccounts { expense: "Surgeon Fees".to_owned(), payable: "AP\tSurg".to_owned() },
            include_patient_names: true,
        };
        let text =
            String::from_utf8(transactions_iif(&population, at("2025-03-10T09:30:00Z"), &options).bytes)
                .unwrap();
        assert!(text.contains("\r\nACCNT\tSurgeon Fees\tEXP\tMedical Provider Payments\r\n"), "{text}");
        assert!(text.contains("\r\nACCNT\tAP Surg\tAP\tAccounts Payable\r\n"), "{text}");
        assert!(
            text.contains("\r\nTRNS\tBILL\t03/03/2025\tAP Surg\tAnn 'Tab' Lee  X\t\t-1.00\tSC7\tCase A1 - Pat'ty Smith Jr\r\n"),
            "{text}"
        );
    }

    #[test]
    fn cleaning_table() {
        let table: &[(&str, &str)] = &[
            ("a\tb", "a b"),
            ("a\r\nb", "a  b"),
            ("say \"x\"", "say 'x'"),
            ("Zoë Ångström", "Zoë Ångström"),
        ];
        for (raw, clean) in table {
            assert_eq!(clean_iif_value(raw), *clean);
        }
    }
}
