//! The `surgicase-scheduler` command line.
//!
//! - `surgicase-scheduler` / `surgicase-scheduler serve`: run the service (catch-up, the job
//!   loops, `/metrics` and `/health/live` on `scheduler.metrics_bind`) until SIGTERM or Ctrl-C.
//! - `surgicase-scheduler run JOB`: one `manual` occurrence now, recorded like any other.
//! - `surgicase-scheduler list`: the jobs, their next occurrence and last run.
//! - `surgicase-scheduler config`: the effective configuration, secrets masked.
//!
//! The configuration is the API's (defaults, `SURGICASE_CONFIG`, environment), section
//! `[scheduler]`. Exit status: 0 success, 1 runtime failure (or a failed run), 2 bad usage or
//! configuration.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use surgicase_app::jobs::{JobOverview, JobRegistry};
use surgicase_config::Config;
use surgicase_kernel::time::format_timestamp;
use surgicase_ports::RunOutcome;
use surgicase_runtime::{StartOptions, start};

use crate::runner::{RunResult, Scheduler};
use crate::server::{self, ListenerState};
use crate::settings::SchedulerSettings;
use crate::shutdown::{Shutdown, ShutdownTrigger, shutdown_pair};
use crate::{SchedulerError, metrics};
use surgicase_runtime::telemetry;

/// The arguments.
#[derive(Debug, Parser)]
#[command(
    name = "surgicase-scheduler",
    version,
    about = "SurgiCase scheduler: runs every job occurrence exactly once"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand, PartialEq, Eq)]
pub enum Command {
    /// Run the scheduler service (the default).
    Serve,
    /// Run one occurrence of JOB now (trigger `manual`), recorded like any other.
    Run {
        /// The job name, e.g. `paid_transition`.
        job: String,
    },
    /// List the jobs: schedule, enabled, next occurrence, last run.
    List,
    /// Print the effective configuration (secrets masked).
    Config,
}

/// Entry point of the `surgicase-scheduler` binary.
pub fn main() -> ExitCode {
    run(Cli::parse())
}

/// Runs one command.
pub fn run(cli: Cli) -> ExitCode {
    let config = match surgicase_config::load() {
        Ok(config) => config,
        Err(e) => return usage_error(&e.to_string()),
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::Config => {
            print!("{}", config.to_redacted_toml());
            ExitCode::SUCCESS
        }
        Command::Serve => serve(config),
        Command::Run { job } => {
            one_off(config, |scheduler, shutdown| async move { run_job(&scheduler, &job, &shutdown).await })
        }
        Command::List => one_off(config, |scheduler, _| async move { list(&scheduler).await }),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("surgicase-scheduler: {message}");
    ExitCode::from(2)
}

fn failure(message: &str) -> ExitCode {
    eprintln!("surgicase-scheduler: {message}");
    ExitCode::FAILURE
}

/// Opens the adapters as the API does and plans the configured jobs.
async fn build(config: &Config) -> Result<Scheduler, (ExitCode, String)> {
    let runtime = start(config, StartOptions::from_config(config))
        .await
        .map_err(|e| (ExitCode::FAILURE, e.to_string()))?;
    let settings = SchedulerSettings::from_config(&config.scheduler, runtime.app.settings().jobs.clone());
    Scheduler::new(runtime.app, JobRegistry::builtin(), settings).map_err(|e| match e {
        SchedulerError::Config(_) => (ExitCode::from(2), e.to_string()),
        other => (ExitCode::FAILURE, other.to_string()),
    })
}

/// Fires `trigger` on SIGTERM or Ctrl-C.
async fn on_signal(trigger: ShutdownTrigger) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => tracing::info!("SIGTERM received"),
                    _ = tokio::signal::ctrl_c() => tracing::info!("interrupt received"),
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; Ctrl-C only");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    trigger.fire();
}

