//! Contract suites: what every implementation of a port must do, one `pub async fn` per
//! behaviour, each taking the port as a trait object.
//!
//! The storage suites expect a fresh, migrated, **empty** store (each seeds what it needs via
//! [`crate::fixtures`]); run them with [`crate::store_contract_tests!`]. The object-store
//! suite expects an empty bucket or directory; run it with
//! [`crate::object_store_contract_tests!`].
//!
//! Where a trait leaves something open, the suites say in their doc comment what they assume
//! (and test nothing that a conforming MySQL or SQLite store could do differently, such as the
//! order of names that differ only in case or accents, or ids after a refused insert — MySQL
//! leaves gaps).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod bugs;
pub mod cases;
pub mod dashboards;
pub mod directory;
pub mod faqs;
pub mod history;
pub mod jobs;
pub mod objects;
pub mod reference;
pub mod transactions;
pub mod uploads;
pub mod users;

use std::fmt::Debug;

use surgicase_ports::{Conn, Store, StoreError};

use crate::fixtures::{OwnerFixture, seed_owner, seed_reference};

/// A connection, or a panic.
pub(crate) async fn conn(store: &dyn Store) -> Box<dyn Conn> {
    store.conn().await.expect("store.conn()")
}

/// Seeds the reference data and returns a connection.
pub(crate) async fn seeded(store: &dyn Store) -> Box<dyn Conn> {
    seed_reference(store).await.expect("seed_reference");
    conn(store).await
}

/// Seeds the reference data and one owner (user, surgeon, facility) per id.
pub(crate) async fn owners<const N: usize>(store: &dyn Store, ids: [&str; N]) -> [OwnerFixture; N] {
    seed_reference(store).await.expect("seed_reference");
    let mut out = Vec::with_capacity(N);
    for id in ids {
        out.push(seed_owner(store, id).await.expect("seed_owner"));
    }
    out.try_into().unwrap_or_else(|_| panic!("{N} owners"))
}

#[track_caller]
pub(crate) fn assert_duplicate<T: Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::Duplicate(_))),
        "expected StoreError::Duplicate, got {result:?}"
    );
}

#[track_caller]
pub(crate) fn assert_reference<T: Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(result, Err(StoreError::Reference(_))),
        "expected StoreError::Reference, got {result:?}"
    );
}
