//! `UserRepo`: `user_profile`, `users_and_tiers`, `user_documents`.
//!
//! Assumed where the trait is silent: `update_user` of an unknown id writes nothing and is not
//! an error (an UPDATE matching no row); a user's documents come ordered by `document_type`;
//! `preset_tiers` returns rows in no particular order (compared sorted here); an unknown
//! `user_type` is `StoreError::Reference` (foreign key to `user_type_list`).

use surgicase_kernel::UserType;
use surgicase_ports::records::*;
use surgicase_ports::{Conn, Store};

use super::{assert_duplicate, assert_reference, seeded};
use crate::fixtures::*;
use surgicase_kernel::DocumentLocation;

fn query(max: UserType, include_inactive: bool, limit: i64, offset: i64) -> UserQuery {
    UserQuery { max_user_type: max, include_inactive, limit, offset }
}

fn ids(page: &UserPage) -> Vec<&str> {
    page.users.iter().map(|v| v.user.user_id.as_str()).collect()
}

async fn must_get(c: &mut Box<dyn Conn>, id: &str) -> Option<UserRecord> {
    c.get_user(&user_id(id)).await.unwrap()
}

/// Every column round-trips, values and NULLs alike (accents, microseconds, a leap-day date,
/// `active = 0`); `get_user`, `get_user_view` (with the type description) and `lock_user` in a
/// transaction agree; ids compare exactly; unknown ids are `None`.
pub async fn round_trip_every_column(store: &dyn Store) {
    let mut c = seeded(store).await;
    let full = user_with_every_column("u-full");
    let minimal = user("u-min");
    c.insert_user(&full).await.unwrap();
    c.insert_user(&minimal).await.unwrap();

    assert_eq!(must_get(&mut c, "u-full").await, Some(full.clone()));
    assert_eq!(must_get(&mut c, "u-min").await, Some(minimal.clone()));
    assert_eq!(must_get(&mut c, "U-FULL").await, None, "user ids compare exactly");
    assert_eq!(must_get(&mut c, "u-none").await, None);

    let view = c.get_user_view(&full.user_id).await.unwrap();
    let expected =
        UserView { user: full.clone(), user_type_desc: Some("Case Admin".to_owned()), documents: vec![] };
    assert_eq!(view, Some(expected));
    let view = c.get_user_view(&minimal.user_id).await.unwrap().expect("minimal view");
    assert_eq!(view.user_type_desc.as_deref(), Some("Provider"));
    assert_eq!(c.get_user_view(&user_id("u-none")).await.unwrap(), None);
    drop(c);

    let mut tx = store.begin().await.unwrap();
    assert_eq!(tx.lock_user(&full.user_id).await.unwrap(), Some(full));
    assert_eq!(tx.lock_user(&user_id("u-none")).await.unwrap(), None);
    tx.rollback().await.unwrap();
}

/// An existing id — active or deleted — is `Duplicate` and the stored row is untouched; an id
/// differing only in case is another user.
pub async fn insert_existing_id_is_duplicate(store: &dyn Store) {
    let mut c = seeded(store).await;
    let jane = user("u-jane");
    let gone = UserRecord {
        active: false,
        deleted_ts: Some(at(5)),
        deleted_by: Some("u-admin".into()),
        ..user("u-gone")
    };
    c.insert_user(&jane).await.unwrap();
    c.insert_user(&gone).await.unwrap();

    let again = UserRecord { user_email: "other@example.com".into(), user_tier: 3, ..user("u-jane") };
    assert_duplicate(c.insert_user(&again).await);
    assert_duplicate(c.insert_user(&user("u-gone")).await);
    assert_eq!(must_get(&mut c, "u-jane").await, Some(jane));
    assert_eq!(must_get(&mut c, "u-gone").await, Some(gone));

    let other_case = user("u-Jane");
    c.insert_user(&other_case).await.unwrap();
    assert_eq!(must_get(&mut c, "u-Jane").await, Some(other_case));
}

/// A `user_type` missing from `user_type_list` is `Reference` on insert and update; nothing is
/// written.
pub async fn unknown_user_type_is_reference(store: &dyn Store) {
    let mut c = seeded(store).await;
    let t42 = UserType::new(42).unwrap();
    assert_reference(c.insert_user(&UserRecord { user_type: t42, ..user("u-bad") }).await);
    assert_eq!(must_get(&mut c, "u-bad").await, None);

    let jane = user("u-jane");
    c.insert_user(&jane).await.unwrap();
    assert_reference(c.update_user(&UserRecord { user_type: t42, user_tier: 2, ..jane.clone() }).await);
    assert_eq!(must_get(&mut c, "u-jane").await, Some(jane));
}

