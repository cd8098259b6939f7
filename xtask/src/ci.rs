//! `cargo xtask ci`: the checks CI runs, in order, stopping at the first failure.

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

pub(crate) fn run() -> Result<(), String> {
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
    println!("\nci passed in {:.0?}", started.elapsed());
    Ok(())
}
