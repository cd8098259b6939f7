//! `cargo xtask bench`: seeds cases over many providers, starts the release server on SQLite
//! (then on MariaDB when a URL is given) and drives it with concurrent clients, printing
//! requests per second and latency percentiles per endpoint and backend.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::json;
use surgicase_app::users::Registrar;
use surgicase_app::{App, Ctx};
use surgicase_cases::{NewCaseInput, PatientInput};
use surgicase_config::Config;
use surgicase_directory::{FacilityInput, SurgeonInput};
use surgicase_kernel::{Raw, UserId};
use surgicase_runtime::{StartOptions, start};
use surgicase_users::{ProfileField, ProfileInput};

/// What to run (the arguments of `cargo xtask bench`).
#[derive(Debug, clap::Args)]
pub(crate) struct BenchOptions {
    #[arg(long, default_value_t = 10_000)]
    pub cases: usize,
    #[arg(long, default_value_t = 100)]
    pub providers: usize,
    #[arg(long, default_value_t = 32)]
    pub clients: usize,
    /// Requests per endpoint.
    #[arg(long, default_value_t = 5_000)]
    pub requests: usize,
    /// mysql://user@host:port/database of an empty database for the MariaDB run.
    #[arg(long)]
    pub mysql: Option<String>,
    /// A server binary of another build, driven on the same seeded database in turn with this
    /// build's (the baseline of a comparison).
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// The newest migration the baseline knows: newer ones are reverted before it runs (and
    /// this build's server applies them again when it starts).
    #[arg(long, requires = "baseline")]
    pub baseline_schema: Option<String>,
    /// A `SURGICASE_*` setting of the baseline's server, KEY=VALUE (repeatable); without
    /// `--baseline`, this build's server with these settings is the baseline (a feature
    /// switched off).
    #[arg(long, value_parser = key_value)]
    pub baseline_env: Vec<(String, String)>,
    /// Only the MariaDB run (needs `--mysql`).
    #[arg(long)]
    pub mysql_only: bool,
    /// Runs of each binary, alternating, baseline first.
    #[arg(long, default_value_t = 1)]
    pub rounds: usize,
    /// Only these endpoints (get-case, case-filter, post-case, cases-by-status, case-dashboard,
    /// user-dashboard, build-dashboard, bulk-status), comma-separated; none: all of them.
    #[arg(long, value_delimiter = ',')]
    pub endpoints: Vec<String>,
    /// After this build's run, also run the bare form of the read endpoints (`bench_bare`):
    /// their port calls over a pool of the server's size, without HTTP, and HTTP ÷ bare.
    #[arg(long)]
    pub bare: bool,
    /// Seconds to wait after each server starts before driving it: a server that has just
    /// applied migrations (or a baseline whose newer ones were just reverted) otherwise shares
    /// the cores with the database's clean-up of the rows the schema change rewrote.
    #[arg(long, default_value_t = 0)]
    pub settle: u64,
}

/// The pool size of the servers the bench starts (and of the bare drive's pool).
pub(crate) const SERVER_POOL_SIZE: usize = 16;

/// `KEY=VALUE`.
fn key_value(text: &str) -> Result<(String, String), String> {
    let (key, value) = text.split_once('=').ok_or_else(|| format!("{text:?} is not KEY=VALUE"))?;
    Ok((key.to_owned(), value.to_owned()))
}

fn raw(s: &str) -> Raw<String> {
    Raw::Value(s.to_owned())
}

const CODES: [&str; 6] = ["27447", "29881", "58150", "49505", "22612", "63047"];

/// Providers `bench-p<i>`, each with a surgeon and a facility; returns (surgeon, facility) ids.
/// A provider made from `input` with one surgeon and one facility in their address book, as the
/// tasks that create cases need: their context and the two ids.
pub(crate) async fn seed_provider(
    app: &App,
    input: &ProfileInput,
    registrar: &'static str,
) -> Result<(Ctx, i64, i64), String> {
    let err = |e: surgicase_app::AppError| e.to_string();
    let created = app.create_user(&Registrar::System { name: registrar }, input).await.map_err(err)?;
    let ctx = Ctx::new(app.authenticate(&created.user_id).await.map_err(err)?, None);
    let surgeon =
        SurgeonInput { first_name: raw("Sam"), last_name: raw("Surgeon"), ..SurgeonInput::default() };
    let surgeon = app.create_surgeon(&ctx, &surgeon).await.map_err(err)?.surgeon.id.get();
    let facility = FacilityInput { facility_name: raw("General Hospital"), ..FacilityInput::default() };
    let facility = app.create_facility(&ctx, &facility).await.map_err(err)?.facility.id.get();
    Ok((ctx, surgeon, facility))
}

