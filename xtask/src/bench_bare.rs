//! `cargo xtask bench --bare`: the limit a read endpoint could reach. The port calls its use
//! case makes (the statements it issues once the caller is remembered), run by this process
//! over a pool of the server's size at the same concurrency, with no HTTP, no routing, no
//! JSON and no permission checks. `HTTP ÷ bare` says how much of the database's pace the
//! service keeps.

use std::sync::Arc;

use surgicase_kernel::{CaseId, CaseStatus, UserId};
use surgicase_permissions::{StoredStatusMatch, stored_status_match};
use surgicase_ports::Store;
use surgicase_ports::records::{CaseOrder, CaseQuery};
use surgicase_store::{DbStore, PoolSettings};

use super::bench::{BenchOptions, Endpoint, Measured, SERVER_POOL_SIZE, load};

/// A bench provider's cap (the profile default) and the status filter the drive sends.
const PROVIDER_CAP: CaseStatus = CaseStatus::PAID;
const FILTER: [CaseStatus; 2] = [CaseStatus::DRAFT, CaseStatus::SUBMITTED];

/// Whether `endpoint` has a bare form (the reads whose statements are the port calls below).
pub(crate) fn has_bare_form(endpoint: Endpoint) -> bool {
    matches!(endpoint, Endpoint::GetCase | Endpoint::CaseFilter | Endpoint::CasesByStatus)
}

/// Drives the bare form of `endpoint` over a new pool on `url`.
pub(crate) async fn drive_bare(
    url: &str,
    endpoint: Endpoint,
    providers: Arc<Vec<(String, i64, i64)>>,
    options: &BenchOptions,
) -> Result<Measured, String> {
    let settings = PoolSettings { max_size: SERVER_POOL_SIZE, ..PoolSettings::default() };
    // Reads only: the blind-index key is never used.
    let keys = surgicase_store::PhiKeys::new([0; 32]);
    let store = Arc::new(DbStore::connect(url, settings, keys).await.map_err(|e| e.to_string())?);
    let cases = options.cases.max(1);
    load(options.clients, options.requests, move |n| {
        let (store, providers) = (store.clone(), providers.clone());
        async move { once(store.as_ref(), endpoint, &providers, cases, n).await.is_ok() }
    })
    .await
}

/// Request `n` of the drive, as its use case reads it (the same ids and filters as the HTTP
/// drive's request `n`).
async fn once(
    store: &DbStore,
    endpoint: Endpoint,
    providers: &[(String, i64, i64)],
    cases: usize,
    n: usize,
) -> Result<(), String> {
    let err = |e: surgicase_ports::StoreError| e.to_string();
    let mut conn = store.conn().await.map_err(err)?;
    match endpoint {
        Endpoint::GetCase => {
            let i = (n * 7919) % cases;
            let owner = user(&providers[i % providers.len()].0)?;
            let id = CaseId::parse(&format!("{owner}_seed{i}")).map_err(|e| e.message)?;
            let view = conn.get_case_view(&id, Some(PROVIDER_CAP), Some(&owner)).await.map_err(err)?;
            view.map(|_| ()).ok_or_else(|| format!("case {id} not found"))
        }
        Endpoint::CaseFilter => {
            let owner = user(&providers[n % providers.len()].0)?;
            conn.case_statuses().await.map_err(err)?;
            let status = Some(stored_status_match(&FILTER, PROVIDER_CAP));
            let query = page(Some(owner), status, Some(PROVIDER_CAP), CaseOrder::NewestFirst);
            conn.list_cases(&query).await.map(|_| ()).map_err(err)
        }
        Endpoint::CasesByStatus => {
            conn.case_statuses().await.map_err(err)?;
            let query = page(None, Some(StoredStatusMatch::exactly(&FILTER)), None, CaseOrder::CaseDateDesc);
            conn.list_cases(&query).await.map(|_| ()).map_err(err)
        }
        _ => Err("no bare form".to_owned()),
    }
}

fn user(id: &str) -> Result<UserId, String> {
    UserId::parse(id).map_err(|e| e.message)
}

/// The first page of 50, as the HTTP drive asks for it.
fn page(
    owner: Option<UserId>,
    status: Option<StoredStatusMatch>,
    describe: Option<CaseStatus>,
    order: CaseOrder,
) -> CaseQuery {
    CaseQuery { owner, status, date_from: None, date_to: None, describe, order, limit: 50, offset: 0 }
}