fn serve(config: Config) -> ExitCode {
    if let Err(e) = telemetry::init(&config) {
        return usage_error(&e);
    }
    let handle = match metrics::install() {
        Ok(handle) => handle,
        Err(e) => return failure(&e),
    };
    actix_web::rt::System::new().block_on(async move {
        let scheduler = match build(&config).await {
            Ok(s) => s,
            Err((code, message)) => {
                eprintln!("surgicase-scheduler: {message}");
                return code;
            }
        };
        let state = ListenerState { metrics: Some(handle), clock: scheduler.app().clock().clone() };
        let bind = config.scheduler.metrics_bind;
        let server = match server::start(bind, state) {
            Ok(server) => server,
            Err(e) => return failure(&format!("cannot listen on {bind} (scheduler.metrics_bind): {e}")),
        };
        tracing::info!(%bind, instance = scheduler.instance_id(), "metrics listener started");
        let listener = server.handle();
        actix_web::rt::spawn(server);
        let (trigger, shutdown) = shutdown_pair();
        actix_web::rt::spawn(on_signal(trigger));
        let outcome = scheduler.serve(shutdown).await;
        listener.stop(true).await;
        match outcome {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => failure(&e.to_string()),
        }
    })
}

/// Builds the scheduler on a fresh runtime and runs `command` with a shutdown signal wired to
/// SIGTERM and Ctrl-C.
fn one_off<F, Fut>(config: Config, command: F) -> ExitCode
where
    F: FnOnce(Scheduler, Shutdown) -> Fut,
    Fut: std::future::Future<Output = ExitCode>,
{
    if let Err(e) = telemetry::init(&config) {
        return usage_error(&e);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return failure(&format!("cannot start the async runtime: {e}")),
    };
    runtime.block_on(async move {
        let scheduler = match build(&config).await {
            Ok(s) => s,
            Err((code, message)) => {
                eprintln!("surgicase-scheduler: {message}");
                return code;
            }
        };
        let (trigger, shutdown) = shutdown_pair();
        tokio::spawn(on_signal(trigger));
        command(scheduler, shutdown).await
    })
}

/// `run JOB`.
async fn run_job(scheduler: &Scheduler, job: &str, shutdown: &Shutdown) -> ExitCode {
    if let Err(e) = scheduler.registry().get(job) {
        return usage_error(&e.to_string());
    }
    match scheduler.run_now(job, shutdown).await {
        Ok(result) => {
            println!("{}", describe_result(job, &result));
            match result {
                RunResult::Finished(row) if row.outcome == RunOutcome::Succeeded => ExitCode::SUCCESS,
                _ => ExitCode::FAILURE,
            }
        }
        Err(e) => failure(&e.to_string()),
    }
}

/// One line about a manual run.
pub fn describe_result(job: &str, result: &RunResult) -> String {
    match result {
        RunResult::AlreadyClaimed => {
            format!("{job}: an occurrence at this second is already recorded; nothing run (try again)")
        }
        RunResult::Finished(row) => {
            let mut line = format!(
                "{job}: run {} ({}, {}) {}: {} processed, {} failed",
                row.id,
                row.trigger_kind.as_str(),
                format_timestamp(row.scheduled_for),
                row.outcome.as_str(),
                row.items_processed,
                row.items_failed
            );
            if let Some(details) = &row.details {
                line.push_str(&format!(", details {details}"));
            }
            if let Some(error) = &row.error_text {
                line.push_str(&format!(", error: {error}"));
            }
            line
        }
        RunResult::Lost(row) => format!("{job}: run {} lost its lease to another scheduler; stopped", row.id),
        RunResult::Released(row) => format!("{job}: run {} interrupted by shutdown; claim released", row.id),
        RunResult::Abandoned(row) => format!("{job}: run {} abandoned", row.id),
    }
}

/// `list`.
async fn list(scheduler: &Scheduler) -> ExitCode {
    match scheduler.app().jobs_overview(&scheduler.settings().jobs, scheduler.registry()).await {
        Ok(jobs) => {
            print!("{}", format_list(&jobs));
            ExitCode::SUCCESS
        }
        Err(e) => failure(&e.to_string()),
    }
}

