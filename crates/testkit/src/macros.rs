//! The macros that turn the contract suites into `#[test]`s of an adapter crate.
//!
//! The crate using them needs `tokio` (with the `macros` and `rt-multi-thread` features) among
//! its (dev-)dependencies, since each test is a `#[tokio::test]`.

/// One `#[tokio::test]` per storage contract test, named `<port>_<test>` (for example
/// `cases_list_filters_by_displayed_status`).
///
/// `$make` is an expression of type `impl Future<Output = Option<Arc<dyn Store>>>` (anything
/// that derefs to `dyn Store` works); it is evaluated once per test and must give a fresh,
/// migrated, **empty** store, or `None` to skip the test (for example when no database URL is
/// configured):
///
/// ```ignore
/// surgicase_testkit::store_contract_tests!(async {
///     Some(std::sync::Arc::new(surgicase_testkit::MemoryStore::new())
///         as std::sync::Arc<dyn surgicase_ports::Store>)
/// });
/// ```
#[macro_export]
macro_rules! store_contract_tests {
    (@each $make:expr; $($name:ident => $module:ident :: $func:ident),* $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(store) = $make.await else {
                    $crate::env::skip("no store");
                    return;
                };
                $crate::contract::$module::$func(&*store).await;
            }
        )*
    };
    ($make:expr) => {
        $crate::store_contract_tests!(@each $make;
            users_round_trip_every_column => users::round_trip_every_column,
            users_insert_existing_id_is_duplicate => users::insert_existing_id_is_duplicate,
            users_unknown_user_type_is_reference => users::unknown_user_type_is_reference,
            users_update_writes_every_column_but_id_and_create_ts => users::update_writes_every_column_but_id_and_create_ts,
            users_list_orders_filters_and_pages => users::list_orders_filters_and_pages,
            users_touch_last_login_at_most_once_per_interval => users::touch_last_login_at_most_once_per_interval,
            users_preset_tiers_case_insensitive_and_upsert => users::preset_tiers_case_insensitive_and_upsert,
            users_documents_upsert_remove_and_references => users::documents_upsert_remove_and_references,
            cases_round_trip_every_column => cases::round_trip_every_column,
            cases_view_describes_statuses => cases::view_describes_statuses,
            cases_view_limited_to_an_owner => cases::view_limited_to_an_owner,
            cases_insert_taken_id_is_duplicate_even_when_deleted => cases::insert_taken_id_is_duplicate_even_when_deleted,
            cases_unknown_references_are_refused => cases::unknown_references_are_refused,
            cases_update_writes_every_column_but_id_and_create_ts => cases::update_writes_every_column_but_id_and_create_ts,
            cases_replace_codes_in_order => cases::replace_codes_in_order,
            cases_documents_upsert_and_remove => cases::documents_upsert_and_remove,
            cases_find_duplicate_active_only_excluding_self => cases::find_duplicate_active_only_excluding_self,
            cases_list_filters_by_owner_and_dates => cases::list_filters_by_owner_and_dates,
            cases_list_filters_by_displayed_status => cases::list_filters_by_displayed_status,
            cases_list_orders_both_ways => cases::list_orders_both_ways,
            cases_list_order_follows_owner_renames => cases::list_order_follows_owner_renames,
            cases_list_pages_with_total_and_full_items => cases::list_pages_with_total_and_full_items,
            cases_count_owner_cases_at_exact_status => cases::count_owner_cases_at_exact_status,
            cases_owner_cases_below_with_codes => cases::owner_cases_below_with_codes,
            cases_get_cases_whole_records_active_or_not => cases::get_cases_whole_records_active_or_not,
            cases_tier_cases_below_follow_the_owners_tier => cases::tier_cases_below_follow_the_owners_tier,
            cases_update_pay_sets_amount_and_category => cases::update_pay_sets_amount_and_category,
            cases_deactivate_owner_cases_below => cases::deactivate_owner_cases_below,
            directory_surgeon_round_trip_and_ids => directory::surgeon_round_trip_and_ids,
            directory_facility_round_trip_and_ids => directory::facility_round_trip_and_ids,
            directory_lists_ordered_per_owner => directory::lists_ordered_per_owner,
            directory_find_by_npi_per_owner => directory::find_by_npi_per_owner,
            directory_delete_and_case_counts => directory::delete_and_case_counts,
            directory_search_people_by_npi_and_name => directory::search_people_by_npi_and_name,
            directory_search_organizations_by_npi_and_name => directory::search_organizations_by_npi_and_name,
            reference_statuses_ordered_and_upserted => reference::statuses_ordered_and_upserted,
            reference_user_types_ordered_and_upserted => reference::user_types_ordered_and_upserted,
            reference_doc_types_and_timezones_ordered_and_upserted => reference::doc_types_and_timezones_ordered_and_upserted,
            reference_procedure_codes_search => reference::procedure_codes_search,
            reference_code_info_prices_for_tier => reference::code_info_prices_for_tier,
            reference_auto_fixes_active_only => reference::auto_fixes_active_only,
            reference_auto_fix_map_listed_and_deactivated => reference::auto_fix_map_listed_and_deactivated,
            reference_list_inserts_refuse_existing_keys => reference::list_inserts_refuse_existing_keys,
            reference_pay_tier_inserts_refuse_existing_pairs => reference::pay_tier_inserts_refuse_existing_pairs,
            reference_rule_sets_highest_id_is_active => reference::rule_sets_highest_id_is_active,
            reference_pay_tiers_ordered_and_upserted => reference::pay_tiers_ordered_and_upserted,
            reference_seed_is_idempotent => reference::seed_is_idempotent,
            faqs_faqs_by_type_in_display_order => faqs::faqs_by_type_in_display_order,
            faqs_faq_of_unknown_type_is_reference => faqs::faq_of_unknown_type_is_reference,
            history_append_and_read_oldest_first => history::append_and_read_oldest_first,
            history_append_for_unknown_case_is_reference => history::append_for_unknown_case_is_reference,
            dashboards_case_totals_group_active_cases_in_range => dashboards::case_totals_group_active_cases_in_range,
            dashboards_user_counts_by_type_active_people_only => dashboards::user_counts_by_type_active_people_only,
            dashboards_case_totals_follow_every_write => dashboards::case_totals_follow_every_write,
            dashboards_concurrent_moves_and_folds_keep_the_totals => dashboards::concurrent_moves_and_folds_keep_the_totals,
            jobs_claim_once_per_occurrence => jobs::claim_once_per_occurrence,
            jobs_concurrent_claims_have_one_winner => jobs::concurrent_claims_have_one_winner,
            jobs_skip_records_only_missing_occurrences => jobs::skip_records_only_missing_occurrences,
            jobs_renew_finish_release_only_by_holder => jobs::renew_finish_release_only_by_holder,
            jobs_take_over_after_lease_expiry => jobs::take_over_after_lease_expiry,
            jobs_concurrent_take_overs_have_one_winner => jobs::concurrent_take_overs_have_one_winner,
            jobs_latest_per_job_and_listing => jobs::latest_per_job_and_listing,
            jobs_move_cases_at_status_moves_only_active_cases_in_source => jobs::move_cases_at_status_moves_only_active_cases_in_source,
            jobs_bulk_status_reads_and_sets_only_listed_active_cases => jobs::bulk_status_reads_and_sets_only_listed_active_cases,
            jobs_history_job_run_id_refers_to_job_runs => jobs::history_job_run_id_refers_to_job_runs,
            jobs_cases_at_statuses_page_by_numeric_id => jobs::cases_at_statuses_page_by_numeric_id,
            transactions_commit_persists => transactions::commit_persists,
            transactions_rollback_discards => transactions::rollback_discards,
            transactions_drop_without_commit_discards => transactions::drop_without_commit_discards,
            transactions_tx_sees_own_writes_others_do_not => transactions::tx_sees_own_writes_others_do_not,
            transactions_refused_statement_keeps_the_transaction => transactions::refused_statement_keeps_the_transaction,
            transactions_lock_user_serialises_concurrent_writers => transactions::lock_user_serialises_concurrent_writers,
            transactions_lock_case_serialises_concurrent_writers => transactions::lock_case_serialises_concurrent_writers,
            transactions_conn_works_without_tx => transactions::conn_works_without_tx,
            uploads_round_trip_and_transitions => uploads::round_trip_and_transitions,
            uploads_expired_oldest_first => uploads::expired_oldest_first,
            uploads_moves_queue => uploads::moves_queue,
            uploads_archive_lookups => uploads::archive_lookups,
            bugs_bug_round_trip_every_column => bugs::bug_round_trip_every_column,
            bugs_bug_list_newest_first_by_reporter => bugs::bug_list_newest_first_by_reporter,
            bugs_bug_sync_claims_and_outcomes => bugs::bug_sync_claims_and_outcomes,
            bugs_request_logs_append_and_read_newest_first => bugs::request_logs_append_and_read_newest_first,
        );
    };
}

