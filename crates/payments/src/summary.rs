//! The provider payment summary report (§17.4): providers grouped by profile state.

use std::collections::BTreeMap;

use crate::consolidated::{ReportRun, category_blocks, frame};
use crate::document::{Block, Column, ReportDocument, Section, Table};
use crate::format::dollars;
use crate::population::{Population, ProviderCases, provider_order, totals_of};
use crate::zone::ReportZone;

pub const SUMMARY_TITLE: &str = "Provider Payment Summary Report";

/// The group of providers whose profile has no state.
pub const UNKNOWN_STATE: &str = "Unknown";

/// The population grouped by state label, labels in alphabetical (byte) order, so `Unknown`
/// sorts among the two-letter codes by its spelling.
pub fn by_state(population: &Population) -> BTreeMap<String, Vec<&ProviderCases>> {
    let mut states: BTreeMap<String, Vec<&ProviderCases>> = BTreeMap::new();
    for group in population.providers() {
        let label = group.provider.state_trimmed().unwrap_or(UNKNOWN_STATE).to_owned();
        states.entry(label).or_default().push(group);
    }
    for groups in states.values_mut() {
        groups.sort_by(|a, b| provider_order(&a.provider, &b.provider));
    }
    states
}

/// One page per state, then the summary page. Not password protected: no patient data.
pub fn summary_report(population: &Population, run: &ReportRun, zone: ReportZone) -> ReportDocument {
    let states = by_state(population);
    let mut sections: Vec<Section> =
        states.iter().map(|(state, groups)| state_section(state, groups)).collect();
    let totals = population.totals();
    let mut summary = vec![
        Block::Heading("Report Summary".to_owned()),
        Block::Line(format!("Total States: {}", states.len())),
        Block::Line(format!("Total Providers: {}", totals.providers)),
        Block::Line(format!("Total Cases: {}", totals.cases)),
        Block::Line(format!("Total Amount: {}", dollars(totals.amount))),
    ];
    summary.extend(category_blocks(&totals));
    sections.push(Section { blocks: summary });
    frame(SUMMARY_TITLE, run, zone, sections)
}

fn state_section(state: &str, groups: &[&ProviderCases]) -> Section {
    let rows = groups
        .iter()
        .map(|g| {
            vec![
                g.provider.display_name(),
                g.provider.npi.map(|n| n.to_string()).unwrap_or_default(),
                g.case_count().to_string(),
                dollars(g.total()),
            ]
        })
        .collect();
    let table = Table {
        columns: vec![
            Column::left("Provider Name", 6),
            Column::left("NPI", 3),
            Column::right("Total Cases", 2),
            Column::right("Total Amount", 3),
        ],
        rows,
    };
    let total = totals_of(groups.iter().copied()).amount;
    Section {
        blocks: vec![
            Block::Heading(format!("State: {state}")),
            Block::Table(table),
            Block::Total(format!("State Total: {}", dollars(total))),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::Provider;
    use crate::test_support::{at, case, provider};

    fn with_state(mut p: Provider, state: Option<&str>) -> Provider {
        p.state = state.map(str::to_owned);
        p
    }

    #[test]
    fn states_alphabetical_providers_by_name_totals_per_state() {
        let population = Population::new(
            vec![
                with_state(provider("u1", "Bob", "Smith", Some("1234567893")), Some("TX")),
                with_state(provider("u2", "Amy", "Smith", None), Some("TX")),
                with_state(provider("u3", "Zoë", "Ångström", None), Some("CA")),
                with_state(provider("u4", "Sean", "O'Connor", None), None),
                with_state(provider("u5", "Al", "Vega", None), Some("VA")),
            ],
            vec![
                case("u1", "C1", 1, "2025-03-03", &[], Some("Orthopedic"), 45_000),
                case("u1", "C2", 2, "2025-03-04", &[], Some("Orthopedic"), 45_000),
                case("u2", "C3", 3, "2025-03-03", &[], None, 30_000),
                case("u3", "C4", 4, "2025-03-03", &[], Some("General"), 12_345),
                case("u4", "C5", 5, "2025-03-03", &[], Some("General"), 100),
                case("u5", "C6", 6, "2025-03-03", &[], Some("General"), 1),
            ],
        )
        .unwrap();
        let run = ReportRun {
            company_name: "SurgiCase".to_owned(),
            generated_at: at("2025-03-10T13:15:00Z"),
            next_paid_transition: None,
        };
        let doc = summary_report(&population, &run, ReportZone::default_zone());
        assert_eq!(doc.header, "SurgiCase - Provider Payment Summary Report");
        let headings: Vec<&Block> = doc.sections.iter().map(|s| &s.blocks[0]).collect();
        assert_eq!(
            headings,
            [
                &Block::Heading("State: CA".to_owned()),
                &Block::Heading("State: TX".to_owned()),
                &Block::Heading("State: Unknown".to_owned()),
                &Block::Heading("State: VA".to_owned()),
                &Block::Heading("Report Summary".to_owned()),
            ]
        );
        let texas = &doc.sections[1].blocks;
        let Block::Table(table) = &texas[1] else { panic!("{:?}", texas[1]) };
        assert_eq!(
            table.rows,
            [["Amy Smith", "", "1", "$300.00"], ["Bob Smith", "1234567893", "2", "$900.00"]]
        );
        assert_eq!(texas[2], Block::Total("State Total: $1,200.00".to_owned()));
        let summary: Vec<&str> = doc.sections[4].blocks[1..].iter().filter_map(line).collect();
        assert_eq!(
            summary,
            [
                "Total States: 4",
                "Total Providers: 5",
                "Total Cases: 6",
                "Total Amount: $1,324.46",
                "Payment Summary by Category",
                "General - 3 cases - $124.46",
                "Orthopedic - 2 cases - $900.00",
                "Unspecified - 1 cases - $300.00",
            ]
        );
    }

    fn line(block: &Block) -> Option<&str> {
        match block {
            Block::Line(t) | Block::Subheading(t) => Some(t),
            _ => None,
        }
    }
}