/// `update_user` writes every column but `user_id` and `create_ts` (values to NULL and back);
/// an unknown id creates nothing.
pub async fn update_writes_every_column_but_id_and_create_ts(store: &dyn Store) {
    let mut c = seeded(store).await;
    c.insert_user(&user("u-jane")).await.unwrap();

    let changed = UserRecord { create_ts: at(999), ..user_with_every_column("u-jane") };
    c.update_user(&changed).await.unwrap();
    assert_eq!(must_get(&mut c, "u-jane").await, Some(UserRecord { create_ts: t0(), ..changed }));

    let back = UserRecord { last_updated_ts: at(60), ..user("u-jane") };
    c.update_user(&back).await.unwrap();
    assert_eq!(must_get(&mut c, "u-jane").await, Some(back));

    c.update_user(&user("u-ghost")).await.unwrap();
    assert_eq!(must_get(&mut c, "u-ghost").await, None);
}

/// `list_users`: ordered by user type, first name (NULL first), last name, user id; only types
/// up to `max_user_type`; inactive users only when asked; `total` counts all matches whatever
/// the page; each item carries the type description and documents.
pub async fn list_orders_filters_and_pages(store: &dyn Store) {
    let mut c = seeded(store).await;
    let named = |id: &str, t: UserType, first: Option<&str>, last: Option<&str>| UserRecord {
        user_type: t,
        first_name: first.map(str::to_owned),
        last_name: last.map(str::to_owned),
        ..user(id)
    };
    let p = UserType::PROVIDER;
    let rows = [
        named("u-a", p, Some("Anna"), Some("Zimmer")),
        named("u-h", p, Some("Anna"), Some("Adams")),
        named("u-b", p, Some("Anna"), Some("Adams")),
        UserRecord { active: false, ..named("u-c", p, Some("Bob"), Some("Brown")) },
        named("u-d", UserType::CASE_ADMIN, Some("Carl"), Some("Case")),
        named("u-e", UserType::USER_ADMIN, Some("Dana"), Some("Admin")),
        named("u-f", UserType::GLOBAL_ADMIN, Some("Eve"), Some("Global")),
        named("u-g", p, None, None),
    ];
    for row in &rows {
        c.insert_user(row).await.unwrap();
    }
    let w9 = user_document(&user_id("u-b"), "W9", "w9.pdf");
    c.put_user_documents(std::slice::from_ref(&w9)).await.unwrap();

    let ua = UserType::USER_ADMIN;
    let page = c.list_users(&query(ua, false, 100, 0)).await.unwrap();
    assert_eq!(ids(&page), ["u-g", "u-b", "u-h", "u-a", "u-d", "u-e"]);
    assert_eq!(page.total, 6);
    assert_eq!(page.users[1].documents, vec![w9]);
    assert_eq!(page.users[1].user, rows[2]);
    assert_eq!(page.users[4].user_type_desc.as_deref(), Some("Case Admin"));
    assert!(page.users[0].documents.is_empty());

    let page = c.list_users(&query(ua, true, 100, 0)).await.unwrap();
    assert_eq!(ids(&page), ["u-g", "u-b", "u-h", "u-a", "u-c", "u-d", "u-e"]);
    assert_eq!(page.total, 7);

    let page = c.list_users(&query(p, false, 100, 0)).await.unwrap();
    assert_eq!(ids(&page), ["u-g", "u-b", "u-h", "u-a"]);
    assert_eq!(page.total, 4);

    let page = c.list_users(&query(ua, false, 2, 1)).await.unwrap();
    assert_eq!(ids(&page), ["u-b", "u-h"]);
    assert_eq!(page.total, 6);

    let page = c.list_users(&query(ua, false, 10, 6)).await.unwrap();
    assert!(page.users.is_empty());
    assert_eq!(page.total, 6);
}

/// `touch_last_login` writes from NULL, then only once `at - min_interval_s` has reached the
/// stored value (the boundary writes), never moves it back, changes no other column, and is
/// `false` for an unknown user.
pub async fn touch_last_login_at_most_once_per_interval(store: &dyn Store) {
    let mut c = seeded(store).await;
    let jane = user("u-jane");
    c.insert_user(&jane).await.unwrap();
    let id = jane.user_id.clone();

    assert!(c.touch_last_login(&id, t0(), 60).await.unwrap());
    assert_eq!(
        must_get(&mut c, "u-jane").await,
        Some(UserRecord { last_login_dt: Some(t0()), ..jane.clone() })
    );

    assert!(!c.touch_last_login(&id, at(30), 60).await.unwrap());
    assert!(!c.touch_last_login(&id, at(59), 60).await.unwrap());
    assert_eq!(must_get(&mut c, "u-jane").await.and_then(|u| u.last_login_dt), Some(t0()));

    assert!(c.touch_last_login(&id, at(60), 60).await.unwrap());
    assert_eq!(must_get(&mut c, "u-jane").await.and_then(|u| u.last_login_dt), Some(at(60)));

    assert!(!c.touch_last_login(&id, t0(), 60).await.unwrap());
    assert!(c.touch_last_login(&id, at(61), 0).await.unwrap());
    assert_eq!(must_get(&mut c, "u-jane").await, Some(UserRecord { last_login_dt: Some(at(61)), ..jane }));

    assert!(!c.touch_last_login(&user_id("u-ghost"), t0(), 60).await.unwrap());
}

