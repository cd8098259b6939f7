//! `cargo xtask ci`: the checks CI runs, in order, stopping at the first failure: formatting,
//! lints, every test, then Schemathesis against the server binary the tests built.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

struct Step {
    name: &'static str,
    args: &'static [&'static str],
}

const STEPS: [Step; 3] = [
    Step { name: "format", args: &["fmt", "--all", "--", "--check"] },
    Step { name: "lints", args: &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"] },
    // Every test: domain units, contract suites on the in-memory store and SQLite (and MariaDB
    // when SURGICASE_TEST_MYSQL_URL is set), the migration proof, the layering check, the API
    // and end-to-end tests.
    Step { name: "tests", args: &["test", "--workspace", "--no-fail-fast"] },
];

/// Schemathesis examples per operation and phase in CI (`cargo xtask fuzz` defaults to 100).
const FUZZ_EXAMPLES: usize = 25;
/// CI fuzzes with one seed, so a failure it reports can be replayed (`cargo xtask fuzz --seed`).
const FUZZ_SEED: u64 = 20_261_207;

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    match std::env::var("SURGICASE_TEST_MYSQL_URL") {
        Ok(url) if !url.is_empty() => println!("MariaDB/MySQL tests: on ({url})"),
        _ => println!("MariaDB/MySQL tests: off (set SURGICASE_TEST_MYSQL_URL to run them)"),
    }
    // Under it a test whose database, endpoint or tool is missing fails instead of skipping.
    match std::env::var("SURGICASE_TEST_REQUIRE_ALL") {
        Ok(v) if v == "1" => println!("skips: none allowed (SURGICASE_TEST_REQUIRE_ALL=1)"),
        _ => println!("skips: allowed (set SURGICASE_TEST_REQUIRE_ALL=1 to make a skip a failure)"),
    }
    let started = Instant::now();
    for step in STEPS {
        println!("\n== {} : cargo {} ==", step.name, step.args.join(" "));
        let at = Instant::now();
        let status =
            Command::new(&cargo).args(step.args).status().map_err(|e| format!("cannot run cargo: {e}"))?;
        println!("== {} took {:.0?} ==", step.name, at.elapsed());
        if !status.success() {
            return Err(format!("step '{}' failed ({status})", step.name));
        }
    }
    // The tests step built the server binary (the end-to-end tests run it); fuzz that one
    // rather than building it again with another feature set.
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), Into::into);
    let binary = target.join("debug/surgicase-api");
    println!("\n== fuzz : Schemathesis, {FUZZ_EXAMPLES} examples per operation, seed {FUZZ_SEED} ==");
    let at = Instant::now();
    let runtime =
        tokio::runtime::Runtime::new().map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let options =
        crate::fuzz::FuzzOptions { examples: FUZZ_EXAMPLES, binary: Some(binary), seed: Some(FUZZ_SEED) };
    runtime.block_on(crate::fuzz::run(root, options)).map_err(|e| format!("step 'fuzz' failed: {e}"))?;
    println!("== fuzz took {:.0?} ==", at.elapsed());
    println!("\nci passed in {:.0?}", started.elapsed());
    Ok(())
}
