//! The domain crates stay pure: their normal dependency trees hold no database, web, async
//! runtime, cloud or HTTP crate (ARCHITECTURE.md, "Rules of the house").

#![allow(clippy::expect_used)] // test code: a failed expectation is a failed test

use std::process::Command;

const DOMAIN_CRATES: [&str; 7] = [
    "surgicase-kernel",
    "surgicase-users",
    "surgicase-permissions",
    "surgicase-cases",
    "surgicase-billing",
    "surgicase-directory",
    "surgicase-payments",
];

/// Crate-name prefixes that must not appear.
const FORBIDDEN: [&str; 9] =
    ["diesel", "mysql_async", "libsqlite3", "actix", "tokio", "aws-", "reqwest", "hyper", "surgicase-ports"];

fn normal_tree(krate: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["tree", "--offline", "-p", krate, "-e", "normal", "--prefix", "none", "--format", "{p}"])
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree -p {krate}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn domain_crates_depend_on_no_io_crate() {
    for krate in DOMAIN_CRATES {
        let tree = normal_tree(krate);
        assert!(tree.iter().any(|name| name == krate), "{krate} is not in its own tree: {tree:?}");
        let bad: Vec<&String> =
            tree.iter().filter(|name| FORBIDDEN.iter().any(|prefix| name.starts_with(prefix))).collect();
        assert!(bad.is_empty(), "{krate} depends on {bad:?}");
    }
}

#[test]
fn the_check_would_catch_an_adapter() {
    // The store crate is an adapter: the same check must flag it, or the test above proves nothing.
    let tree = normal_tree("surgicase-store");
    assert!(tree.iter().any(|name| name.starts_with("diesel")), "{tree:?}");
}
