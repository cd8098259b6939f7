//! `user_profile`, `users_and_tiers` and `user_documents`.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use async_trait::async_trait;
use surgicase_kernel::{Timestamp, UserId};
use surgicase_ports::UserRepo;
use surgicase_ports::records::*;

use super::state::{State, duplicate, fold, fold_opt, page, reference};
use super::{R, Session};

/// `ORDER BY user_type, first_name, last_name, user_id` under a case-insensitive collation
/// (NULL first, as both engines sort it).
fn list_order(a: &UserRecord, b: &UserRecord) -> Ordering {
    a.user_type
        .cmp(&b.user_type)
        .then_with(|| fold_opt(&a.first_name).cmp(&fold_opt(&b.first_name)))
        .then_with(|| fold_opt(&a.last_name).cmp(&fold_opt(&b.last_name)))
        .then_with(|| a.user_id.cmp(&b.user_id))
}

fn update_user(state: &mut State, user: &UserRecord) -> R<()> {
    state.require_user_type(user.user_type)?;
    if let Some(stored) = state.users.get_mut(&user.user_id) {
        let create_ts = stored.create_ts;
        *stored = UserRecord { create_ts, ..user.clone() };
    }
    Ok(())
}

fn put_documents(state: &mut State, docs: &[UserDocumentRecord]) -> R<()> {
    for doc in docs {
        state.require_user(&doc.user_id, "user_documents.user_id -> user_profile")?;
        if !state.doc_types.contains_key(&doc.document_type) {
            return Err(reference("user_documents.document_type -> user_doc_type_list"));
        }
        state.user_documents.insert((doc.user_id.clone(), doc.document_type.clone()), doc.clone());
    }
    Ok(())
}

#[async_trait]
impl UserRepo for Session {
    async fn get_user(&mut self, id: &UserId) -> R<Option<UserRecord>> {
        Ok(self.read(|s| s.users.get(id).cloned()))
    }

    async fn lock_user(&mut self, id: &UserId) -> R<Option<UserRecord>> {
        // A transaction already holds the only writer lock: a plain read is a locking read.
        self.get_user(id).await
    }

    async fn get_user_view(&mut self, id: &UserId) -> R<Option<UserView>> {
        Ok(self.read(|s| s.users.get(id).map(|u| s.user_view(u))))
    }

    async fn list_users(&mut self, query: &UserQuery) -> R<UserPage> {
        Ok(self.read(|s| {
            let mut matches: Vec<&UserRecord> = s
                .users
                .values()
                .filter(|u| u.user_type <= query.max_user_type && (query.include_inactive || u.active))
                .collect();
            matches.sort_by(|a, b| list_order(a, b));
            let total = matches.len() as i64;
            let users =
                page(matches, query.limit, query.offset).into_iter().map(|u| s.user_view(u)).collect();
            UserPage { users, total }
        }))
    }

    async fn insert_user(&mut self, user: &UserRecord) -> R<()> {
        self.write(|s| {
            if s.users.contains_key(&user.user_id) {
                return Err(duplicate("user_profile.PRIMARY (user_id)"));
            }
            s.require_user_type(user.user_type)?;
            s.users.insert(user.user_id.clone(), user.clone());
            Ok(())
        })
        .await
    }

    async fn update_user(&mut self, user: &UserRecord) -> R<()> {
        self.write(|s| update_user(s, user)).await
    }

    async fn touch_last_login(&mut self, id: &UserId, at: Timestamp, min_interval_s: i64) -> R<bool> {
        let threshold = at - chrono::Duration::seconds(min_interval_s);
        self.write(|s| {
            let Some(user) = s.users.get_mut(id) else { return Ok(false) };
            if user.last_login_dt.is_some_and(|last| last > threshold) {
                return Ok(false);
            }
            user.last_login_dt = Some(at);
            Ok(true)
        })
        .await
    }

    async fn preset_tiers(&mut self, emails: &[String]) -> R<Vec<PresetTierRecord>> {
        let wanted: BTreeSet<String> = emails.iter().map(|e| fold(e)).collect();
        Ok(self.read(|s| wanted.iter().filter_map(|email| s.preset_tiers.get(email).cloned()).collect()))
    }

    async fn upsert_preset_tiers(&mut self, rows: &[PresetTierRecord]) -> R<()> {
        self.write(|s| {
            for row in rows {
                // ON DUPLICATE KEY UPDATE keeps the stored spelling of the key.
                let entry = s.preset_tiers.entry(fold(&row.user_email)).or_insert_with(|| row.clone());
                entry.tier = row.tier;
                entry.first_name = row.first_name.clone();
            }
            Ok(())
        })
        .await
    }

    async fn put_user_documents(&mut self, docs: &[UserDocumentRecord]) -> R<()> {
        self.write(|s| put_documents(s, docs)).await
    }

    async fn remove_user_documents(&mut self, id: &UserId, document_types: &[String]) -> R<()> {
        self.write(|s| {
            for doc_type in document_types {
                s.user_documents.remove(&(id.clone(), doc_type.clone()));
            }
            Ok(())
        })
        .await
    }
}
