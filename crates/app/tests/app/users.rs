//! User use cases: creation, tiers, roles, visibility, deletion.

use serde_json::{Value, json};
use surgicase_app::ReadOnlySent;
use surgicase_app::users::Registrar;
use surgicase_ports::Store;
use surgicase_ports::records::PresetTierRecord;
use surgicase_users::{ProfileField as F, ProfileInput};

use crate::world::{World, code, uid};

fn new_user(id: &str, email: &str) -> ProfileInput {
    ProfileInput::new(id).with(F::UserEmail, email).with(F::FirstName, "JOHN").with(F::LastName, "o'connor")
}

#[tokio::test]
async fn tiers_come_from_the_preset_list() {
    let w = World::new().await;
    let mut tx = w.store.begin().await.unwrap();
    tx.upsert_preset_tiers(&[PresetTierRecord {
        user_email: "Jane@Example.com".to_owned(),
        tier: 3,
        first_name: None,
    }])
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let system = Registrar::System { name: "test" };
    let table =
        [("u-1", "jane@example.com", 3), ("u-2", "jane+work@example.com", 3), ("u-3", "bob@example.com", 1)];
    for (id, email, tier) in table {
        let created = w.app.create_user(&system, &new_user(id, email)).await.unwrap();
        assert_eq!(created.user_tier, tier, "{email}");
        assert_eq!(created.max_case_status.code(), 20);
    }
    let read = w.app.get_user(&w.user("u-ua", 20, 1).await, Some(uid("u-1")), false).await.unwrap();
    assert_eq!(read.view.user.first_name.as_deref(), Some("John"));
    assert_eq!(read.view.user.last_name.as_deref(), Some("O'Connor"));
}

#[tokio::test]
async fn self_registration_cannot_pick_a_role() {
    let w = World::new().await;
    let me = Registrar::Registrant { identity: uid("u-new"), request_id: None };
    let admin_me = new_user("u-new", "new@example.com").with(F::UserType, 999);
    assert_eq!(code(w.app.create_user(&me, &admin_me).await), "forbidden_field");
    let someone_else = new_user("u-other", "o@example.com");
    assert_eq!(code(w.app.create_user(&me, &someone_else).await), "forbidden");
    let created = w.app.create_user(&me, &new_user("u-new", "new@example.com")).await.unwrap();
    assert_eq!(created.user_type.get(), 1);
    assert_eq!(code(w.app.create_user(&me, &new_user("u-new", "new@example.com")).await), "user_exists");
}

#[tokio::test]
async fn user_admins_cannot_create_above_themselves() {
    let w = World::new().await;
    let ua = w.user("u-ua", 20, 1).await;
    let boss = new_user("u-boss", "b@example.com").with(F::UserType, 100);
    assert_eq!(code(w.app.create_user(&Registrar::User(ua.clone()), &boss).await), "forbidden_field");
    let ca = new_user("u-ca", "c@example.com").with(F::UserType, 10);
    let created = w.app.create_user(&Registrar::User(ua.clone()), &ca).await.unwrap();
    assert_eq!(created.max_case_status.code(), 500, "the type's cap");
    let bad = new_user("u-bad", "x@example.com").with(F::UserType, 5).with(F::Timezone, "Mars/Olympus");
    assert_eq!(
        code(w.app.create_user(&Registrar::User(ua), &bad).await),
        "validation_failed [user_type:unknown_user_type, timezone:unknown_timezone]"
    );
}

#[tokio::test]
async fn profile_and_role_fields() {
    let w = World::new().await;
    let jane = w.user("u-jane", 1, 1).await;
    let ua = w.user("u-ua", 20, 1).await;
    let ga = w.user("u-ga", 100, 1).await;
    let patch = |field: F, value: serde_json::Value| ProfileInput::new("u-jane").with(field, value);
    let own = w.app.update_user(&jane, &patch(F::City, json!("  new   york "))).await.unwrap();
    assert_eq!(own.updated_fields, vec!["city"]);
    assert_eq!(code(w.app.update_user(&jane, &patch(F::UserTier, json!(3))).await), "forbidden_field");
    assert!(
        w.app.update_user(&jane, &patch(F::UserTier, json!(1))).await.is_ok(),
        "unchanged role fields pass"
    );
    let role = w.app.update_user(&ua, &patch(F::UserType, json!(10))).await.unwrap();
    assert_eq!(role.updated_fields, vec!["user_type", "max_case_status"]);
    assert_eq!(code(w.app.update_user(&ua, &patch(F::UserType, json!(100))).await), "forbidden_field");
    // A provider cannot see or touch others; user types above the caller are invisible.
    assert_eq!(code(w.app.get_user(&jane, Some(uid("u-ua")), false).await), "user_not_found");
    assert_eq!(code(w.app.get_user(&ua, Some(uid("u-ga")), false).await), "user_not_found");
    assert!(w.app.get_user(&ga, Some(uid("u-ua")), false).await.is_ok());
}

