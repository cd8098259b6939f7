//! The contract suites against the in-memory fakes.

surgicase_testkit::store_contract_tests!(async {
    Some(std::sync::Arc::new(surgicase_testkit::MemoryStore::new())
        as std::sync::Arc<dyn surgicase_ports::Store>)
});

surgicase_testkit::object_store_contract_tests!(async {
    Some(std::sync::Arc::new(surgicase_testkit::MemoryObjectStore::new())
        as std::sync::Arc<dyn surgicase_ports::ObjectStore>)
});