/// The case admin the back-office endpoints run as.
const BENCH_CA: &str = "bench-ca";

pub(crate) async fn seed(app: &App, options: &BenchOptions) -> Result<Vec<(String, i64, i64)>, String> {
    let err = |e: surgicase_app::AppError| e.to_string();
    let admin = ProfileInput::new(BENCH_CA)
        .with(ProfileField::UserEmail, format!("{BENCH_CA}@example.com"))
        .with(ProfileField::FirstName, "Bench")
        .with(ProfileField::LastName, "Caseadmin")
        .with(ProfileField::UserType, 10);
    app.create_user(&Registrar::System { name: "bench" }, &admin).await.map_err(err)?;
    let mut providers = Vec::with_capacity(options.providers);
    for p in 0..options.providers {
        let id = format!("bench-p{p}");
        let input = ProfileInput::new(&id)
            .with(ProfileField::UserEmail, format!("{id}@example.com"))
            .with(ProfileField::FirstName, "Bench")
            .with(ProfileField::LastName, format!("Provider{p}"))
            .with(ProfileField::UserTier, 1 + (p % 3) as i64);
        let (_, surgeon, facility) = seed_provider(app, &input, "bench").await?;
        providers.push((id, surgeon, facility));
    }
    let started = Instant::now();
    let first_day = chrono::NaiveDate::from_ymd_opt(2025, 3, 3).ok_or("bad date")?;
    let create = |i: usize| {
        let (owner, surgeon, facility) = providers[i % providers.len()].clone();
        async move {
            let ctx = Ctx::new(
                app.authenticate(&UserId::parse(&owner).map_err(|e| e.to_string())?).await.map_err(err)?,
                None,
            );
            let codes: Vec<Option<String>> =
                CODES.iter().cycle().skip(i % 6).take(1 + i % 3).map(|c| Some((*c).to_owned())).collect();
            // Two years of case dates, as a practice accumulates them.
            let day = first_day - chrono::Duration::days((i % 730) as i64);
            let input = NewCaseInput {
                case_id: raw(&format!("{owner}_seed{i}")),
                case_date: raw(&day.to_string()),
                surgeon_id: raw(&surgeon.to_string()),
                facility_id: raw(&facility.to_string()),
                patient: Raw::Value(PatientInput {
                    first: raw("Pat"),
                    last: raw(&format!("Seed{i}")),
                    ins_provider: raw("Aetna"),
                }),
                procedure_codes: Raw::Value(codes),
                ..NewCaseInput::default()
            };
            app.create_case(&ctx, input).await.map(|_| ()).map_err(err)
        }
    };
    // Eight at a time: MariaDB overlaps them; SQLite serialises its writers anyway.
    let mut results = futures::stream::iter(0..options.cases).map(create).buffer_unordered(8);
    while let Some(result) = results.next().await {
        result?;
    }
    drop(results);
    println!(
        "  seeded {} cases over {} providers in {:.1?}",
        options.cases,
        options.providers,
        started.elapsed()
    );
    Ok(providers)
}

/// A port on the loopback interface that nothing listens on now.
pub(crate) fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// A fresh directory under the system's temporary one, named for the task and this process,
/// and the configuration of a SQLite database and a document store inside it.
pub(crate) fn scratch_sqlite(task: &str) -> Result<(PathBuf, Config), String> {
    let dir = std::env::temp_dir().join(format!("surgicase-{task}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let config = Config {
        database_url: format!("sqlite://{}", dir.join(format!("{task}.db")).display()).into(),
        data_dir: dir.join("data"),
        ..Config::default()
    };
    Ok((dir, config))
}

pub(crate) struct RunningServer {
    child: Child,
    pub base: String,
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn release_binary(root: &Path) -> Result<PathBuf, String> {
    server_binary(root, "release")
}

/// Builds the API server in `profile` (`release`, or `debug` with the workspace's features, as
/// the tests build it) and returns its path.
pub(crate) fn server_binary(root: &Path, profile: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let scope: &[&str] =
        if profile == "release" { &["--release", "-p", "surgicase"] } else { &["--workspace"] };
    let status = Command::new(cargo)
        .arg("build")
        .args(scope)
        .args(["--bin", "surgicase-api"])
        .current_dir(root)
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("{profile} build of surgicase-api failed"));
    }
    Ok(root.join("target").join(profile).join("surgicase-api"))
}

