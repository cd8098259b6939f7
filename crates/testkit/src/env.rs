//! The environment of the test suites, read in one place.
//!
//! Suites that need an outside service (MySQL/MariaDB, the S3 and Secrets Manager API of moto)
//! or an installed tool (qpdf, poppler, aiosmtpd) skip with a message when it is not there, so
//! a quick local run needs none of them. With `SURGICASE_TEST_REQUIRE_ALL=1` (`.ci/run` sets it)
//! nothing may skip: the test panics and names what is missing, so a green run proves that
//! every suite ran. No test reads a `SURGICASE_TEST_*` variable but through this module
//! (`tests/env_reads.rs` checks the workspace for that).

/// `1` (or `true`/`yes`): every service and tool is required; a skip fails the test.
pub const REQUIRE_ALL: &str = "SURGICASE_TEST_REQUIRE_ALL";
/// The MySQL/MariaDB server of the tests, without a database (`mysql://root@127.0.0.1:3306`).
pub const MYSQL_URL: &str = "SURGICASE_TEST_MYSQL_URL";
/// The S3 and Secrets Manager endpoint of the tests (moto: `http://127.0.0.1:5000`).
pub const S3_ENDPOINT: &str = "SURGICASE_TEST_S3_ENDPOINT";
/// Optional: an SMTP server (`smtp://host:port`) the delivery test uses instead of its own sink.
pub const SMTP_URL: &str = "SURGICASE_TEST_SMTP_URL";
/// Optional, with [`SMTP_URL`]: the directory that server writes its `.eml` files to.
pub const SMTP_OUT_DIR: &str = "SURGICASE_TEST_SMTP_OUT_DIR";

/// Whether a skip is a failure ([`REQUIRE_ALL`] is set to `1`, `true` or `yes`).
pub fn require_all() -> bool {
    value(REQUIRE_ALL).is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}

/// The MySQL/MariaDB server of the tests; `None` (the caller skips) when unset.
pub fn mysql_url() -> Option<String> {
    required_env(MYSQL_URL)
}

/// The S3/Secrets Manager endpoint of the tests; `None` (the caller skips) when unset.
pub fn s3_endpoint() -> Option<String> {
    required_env(S3_ENDPOINT)
}

/// The value of `name`, which a suite needs to run: `None` when unset or blank, after saying
/// so — or a panic under [`REQUIRE_ALL`].
pub fn required_env(name: &str) -> Option<String> {
    let found = value(name);
    if found.is_none() {
        skip(&format!("{name} is not set"));
    }
    found
}

/// The value of `name`, a setting a suite can do without (never required).
pub fn optional_env(name: &str) -> Option<String> {
    value(name)
}

/// Says that a test (or part of one) is skipped and why; under [`REQUIRE_ALL`] panics instead.
/// The caller returns after it.
#[allow(clippy::panic)]
pub fn skip(reason: &str) {
    if require_all() {
        panic!("{reason}, and {REQUIRE_ALL} is set: this test may not skip");
    }
    eprintln!("skipped: {reason} (set {REQUIRE_ALL}=1 to make this a failure)");
}

/// A variable's value; `None` when unset, blank or not UTF-8.
fn value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_is_never_set_is_absent() {
        // Without REQUIRE_ALL this is a skip; under it, a panic, which is what CI wants.
        if require_all() {
            let caught = std::panic::catch_unwind(|| required_env("SURGICASE_TEST_NEVER_SET_BY_ANYONE"));
            assert!(caught.is_err());
        } else {
            assert_eq!(required_env("SURGICASE_TEST_NEVER_SET_BY_ANYONE"), None);
        }
        assert_eq!(optional_env("SURGICASE_TEST_NEVER_SET_BY_ANYONE"), None);
    }
}
