//! `Store`, `Conn` and `Tx`: commit, rollback, isolation, row locks.
//!
//! Assumed: statements on a `conn()` are visible to every later reader as soon as they return
//! (autocommit); a transaction's uncommitted writes are invisible outside it; `lock_user` and
//! `lock_case` in one transaction make another transaction's lock of the same row wait until the
//! first ends, and the waiting one then reads the committed value (no lost update).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use surgicase_kernel::Money;
use surgicase_ports::records::*;
use surgicase_ports::store::PayUpdate;
use surgicase_ports::{Store, Tx};
use tokio::sync::oneshot;

use super::{assert_duplicate, assert_reference, conn, owners, seeded};
use crate::fixtures::*;

/// How long a transaction holds its lock while the other one should be waiting.
const HOLD: Duration = Duration::from_millis(150);
/// Generous bound on anything that should not wait at all.
const PROMPT: Duration = Duration::from_secs(10);

async fn begin(store: &dyn Store) -> Box<dyn Tx> {
    tokio::time::timeout(PROMPT, store.begin()).await.expect("begin() did not hang").expect("begin()")
}

/// Writes of a committed transaction are visible to a connection afterwards.
pub async fn commit_persists(store: &dyn Store) {
    drop(seeded(store).await);
    let jane = user("u-jane");
    let mut tx = begin(store).await;
    tx.insert_user(&jane).await.unwrap();
    let s = tx.surgeons().insert(&surgeon(&jane.user_id)).await.unwrap();
    tx.commit().await.unwrap();

    let mut c = conn(store).await;
    assert_eq!(c.get_user(&jane.user_id).await.unwrap(), Some(jane.clone()));
    assert_eq!(c.surgeons().list(&jane.user_id).await.unwrap(), vec![s]);
}

/// `rollback` discards every write of the transaction.
pub async fn rollback_discards(store: &dyn Store) {
    let mut c = seeded(store).await;
    let jane = user("u-jane");
    c.insert_user(&jane).await.unwrap();
    drop(c);

    let mut tx = begin(store).await;
    tx.update_user(&UserRecord { user_tier: 3, ..jane.clone() }).await.unwrap();
    tx.insert_user(&user("u-bob")).await.unwrap();
    tx.surgeons().insert(&surgeon(&jane.user_id)).await.unwrap();
    tx.rollback().await.unwrap();

    let mut c = conn(store).await;
    assert_eq!(c.get_user(&jane.user_id).await.unwrap(), Some(jane.clone()));
    assert_eq!(c.get_user(&user_id("u-bob")).await.unwrap(), None);
    assert!(c.surgeons().list(&jane.user_id).await.unwrap().is_empty());
}

/// A transaction dropped without `commit` is rolled back, and the next transaction can start.
pub async fn drop_without_commit_discards(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut tx = begin(store).await;
    tx.insert_case(&jane.case_row("c-1")).await.unwrap();
    tx.update_user(&UserRecord { user_tier: 3, ..jane.user.clone() }).await.unwrap();
    drop(tx);

    let mut tx = begin(store).await;
    assert!(!tx.case_id_taken(&case_id("c-1")).await.unwrap());
    assert_eq!(tx.lock_user(jane.id()).await.unwrap().map(|u| u.user_tier), Some(1));
    tx.commit().await.unwrap();
    let mut c = conn(store).await;
    assert!(!c.case_id_taken(&case_id("c-1")).await.unwrap());
}

/// A transaction reads its own uncommitted writes; a connection does not see them until the
/// commit.
pub async fn tx_sees_own_writes_others_do_not(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let c1 = case_id("c-1");
    let codes = [case_code("27447", "Total knee arthroplasty", Some(2))];
    let mut tx = begin(store).await;
    tx.insert_case(&jane.case_row("c-1")).await.unwrap();
    tx.replace_case_codes(&c1, &codes).await.unwrap();
    assert!(tx.case_id_taken(&c1).await.unwrap());
    let view = tx.get_case_view(&c1, None, None).await.unwrap().expect("own write");
    assert_eq!(view.case.codes, codes);
    assert_eq!(tx.lock_case(&c1).await.unwrap().map(|r| r.codes), Some(codes.to_vec()));

    let mut outside = conn(store).await;
    assert!(!outside.case_id_taken(&c1).await.unwrap());
    assert_eq!(outside.get_case_view(&c1, None, None).await.unwrap(), None);
    drop(outside);

    tx.commit().await.unwrap();
    let mut c = conn(store).await;
    assert!(c.case_id_taken(&c1).await.unwrap());
    assert_eq!(c.get_case_view(&c1, None, None).await.unwrap().map(|v| v.case.codes), Some(codes.to_vec()));
}

