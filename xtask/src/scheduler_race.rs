//! `cargo xtask scheduler-race --mysql URL --seconds 60`: the "done when" experiment of the
//! scheduler. Several `surgicase-scheduler` processes run side by side against one MariaDB
//! database with both status transitions scheduled every second, while this task keeps
//! feeding cases at status 10. Afterwards it checks, from the database alone, that every
//! occurrence ran exactly once and every case moved 10 → 15 → 20 exactly once, and prints the
//! numbers (occurrences, runs, duplicates, gaps, cases moved, claim latency).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use surgicase_app::cases::SystemActor;
use surgicase_app::{App, Ctx};
use surgicase_cases::{NewCaseInput, PatientInput};
use surgicase_config::Config;
use surgicase_kernel::{CaseId, CaseStatus, Raw};
use surgicase_ports::records::{ActorType, ChangeSource};
use surgicase_ports::{JobRunQuery, JobRunRecord, RunOutcome, TriggerKind};
use surgicase_runtime::{StartOptions, start};
use surgicase_users::{ProfileField, ProfileInput};

use crate::bench::free_port;

const JOBS: [&str; 2] = ["pending_payment_transition", "paid_transition"];

/// What to run.
pub(crate) struct RaceOptions {
    pub mysql: String,
    pub seconds: u64,
    pub processes: usize,
    /// Cases at status 10 before the start.
    pub initial_cases: usize,
    /// New cases at status 10 per second while the schedulers run.
    pub cases_per_second: u64,
}

fn raw(s: &str) -> Raw<String> {
    Raw::Value(s.to_owned())
}

fn built_binary(root: &Path) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["build", "-p", "surgicase", "--bin", "surgicase-scheduler"])
        .current_dir(root)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("build of surgicase-scheduler failed".to_owned());
    }
    Ok(root.join("target/debug/surgicase-scheduler"))
}

/// One provider with a surgeon and a facility, and a case maker.
struct Feeder {
    ctx: Ctx,
    surgeon: i64,
    facility: i64,
    made: Vec<String>,
}

impl Feeder {
    async fn new(app: &App) -> Result<Self, String> {
        let id = "race-provider";
        let input = ProfileInput::new(id)
            .with(ProfileField::UserEmail, "race@example.com")
            .with(ProfileField::FirstName, "Race")
            .with(ProfileField::LastName, "Provider");
        let (ctx, surgeon, facility) =
            crate::bench::seed_provider(app, &input, "xtask scheduler-race").await?;
        Ok(Self { ctx, surgeon, facility, made: Vec::new() })
    }

    /// A new case, then set to 10 (ready for billing) as an operator would.
    async fn make(&mut self, app: &App) -> Result<(), String> {
        let n = self.made.len();
        let case_id = format!("race-case-{n}");
        let input = NewCaseInput {
            case_id: raw(&case_id),
            case_date: raw("2025-03-03"),
            surgeon_id: raw(&self.surgeon.to_string()),
            facility_id: raw(&self.facility.to_string()),
            patient: Raw::Value(PatientInput {
                first: raw("Pat"),
                last: raw(&format!("Race{n}")),
                ins_provider: raw("Aetna"),
            }),
            ..NewCaseInput::default()
        };
        app.create_case(&self.ctx, input).await.map_err(|e| e.to_string())?;
        let who = SystemActor { actor_type: ActorType::System, name: "xtask scheduler-race".to_owned() };
        app.set_case_status_as(&who, &case_id, CaseStatus::READY_FOR_BILLING, Some("ready"))
            .await
            .map_err(|e| e.to_string())?;
        self.made.push(case_id);
        Ok(())
    }
}

struct Scheduler {
    child: Child,
    name: String,
}

