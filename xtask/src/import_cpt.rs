//! `import-cpt FILE`: streams the CSV twice — once to check every line (reporting each bad one
//! by number), once to import in batches inside one transaction.

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use surgicase_app::cpt_import::{LineError, import, is_header, parse_line};
use surgicase_ports::records::ProcedureCodeRecord;
use surgicase_runtime::{StartOptions, start};

const BATCH: usize = 500;

fn reader(path: &Path) -> Result<csv::Reader<std::fs::File>, String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::None)
        .from_path(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Every record with its line number: `Ok` parsed, `Err` the problem; headers skipped.
fn records(path: &Path) -> Result<impl Iterator<Item = Result<ProcedureCodeRecord, LineError>>, String> {
    let mut first = true;
    Ok(reader(path)?.into_records().filter_map(move |row| {
        let is_first = std::mem::take(&mut first);
        match row {
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                Some(Err(LineError { line, message: e.to_string() }))
            }
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                let fields: Vec<&str> = record.iter().collect();
                if is_first && is_header(&fields) {
                    return None;
                }
                Some(parse_line(line, &fields))
            }
        }
    }))
}

fn bar(len: u64) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({per_sec})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

pub(crate) async fn run(path: &Path, skip_invalid: bool) -> Result<(), String> {
    let check = ProgressBar::new_spinner();
    check.set_message("checking");
    let mut valid = 0u64;
    let mut invalid: Vec<LineError> = Vec::new();
    for record in records(path)? {
        match record {
            Ok(_) => valid += 1,
            Err(e) => invalid.push(e),
        }
        check.inc(1);
    }
    check.finish_and_clear();
    for e in invalid.iter().take(100) {
        eprintln!("line {}: {}", e.line, e.message);
    }
    if invalid.len() > 100 {
        eprintln!("… and {} more malformed lines", invalid.len() - 100);
    }
    if !invalid.is_empty() && !skip_invalid {
        return Err(format!(
            "{} malformed line(s); nothing imported (fix them, or pass --skip-invalid to import the {valid} valid ones)",
            invalid.len()
        ));
    }

    let config = crate::tasks::config()?;
    let runtime =
        start(&config, StartOptions { migrate: true, seed: true }).await.map_err(|e| e.to_string())?;
    let progress = bar(valid);
    progress.set_message("importing");
    // Batches are read from the file as the import goes: the file is never held in memory.
    let mut valid_records = records(path)?.flatten();
    let batches = std::iter::from_fn(move || {
        let batch: Vec<ProcedureCodeRecord> = valid_records.by_ref().take(BATCH).collect();
        (!batch.is_empty()).then_some(batch)
    });
    let total = import(runtime.app.store().as_ref(), batches, |n| progress.inc(n as u64))
        .await
        .map_err(|e| e.to_string())?;
    progress.finish_and_clear();
    println!("imported {total} procedure codes ({} malformed lines skipped)", invalid.len());
    Ok(())
}
