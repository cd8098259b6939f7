//! A transaction that MariaDB picks as a deadlock victim is run again whole (`app::retry`):
//! the request succeeds instead of answering 503.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use surgicase_kernel::{CaseId, Money};
use surgicase_ports::Store;
use surgicase_ports::store::PayUpdate;
use surgicase_store::testing::{lines, mysql_db_store};

use super::world::World;
use crate::state::Settings;

async fn deadlocks(db: &surgicase_store::DbStore) -> i64 {
    let sql = "SELECT CAST(VARIABLE_VALUE AS CHAR) AS line FROM information_schema.GLOBAL_STATUS \
               WHERE VARIABLE_NAME = 'INNODB_DEADLOCKS'";
    lines(db, sql).await.expect("status").first().and_then(|v| v.parse().ok()).expect("a number")
}

#[actix_web::test]
async fn a_bulk_update_chosen_as_deadlock_victim_is_run_again_and_succeeds() {
    let Some(db) = mysql_db_store().await else { return };
    let db = Arc::new(db);
    let w = World::filled(db.clone() as Arc<dyn Store>, Settings::default()).await;
    let owner = w.ctx("u-owner").await;
    let ballast: Vec<String> = (0..20).map(|i| format!("c-ballast-{i:02}")).collect();
    for id in ["c-a", "c-b"].into_iter().chain(ballast.iter().map(String::as_str)) {
        w.app().create_case(&owner, w.case_input(id, "Jim", id, &["27447"])).await.expect("case");
    }
    let before = deadlocks(&db).await;

    // The other transaction writes 20 rows first: InnoDB rolls back the lighter transaction
    // of a deadlock, so the victim is the bulk update's.
    let mut other = w.store.begin().await.expect("tx");
    let now = chrono::Utc::now();
    let repriced: Vec<PayUpdate> = ballast
        .iter()
        .map(|id| PayUpdate {
            case_id: CaseId::parse(id).expect("id"),
            pay_amount: Money::from_cents(100),
            pay_category: None,
            updated_ts: now,
        })
        .collect();
    other.update_pay(&repriced).await.expect("ballast");
    other.lock_case_statuses(&[CaseId::parse("c-b").expect("id")]).await.expect("lock c-b");

    // The bulk update locks c-a, then waits for c-b; the other transaction then asks for c-a.
    let body = json!({"case_ids": ["c-a", "c-b"], "new_status": 10});
    let bulk = w.patch("/bulk_update_case_status?calling_user_id=u-ca", &body);
    let crossing = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let got = other.lock_case_statuses(&[CaseId::parse("c-a").expect("id")]).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        other.commit().await.expect("commit");
        got
    };
    let (answer, crossed) = futures::future::join(bulk, crossing).await;
    assert!(crossed.is_ok(), "the heavier transaction kept its locks: {crossed:?}");
    assert!(deadlocks(&db).await > before, "the two transactions deadlocked");
    assert_eq!(answer.status, 200, "{}", answer.raw);
    let moved: Vec<&str> = answer.body["updated_cases"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["case_id"].as_str())
        .collect();
    assert_eq!(moved.len(), 2, "{}", answer.raw);
}
