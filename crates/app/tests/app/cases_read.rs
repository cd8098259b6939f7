//! Reading and listing cases: ownership, the visibility cap, filters, history.

use surgicase_app::cases::{CaseFilterRequest, StatusFilter};
use surgicase_kernel::{CaseStatus, UserId};

use crate::world::{World, code, uid};

fn statuses(list: &[i64]) -> StatusFilter {
    StatusFilter::Statuses(list.iter().map(|s| CaseStatus::new(*s).unwrap()).collect())
}

fn filter(user: Option<UserId>, filter: StatusFilter) -> CaseFilterRequest {
    CaseFilterRequest { user_id: user, filter, limit: 100, offset: 0 }
}

#[tokio::test]
async fn only_owners_and_case_admins_read_a_case() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 1).await;
    let bob = w.provider("u-bob", 1).await;
    let admin = w.user("u-admin", 10, 1).await;
    w.app.create_case(&jane.ctx, jane.case("c-1", &[])).await.unwrap();
    assert!(w.app.get_case(&jane.ctx, "c-1").await.is_ok());
    assert!(w.app.get_case(&admin, "c-1").await.is_ok());
    assert_eq!(code(w.app.get_case(&bob.ctx, "c-1").await), "case_not_found");
    assert_eq!(code(w.app.get_case(&bob.ctx, "c-404").await), "case_not_found");
    assert_eq!(
        code(w.app.get_case(&bob.ctx, "bad id").await),
        "validation_failed [case_id:invalid_characters]"
    );
}

#[tokio::test]
async fn statuses_above_the_cap_are_shown_as_the_cap() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 1).await;
    let admin = w.user("u-admin", 10, 1).await;
    for (id, status) in [("c-0", 0), ("c-20", 20), ("c-30", 30), ("c-400", 400)] {
        w.app.create_case(&jane.ctx, jane.case(id, &[])).await.unwrap();
        w.force_status(id, status).await;
    }
    // (case, shown to the provider with cap 20, shown to the case admin with cap 500)
    let table = [
        ("c-0", 0, "Draft", 0),
        ("c-20", 20, "Paid", 20),
        ("c-30", 20, "Paid", 30),
        ("c-400", 400, "Rejected", 400),
    ];
    for (id, shown, desc, admin_shown) in table {
        let read = w.app.get_case(&jane.ctx, id).await.unwrap();
        assert_eq!((read.case_status.code(), read.case_status_desc.as_deref()), (shown, Some(desc)), "{id}");
        assert_eq!(w.app.get_case(&admin, id).await.unwrap().case_status.code(), admin_shown, "{id}");
    }

    // Filters match the displayed status.
    let ids = |list: surgicase_app::cases::CaseList| -> Vec<String> {
        list.cases.iter().map(|c| c.view.case.row.case_id.to_string()).collect()
    };
    let table: &[(StatusFilter, &[&str])] = &[
        (StatusFilter::None, &["c-400", "c-30", "c-20", "c-0"]),
        (StatusFilter::All, &["c-400", "c-30", "c-20", "c-0"]),
        (statuses(&[20]), &["c-30", "c-20"]),
        (statuses(&[30]), &[]),
        (statuses(&[400, 0]), &["c-400", "c-0"]),
    ];
    for (f, expected) in table {
        let list = w.app.filter_cases(&jane.ctx, filter(None, f.clone())).await.unwrap();
        assert_eq!(ids(list), *expected, "{f:?}");
    }
    let admin_view = w.app.filter_cases(&admin, filter(Some(uid("u-jane")), statuses(&[30]))).await.unwrap();
    assert_eq!(ids(admin_view), vec!["c-30"]);
}

#[tokio::test]
async fn filter_errors_and_acting_on_others() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 1).await;
    w.provider("u-bob", 1).await;
    let admin = w.user("u-admin", 10, 1).await;
    assert_eq!(code(StatusFilter::parse("10,x")), "validation_failed [filter:invalid_format]");
    assert_eq!(
        code(w.app.filter_cases(&jane.ctx, filter(None, statuses(&[11]))).await),
        "validation_failed [filter:unknown_status]"
    );
    assert_eq!(
        code(w.app.filter_cases(&jane.ctx, filter(Some(uid("u-bob")), StatusFilter::None)).await),
        "user_not_found"
    );
    assert_eq!(
        code(w.app.filter_cases(&admin, filter(Some(uid("u-ghost")), StatusFilter::None)).await),
        "user_not_found"
    );
    assert!(w.app.filter_cases(&admin, filter(Some(uid("u-bob")), StatusFilter::None)).await.is_ok());
    assert_eq!(StatusFilter::parse(" all ").unwrap(), StatusFilter::All);
    assert_eq!(StatusFilter::parse("").unwrap(), StatusFilter::None);
    assert_eq!(StatusFilter::parse("10, 15,10").unwrap(), statuses(&[10, 15]));
}

#[tokio::test]
async fn history_goes_through_the_cap_and_hides_other_actors() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 1).await;
    let admin = w.user("u-admin", 10, 1).await;
    w.app.create_case(&jane.ctx, jane.case("c-1", &[])).await.unwrap();
    // An admin moves it through 20 to 30 (history rows written as a bulk update would).
    use surgicase_ports::Store;
    use surgicase_ports::records::{ActorType, ChangeSource, HistoryRecord};
    let mut tx = w.store.begin().await.unwrap();
    let rows: Vec<HistoryRecord> = [(0, 20), (20, 30)]
        .into_iter()
        .map(|(from, to)| HistoryRecord {
            case_id: surgicase_kernel::CaseId::parse("c-1").unwrap(),
            from_status: Some(CaseStatus::new(from).unwrap()),
            to_status: CaseStatus::new(to).unwrap(),
            changed_ts: surgicase_kernel::Clock::now(w.clock.as_ref()),
            actor_type: ActorType::User,
            actor_id: "u-admin".to_owned(),
            source: ChangeSource::Bulk,
            rule_name: None,
            rule_set_id: None,
            reason: Some("paid".to_owned()),
            request_id: None,
            job_run_id: None,
        })
        .collect();
    tx.append_history(&rows).await.unwrap();
    tx.commit().await.unwrap();

    let provider_view = w.app.case_history(&jane.ctx, "c-1").await.unwrap();
    let shown: Vec<(Option<i16>, i16, Option<&str>)> = provider_view
        .history
        .iter()
        .map(|h| (h.from_status.map(|s| s.code()), h.to_status.code(), h.actor_id.as_deref()))
        .collect();
    // 20 → 30 is displayed 20 → 20 and omitted; the admin's id is hidden from the provider.
    assert_eq!(shown, vec![(None, 0, Some("u-jane")), (Some(0), 20, None)]);
    let admin_view = w.app.case_history(&admin, "c-1").await.unwrap();
    assert_eq!(admin_view.history.len(), 3);
    assert_eq!(admin_view.history[2].actor_id.as_deref(), Some("u-admin"));
    assert_eq!(admin_view.history[2].to_status_desc.as_deref(), Some("Sent to biller"));
}
