//! The storage contract suites of `surgicase-testkit`, on a fresh SQLite database per test.

surgicase_testkit::store_contract_tests!(surgicase_store::testing::sqlite_store());