fn spawn_scheduler(
    binary: &Path,
    config: &Config,
    dir: &Path,
    i: usize,
    port: u16,
) -> Result<Scheduler, String> {
    let name = format!("race-{i}");
    let log = std::fs::File::create(dir.join(format!("{name}.log"))).map_err(|e| e.to_string())?;
    let mut command = Command::new(binary);
    command
        .arg("serve")
        .env("SURGICASE_DATABASE_URL", config.database_url.expose())
        .env("SURGICASE_DATA_DIR", &config.data_dir)
        .env("SURGICASE_DATABASE__MIGRATE_ON_START", "false")
        .env("SURGICASE_DATABASE__SEED_ON_START", "false")
        .env("SURGICASE_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env("SURGICASE_SCHEDULER__INSTANCE_ID", &name)
        .env("SURGICASE_SCHEDULER__METRICS_BIND", format!("127.0.0.1:{port}"));
    for job in JOBS {
        let key = job.to_ascii_uppercase();
        command
            .env(format!("SURGICASE_SCHEDULER__JOBS__{key}__SCHEDULE"), "* * * * * *")
            .env(format!("SURGICASE_SCHEDULER__JOBS__{key}__CATCH_UP_WINDOW_S"), "0");
    }
    let child = command.stdout(Stdio::null()).stderr(log).spawn().map_err(|e| e.to_string())?;
    Ok(Scheduler { child, name })
}

/// SIGTERM, then wait for the exit.
fn terminate(mut s: Scheduler) -> Result<String, String> {
    let pid = s.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().map_err(|e| e.to_string())?;
    let started = Instant::now();
    loop {
        if let Some(status) = s.child.try_wait().map_err(|e| e.to_string())? {
            return Ok(format!("{} exited {status} after SIGTERM in {:.1?}", s.name, started.elapsed()));
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = s.child.kill();
            return Err(format!("{} did not stop within 60 s of SIGTERM", s.name));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Checks one job's rows; returns the problems found.
fn check_runs(job: &str, rows: &[JobRunRecord], problems: &mut Vec<String>) {
    let scheduled: Vec<&JobRunRecord> =
        rows.iter().filter(|r| r.trigger_kind == TriggerKind::Schedule).collect();
    let mut per_occurrence: BTreeMap<i64, usize> = BTreeMap::new();
    for r in rows {
        *per_occurrence.entry(r.scheduled_for.timestamp_micros()).or_default() += 1;
    }
    let duplicates = per_occurrence.values().filter(|n| **n > 1).count();
    let (first, last) = match (scheduled.first(), scheduled.last()) {
        (Some(f), Some(l)) => (f.scheduled_for.timestamp(), l.scheduled_for.timestamp()),
        _ => {
            problems.push(format!("{job}: no scheduled run at all"));
            return;
        }
    };
    let expected = usize::try_from(last - first + 1).unwrap_or(0);
    let gaps = expected.saturating_sub(scheduled.len());
    let not_succeeded: Vec<String> = rows
        .iter()
        .filter(|r| r.outcome != RunOutcome::Succeeded)
        .map(|r| format!("{}@{} {}", r.id, r.scheduled_for, r.outcome.as_str()))
        .collect();
    let mut by_instance: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &scheduled {
        *by_instance.entry(r.claimed_by.as_str()).or_default() += 1;
    }
    let retried = rows.iter().filter(|r| r.attempt > 1).count();
    let mut latency: Vec<i64> =
        scheduled.iter().map(|r| (r.claimed_ts - r.scheduled_for).num_microseconds().unwrap_or(0)).collect();
    latency.sort_unstable();
    let items: i64 = rows.iter().map(|r| i64::from(r.items_processed)).sum();
    println!(
        "  {job}: occurrences {expected} ({} … {}), runs {}, succeeded {}, duplicates {duplicates}, gaps {gaps}, \
         retried {retried}, cases moved {items}",
        scheduled.first().map(|r| r.scheduled_for.to_string()).unwrap_or_default(),
        scheduled.last().map(|r| r.scheduled_for.to_string()).unwrap_or_default(),
        rows.len(),
        rows.len() - not_succeeded.len(),
    );
    println!("    runs per process: {by_instance:?}");
    println!(
        "    claim latency (claimed_ts - scheduled_for): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        percentile(&latency, 0.5) as f64 / 1000.0,
        percentile(&latency, 0.95) as f64 / 1000.0,
        latency.last().copied().unwrap_or(0) as f64 / 1000.0
    );
    if duplicates > 0 {
        problems.push(format!("{job}: {duplicates} occurrences with more than one row"));
    }
    if gaps > 0 {
        problems.push(format!("{job}: {gaps} missing occurrences between the first and the last"));
    }
    if !not_succeeded.is_empty() {
        problems.push(format!("{job}: runs not succeeded: {not_succeeded:?}"));
    }
}

pub(crate) async fn run(root: &Path, options: RaceOptions) -> Result<(), String> {
    let binary = built_binary(root)?;
    let dir = std::env::temp_dir().join(format!("surgicase-scheduler-race-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let config = Config {
        database_url: options.mysql.clone().into(),
        data_dir: dir.join("data"),
        ..Config::default()
    };
    println!(
        "scheduler-race: {} processes, {} s, both transitions every second, {} cases at 10 + {} per second, on {}",
        options.processes,
        options.seconds,
        options.initial_cases,
        options.cases_per_second,
        surgicase_config::redact_url(config.database_url.expose())
    );
    let runtime =
        start(&config, StartOptions { migrate: true, seed: true }).await.map_err(|e| e.to_string())?;
    let app = runtime.app.clone();
    {
        let mut conn = app.store().conn().await.map_err(|e| e.to_string())?;
        let existing = conn
            .list_job_runs(&JobRunQuery { limit: 1, ..JobRunQuery::default() })
            .await
            .map_err(|e| e.to_string())?;
        if !existing.is_empty() {
            return Err("the database already has job runs; give an empty database".to_owned());
        }
    }
    let mut feeder = Feeder::new(&app).await?;
    for _ in 0..options.initial_cases {
        feeder.make(&app).await?;
    }

    let mut schedulers = Vec::new();
    for i in 0..options.processes {
        schedulers.push(spawn_scheduler(&binary, &config, &dir, i, free_port()?)?);
    }
    let started = Instant::now();
    let run_for = Duration::from_secs(options.seconds);
    // Feed until 3 s before the end, so that the last cases still pass both transitions.
    let feed_until = run_for.saturating_sub(Duration::from_secs(3));
    let every = Duration::from_millis(1000 / options.cases_per_second.max(1));
    while started.elapsed() < feed_until {
        if options.cases_per_second > 0 {
            feeder.make(&app).await?;
        }
        tokio::time::sleep(every).await;
    }
    tokio::time::sleep(run_for.saturating_sub(started.elapsed())).await;
    for s in schedulers {
        println!("  {}", terminate(s)?);
    }

    // The verdict, from the database alone.
    let mut problems = Vec::new();
    let mut conn = app.store().conn().await.map_err(|e| e.to_string())?;
    let mut runs_by_job: BTreeMap<&str, Vec<JobRunRecord>> = BTreeMap::new();
    for job in JOBS {
        let query =
            JobRunQuery { job_name: Some(job.to_owned()), limit: 1_000_000, ..JobRunQuery::default() };
        let mut rows = conn.list_job_runs(&query).await.map_err(|e| e.to_string())?;
        rows.sort_by_key(|r| (r.scheduled_for, r.id));
        check_runs(job, &rows, &mut problems);
        runs_by_job.insert(job, rows);
    }
    let run_job: BTreeMap<i64, &str> =
        runs_by_job.iter().flat_map(|(job, rows)| rows.iter().map(move |r| (r.id, *job))).collect();
    let (mut moved_to_15, mut moved_to_20, mut at_20) = (0usize, 0usize, 0usize);
    for case_id in &feeder.made {
        let id = CaseId::parse(case_id).map_err(|e| e.to_string())?;
        let history = conn.case_history(&id).await.map_err(|e| e.to_string())?;
        let by_job: Vec<_> = history.iter().filter(|h| h.source == ChangeSource::Job).collect();
        let to_15 = by_job.iter().filter(|h| h.to_status == CaseStatus::PENDING_PAYMENT).count();
        let to_20 = by_job.iter().filter(|h| h.to_status == CaseStatus::PAID).count();
        moved_to_15 += to_15;
        moved_to_20 += to_20;
        if to_15 != 1 || to_20 != 1 {
            problems.push(format!("{case_id}: moved {to_15}× to 15 and {to_20}× to 20 by jobs"));
        }
        for h in &by_job {
            let expected_job = if h.to_status == CaseStatus::PAID {
                "paid_transition"
            } else {
                "pending_payment_transition"
            };
            if h.job_run_id.and_then(|id| run_job.get(&id)) != Some(&expected_job) {
                problems.push(format!(
                    "{case_id}: history row names run {:?}, not a {expected_job} run",
                    h.job_run_id
                ));
            }
        }
        let view = conn.get_case_view(&id, None, None).await.map_err(|e| e.to_string())?;
        if view.is_some_and(|v| v.case.row.case_status == CaseStatus::PAID) {
            at_20 += 1;
        }
    }
    let items = |job: &str| {
        runs_by_job.get(job).map_or(0, |rows| rows.iter().map(|r| i64::from(r.items_processed)).sum::<i64>())
    };
    println!(
        "  cases: {} eligible, moved 10→15 {moved_to_15} times, 15→20 {moved_to_20} times, {at_20} now at 20; \
         items_processed sums {} / {}",
        feeder.made.len(),
        items("pending_payment_transition"),
        items("paid_transition")
    );
    if i64::try_from(moved_to_15).unwrap_or(-1) != items("pending_payment_transition")
        || i64::try_from(moved_to_20).unwrap_or(-1) != items("paid_transition")
    {
        problems.push("run counts and history rows disagree".to_owned());
    }
    println!("  logs: {}", dir.display());
    if problems.is_empty() {
        println!("scheduler-race: OK — every occurrence ran exactly once, every case moved exactly once");
        Ok(())
    } else {
        for p in &problems {
            println!("  PROBLEM: {p}");
        }
        Err(format!("{} problem(s)", problems.len()))
    }
}