/// The `list` table: job, enabled, schedule, next occurrence, last run.
pub fn format_list(jobs: &[JobOverview]) -> String {
    let rows: Vec<[String; 5]> = jobs
        .iter()
        .map(|j| {
            let enabled = match (j.enabled, j.available) {
                (true, _) => "yes".to_owned(),
                (false, true) => "no".to_owned(),
                (false, false) => "no (not in this build)".to_owned(),
            };
            let next = j.next_occurrence.map(format_timestamp).unwrap_or_else(|| "-".to_owned());
            let last = j.last_run.as_ref().map_or_else(
                || "-".to_owned(),
                |r| {
                    format!(
                        "{} {} ({}, {} items)",
                        r.outcome.as_str(),
                        format_timestamp(r.scheduled_for),
                        r.trigger_kind.as_str(),
                        r.items_processed
                    )
                },
            );
            [j.job.clone(), enabled, j.schedule.clone(), next, last]
        })
        .collect();
    let header = ["JOB", "ENABLED", "SCHEDULE (UTC)", "NEXT", "LAST RUN"].map(str::to_owned);
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use surgicase_ports::{JobRunRecord, TriggerKind};

    use super::*;

    #[test]
    fn commands_parse() {
        let parse = |args: &[&str]| Cli::try_parse_from(args).map(|c| c.command).ok();
        assert_eq!(parse(&["surgicase-scheduler"]), Some(None));
        assert_eq!(parse(&["surgicase-scheduler", "serve"]), Some(Some(Command::Serve)));
        assert_eq!(parse(&["surgicase-scheduler", "list"]), Some(Some(Command::List)));
        assert_eq!(
            parse(&["surgicase-scheduler", "run", "paid_transition"]),
            Some(Some(Command::Run { job: "paid_transition".into() }))
        );
        assert_eq!(parse(&["surgicase-scheduler", "run"]), None);
    }

    fn at(h: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 3, h, 0, 0).single().unwrap_or_default()
    }

    fn row() -> JobRunRecord {
        JobRunRecord {
            id: 7,
            job_name: "paid_transition".into(),
            scheduled_for: at(8),
            trigger_kind: TriggerKind::Manual,
            claimed_by: "a".into(),
            claimed_ts: at(8),
            lease_expires_ts: at(9),
            attempt: 1,
            started_ts: Some(at(8)),
            finished_ts: Some(at(8)),
            outcome: RunOutcome::Succeeded,
            items_processed: 3,
            items_failed: 0,
            error_text: None,
            details: Some("{\"cases\":3}".into()),
        }
    }

    #[test]
    fn lists_jobs_as_a_table() {
        let jobs = vec![
            JobOverview {
                job: "paid_transition".into(),
                schedule: "0 0 8 * * Thu".into(),
                enabled: true,
                available: true,
                catch_up_window_s: 86400,
                next_occurrence: Some(at(8)),
                last_run: Some(row()),
            },
            JobOverview {
                job: "npi_sync".into(),
                schedule: "0 0 8 * * Tue".into(),
                enabled: false,
                available: false,
                catch_up_window_s: 86400,
                next_occurrence: None,
                last_run: None,
            },
        ];
        let text = format_list(&jobs);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("JOB") && lines[0].contains("LAST RUN"));
        assert!(lines[1].contains("paid_transition") && lines[1].contains("yes"));
        assert!(
            lines[1].contains("2025-03-03T08:00:00Z")
                && lines[1].contains("succeeded 2025-03-03T08:00:00Z (manual, 3 items)")
        );
        assert!(lines[2].contains("no (not in this build)") && lines[2].ends_with('-'));
    }

    #[test]
    fn manual_results_are_one_line() {
        let text = describe_result("paid_transition", &RunResult::Finished(row()));
        assert_eq!(
            text,
            "paid_transition: run 7 (manual, 2025-03-03T08:00:00Z) succeeded: 3 processed, 0 failed, details {\"cases\":3}"
        );
        assert!(describe_result("paid_transition", &RunResult::AlreadyClaimed).contains("already recorded"));
    }
}
