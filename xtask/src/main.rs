//! `cargo xtask …`: tasks for developers and operators. Every task reads the database URL
//! from the same configuration the service uses (defaults, `SURGICASE_CONFIG`, environment).

mod bench;
mod bench_bare;
mod bench_documents;
mod bench_store;
mod ci;
mod fuzz;
mod galera;
mod import_cpt;
mod scheduler_race;
mod tasks;
mod timing;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "SurgiCase developer and operator tasks")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Apply pending database migrations.
    Migrate,
    /// Load the reference data (statuses, user types, document types, time zones, a sample of
    /// procedure codes, example pay tiers); with --demo also demo users, surgeons, facilities
    /// and cases.
    Seed {
        #[arg(long)]
        demo: bool,
    },
    /// Import the CPT master from a CSV file (code, description, category, asst_surg).
    ImportCpt {
        file: std::path::PathBuf,
        /// Import the valid lines even when some are malformed.
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Seed cases over many providers, start the release server and drive it with
    /// concurrent clients (SQLite, then MariaDB when --mysql names an empty database).
    Bench(bench::BenchOptions),
    /// Cases written and read per second through the storage port (SQLite, then MariaDB
    /// when --mysql names an empty database).
    BenchStore {
        #[arg(long, default_value_t = 5_000)]
        cases: usize,
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        #[arg(long)]
        mysql: Option<String>,
    },
    /// Upload and download throughput of one document on the local store, then on S3 when
    /// --s3 names an endpoint (moto: http://127.0.0.1:5000; export AWS_ACCESS_KEY_ID etc.).
    BenchDocuments {
        #[arg(long, default_value_t = 5)]
        size_mb: usize,
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        #[arg(long)]
        s3: Option<String>,
    },
    /// The scheduler's exactly-once experiment: several surgicase-scheduler processes against
    /// one empty MariaDB database (--mysql mysql://user@host:port/database), both transitions
    /// every second, cases fed at status 10; checks runs and case moves and prints the numbers.
    SchedulerRace {
        #[arg(long)]
        mysql: String,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        #[arg(long, default_value_t = 2)]
        processes: usize,
        #[arg(long, default_value_t = 100)]
        initial_cases: usize,
        #[arg(long, default_value_t = 5)]
        cases_per_second: u64,
    },
    /// Whether a case the caller may not see answers slower than a missing one: interleaved
    /// pairs of GET /case, medians and a Mann-Whitney U test.
    Timing {
        #[arg(long, default_value_t = 1_500)]
        pairs: usize,
        /// Measure this server binary instead of building the release one.
        #[arg(long)]
        binary: Option<std::path::PathBuf>,
    },
    /// Schemathesis, with all its checks, against the service on a fresh SQLite database
    /// (`schemathesis.toml` holds the exceptions and their reasons).
    Fuzz {
        /// Test cases per operation and phase.
        #[arg(long, default_value_t = 100)]
        examples: usize,
        /// Fuzz this server binary instead of building the debug one.
        #[arg(long)]
        binary: Option<std::path::PathBuf>,
        #[arg(long)]
        seed: Option<u64>,
    },
    /// A local three-node MariaDB Galera cluster (docker/galera/cluster.sh): up, down, status.
    Galera {
        #[arg(value_enum)]
        action: galera::Action,
    },
    /// What CI runs: formatting, lints, every test (MariaDB too when
    /// SURGICASE_TEST_MYSQL_URL is set), the migration proof, the layering check, and a short
    /// Schemathesis run.
    Ci,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.task {
        Task::Ci => ci::run(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")),
        Task::Galera { action } => {
            galera::run(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".."), action)
        }
        task => {
            tracing_subscriber::fmt()
                .with_env_filter(std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into()))
                .init();
            let runtime = match tokio::runtime::Runtime::new() {
                Ok(rt) => rt,
                Err(e) => {
                    eprintln!("xtask: cannot start the async runtime: {e}");
                    return ExitCode::FAILURE;
                }
            };
            runtime.block_on(async {
                match task {
                    Task::Migrate => tasks::migrate().await,
                    Task::Seed { demo } => tasks::seed(demo).await,
                    Task::ImportCpt { file, skip_invalid } => import_cpt::run(&file, skip_invalid).await,
                    Task::BenchStore { cases, concurrency, mysql } => {
                        bench_store::run(cases, concurrency, mysql).await
                    }
                    Task::Bench(options) => {
                        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
                        Box::pin(bench::run(&root, options)).await
                    }
                    Task::BenchDocuments { size_mb, rounds, s3 } => {
                        bench_documents::run(size_mb, rounds, s3).await
                    }
                    Task::SchedulerRace { mysql, seconds, processes, initial_cases, cases_per_second } => {
                        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
                        let options = scheduler_race::RaceOptions {
                            mysql,
                            seconds,
                            processes,
                            initial_cases,
                            cases_per_second,
                        };
                        scheduler_race::run(&root, options).await
                    }
                    Task::Timing { pairs, binary } => {
                        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
                        timing::run(&root, timing::TimingOptions { pairs, binary }).await
                    }
                    Task::Fuzz { examples, binary, seed } => {
                        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
                        fuzz::run(&root, fuzz::FuzzOptions { examples, binary, seed }).await
                    }
                    Task::Ci | Task::Galera { .. } => Ok(()),
                }
            })
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
