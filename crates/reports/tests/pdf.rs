//! Every PDF is read back: with the qpdf library (the password is enforced) and with poppler's
//! pdftotext and the qpdf CLI (what a reader sees: names, totals, page numbers, encryption).
// Helpers outside `#[test]` functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::process::Command;

use qpdf::{QPdf, QPdfErrorCode};
use support::{have_tool, pdf_pages, pdftotext, population, run};
use surgicase_payments::{
    ReportPassword, ReportZone, consolidated_report, individual_report, summary_report,
};
use surgicase_ports::ReportRenderer;
use surgicase_reports::{PdfRenderer, encrypt_pdf};

const PASSWORD: &str = "o'connor_1003000126";

fn renderer() -> PdfRenderer {
    PdfRenderer::new().unwrap()
}

/// Whitespace removed, so wrapped cells compare whole.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect()
}

#[test]
fn the_password_is_enforced_by_the_qpdf_library() {
    let doc = consolidated_report(&population(), &run(), ReportZone::default_zone());
    let r = renderer();
    let pdf = r.render(&doc).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let encrypted = r.encrypt(&pdf, &ReportPassword::new(PASSWORD.to_owned()).unwrap()).unwrap();

    let none = QPdf::read_from_memory(&encrypted).err().map(|e| e.error_code());
    assert_eq!(none, Some(QPdfErrorCode::InvalidPassword));
    let wrong =
        QPdf::read_from_memory_encrypted(&encrypted, "o'connor_0000000000").err().map(|e| e.error_code());
    assert_eq!(wrong, Some(QPdfErrorCode::InvalidPassword));
    let opened = QPdf::read_from_memory_encrypted(&encrypted, PASSWORD).unwrap();
    assert!(opened.is_encrypted());
    // The clear PDF opens without a password: the difference is the encryption.
    assert!(QPdf::read_from_memory(&pdf).is_ok());
}

#[test]
fn a_reader_sees_names_totals_and_page_numbers() {
    if !have_tool("pdftotext", "apt-get install -y poppler-utils") {
        return;
    }
    let doc = consolidated_report(&population(), &run(), ReportZone::default_zone());
    let r = renderer();
    let encrypted =
        r.encrypt(&r.render(&doc).unwrap(), &ReportPassword::new(PASSWORD.to_owned()).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &encrypted).unwrap();

    let pages = pdf_pages(&path, Some(PASSWORD));
    assert_eq!(pages, 3, "two providers and the summary");
    let text = pdftotext(&path, Some(PASSWORD), None);
    for expected in [
        "SurgiCase - Provider Payment Report",
        "Report Date: March 10, 2025",
        "Provider: Sean O'Connor (NPI: 1003000126)",
        "Provider: Zoë Ångström (NPI: 1234567893)",
        "Projected Pay Date: March 13, 2025",
        "Renée Müller",
        "Siobhán Ní Bhriain",
        "$1,234.56",
        "Provider Total: $1,684.56",
        "Total Amount: $1,984.56",
        "Orthopedic - 3 cases - $1,984.56",
        "Report generated on: 2025-03-10 09:00:00 EDT",
        "Page 1 of 3",
        "Page 3 of 3",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    // A long cell wraps inside its column, and nothing of it is lost.
    let flat = squeezed(&text);
    assert!(
        flat.contains("Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessen"),
        "{text}"
    );
    assert!(flat.contains("27447,27130,29881,29880+2"), "{text}");

    // Each provider starts a page of their own, in report order.
    let first = pdftotext(&path, Some(PASSWORD), Some((1, 1)));
    let second = pdftotext(&path, Some(PASSWORD), Some((2, 2)));
    assert!(first.contains("Sean O'Connor") && !first.contains("Zoë Ångström"), "{first}");
    assert!(second.contains("Zoë Ångström") && !second.contains("Sean O'Connor"), "{second}");
    assert!(pdftotext(&path, Some(PASSWORD), Some((3, 3))).contains("Report Summary"));

    // Without the password poppler cannot read it.
    let refused = Command::new("pdftotext").arg(&path).arg("-").output().unwrap();
    assert!(!refused.status.success());
}

#[test]
fn the_qpdf_cli_reports_aes_256() {
    if !have_tool("qpdf", "apt-get install -y qpdf") {
        return;
    }
    let pdf =
        renderer().render_pdf(&summary_report(&population(), &run(), ReportZone::default_zone())).unwrap();
    let encrypted = encrypt_pdf(&pdf, "summary-pass-1").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("enc.pdf");
    std::fs::write(&path, &encrypted).unwrap();
    let out = Command::new("qpdf")
        .arg("--show-encryption")
        .arg("--password=summary-pass-1")
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("R = 6"), "{text}");
    assert!(text.contains("AESv3"), "{text}");
    assert!(text.contains("Supplied password is user password"), "{text}");
}