#[tokio::test]
async fn deletion_rules() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 1).await;
    let ua = w.user("u-ua", 20, 1).await;
    for id in ["c-1", "c-15", "c-20"] {
        w.app.create_case(&jane.ctx, jane.case(id, &[])).await.unwrap();
    }
    w.force_status("c-15", 15).await;
    w.force_status("c-20", 20).await;
    assert_eq!(code(w.app.delete_user(&ua, &uid("u-ua")).await), "forbidden");
    assert_eq!(code(w.app.delete_user(&jane.ctx, &uid("u-jane")).await), "forbidden");
    assert_eq!(code(w.app.delete_user(&ua, &uid("u-jane")).await), "user_has_pending_payments");
    w.force_status("c-15", 20).await;
    let deleted = w.app.delete_user(&ua, &uid("u-jane")).await.unwrap();
    assert_eq!(deleted.cases_deactivated, 1);
    assert_eq!(code(w.app.authenticate(&uid("u-jane")).await), "unknown_user");
    let admin = w.user("u-admin", 10, 1).await;
    assert!(w.app.get_case(&admin, "c-20").await.is_ok(), "billing continues for cases at 20");
    assert_eq!(code(w.app.get_case(&admin, "c-1").await), "case_not_found");
    assert!(w.app.delete_user(&ua, &uid("u-jane")).await.unwrap().already_inactive);
}

#[tokio::test]
async fn environment_lists_what_the_user_may_see() {
    let w = World::new().await;
    let jane = w.provider("u-jane", 1).await;
    let env = w.app.user_environment(&jane.ctx, None).await.unwrap();
    let statuses: Vec<i16> = env.case_statuses.iter().map(|s| s.case_status.code()).collect();
    assert_eq!(statuses, vec![0, 1, 7, 8, 10, 15, 20, 400, 500]);
    let types: Vec<i32> = env.user_types.iter().map(|t| t.user_type.get()).collect();
    assert_eq!(types, vec![1]);
    assert_eq!((env.surgeons.len(), env.facilities.len()), (1, 1));
    assert!(env.last_login_updated);
    assert!(!w.app.user_environment(&jane.ctx, None).await.unwrap().last_login_updated, "once a minute");
    assert_eq!(env.max_case_status_desc.as_deref(), Some("Paid"));
    assert!(!env.permissions.can_access_all_cases);
}

#[tokio::test]
async fn read_only_profile_fields_are_ignored_when_equal_to_the_stored_value() {
    let w = World::new().await;
    let jane = w.user("u-jane", 1, 1).await;
    // Created at the world's clock, 2025-03-10T12:00:00Z; every accepted write stamps that too.
    let refused = |field: &str| format!("validation_failed [{field}:read_only_field]");
    let table: Vec<(&str, Value, String)> = vec![
        ("create_ts", json!("2025-03-10T12:00:00Z"), "ok".into()),
        ("create_ts", json!("2025-03-10 12:00:00"), "ok".into()),
        ("create_ts", json!("2025-03-10T13:00:00+01:00"), "ok".into()),
        ("create_ts", json!("2025-03-09T12:00:00Z"), refused("create_ts")),
        ("create_ts", json!(5), refused("create_ts")),
        ("last_updated_ts", json!("2025-03-10T12:00:00Z"), "ok".into()),
        ("last_updated_ts", json!("2025-03-10T12:00:01Z"), refused("last_updated_ts")),
        // Not read-only (derived, or ignored by api.md §3): never compared.
        ("user_type_desc", json!("Admin"), "ok".into()),
        ("last_login_dt", json!("2000-01-01T00:00:00Z"), "ok".into()),
    ];
    for (i, (field, value, expected)) in table.into_iter().enumerate() {
        let before = w.app.get_user(&jane, None, false).await.unwrap().view.user;
        let city = format!("City {i}");
        let input = ProfileInput::new("u-jane").with(F::City, city.clone());
        let sent = ReadOnlySent(vec![(field.to_owned(), value.clone())]);
        let got = code(w.app.patch_user(&jane, &input, &sent).await);
        assert!(got.starts_with(&expected), "{field} = {value}: {got}");
        let after = w.app.get_user(&jane, None, false).await.unwrap().view.user;
        if expected == "ok" {
            assert_eq!(after.city, Some(city), "{field} = {value}");
        } else {
            assert_eq!(after, before, "{field} = {value}: nothing written");
        }
    }
}