pub(crate) async fn start_server(binary: &Path, config: &Config, port: u16) -> Result<RunningServer, String> {
    start_server_with(binary, config, port, &[]).await
}

/// [`start_server`] with more `SURGICASE_*` settings in its environment.
pub(crate) async fn start_server_with(
    binary: &Path,
    config: &Config,
    port: u16,
    settings: &[(&str, String)],
) -> Result<RunningServer, String> {
    let child = Command::new(binary)
        .envs(settings.iter().map(|(k, v)| (k, v)))
        .env("SURGICASE_BIND", format!("127.0.0.1:{port}"))
        .env("SURGICASE_DATABASE_URL", config.database_url.expose())
        .env("SURGICASE_DATA_DIR", &config.data_dir)
        .env("RUST_LOG", "warn")
        .env("SURGICASE_DATABASE__POOL_SIZE", SERVER_POOL_SIZE.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let server = RunningServer { child, base: format!("http://127.0.0.1:{port}") };
    let client = reqwest::Client::new();
    for _ in 0..400 {
        if client.get(format!("{}/timezones", server.base)).send().await.is_ok() {
            return Ok(server);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err("server did not start".to_owned())
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    GetCase,
    CaseFilter,
    PostCase,
    CasesByStatus,
    CaseDashboard,
    UserDashboard,
    BuildDashboard,
    /// 1,000 ids per request, alternately to 10 and back to 1 (forced).
    BulkStatus,
}

impl Endpoint {
    /// The name `--endpoints` takes.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::GetCase => "get-case",
            Self::CaseFilter => "case-filter",
            Self::PostCase => "post-case",
            Self::CasesByStatus => "cases-by-status",
            Self::CaseDashboard => "case-dashboard",
            Self::UserDashboard => "user-dashboard",
            Self::BuildDashboard => "build-dashboard",
            Self::BulkStatus => "bulk-status",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::GetCase => "GET /case",
            Self::CaseFilter => "GET /case_filter",
            Self::PostCase => "POST /case",
            Self::CasesByStatus => "GET /cases_by_status",
            Self::CaseDashboard => "GET /case_dashboard_data",
            Self::UserDashboard => "GET /user_dashboard_data",
            Self::BuildDashboard => "GET /build_dashboard",
            Self::BulkStatus => "PATCH /bulk_update_case_status",
        }
    }
}

fn request(
    client: &reqwest::Client,
    base: &str,
    endpoint: Endpoint,
    providers: &[(String, i64, i64)],
    cases: usize,
    n: usize,
    run: &str,
) -> reqwest::RequestBuilder {
    let (owner, surgeon, facility) = &providers[n % providers.len()];
    match endpoint {
        Endpoint::GetCase => {
            let i = (n * 7919) % cases;
            let (owner, _, _) = &providers[i % providers.len()];
            client.get(format!("{base}/case?user_id={owner}&case_id={owner}_seed{i}"))
        }
        Endpoint::CaseFilter => client.get(format!("{base}/case_filter?user_id={owner}&filter=0,1&limit=50")),
        Endpoint::PostCase => client.post(format!("{base}/case?user_id={owner}")).json(&json!({
            "case_id": format!("{owner}_{run}_{n}"),
            "case_date": "2025-03-04",
            "surgeon_id": surgeon,
            "facility_id": facility,
            // Each run its own patients: the same patient on the same day is a duplicate (409).
            "patient": {"first": "Pat", "last": format!("Load{run}x{n}"), "ins_provider": "Aetna"},
            "procedure_codes": ["27447", "29881", "58150"]
        })),
        Endpoint::CasesByStatus => {
            client.get(format!("{base}/cases_by_status?filter=0,1&limit=50&calling_user_id={BENCH_CA}"))
        }
        Endpoint::CaseDashboard => {
            client.get(format!("{base}/case_dashboard_data?calling_user_id={BENCH_CA}"))
        }
        Endpoint::UserDashboard => {
            client.get(format!("{base}/user_dashboard_data?calling_user_id={BENCH_CA}"))
        }
        Endpoint::BuildDashboard => client.get(format!("{base}/build_dashboard?calling_user_id={BENCH_CA}")),
        Endpoint::BulkStatus => {
            let start = (n * 1000) % cases.max(1);
            let ids: Vec<String> = (start..start + 1000)
                .map(|i| {
                    let i = i % cases.max(1);
                    format!("{}_seed{i}", providers[i % providers.len()].0)
                })
                .collect();
            let (status, force) = if n.is_multiple_of(2) { (10, false) } else { (1, true) };
            client
                .patch(format!("{base}/bulk_update_case_status?calling_user_id={BENCH_CA}"))
                .json(&json!({"case_ids": ids, "new_status": status, "force": force}))
        }
    }
}

/// What one load run measured: requests per second, p50, p99 and failed requests.
pub(crate) type Measured = (f64, Duration, Duration, usize);

/// Runs `op(n)` for n in 0..total from `clients` concurrent tasks; `op` says whether request n
/// succeeded. Shared by the HTTP drive and the bare one (`bench_bare`), so both count alike.
pub(crate) async fn load<F, Fut>(clients: usize, total: usize, op: F) -> Result<Measured, String>
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (next, op) = (next.clone(), op.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0usize;
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n >= total {
                    break;
                }
                let at = Instant::now();
                let ok = op(n).await;
                latencies.push(at.elapsed());
                if !ok {
                    failures += 1;
                }
            }
            (latencies, failures)
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut failures = 0;
    for task in tasks {
        let (mut l, f) = task.await.map_err(|e| e.to_string())?;
        latencies.append(&mut l);
        failures += f;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Ok((latencies.len() as f64 / elapsed.as_secs_f64(), pick(0.50), pick(0.99), failures))
}

/// Drives one endpoint with `clients` concurrent clients for `requests` requests in total.
async fn drive(
    base: &str,
    endpoint: Endpoint,
    providers: Arc<Vec<(String, i64, i64)>>,
    options: &BenchOptions,
    run: &str,
) -> Result<Measured, String> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.clients)
        .build()
        .map_err(|e| e.to_string())?;
    let (base, run, cases) = (Arc::new(base.to_owned()), Arc::new(run.to_owned()), options.cases);
    load(options.clients, options.requests, move |n| {
        let (client, base, run, providers) = (client.clone(), base.clone(), run.clone(), providers.clone());
        async move {
            match request(&client, &base, endpoint, &providers, cases, n, &run).send().await {
                Ok(response) => {
                    let ok = response.status().is_success();
                    let _ = response.bytes().await;
                    ok
                }
                Err(_) => false,
            }
        }
    })
    .await
}

