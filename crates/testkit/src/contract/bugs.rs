//! `BugRepo` (`bugs`) and `RequestLogRepo` (`request_logs`).
//!
//! Assumed: ids grow with each insert; `list_bugs` breaks `created_ts` ties by the higher id.

use surgicase_ports::Store;
use surgicase_ports::bugs::{BugPriority, BugQuery, BugRecord, NewBugRecord, SyncState};
use surgicase_ports::request_logs::{LogSource, RequestLogRecord};

use super::conn;
use crate::fixtures::*;

/// A report with every optional column filled.
pub fn new_bug(reporter: &str, title: &str) -> NewBugRecord {
    NewBugRecord {
        title: title.to_owned(),
        description: Some("Le bouton « Enregistrer » ne répond pas.\nSecond line".to_owned()),
        calling_page: Some("/cases/edit?id=42".to_owned()),
        bug_date: Some("2025-03-03 10:14".to_owned()),
        priority: BugPriority::High,
        reported_by: Some("Jane Doe".to_owned()),
        reported_by_user_id: user_id(reporter),
        full_json: r#"{"bug":{"title":"x"},"priority":"HIGH"}"#.to_owned(),
        created_ts: t0(),
        status: "Open".to_owned(),
        sync_state: SyncState::Pending,
        next_sync_ts: Some(t0()),
    }
}

/// Every column round-trips; a pending report is due at once, a disabled one never.
pub async fn bug_round_trip_every_column(store: &dyn Store) {
    let mut c = conn(store).await;
    let pending = new_bug("u-jane", "Save button does nothing");
    let id = c.insert_bug(&pending).await.unwrap();
    let disabled = NewBugRecord {
        description: None,
        calling_page: None,
        bug_date: None,
        reported_by: None,
        priority: BugPriority::Low,
        sync_state: SyncState::Disabled,
        next_sync_ts: None,
        ..new_bug("u-bob", "Untitled Bug")
    };
    let id2 = c.insert_bug(&disabled).await.unwrap();
    assert!(id2 > id);

    let got = c.get_bug(id).await.unwrap().expect("stored");
    assert_eq!(
        got,
        BugRecord {
            bug_id: id,
            title: pending.title.clone(),
            description: pending.description.clone(),
            calling_page: pending.calling_page.clone(),
            bug_date: pending.bug_date.clone(),
            status: "Open".into(),
            priority: BugPriority::High,
            reported_by: pending.reported_by.clone(),
            reported_by_user_id: user_id("u-jane"),
            full_json: pending.full_json.clone(),
            created_ts: t0(),
            tracker_task_id: None,
            sync_state: SyncState::Pending,
            sync_attempts: 0,
            next_sync_ts: Some(t0()),
            last_sync_error: None,
        }
    );
    let got2 = c.get_bug(id2).await.unwrap().expect("stored");
    assert_eq!((got2.sync_state, got2.next_sync_ts, got2.description), (SyncState::Disabled, None, None));
    assert_eq!(got2.priority, BugPriority::Low);
    assert_eq!(c.get_bug(id2 + 1000).await.unwrap(), None);
}

/// Newest first, by reporter or everyone's, limited.
pub async fn bug_list_newest_first_by_reporter(store: &dyn Store) {
    let mut c = conn(store).await;
    let a = c
        .insert_bug(&NewBugRecord {
            created_ts: at(-60),
            next_sync_ts: Some(at(-60)),
            ..new_bug("u-jane", "a")
        })
        .await
        .unwrap();
    let b = c
        .insert_bug(&NewBugRecord { created_ts: at(0), next_sync_ts: Some(at(0)), ..new_bug("u-bob", "b") })
        .await
        .unwrap();
    let d = c
        .insert_bug(&NewBugRecord { created_ts: at(0), next_sync_ts: Some(at(0)), ..new_bug("u-jane", "d") })
        .await
        .unwrap();
    let ids = |rows: Vec<BugRecord>| rows.into_iter().map(|r| r.bug_id).collect::<Vec<_>>();

    let all = BugQuery { reporter: None, open_only: true, limit: 100 };
    assert_eq!(ids(c.list_bugs(&all).await.unwrap()), vec![d, b, a]);
    let jane = BugQuery { reporter: Some(user_id("u-jane")), ..all.clone() };
    assert_eq!(ids(c.list_bugs(&jane).await.unwrap()), vec![d, a]);
    assert_eq!(ids(c.list_bugs(&BugQuery { limit: 1, ..all.clone() }).await.unwrap()), vec![d]);
    let nobody = BugQuery { reporter: Some(user_id("u-nobody")), ..all };
    assert!(c.list_bugs(&nobody).await.unwrap().is_empty());
}

