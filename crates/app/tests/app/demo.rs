//! The demo seed obeys the rules and can run twice.

use surgicase_app::cases::{CaseFilterRequest, StatusFilter};
use surgicase_app::demo::seed_demo;

use crate::world::World;

#[tokio::test]
async fn demo_seed_is_idempotent_and_spreads_statuses() {
    let w = World::new().await;
    let first = seed_demo(&w.app).await.unwrap();
    assert_eq!((first.users, first.cases, first.faqs), (5, 30, 4));
    let second = seed_demo(&w.app).await.unwrap();
    assert_eq!((second.users, second.cases, second.faqs), (0, 0, 0));
    let admin = w.app.authenticate(&crate::world::uid("demo-admin")).await.unwrap();
    let ctx = surgicase_app::Ctx::new(admin, None);
    let list = w
        .app
        .filter_cases(
            &ctx,
            CaseFilterRequest {
                user_id: Some(crate::world::uid("demo-provider")),
                filter: StatusFilter::All,
                limit: 100,
                offset: 0,
            },
        )
        .await
        .unwrap();
    let mut statuses: Vec<i16> = list.cases.iter().map(|c| c.view.case.row.case_status.code()).collect();
    statuses.sort();
    assert_eq!(statuses, vec![0, 1, 7, 8, 10, 15, 20, 30, 40, 50, 60, 70, 80, 400, 500]);
}
