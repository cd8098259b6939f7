//! The consolidated provider payment report (§17.2) and the individual reports (§17.3), which
//! are one provider section of it.

use chrono::NaiveDate;
use surgicase_kernel::Timestamp;

use crate::document::{Block, Column, ReportDocument, Section, Table};
use crate::format::{dollars, iso_date, long_date, procedures_cell};
use crate::pay_date::projected_pay_date;
use crate::population::{Population, ProviderCases, Totals};
use crate::zone::ReportZone;

pub const CONSOLIDATED_TITLE: &str = "Provider Payment Report";

/// `reports.company_name` when configuration says nothing.
pub const DEFAULT_COMPANY_NAME: &str = "SurgiCase";

/// What every report of one run shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRun {
    /// `reports.company_name`.
    pub company_name: String,
    pub generated_at: Timestamp,
    /// The next occurrence of the `paid_transition` job after `generated_at`, or `None` when
    /// that job is disabled.
    pub next_paid_transition: Option<Timestamp>,
}

/// Header, report date and footer of a report dated in `zone`.
pub(crate) fn frame(
    title: &str,
    run: &ReportRun,
    zone: ReportZone,
    sections: Vec<Section>,
) -> ReportDocument {
    ReportDocument {
        title: title.to_owned(),
        header: format!("{} - {title}", run.company_name),
        report_date: format!("Report Date: {}", long_date(zone.local_date(run.generated_at))),
        generated_on: format!("Report generated on: {}", zone.timestamp_line(run.generated_at)),
        sections,
    }
}

/// One page per provider, then the summary page. `zone`: the requesting admin's, or
/// `reports.timezone` for scheduled runs.
pub fn consolidated_report(population: &Population, run: &ReportRun, zone: ReportZone) -> ReportDocument {
    let pay_date = projected_pay_date(run.generated_at, zone, run.next_paid_transition);
    let mut sections: Vec<Section> =
        population.providers().iter().map(|group| provider_section(group, pay_date)).collect();
    let totals = population.totals();
    let mut summary = vec![
        Block::Heading("Report Summary".to_owned()),
        Block::Line(format!("Total Providers: {}", totals.providers)),
        Block::Line(format!("Total Cases: {}", totals.cases)),
        Block::Line(format!("Total Amount: {}", dollars(totals.amount))),
    ];
    summary.extend(category_blocks(&totals));
    sections.push(Section { blocks: summary });
    frame(CONSOLIDATED_TITLE, run, zone, sections)
}

/// One provider's report, dated in `zone` (the provider's own, see
/// [`ReportZone::or_fallback`]); no summary page.
pub fn individual_report(group: &ProviderCases, run: &ReportRun, zone: ReportZone) -> ReportDocument {
    let pay_date = projected_pay_date(run.generated_at, zone, run.next_paid_transition);
    frame(CONSOLIDATED_TITLE, run, zone, vec![provider_section(group, pay_date)])
}

/// `Provider: First Last (NPI: …)`, the projected pay date, the case table and the total.
fn provider_section(group: &ProviderCases, pay_date: NaiveDate) -> Section {
    let provider = &group.provider;
    let heading = match provider.npi {
        Some(npi) => format!("Provider: {} (NPI: {npi})", provider.display_name()),
        None => format!("Provider: {}", provider.display_name()),
    };
    let rows = group
        .cases
        .iter()
        .map(|case| {
            vec![
                iso_date(case.case_date),
                case.patient_name(),
                procedures_cell(&case.procedure_codes),
                case.pay_category.clone().unwrap_or_default(),
                dollars(case.pay_amount),
            ]
        })
        .collect();
    let table = Table {
        columns: vec![
            Column::left("Date", 2),
            Column::left("Patient Name", 4),
            Column::left("Procedure(s)", 4),
            Column::left("Category", 3),
            Column::right("Amount", 2),
        ],
        rows,
    };
    Section {
        blocks: vec![
            Block::Heading(heading),
            Block::Line(format!("Projected Pay Date: {}", long_date(pay_date))),
            Block::Table(table),
            Block::Total(format!("Provider Total: {}", dollars(group.total()))),
        ],
    }
}