#[test]
fn individual_and_summary_reports_read_back() {
    if !have_tool("pdftotext", "apt-get install -y poppler-utils") {
        return;
    }
    let population = population();
    let r = renderer();
    let dir = tempfile::tempdir().unwrap();

    let zoe = &population.providers()[1];
    let berlin = ReportZone::parse("Europe/Berlin").unwrap();
    let individual = r.render(&individual_report(zoe, &run(), berlin)).unwrap();
    let path = dir.path().join("individual.pdf");
    std::fs::write(
        &path,
        r.encrypt(&individual, &ReportPassword::new("ångström_1234567893".into()).unwrap()).unwrap(),
    )
    .unwrap();
    let text = pdftotext(&path, Some("ångström_1234567893"), None);
    assert!(text.contains("Provider: Zoë Ångström (NPI: 1234567893)"), "{text}");
    assert!(text.contains("Report generated on: 2025-03-10 14:00:00 CET"), "{text}");
    assert!(text.contains("Page 1 of 1"), "{text}");
    assert!(!text.contains("O'Connor") && !text.contains("Report Summary"), "{text}");

    // The summary is not protected: poppler reads it without a password.
    let summary = r.render(&summary_report(&population, &run(), ReportZone::default_zone())).unwrap();
    let path = dir.path().join("summary.pdf");
    std::fs::write(&path, summary).unwrap();
    let text = pdftotext(&path, None, None);
    for expected in [
        "SurgiCase - Provider Payment Summary Report",
        "State: CA",
        "State: TX",
        "State Total: $1,684.56",
        "Total States: 2",
        "Page 3 of 3",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    assert!(!text.contains("Renée"), "no patient data in the summary");
}

#[test]
fn encrypting_something_that_is_not_a_pdf_fails() {
    let err =
        renderer().encrypt(b"not a pdf", &ReportPassword::new("long-enough".into()).unwrap()).unwrap_err();
    assert!(matches!(err, surgicase_ports::RenderError::Encrypt(_)), "{err:?}");
}

#[test]
fn a_report_laid_out_in_parts_reads_as_one() {
    if !have_tool("pdftotext", "apt-get install -y poppler-utils") {
        return;
    }
    // One row per part: every section is laid out on its own and the parts are joined.
    let r = renderer().with_rows_per_part(1);
    let doc = consolidated_report(&population(), &run(), ReportZone::default_zone());
    let encrypted =
        r.encrypt(&r.render(&doc).unwrap(), &ReportPassword::new(PASSWORD.to_owned()).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parts.pdf");
    std::fs::write(&path, &encrypted).unwrap();

    assert_eq!(pdf_pages(&path, Some(PASSWORD)), 3);
    let pages: Vec<String> = (1..=3).map(|n| pdftotext(&path, Some(PASSWORD), Some((n, n)))).collect();
    for (n, (page, expected)) in
        pages.iter().zip(["Sean O'Connor", "Zoë Ångström", "Report Summary"]).enumerate()
    {
        assert!(page.contains(expected), "page {}: {page}", n + 1);
        assert!(page.contains(&format!("Page {} of 3", n + 1)), "page {}: {page}", n + 1);
        assert!(page.contains("SurgiCase - Provider Payment Report"), "page {}: {page}", n + 1);
    }
    assert_eq!(
        QPdf::read_from_memory(&encrypted).err().map(|e| e.error_code()),
        Some(QPdfErrorCode::InvalidPassword)
    );
}