/// `preset_tiers` matches e-mails case-insensitively and returns the stored spelling;
/// `upsert_preset_tiers` inserts, then updates tier and first name without duplicating.
pub async fn preset_tiers_case_insensitive_and_upsert(store: &dyn Store) {
    let mut c = seeded(store).await;
    let doc = PresetTierRecord {
        user_email: "Doc.Smith@Example.com".into(),
        tier: 3,
        first_name: Some("Doc".into()),
    };
    let nurse = PresetTierRecord { user_email: "nurse@example.com".into(), tier: 2, first_name: None };
    c.upsert_preset_tiers(&[doc.clone(), nurse.clone()]).await.unwrap();

    let found = c.preset_tiers(&["doc.smith@example.com".into()]).await.unwrap();
    assert_eq!(found, vec![doc.clone()]);

    let wanted =
        ["DOC.SMITH@EXAMPLE.COM".to_owned(), "Nurse@Example.com".into(), "nobody@example.com".into()];
    let mut found = c.preset_tiers(&wanted).await.unwrap();
    found.sort_by_key(|r| r.user_email.to_lowercase());
    assert_eq!(found, vec![doc.clone(), nurse.clone()]);
    assert!(c.preset_tiers(&[]).await.unwrap().is_empty());

    let promoted = PresetTierRecord { tier: 4, first_name: Some("Doctor".into()), ..doc };
    c.upsert_preset_tiers(std::slice::from_ref(&promoted)).await.unwrap();
    let mut found =
        c.preset_tiers(&["doc.smith@example.com".into(), "nurse@example.com".into()]).await.unwrap();
    found.sort_by_key(|r| r.user_email.to_lowercase());
    assert_eq!(found, vec![promoted, nurse]);
}

/// `put_user_documents` inserts or replaces by `(user_id, document_type)`; views list a user's
/// documents by type; `remove_user_documents` touches only the named types of that user; an
/// unknown user or document type is `Reference` and nothing of the batch is written.
pub async fn documents_upsert_remove_and_references(store: &dyn Store) {
    let mut c = seeded(store).await;
    let (jane, bob) = (user_id("u-jane"), user_id("u-bob"));
    c.insert_user(&user("u-jane")).await.unwrap();
    c.insert_user(&user("u-bob")).await.unwrap();

    let w9 = user_document(&jane, "W9", "w9.pdf");
    let license = UserDocumentRecord {
        content_type: Some("image/png".into()),
        size_bytes: None,
        sha256: None,
        uploaded_by: None,
        uploaded_ts: None,
        ..user_document(&jane, "Driver License", "licence é.png")
    };
    c.put_user_documents(&[w9, license.clone()]).await.unwrap();
    let bob_w9 = user_document(&bob, "W9", "bob.pdf");
    c.put_user_documents(std::slice::from_ref(&bob_w9)).await.unwrap();

    let w9_new = UserDocumentRecord {
        location: DocumentLocation::Deleted,
        object_key: "private/deleted-user-documents/u-jane/W9/w9-2025.pdf".into(),
        uploaded_ts: Some(at(3600)),
        ..user_document(&jane, "W9", "w9-2025.pdf")
    };
    c.put_user_documents(std::slice::from_ref(&w9_new)).await.unwrap();
    let docs = |v: Option<UserView>| v.map(|v| v.documents).unwrap_or_default();
    assert_eq!(docs(c.get_user_view(&jane).await.unwrap()), vec![license.clone(), w9_new]);

    c.remove_user_documents(&jane, &["W9".into(), "Malpractice Insurance".into()]).await.unwrap();
    assert_eq!(docs(c.get_user_view(&jane).await.unwrap()), vec![license.clone()]);
    assert_eq!(docs(c.get_user_view(&bob).await.unwrap()), vec![bob_w9]);

    let batch = [
        user_document(&jane, "Malpractice Insurance", "mal.pdf"),
        user_document(&user_id("u-ghost"), "W9", "w9.pdf"),
    ];
    assert_reference(c.put_user_documents(&batch).await);
    assert_reference(c.put_user_documents(&[user_document(&jane, "Passport", "p.pdf")]).await);
    assert_eq!(docs(c.get_user_view(&jane).await.unwrap()), vec![license]);
}