const ENDPOINTS: [Endpoint; 8] = [
    Endpoint::GetCase,
    Endpoint::CaseFilter,
    Endpoint::PostCase,
    Endpoint::CasesByStatus,
    Endpoint::CaseDashboard,
    Endpoint::UserDashboard,
    Endpoint::BuildDashboard,
    Endpoint::BulkStatus,
];

async fn bench_backend(
    label: &str,
    binary: &Path,
    config: Config,
    options: &BenchOptions,
) -> Result<(), String> {
    println!("\n{label}: {}", surgicase_config::redact_url(config.database_url.expose()));
    let runtime =
        start(&config, StartOptions { migrate: true, seed: true }).await.map_err(|e| e.to_string())?;
    let providers = Arc::new(seed(&runtime.app, options).await?);
    for round in 1..=options.rounds.max(1) {
        let baseline = options.baseline.as_deref().or((!options.baseline_env.is_empty()).then_some(binary));
        if let Some(baseline) = baseline {
            if let Some(version) = &options.baseline_schema {
                let reverted = runtime.db.revert_newer_than(version).await.map_err(|e| e.to_string())?;
                println!("  schema of the baseline: reverted {:?}", reverted.ran);
            }
            let run = format!("{label}b{round}");
            let mut settings = vec![("SURGICASE_DATABASE__MIGRATE_ON_START", "false".to_owned())];
            settings.extend(options.baseline_env.iter().map(|(k, v)| (k.as_str(), v.clone())));
            let title = format!("baseline, round {round}");
            drive_server(&title, baseline, &config, &settings, &providers, options, &run).await?;
        }
        let run = format!("{label}c{round}");
        let title = format!("this build, round {round}");
        let http = drive_server(&title, binary, &config, &[], &providers, options, &run).await?;
        if options.bare {
            drive_bare_forms(config.database_url.expose(), &http, &providers, options).await?;
        }
    }
    Ok(())
}