/// A refused statement inside a transaction writes nothing of itself but keeps the
/// transaction's earlier writes, and the transaction goes on and commits (statement-level
/// rollback, as InnoDB and SQLite do).
pub async fn refused_statement_keeps_the_transaction(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let c1 = case_id("c-1");
    let knee = [case_code("27447", "Total knee arthroplasty", Some(2))];
    let mut tx = begin(store).await;
    tx.insert_case(&jane.case_row("c-1")).await.unwrap();
    tx.replace_case_codes(&c1, &knee).await.unwrap();

    let batch = [user_document(jane.id(), "W9", "w9.pdf"), user_document(jane.id(), "Passport", "p.pdf")];
    assert_reference(tx.put_user_documents(&batch).await);
    assert_duplicate(
        tx.insert_case(&CaseRow { case_date: date("2025-01-01"), ..jane.case_row("c-1") }).await,
    );
    let twice = [case_code("49505", "Hernia", None), case_code("49505", "Hernia", None)];
    assert_duplicate(tx.replace_case_codes(&c1, &twice).await);
    assert_eq!(tx.get_user_view(jane.id()).await.unwrap().map(|v| v.documents), Some(vec![]));
    assert_eq!(
        tx.lock_case(&c1).await.unwrap().map(|r| (r.row.case_date, r.codes)),
        Some((date("2025-03-03"), knee.to_vec()))
    );
    tx.put_user_documents(&batch[..1]).await.unwrap();
    tx.commit().await.unwrap();

    let mut c = conn(store).await;
    let case = c.get_case_view(&c1, None, None).await.unwrap().expect("committed case").case;
    assert_eq!((case.row.case_date, case.codes), (date("2025-03-03"), knee.to_vec()));
    assert_eq!(c.get_user_view(jane.id()).await.unwrap().map(|v| v.documents), Some(batch[..1].to_vec()));
}

/// Two transactions that `lock_user` the same user run one after the other: the second's lock
/// returns only after the first committed, and sees its write (both increments survive).
pub async fn lock_user_serialises_concurrent_writers(store: &dyn Store) {
    let mut c = seeded(store).await;
    let jane = user("u-jane");
    c.insert_user(&jane).await.unwrap();
    drop(c);
    let events = Arc::new(Mutex::new(Vec::<&'static str>::new()));
    let log = |e: &'static str| events.lock().unwrap_or_else(|p| p.into_inner()).push(e);
    let (locked, first_has_lock) = oneshot::channel::<()>();

    let first = async {
        let mut tx = begin(store).await;
        let u = tx.lock_user(&jane.user_id).await.unwrap().expect("jane");
        tx.update_user(&UserRecord { user_tier: u.user_tier + 1, ..u }).await.unwrap();
        locked.send(()).unwrap();
        tokio::time::sleep(HOLD).await;
        log("first commits");
        tx.commit().await.unwrap();
    };
    let second = async {
        first_has_lock.await.unwrap();
        let mut tx = begin(store).await;
        let u = tx.lock_user(&jane.user_id).await.unwrap().expect("jane");
        log("second locked");
        tx.update_user(&UserRecord { user_tier: u.user_tier + 1, ..u }).await.unwrap();
        tx.commit().await.unwrap();
    };
    tokio::time::timeout(PROMPT, async { tokio::join!(first, second) }).await.expect("no deadlock");

    assert_eq!(*events.lock().unwrap(), ["first commits", "second locked"]);
    let mut c = conn(store).await;
    assert_eq!(c.get_user(&jane.user_id).await.unwrap().map(|u| u.user_tier), Some(3));
}

/// The same for `lock_case`: the second transaction's lock waits for the first's commit and
/// then reads the committed pay amount.
pub async fn lock_case_serialises_concurrent_writers(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let c1 = case_id("c-1");
    conn(store).await.insert_case(&jane.case_row("c-1")).await.unwrap();
    let events = Arc::new(Mutex::new(Vec::<&'static str>::new()));
    let log = |e: &'static str| events.lock().unwrap_or_else(|p| p.into_inner()).push(e);
    let (locked, first_has_lock) = oneshot::channel::<()>();
    let add_100 = |r: Case, at_s: i64| PayUpdate {
        case_id: r.row.case_id,
        pay_amount: Money::from_cents(r.row.pay_amount.cents() + 10_000),
        pay_category: Some("General".into()),
        updated_ts: at(at_s),
    };

    let first = async {
        let mut tx = begin(store).await;
        let r = tx.lock_case(&c1).await.unwrap().expect("c-1");
        tx.update_pay(&[add_100(r, 1)]).await.unwrap();
        locked.send(()).unwrap();
        tokio::time::sleep(HOLD).await;
        log("first commits");
        tx.commit().await.unwrap();
    };
    let second = async {
        first_has_lock.await.unwrap();
        let mut tx = begin(store).await;
        let r = tx.lock_case(&c1).await.unwrap().expect("c-1");
        log("second locked");
        tx.update_pay(&[add_100(r, 2)]).await.unwrap();
        tx.commit().await.unwrap();
    };
    tokio::time::timeout(PROMPT, async { tokio::join!(first, second) }).await.expect("no deadlock");

    assert_eq!(*events.lock().unwrap(), ["first commits", "second locked"]);
    let row = conn(store).await.get_case_view(&c1, None, None).await.unwrap().expect("c-1").case.row;
    assert_eq!((row.pay_amount, row.case_updated_ts), (Money::from_cents(20_000), at(2)));
}

/// `ping` answers; reads and writes work on a `conn()` without a transaction, and each write is
/// visible to another connection at once.
pub async fn conn_works_without_tx(store: &dyn Store) {
    store.ping().await.unwrap();
    let mut c = seeded(store).await;
    assert_eq!(c.case_statuses().await.unwrap().len(), 15);
    c.insert_user(&user("u-jane")).await.unwrap();
    let mut other = conn(store).await;
    assert_eq!(other.get_user(&user_id("u-jane")).await.unwrap(), Some(user("u-jane")));
    other.touch_last_login(&user_id("u-jane"), at(1), 60).await.unwrap();
    assert_eq!(c.get_user(&user_id("u-jane")).await.unwrap().and_then(|u| u.last_login_dt), Some(at(1)));
}