/// Claims are won once per attempt count; due reports come earliest first; a synced report
/// leaves the queue with its task id and cannot be synced again.
pub async fn bug_sync_claims_and_outcomes(store: &dyn Store) {
    let mut c = conn(store).await;
    let first = c
        .insert_bug(&NewBugRecord {
            created_ts: at(-120),
            next_sync_ts: Some(at(-120)),
            ..new_bug("u-jane", "first")
        })
        .await
        .unwrap();
    let second = c
        .insert_bug(&NewBugRecord {
            created_ts: at(-60),
            next_sync_ts: Some(at(-60)),
            ..new_bug("u-jane", "second")
        })
        .await
        .unwrap();
    let off = c
        .insert_bug(&NewBugRecord {
            sync_state: SyncState::Disabled,
            next_sync_ts: None,
            ..new_bug("u-jane", "off")
        })
        .await
        .unwrap();
    let due = |rows: Vec<BugRecord>| rows.into_iter().map(|r| r.bug_id).collect::<Vec<_>>();
    assert_eq!(due(c.due_bugs(at(0), 10).await.unwrap()), vec![first, second]);
    assert_eq!(due(c.due_bugs(at(-90), 10).await.unwrap()), vec![first]);
    assert_eq!(due(c.due_bugs(at(0), 1).await.unwrap()), vec![first]);

    // One attempt of `first`: won once, a second claimer with the same view loses.
    assert!(c.claim_bug_sync(first, 0, at(60), "attempt in progress").await.unwrap());
    assert!(!c.claim_bug_sync(first, 0, at(60), "attempt in progress").await.unwrap());
    assert!(!c.claim_bug_sync(off, 0, at(60), "x").await.unwrap());
    let claimed = c.get_bug(first).await.unwrap().unwrap();
    assert_eq!(
        (claimed.sync_attempts, claimed.next_sync_ts, claimed.last_sync_error.as_deref()),
        (1, Some(at(60)), Some("attempt in progress"))
    );
    assert_eq!(due(c.due_bugs(at(0), 10).await.unwrap()), vec![second]);
    assert_eq!(due(c.due_bugs(at(60), 10).await.unwrap()), vec![second, first]);

    // It failed; the error is kept (clipped to 500 characters).
    c.note_bug_sync_error(first, &"é".repeat(600)).await.unwrap();
    let failed = c.get_bug(first).await.unwrap().unwrap();
    assert_eq!(failed.last_sync_error.map(|e| e.chars().count()), Some(500));
    assert_eq!(failed.sync_state, SyncState::Pending);

    // The retry succeeds.
    assert!(c.claim_bug_sync(first, 1, at(180), "attempt in progress").await.unwrap());
    assert!(c.mark_bug_synced(first, "86abc123").await.unwrap());
    assert!(!c.mark_bug_synced(first, "other").await.unwrap());
    assert!(!c.mark_bug_synced(off, "other").await.unwrap());
    let synced = c.get_bug(first).await.unwrap().unwrap();
    assert_eq!(
        (synced.sync_state, synced.tracker_task_id.as_deref(), synced.sync_attempts),
        (SyncState::Synced, Some("86abc123"), 2)
    );
    assert_eq!((synced.next_sync_ts, synced.last_sync_error), (None, None));
    assert!(!c.claim_bug_sync(first, 2, at(300), "x").await.unwrap());
    assert_eq!(due(c.due_bugs(at(3600), 10).await.unwrap()), vec![second]);
}

fn log_row(request_id: &str, source: LogSource) -> RequestLogRecord {
    RequestLogRecord {
        timestamp: t0(),
        request_id: request_id.to_owned(),
        user_id: Some("u-jane".to_owned()),
        endpoint: "/case".to_owned(),
        method: "GET".to_owned(),
        response_status: 404,
        execution_time_ms: 12,
        error_message: Some("case_not_found".to_owned()),
        client_ip: "2001:db8::1".to_owned(),
        source,
    }
}

/// Rows of several calls come back newest first, every column intact.
pub async fn request_logs_append_and_read_newest_first(store: &dyn Store) {
    let mut c = conn(store).await;
    let a = log_row("req-a", LogSource::Server);
    let b = RequestLogRecord {
        timestamp: at(1),
        user_id: None,
        error_message: None,
        response_status: 201,
        method: "POST".into(),
        endpoint: "/log_request".into(),
        client_ip: "127.0.0.1".into(),
        ..log_row("req-b", LogSource::Client)
    };
    let d = log_row("req-d", LogSource::Server);
    c.insert_request_logs(&[a.clone(), b.clone()]).await.unwrap();
    c.insert_request_logs(&[]).await.unwrap();
    c.insert_request_logs(std::slice::from_ref(&d)).await.unwrap();
    assert_eq!(c.recent_request_logs(10).await.unwrap(), vec![d.clone(), b, a]);
    assert_eq!(c.recent_request_logs(1).await.unwrap(), vec![d]);
}
