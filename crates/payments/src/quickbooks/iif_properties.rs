//! Properties of every IIF file, over generated populations: each transaction sums to exactly
//! zero, SPL numbers run 1..n across the file, every case with a non-zero amount has exactly one
//! transaction, and no value breaks a record (every record has its header's field count).

use proptest::prelude::*;
use surgicase_kernel::{Money, Timestamp};

use super::iif::{IifOptions, transactions_iif};
use crate::population::{IncludedCase, Population};
use crate::test_support::{at, case, provider};

/// Names drawn from letters, Unicode, and the characters the cleaning must neutralise.
fn name() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('a'),
            Just('Z'),
            Just('ë'),
            Just('Å'),
            Just(' '),
            Just('\t'),
            Just('\r'),
            Just('\n'),
            Just('"'),
            Just('\''),
            Just(',')
        ],
        1..8,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// Amounts with zero and large values well represented.
fn cents() -> impl Strategy<Value = i64> {
    prop_oneof![Just(0i64), 1i64..100, 0i64..10_000_000, Just(10_000_000i64)]
}

#[derive(Debug, Clone)]
struct GenProvider {
    first: String,
    last: String,
    cases: Vec<(i64, u8, String)>,
}

fn population() -> impl Strategy<Value = Vec<GenProvider>> {
    let gen_case = (cents(), 0u8..7, name());
    let gen_provider = (name(), name(), proptest::collection::vec(gen_case, 0..6))
        .prop_map(|(first, last, cases)| GenProvider { first, last, cases });
    proptest::collection::vec(gen_provider, 0..5)
}

fn build(generated: &[GenProvider]) -> (Population, usize) {
    let mut providers = Vec::new();
    let mut cases: Vec<IncludedCase> = Vec::new();
    let mut non_zero = 0;
    for (p, gp) in generated.iter().enumerate() {
        let user = format!("u{p}");
        let mut prov = provider(&user, "x", "x", None);
        prov.first_name = Some(gp.first.clone());
        prov.last_name = Some(gp.last.clone());
        providers.push(prov);
        for (n, (cents, code_count, patient)) in gp.cases.iter().enumerate() {
            let codes: Vec<String> =
                (0..*code_count).map(|k| format!("{:05}", 10_000 + u32::from(k))).collect();
            let code_refs: Vec<&str> = codes.iter().map(String::as_str).collect();
            let id = format!("C{p}-{n}");
            let mut c = case(&user, &id, (p * 100 + n) as i64, "2025-03-03", &code_refs, None, *cents);
            c.patient_first = patient.clone();
            cases.push(c);
            if *cents != 0 {
                non_zero += 1;
            }
        }
    }
    (Population::new(providers, cases).unwrap(), non_zero)
}

fn check(population: &Population, non_zero: usize, exported_at: Timestamp, options: &IifOptions) {
    let export = transactions_iif(population, exported_at, options);
    let text = String::from_utf8(export.bytes).unwrap();
    assert!(text.ends_with("\r\n"));
    let records: Vec<&str> = text.strip_suffix("\r\n").unwrap().split("\r\n").collect();
    // No bare CR or LF survives inside a record.
    assert!(records.iter().all(|r| !r.contains(['\r', '\n'])));
    let fields_of = |kind: &str| match kind {
        "!HDR" | "HDR" => 8,
        "!ACCNT" | "ACCNT" => 4,
        "!VEND" | "VEND" => 6,
        "!TRNS" | "TRNS" => 9,
        "!SPL" | "SPL" => 10,
        "!ENDTRNS" | "ENDTRNS" => 1,
        other => panic!("unexpected record {other:?}"),
    };
    let mut expected_spl = 1u64;
    let mut open: Option<i64> = None;
    let mut transactions = 0;
    for record in &records {
        let fields: Vec<&str> = record.split('\t').collect();
        assert_eq!(fields.len(), fields_of(fields[0]), "{record:?}");
        match fields[0] {
            "TRNS" => {
                assert!(open.is_none(), "TRNS inside a transaction");
                open = Some(Money::parse(fields[6]).unwrap().cents());
            }
            "SPL" => {
                assert_eq!(fields[1], expected_spl.to_string());
                expected_spl += 1;
                let sum = open.as_mut().expect("SPL outside a transaction");
                *sum += Money::parse(fields[7]).unwrap().cents();
            }
            "ENDTRNS" => {
                assert_eq!(open.take(), Some(0), "transaction does not balance");
                transactions += 1;
            }
            _ => {}
        }
    }
    assert!(open.is_none());
    assert_eq!(transactions, non_zero);
    assert_eq!(export.transactions, non_zero);
    assert_eq!(expected_spl - 1, non_zero as u64);
    let amounts: Money = population.cases().map(|c| c.pay_amount).sum();
    assert_eq!(export.total, amounts);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_transaction_balances_and_spl_ids_run_from_one(
        generated in population(),
        include_patient_names in any::<bool>(),
    ) {
        let (population, non_zero) = build(&generated);
        let options = IifOptions { include_patient_names, ..IifOptions::default() };
        check(&population, non_zero, at("2025-03-10T09:30:00Z"), &options);
    }
}