/// Starts `binary` on the seeded database and drives every endpoint in turn.
async fn drive_server(
    title: &str,
    binary: &Path,
    config: &Config,
    settings: &[(&str, String)],
    providers: &Arc<Vec<(String, i64, i64)>>,
    options: &BenchOptions,
    run: &str,
) -> Result<Vec<(Endpoint, Measured)>, String> {
    let port = free_port()?;
    let server = start_server_with(binary, config, port, settings).await?;
    tokio::time::sleep(Duration::from_secs(options.settle)).await;
    println!("  {title}\n  {:<30} {:>10} {:>10} {:>10} {:>8}", "endpoint", "req/s", "p50", "p99", "errors");
    let chosen = ENDPOINTS
        .into_iter()
        .filter(|e| options.endpoints.is_empty() || options.endpoints.iter().any(|k| k == e.key()));
    let mut out = Vec::new();
    for endpoint in chosen {
        let measured = drive(&server.base, endpoint, providers.clone(), options, run).await?;
        print_row(endpoint.name(), measured);
        out.push((endpoint, measured));
    }
    Ok(out)
}

fn print_row(name: &str, (rps, p50, p99, errors): Measured) {
    println!("  {name:<30} {rps:>10.0} {p50:>10.2?} {p99:>10.2?} {errors:>8}");
}

/// The bare forms of the endpoints `http` measured, each with HTTP ÷ bare (requests per second).
async fn drive_bare_forms(
    url: &str,
    http: &[(Endpoint, Measured)],
    providers: &Arc<Vec<(String, i64, i64)>>,
    options: &BenchOptions,
) -> Result<(), String> {
    println!("  bare (port calls over a pool of {SERVER_POOL_SIZE}, no HTTP)");
    for (endpoint, (http_rps, ..)) in http.iter().filter(|(e, _)| crate::bench_bare::has_bare_form(*e)) {
        let measured = crate::bench_bare::drive_bare(url, *endpoint, providers.clone(), options).await?;
        print_row(endpoint.name(), measured);
        println!("  {:<30} HTTP ÷ bare = {:.2}", "", http_rps / measured.0);
    }
    Ok(())
}

pub(crate) async fn run(root: &Path, options: BenchOptions) -> Result<(), String> {
    if let Some(unknown) = options.endpoints.iter().find(|k| !ENDPOINTS.iter().any(|e| e.key() == k.as_str()))
    {
        let known: Vec<&str> = ENDPOINTS.iter().map(|e| e.key()).collect();
        return Err(format!("unknown endpoint {unknown:?}; known: {}", known.join(", ")));
    }
    let binary = release_binary(root)?;
    println!(
        "bench: {} cases over {} providers, {} concurrent clients, {} requests per endpoint",
        options.cases, options.providers, options.clients, options.requests
    );
    let (dir, sqlite) = scratch_sqlite("bench")?;
    let outcome = match options.mysql_only {
        true if options.mysql.is_none() => Err("--mysql-only needs --mysql".to_owned()),
        true => Ok(()),
        false => bench_backend("sqlite", &binary, sqlite, &options).await,
    };
    if let (Ok(()), Some(url)) = (&outcome, &options.mysql) {
        let mysql = Config {
            database_url: url.clone().into(),
            data_dir: dir.join("data-mysql"),
            ..Config::default()
        };
        bench_backend("mariadb", &binary, mysql, &options).await?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}
