//! Statement counts (D13): what a use case costs does not grow with its input.

use surgicase_kernel::CaseStatus;
use surgicase_ports::Store;
use surgicase_ports::records::*;
use surgicase_store::DbStore;

use crate::fixtures::*;

/// The statements of creating a case with `n` codes through the port, inside one transaction
/// (BEGIN and COMMIT not counted).
async fn create_case_cost(store: &DbStore, id: &str, n: usize) -> u64 {
    let owner = uid("u-1");
    let mut row = case_row(id, "u-1");
    row.patient.first = format!("Patient {id}");
    row.patient_name_key = name_key(&row.patient.first, &row.patient.last);
    let entered: Vec<String> = codes(n).into_iter().map(|c| c.procedure_code).collect();
    let mut tx = store.begin().await.unwrap();
    let before = store.statements_executed();
    tx.lock_user(&owner).await.unwrap().unwrap();
    let fixes = tx.active_auto_fixes(&entered).await.unwrap();
    assert!(fixes.is_empty());
    let info = tx.code_info(&entered, 2).await.unwrap();
    assert_eq!(info.len(), n);
    assert!(tx.find_duplicate(&owner, row.case_date, &row.patient_name_key, None).await.unwrap().is_none());
    tx.insert_case(&row).await.unwrap();
    tx.replace_case_codes(&row.case_id, &codes(n)).await.unwrap();
    tx.append_history(&[history(id, None, 0)]).await.unwrap();
    let cost = store.statements_executed() - before;
    tx.commit().await.unwrap();
    cost
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_a_case_costs_the_same_whatever_the_number_of_codes() {
    for store in stores().await {
        let backend = store.backend();
        seed_with_users(&store, &["u-1"]).await;
        create_case_cost(&store, "c-warm", 3).await;
        let one = create_case_cost(&store, "c-one", 1).await;
        let twenty = create_case_cost(&store, "c-twenty", 20).await;
        eprintln!("{backend:?}: create case with 1 code = {one} statements, with 20 codes = {twenty}");
        assert_eq!(one, twenty, "{backend:?}");
        assert_eq!(
            one, 11,
            "{backend:?}: lock, fixes, info, duplicate, insert + id, savepoint + delete + insert codes + release, history"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_view_is_one_statement_and_a_list_three() {
    for store in stores().await {
        let backend = store.backend();
        seed_with_users(&store, &["u-1"]).await;
        let mut tx = store.begin().await.unwrap();
        for i in 0..5 {
            create_case(&mut tx, &full_case_row(&format!("c-{i}"), "u-1"), 20).await;
        }
        tx.put_case_documents(
            &cid("c-0"),
            &[CaseDocumentRecord {
                document_type: surgicase_kernel::DocumentField::DemoFile,
                document_name: "demo.pdf".into(),
                object_key: "private/case-documents/u-1/c-0/demo_file/demo.pdf".into(),
                location: surgicase_kernel::DocumentLocation::Live,
                size_bytes: Some(10),
                sha256: None,
                content_type: Some("application/pdf".into()),
                uploaded_by: Some("u-1".into()),
                uploaded_ts: Some(t0()),
            }],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let mut conn = store.conn().await.unwrap();
        let before = store.statements_executed();
        let view = conn.get_case_view(&cid("c-0"), Some(CaseStatus::PAID), None).await.unwrap().unwrap();
        let view_cost = store.statements_executed() - before;
        assert_eq!(view.case.codes.len(), 20);
        assert_eq!(view.case.documents.len(), 1);
        assert_eq!(view_cost, 1, "{backend:?}: get_case_view");

        let query = CaseQuery {
            owner: Some(uid("u-1")),
            status: None,
            date_from: None,
            date_to: None,
            describe: None,
            order: CaseOrder::NewestFirst,
            limit: 10,
            offset: 0,
        };
        let before = store.statements_executed();
        let page = conn.list_cases(&query).await.unwrap();
        let list_cost = store.statements_executed() - before;
        assert_eq!(page.total, 5);
        assert!(page.items.iter().all(|i| i.case.codes.len() == 20));
        assert_eq!(list_cost, 3, "{backend:?}: count, page, codes");
        // The back office's page by case date (every owner): the same for a page of 2 and of 5.
        let mut date_costs = Vec::new();
        for limit in [2, 5] {
            let query = CaseQuery { owner: None, order: CaseOrder::CaseDateDesc, limit, ..query.clone() };
            let before = store.statements_executed();
            let page = conn.list_cases(&query).await.unwrap();
            date_costs.push(store.statements_executed() - before);
            assert_eq!(page.items.len(), limit as usize);
        }
        assert_eq!(date_costs, [4, 4], "{backend:?}: count, ids, rows, codes");

        let before = store.statements_executed();
        let mut tx = store.begin().await.unwrap();
        let after_begin = store.statements_executed();
        tx.replace_case_codes(&cid("c-1"), &codes(1)).await.unwrap();
        let one = store.statements_executed() - after_begin;
        let mid = store.statements_executed();
        tx.replace_case_codes(&cid("c-1"), &codes(20)).await.unwrap();
        let twenty = store.statements_executed() - mid;
        let before_commit = store.statements_executed();
        tx.commit().await.unwrap();
        let commit = store.statements_executed() - before_commit;
        eprintln!(
            "{backend:?}: get_case_view = {view_cost}, list_cases = {list_cost}, replace_case_codes 1 = {one}, \
             20 = {twenty}, begin = {}, commit = {commit}",
            after_begin - before
        );
        assert_eq!((one, twenty), (4, 4), "{backend:?}: replace_case_codes");
    }
}