/// "Payment Summary by Category": `<category> - N cases - $X`, sorted by name.
pub(crate) fn category_blocks(totals: &Totals) -> Vec<Block> {
    let mut blocks = vec![Block::Subheading("Payment Summary by Category".to_owned())];
    blocks.extend(
        totals
            .by_category
            .iter()
            .map(|c| Block::Line(format!("{} - {} cases - {}", c.name, c.cases, dollars(c.amount)))),
    );
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::Population;
    use crate::test_support::{at, case, jane_doe, provider};

    fn run() -> ReportRun {
        ReportRun {
            company_name: "Acme Surgical".to_owned(),
            generated_at: at("2025-03-10T13:00:00Z"),
            next_paid_transition: Some(at("2025-03-13T08:00:00Z")),
        }
    }

    #[test]
    fn consolidated_report_of_the_worked_example() {
        let doc = consolidated_report(&jane_doe(), &run(), ReportZone::default_zone());
        assert_eq!(doc.header, "Acme Surgical - Provider Payment Report");
        assert_eq!(doc.report_date, "Report Date: March 10, 2025");
        assert_eq!(doc.generated_on, "Report generated on: 2025-03-10 09:00:00 EDT");
        assert_eq!(doc.sections.len(), 2);
        let provider = &doc.sections[0].blocks;
        assert_eq!(provider[0], Block::Heading("Provider: Jane Doe (NPI: 1234567893)".to_owned()));
        assert_eq!(provider[1], Block::Line("Projected Pay Date: March 13, 2025".to_owned()));
        let Block::Table(table) = &provider[2] else { panic!("{:?}", provider[2]) };
        let titles: Vec<&str> = table.columns.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["Date", "Patient Name", "Procedure(s)", "Category", "Amount"]);
        assert_eq!(
            table.rows,
            [
                ["2025-03-03", "Pat Patient1001", "27447, 29881", "Orthopedic", "$450.00"],
                ["2025-03-04", "Pat Patient1002", "58150", "OB-Gyn", "$300.00"],
            ]
        );
        assert_eq!(provider[3], Block::Total("Provider Total: $750.00".to_owned()));
        assert_eq!(
            doc.sections[1].blocks,
            [
                Block::Heading("Report Summary".to_owned()),
                Block::Line("Total Providers: 1".to_owned()),
                Block::Line("Total Cases: 2".to_owned()),
                Block::Line("Total Amount: $750.00".to_owned()),
                Block::Subheading("Payment Summary by Category".to_owned()),
                Block::Line("OB-Gyn - 1 cases - $300.00".to_owned()),
                Block::Line("Orthopedic - 1 cases - $450.00".to_owned()),
            ]
        );
    }

    #[test]
    fn unknown_npi_and_blank_category_and_big_amounts() {
        let population = Population::new(
            vec![provider("u-z", "Zoë", "Ångström", None)],
            vec![case("u-z", "C1", 1, "2025-03-03", &["1", "2", "3", "4", "5"], None, 123_456_789)],
        )
        .unwrap();
        let mut run = run();
        run.next_paid_transition = None;
        let doc = consolidated_report(&population, &run, ReportZone::default_zone());
        let blocks = &doc.sections[0].blocks;
        assert_eq!(blocks[0], Block::Heading("Provider: Zoë Ångström".to_owned()));
        assert_eq!(blocks[1], Block::Line("Projected Pay Date: March 14, 2025".to_owned()));
        let Block::Table(table) = &blocks[2] else { panic!("{:?}", blocks[2]) };
        assert_eq!(table.rows[0][2], "1, 2, 3, 4 +1");
        assert_eq!(table.rows[0][3], "");
        assert_eq!(table.rows[0][4], "$1,234,567.89");
        assert!(doc.texts().contains(&"Unspecified - 1 cases - $1,234,567.89"));
    }

    #[test]
    fn individual_report_is_one_section_in_the_providers_zone() {
        let population = jane_doe();
        let group = &population.providers()[0];
        let tokyo = ReportZone::parse("Asia/Tokyo").unwrap();
        let doc = individual_report(group, &run(), tokyo);
        assert_eq!(doc.sections.len(), 1);
        assert_eq!(doc.header, "Acme Surgical - Provider Payment Report");
        assert_eq!(doc.report_date, "Report Date: March 10, 2025");
        assert_eq!(doc.generated_on, "Report generated on: 2025-03-10 22:00:00 JST");
        // 08:00 UTC Thursday is 17:00 Thursday in Tokyo.
        assert_eq!(doc.sections[0].blocks[1], Block::Line("Projected Pay Date: March 13, 2025".to_owned()));
    }
}
