//! Every `SURGICASE_TEST_*` variable is read through `surgicase_testkit::env`, so that
//! `SURGICASE_TEST_REQUIRE_ALL=1` turns every skip into a failure: a test that read one of them
//! itself could skip silently again. This walks the workspace's Rust sources for the quoted
//! prefix outside the helper.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

/// Files that may name a variable, and why.
const ALLOWED: &[(&str, &str)] = &[
    ("crates/testkit/src/env.rs", "the helper itself"),
    ("crates/testkit/tests/env_reads.rs", "this check"),
    ("crates/config/src/load.rs", "sets one to prove the service's configuration ignores it"),
    ("xtask/src/ci.rs", "prints which suites a CI run switches on; skips nothing"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !matches!(name, "target" | ".git" | "node_modules") {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_test_reads_a_surgicase_test_variable_itself() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 100, "found only {} Rust files under {}", files.len(), root.display());
    let needle = concat!('"', "SURGICASE_TEST_");
    let mut stray = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        if ALLOWED.iter().any(|(allowed, _)| *allowed == relative) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.contains(needle) {
                stray.push(format!("{relative}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        stray.is_empty(),
        "read these through surgicase_testkit::env (mysql_url, s3_endpoint, required_env, \
         optional_env, skip) instead:\n{}",
        stray.join("\n")
    );
}