/// One `#[tokio::test]` per object-store contract test, named `objects_<test>`. `$make` gives
/// `Option<Arc<dyn ObjectStore>>` (an empty bucket prefix or directory per test), `None` to skip.
#[macro_export]
macro_rules! object_store_contract_tests {
    (@each $make:expr; $($name:ident => $module:ident :: $func:ident),* $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                let Some(store) = $make.await else {
                    $crate::env::skip("no object store");
                    return;
                };
                $crate::contract::$module::$func(&*store).await;
            }
        )*
    };
    ($make:expr) => {
        $crate::object_store_contract_tests!(@each $make;
            objects_put_get_head_round_trip => objects::put_get_head_round_trip,
            objects_put_replaces => objects::put_replaces,
            objects_delete_once => objects::delete_once,
            objects_move_outcomes => objects::move_outcomes,
            objects_list_by_prefix_in_key_order => objects::list_by_prefix_in_key_order,
            objects_ping_answers => objects::ping_answers,
        );
    };
}

#[cfg(test)]
mod tests {
    //! The macros' lists and the contract functions must not drift apart.
    use std::collections::BTreeSet;

    const SUITES: &[(&str, &str)] = &[
        ("users", include_str!("contract/users.rs")),
        ("cases", include_str!("contract/cases/write.rs")),
        ("cases", include_str!("contract/cases/list.rs")),
        ("cases", include_str!("contract/cases/bulk.rs")),
        ("dashboards", include_str!("contract/dashboards.rs")),
        ("directory", include_str!("contract/directory.rs")),
        ("faqs", include_str!("contract/faqs.rs")),
        ("reference", include_str!("contract/reference.rs")),
        ("history", include_str!("contract/history.rs")),
        ("jobs", include_str!("contract/jobs.rs")),
        ("transactions", include_str!("contract/transactions.rs")),
        ("objects", include_str!("contract/objects.rs")),
        ("uploads", include_str!("contract/uploads.rs")),
        ("bugs", include_str!("contract/bugs.rs")),
    ];

