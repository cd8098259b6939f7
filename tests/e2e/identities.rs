//! Each API process remembers its callers for under a second (`auth.identity_cache_ms`): a
//! deactivation or a change of role made through one replica takes effect on every other
//! replica within 1 s, without a restart.

use std::time::Duration;

use serde_json::json;

use crate::server::{Backend, Server, backends};

/// The bound the operator guide promises.
const WITHIN: Duration = Duration::from_secs(1);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_changes_reach_every_replica_within_a_second_on_every_backend() {
    for backend in backends() {
        changes_across_replicas(backend).await;
    }
}

async fn changes_across_replicas(backend: Backend) {
    let a = Server::start(backend).await;
    let b = a.replica().await;
    a.create_user("u-ua", 20);
    a.create_user("u-jane", 1);
    a.create_user("u-bob", 1);

    // Replica B serves both providers (and so remembers them).
    let (status, _) = b.get("/user?user_id=u-jane").await;
    assert_eq!(status, 200, "{backend:?}");
    let (status, _) = b.get("/cases_by_status?calling_user_id=u-bob").await;
    assert_eq!(status, 403, "{backend:?}: a provider is below case admin");

    // Replica A deactivates Jane and makes Bob a case admin.
    let (status, body) = a.delete("/user?user_id=u-jane&calling_user_id=u-ua").await;
    assert_eq!(status, 200, "{backend:?}: {body}");
    let (status, body) =
        a.patch("/user?calling_user_id=u-ua", &json!({"user_id": "u-bob", "user_type": 10})).await;
    assert_eq!(status, 200, "{backend:?}: {body}");
    // Replica A, which made the changes, applies them at once.
    let (status, _) = a.get("/cases_by_status?calling_user_id=u-bob").await;
    assert_eq!(status, 200, "{backend:?}: on the replica that changed Bob");
    let (status, _) = a.get("/user?user_id=u-jane").await;
    assert_eq!(status, 401, "{backend:?}: on the replica that deactivated Jane");

    tokio::time::sleep(WITHIN).await;
    let (status, _) = b.get("/user?user_id=u-jane").await;
    assert_eq!(status, 401, "{backend:?}: a deactivated caller, 1 s later on the other replica");
    let (status, body) = b.get("/cases_by_status?calling_user_id=u-bob").await;
    assert_eq!(status, 200, "{backend:?}: the new role, 1 s later on the other replica: {body}");
}
