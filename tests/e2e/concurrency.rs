//! Many clients at once: 50 concurrent case creations are all persisted.

use serde_json::json;

use crate::server::{Server, backends};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_creations_all_persist() {
    for backend in backends() {
        let s = Server::start(backend).await;
        let (status, _) = s
            .post("/user", &json!({"user_id": "u-jane", "user_email": "j@example.com", "first_name": "Jane", "last_name": "Doe"}))
            .await;
        assert_eq!(status, 201);
        let (_, surgeon) =
            s.post("/surgeon?user_id=u-jane", &json!({"first_name": "A", "last_name": "B"})).await;
        let (_, facility) = s.post("/facility?user_id=u-jane", &json!({"facility_name": "F"})).await;
        let requests = (0..50).map(|i| {
            let body = json!({
                "case_id": format!("u-jane_{i}"),
                "case_date": "2025-03-03",
                "surgeon_id": surgeon["surgeon_id"],
                "facility_id": facility["facility_id"],
                "patient": {"first": "Pat", "last": format!("Number{i}"), "ins_provider": "Aetna"},
                "procedure_codes": ["27447", "29881"]
            });
            let client = s.client.clone();
            let url = format!("{}/case?user_id=u-jane", s.base);
            tokio::spawn(
                async move { client.post(url).json(&body).send().await.map(|r| r.status().as_u16()) },
            )
        });
        let statuses: Vec<u16> =
            futures::future::join_all(requests).await.into_iter().map(|r| r.unwrap().unwrap()).collect();
        assert!(statuses.iter().all(|s| *s == 201), "{backend:?}: {statuses:?}");
        let (_, list) = s.get("/case_filter?user_id=u-jane&limit=100").await;
        assert_eq!(list["total"], 50, "{backend:?}");
    }
}
