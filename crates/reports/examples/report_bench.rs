//! Measures the renderer at production scale: one consolidated report over 2,000 providers and
//! 20,000 cases (render, encrypt, peak RSS), then 2,000 individual reports (render and encrypt
//! each) on every core. Run it optimised:
//!
//! ```text
//! cargo run --release -p surgicase-reports --example report_bench [providers] [cases_per_provider] [out.pdf]
//! ```
//!
//! With a third argument the consolidated PDF (unencrypted) is written there, to look at.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use surgicase_kernel::{CaseId, Money, Npi, UserId};
use surgicase_payments::{
    IncludedCase, Population, Provider, ReportPassword, ReportRun, ReportZone, consolidated_report,
    individual_report,
};
use surgicase_reports::{PdfRenderer, encrypt_pdf};

/// A deterministic generator (64-bit LCG), so runs are comparable.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const FIRST: &[&str] =
    &["Zoë", "Sean", "Renée", "Łukasz", "Siobhán", "Ana", "José", "Mary", "Søren", "Chloé"];
const LAST: &[&str] =
    &["Ångström", "O'Connor", "Müller", "Nguyễn", "García", "Smith", "Kowalski", "Ní Bhriain"];
const CODES: &[&str] = &["27447", "27130", "29881", "29880", "58150", "49505", "63030", "22612"];
const CATEGORIES: &[&str] = &["Orthopedic", "OB-Gyn", "General", "Spine"];

/// A valid NPI for `n` (the check digit computed like the kernel does).
fn npi(n: u64) -> Npi {
    let base = 100_000_000 + n;
    (0..10).map(|d| base * 10 + d).find_map(|v| Npi::from_u64(v).ok()).unwrap()
}

fn population(providers: usize, cases_per_provider: usize) -> Population {
    let mut rng = Lcg(42);
    let day0 = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
    let mut ps = Vec::new();
    let mut cs = Vec::new();
    for p in 0..providers {
        let user = format!("u-{p:05}");
        ps.push(Provider {
            user_id: UserId::parse(&user).unwrap(),
            first_name: Some(rng.pick(FIRST).to_owned()),
            last_name: Some(format!("{}{}", rng.pick(LAST), p % 37)),
            npi: Some(npi(p as u64)),
            state: Some(["CA", "TX", "NY", "FL"][p % 4].to_owned()),
            email: None,
            timezone: None,
        });
        for c in 0..cases_per_provider {
            let codes: Vec<String> = (0..1 + rng.next() % 6).map(|_| rng.pick(CODES).to_owned()).collect();
            cs.push(IncludedCase {
                case_id: CaseId::parse(&format!("{user}_{c}")).unwrap(),
                user_id: UserId::parse(&user).unwrap(),
                human_case_id: (p * cases_per_provider + c) as i64,
                case_date: day0 + chrono::Days::new(rng.next() % 5),
                patient_first: rng.pick(FIRST).to_owned(),
                patient_last: rng.pick(LAST).to_owned(),
                procedure_codes: codes,
                pay_category: Some(rng.pick(CATEGORIES).to_owned()),
                pay_amount: Money::from_cents((rng.next() % 60_000) as i64 + 100),
            });
        }
    }
    Population::new(ps, cs).unwrap()
}

/// Peak resident set size of this process so far, from /proc/self/status.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Starts a new peak: the kernel resets VmHWM to the current RSS.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn main() {
    let mut args = std::env::args().skip(1);
    let providers: usize = args.next().map_or(2_000, |a| a.parse().unwrap());
    let per_provider: usize = args.next().map_or(10, |a| a.parse().unwrap());
    let keep_pdf = args.next();
    let population = population(providers, per_provider);
    let run = ReportRun {
        company_name: "SurgiCase".to_owned(),
        generated_at: DateTime::parse_from_rfc3339("2025-03-10T13:00:00Z").unwrap().with_timezone(&Utc),
        next_paid_transition: None,
    };
    let zone = ReportZone::default_zone();
    let start = Instant::now();
    let renderer = PdfRenderer::new().unwrap();
    println!("fonts loaded: {:.3} s", start.elapsed().as_secs_f64());

    let start = Instant::now();
    let doc = consolidated_report(&population, &run, zone);
    let model = start.elapsed();
    let start = Instant::now();
    let pdf = renderer.render_pdf(&doc).unwrap();
    let render = start.elapsed();
    let render_peak = peak_rss_mb();
    if let Some(path) = &keep_pdf {
        std::fs::write(path, &pdf).unwrap();
    }
    reset_peak_rss();
    let start = Instant::now();
    let encrypted = encrypt_pdf(&pdf, "weekly_20250310").unwrap();
    let encrypt = start.elapsed();
    let encrypt_peak = peak_rss_mb();
    println!(
        "consolidated: {providers} providers, {} cases: model {:.3} s, render {:.3} s (peak RSS {render_peak:.0} MB), \
         encrypt {:.3} s (peak RSS {encrypt_peak:.0} MB), pdf {:.1} MB, encrypted {:.1} MB",
        providers * per_provider,
        model.as_secs_f64(),
        render.as_secs_f64(),
        encrypt.as_secs_f64(),
        pdf.len() as f64 / 1e6,
        encrypted.len() as f64 / 1e6,
    );
    drop((pdf, encrypted, doc));
    reset_peak_rss();

    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let groups = population.providers();
    let start = Instant::now();
    let (bytes, render, encrypt) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let renderer = renderer.clone();
                let run = &run;
                scope.spawn(move || {
                    let (mut bytes, mut render, mut encrypt) = (0usize, 0.0f64, 0.0f64);
                    for group in groups.iter().skip(w).step_by(workers) {
                        let start = Instant::now();
                        let pdf = renderer.render_pdf(&individual_report(group, run, zone)).unwrap();
                        render += start.elapsed().as_secs_f64();
                        let start = Instant::now();
                        let password =
                            ReportPassword::new(format!("bench_{}", group.provider.user_id)).unwrap();
                        bytes += encrypt_pdf(&pdf, password.expose()).unwrap().len();
                        encrypt += start.elapsed().as_secs_f64();
                    }
                    (bytes, render, encrypt)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .fold((0, 0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2))
    });
    let elapsed = start.elapsed();
    println!(
        "individual: {} reports on {workers} threads: {:.2} s ({:.1} ms each; per report on one thread: render \
         {:.1} ms, encrypt {:.1} ms), average {:.0} KB, peak RSS {:.0} MB",
        groups.len(),
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / groups.len() as f64,
        render * 1000.0 / groups.len() as f64,
        encrypt * 1000.0 / groups.len() as f64,
        bytes as f64 / groups.len() as f64 / 1e3,
        peak_rss_mb()
    );
}
