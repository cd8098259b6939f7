//! `cargo xtask fuzz`: Schemathesis (a fuzzer we did not write) against the running service.
//! The server runs in production's `jwt` mode on a fresh SQLite database with the reference and
//! demo data; Schemathesis calls as `demo-admin` with a bearer token signed by a key made for
//! the run (the JWKS is a file), so it reaches every operation and its authentication checks
//! test a real scheme. Every check runs on every operation, except the exceptions
//! `schemathesis.toml` names with their reasons. `cargo xtask ci` runs it with few examples.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use surgicase_runtime::{StartOptions, start};

use crate::bench::{free_port, scratch_sqlite, server_binary, start_server_with};

/// The issuer and client of the run's tokens.
const ISSUER: &str = "https://fuzz.surgicase.invalid/pool";
const CLIENT: &str = "fuzz-client";
/// The test suite's RSA key (tests use it the same way); it signs nothing outside tests.
const KEY: &[u8] = include_bytes!("../../crates/auth/tests/fixtures/key_a.pem");

/// Writes the JWKS of [`KEY`] to `path` and returns a token for `user_id`, valid for a day.
fn token_for(user_id: &str, jwks_path: &Path) -> Result<String, String> {
    use jsonwebtoken::{Algorithm, EncodingKey, Header, jwk::Jwk};
    let key = EncodingKey::from_rsa_pem(KEY).map_err(|e| e.to_string())?;
    let mut jwk =
        serde_json::to_value(Jwk::from_encoding_key(&key, Algorithm::RS256).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    jwk["kid"] = "fuzz".into();
    jwk["use"] = "sig".into();
    std::fs::write(jwks_path, serde_json::json!({ "keys": [jwk] }).to_string()).map_err(|e| e.to_string())?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs();
    let claims = serde_json::json!({
        "iss": ISSUER, "token_use": "access", "client_id": CLIENT, "sub": user_id,
        "iat": now, "exp": now + 86_400,
    });
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("fuzz".to_owned());
    jsonwebtoken::encode(&header, &claims, &key).map_err(|e| e.to_string())
}

pub(crate) struct FuzzOptions {
    /// Test cases per operation and phase.
    pub examples: usize,
    /// A server binary to fuzz instead of building the debug one.
    pub binary: Option<PathBuf>,
    /// Hypothesis seed, for reproducing a run.
    pub seed: Option<u64>,
}

/// The Schemathesis version `.ci/run` and a missing install get (its checks evolve).
const PINNED: &str = "schemathesis==4.32.5";

/// The Schemathesis command line, found on PATH as `st` or as the Python module.
fn find_schemathesis() -> Option<Command> {
    for (program, args) in [("st", &[][..]), ("python3", &["-m", "schemathesis.cli"][..])] {
        let probe = Command::new(program).args(args).arg("--version").output();
        if probe.is_ok_and(|out| out.status.success()) {
            let mut command = Command::new(program);
            command.args(args);
            return Some(command);
        }
    }
    None
}

/// Schemathesis, installed with pip when it is missing (so `cargo xtask ci` works on a fresh
/// machine); `None` when that fails too.
fn schemathesis() -> Option<Command> {
    find_schemathesis().or_else(|| {
        println!("fuzz: Schemathesis is missing; installing {PINNED} with pip");
        for extra in [&[][..], &["--break-system-packages"][..]] {
            let installed = Command::new("python3")
                .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", PINNED])
                .args(extra)
                .status();
            if installed.is_ok_and(|s| s.success()) {
                return find_schemathesis();
            }
        }
        None
    })
}

pub(crate) async fn run(root: &Path, options: FuzzOptions) -> Result<(), String> {
    let Some(mut st) = schemathesis() else {
        let missing = format!("Schemathesis is not installed and pip could not install it ({PINNED})");
        // Like the tests' tools: a skip, unless the run must prove that everything ran.
        if surgicase_testkit::env::require_all() {
            return Err(missing);
        }
        println!("fuzz: skipped: {missing}");
        return Ok(());
    };
    let binary = match options.binary {
        Some(binary) => binary,
        None => server_binary(root, "debug")?,
    };
    let (dir, config) = scratch_sqlite("fuzz")?;
    let runtime =
        start(&config, StartOptions { migrate: true, seed: true }).await.map_err(|e| e.to_string())?;
    surgicase_app::demo::seed_demo(&runtime.app).await.map_err(|e| e.to_string())?;
    drop(runtime);
    let port = free_port()?;
    let jwks = dir.join("jwks.json");
    let token = token_for("demo-admin", &jwks)?;
    let settings = [
        ("SURGICASE_AUTH__MODE", "jwt".to_owned()),
        ("SURGICASE_AUTH__JWT__ISSUER", ISSUER.to_owned()),
        ("SURGICASE_AUTH__JWT__JWKS", jwks.display().to_string()),
        ("SURGICASE_AUTH__JWT__CLIENT_IDS", format!("[{CLIENT}]")),
    ];
    let server = start_server_with(&binary, &config, port, &settings).await?;
    let examples = options.examples.to_string();
    // One worker: with two, Schemathesis's coverage phase failed inside CPython's compiler
    // ("AST constructor recursion depth mismatch"), which is not a finding about the service.
    st.current_dir(root)
        .env("SURGICASE_FUZZ_TOKEN", token)
        .args(["--config-file", "schemathesis.toml", "run"])
        .arg(format!("{}/openapi.json", server.base))
        .args(["--checks", "all", "--max-examples", &examples, "--workers", "1", "--no-color"])
        .args(["--report", "junit", "--report-dir"])
        .arg(dir.join("report"));
    if let Some(seed) = options.seed {
        st.args(["--seed", &seed.to_string()]);
    }
    println!("fuzz: Schemathesis, {examples} examples per operation, binary {}", binary.display());
    let at = Instant::now();
    let status = st.status().map_err(|e| format!("cannot run Schemathesis: {e}"))?;
    println!("fuzz: took {:.0?}", at.elapsed());
    drop(server);
    if status.success() {
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    } else {
        Err(format!("Schemathesis found failures ({status}); its report is in {}", dir.display()))
    }
}
