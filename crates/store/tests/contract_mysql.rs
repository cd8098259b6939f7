//! The storage contract suites of `surgicase-testkit`, on a fresh MySQL/MariaDB database per
//! test; skipped unless `SURGICASE_TEST_MYSQL_URL` names a server.

surgicase_testkit::store_contract_tests!(surgicase_store::testing::mysql_store());