    fn contract_functions() -> BTreeSet<String> {
        SUITES
            .iter()
            .flat_map(|(module, source)| {
                source.lines().filter_map(move |line| {
                    let rest = line.strip_prefix("pub async fn ")?;
                    let name = rest.split('(').next()?;
                    Some(format!("{module}::{name}"))
                })
            })
            .collect()
    }

    fn macro_entries() -> Vec<(String, String)> {
        include_str!("macros.rs")
            .lines()
            .filter_map(|line| {
                let (name, path) = line.trim().trim_end_matches(',').split_once(" => ")?;
                let (module, func) = path.split_once("::")?;
                let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                (ident(name) && ident(module) && ident(func))
                    .then(|| (name.to_owned(), format!("{module}::{func}")))
            })
            .collect()
    }

    #[test]
    fn every_contract_function_has_exactly_one_test_named_after_it() {
        let entries = macro_entries();
        for (name, path) in &entries {
            assert_eq!(*name, path.replace("::", "_"), "test name of {path}");
        }
        let listed: BTreeSet<String> = entries.iter().map(|(_, path)| path.clone()).collect();
        assert_eq!(listed.len(), entries.len(), "a contract function is listed twice");
        assert_eq!(listed, contract_functions());
        assert_eq!(entries.len(), 88);
    }
}
