//! `user_profile`, `users_and_tiers` and `user_documents`.

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text, Timestamp as SqlTimestamp};
use surgicase_kernel::{Timestamp, UserId};
use surgicase_ports::UserRepo;
use surgicase_ports::records::*;
use surgicase_users::ProfileField;

use super::R;
use super::decode::{self, opt_ts, ts};
use crate::session::Session;
use crate::sql::{self, Row};
use crate::stmt::{Stmt, Value};

/// The columns of `user_profile` that are not profile fields a request sets.
const SYSTEM_COLUMNS: [&str; 5] =
    ["create_ts", "last_updated_ts", "last_login_dt", "deleted_ts", "deleted_by"];

/// The `user_profile` columns, each prefixed with `alias.`.
/// Every profile field is a column of the same name (`documents` is a table of its own).
fn user_columns(alias: &str) -> String {
    let profile = ProfileField::ALL.iter().filter(|f| **f != ProfileField::Documents).map(|f| f.as_str());
    std::iter::once("user_id")
        .chain(profile)
        .chain(SYSTEM_COLUMNS)
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(QueryableByName)]
pub(crate) struct UserDb {
    #[diesel(sql_type = Text)]
    user_id: String,
    #[diesel(sql_type = Text)]
    user_email: String,
    #[diesel(sql_type = Nullable<Text>)]
    first_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    last_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    addr1: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    addr2: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    city: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    state: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    zipcode: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    telephone: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    user_npi: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    referred_by_user: Option<String>,
    #[diesel(sql_type = BigInt)]
    user_type: i64,
    #[diesel(sql_type = BigInt)]
    message_pref: i64,
    #[diesel(sql_type = Nullable<Text>)]
    states_licensed: Option<String>,
    #[diesel(sql_type = BigInt)]
    user_tier: i64,
    #[diesel(sql_type = BigInt)]
    max_case_status: i64,
    #[diesel(sql_type = Nullable<Text>)]
    timezone: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    credentials: Option<String>,
    #[diesel(sql_type = Nullable<Date>)]
    ins_exp_date: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<BigInt>)]
    default_pagination_cases: Option<i64>,
    #[diesel(sql_type = Bool)]
    active: bool,
    #[diesel(sql_type = SqlTimestamp)]
    create_ts: NaiveDateTime,
    #[diesel(sql_type = SqlTimestamp)]
    last_updated_ts: NaiveDateTime,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    last_login_dt: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    deleted_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Text>)]
    deleted_by: Option<String>,
}

impl UserDb {
    fn into_record(self) -> R<UserRecord> {
        Ok(UserRecord {
            user_id: decode::user_id(&self.user_id, "user_profile.user_id")?,
            user_email: self.user_email,
            first_name: self.first_name,
            last_name: self.last_name,
            addr1: self.addr1,
            addr2: self.addr2,
            city: self.city,
            state: self.state,
            zipcode: self.zipcode,
            telephone: self.telephone,
            user_npi: self.user_npi,
            referred_by_user: self.referred_by_user,
            user_type: decode::user_type(self.user_type, "user_profile.user_type")?,
            message_pref: decode::int(self.message_pref, "user_profile.message_pref")?,
            states_licensed: self.states_licensed,
            user_tier: decode::int(self.user_tier, "user_profile.user_tier")?,
            max_case_status: decode::status(self.max_case_status, "user_profile.max_case_status")?,
            timezone: self.timezone,
            credentials: self.credentials,
            ins_exp_date: self.ins_exp_date,
            default_pagination_cases: decode::opt_int(
                self.default_pagination_cases,
                "user_profile.default_pagination_cases",
            )?,
            active: self.active,
            create_ts: ts(self.create_ts),
            last_updated_ts: ts(self.last_updated_ts),
            last_login_dt: opt_ts(self.last_login_dt),
            deleted_ts: opt_ts(self.deleted_ts),
            deleted_by: self.deleted_by,
        })
    }
}

#[derive(QueryableByName)]
struct UserViewDb {
    #[diesel(embed)]
    user: UserDb,
    #[diesel(sql_type = Nullable<Text>)]
    user_type_desc: Option<String>,
}

#[derive(QueryableByName)]
struct UserDocDb {
    #[diesel(sql_type = Text)]
    user_id: String,
    #[diesel(sql_type = Text)]
    document_type: String,
    #[diesel(sql_type = Text)]
    document_name: String,
    #[diesel(sql_type = Text)]
    object_key: String,
    #[diesel(sql_type = Text)]
    location: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    size_bytes: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    sha256: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    content_type: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    uploaded_by: Option<String>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    uploaded_ts: Option<NaiveDateTime>,
}

impl UserDocDb {
    fn into_record(self) -> R<UserDocumentRecord> {
        Ok(UserDocumentRecord {
            user_id: decode::user_id(&self.user_id, "user_documents.user_id")?,
            document_type: self.document_type,
            document_name: self.document_name,
            object_key: self.object_key,
            location: decode::location(&self.location, "user_documents.location")?,
            size_bytes: self.size_bytes,
            sha256: self.sha256,
            content_type: self.content_type,
            uploaded_by: self.uploaded_by,
            uploaded_ts: opt_ts(self.uploaded_ts),
        })
    }
}

#[derive(QueryableByName)]
struct PresetTierDb {
    #[diesel(sql_type = Text)]
    user_email: String,
    #[diesel(sql_type = BigInt)]
    tier: i64,
    #[diesel(sql_type = Nullable<Text>)]
    first_name: Option<String>,
}

fn user_row(u: &UserRecord) -> Row {
    vec![
        ("user_id", Value::from(&u.user_id)),
        ("user_email", Value::from(&u.user_email)),
        ("first_name", Value::from(&u.first_name)),
        ("last_name", Value::from(&u.last_name)),
        ("addr1", Value::from(&u.addr1)),
        ("addr2", Value::from(&u.addr2)),
        ("city", Value::from(&u.city)),
        ("state", Value::from(&u.state)),
        ("zipcode", Value::from(&u.zipcode)),
        ("telephone", Value::from(u.telephone)),
        ("user_npi", Value::from(u.user_npi)),
        ("referred_by_user", Value::from(&u.referred_by_user)),
        ("user_type", Value::from(u.user_type.get())),
        ("message_pref", Value::from(u.message_pref)),
        ("states_licensed", Value::from(&u.states_licensed)),
        ("user_tier", Value::from(u.user_tier)),
        ("max_case_status", Value::from(i32::from(u.max_case_status.code()))),
        ("timezone", Value::from(&u.timezone)),
        ("credentials", Value::from(&u.credentials)),
        ("ins_exp_date", Value::from(u.ins_exp_date)),
        ("default_pagination_cases", Value::from(u.default_pagination_cases)),
        ("active", Value::from(u.active)),
        ("create_ts", Value::from(u.create_ts)),
        ("last_updated_ts", Value::from(u.last_updated_ts)),
        ("last_login_dt", Value::from(u.last_login_dt)),
        ("deleted_ts", Value::from(u.deleted_ts)),
        ("deleted_by", Value::from(&u.deleted_by)),
    ]
}

fn doc_row(d: &UserDocumentRecord) -> Row {
    vec![
        ("user_id", Value::from(&d.user_id)),
        ("document_type", Value::from(&d.document_type)),
        ("document_name", Value::from(&d.document_name)),
        ("object_key", Value::from(&d.object_key)),
        ("location", Value::from(d.location)),
        ("size_bytes", Value::from(d.size_bytes)),
        ("sha256", Value::from(&d.sha256)),
        ("content_type", Value::from(&d.content_type)),
        ("uploaded_by", Value::from(&d.uploaded_by)),
        ("uploaded_ts", Value::from(d.uploaded_ts)),
    ]
}

const DOC_COLUMNS: &str = "user_id, document_type, document_name, object_key, location, size_bytes, sha256, \
                           content_type, uploaded_by, uploaded_ts";

impl Session {
    async fn load_user(&mut self, id: &UserId, lock: bool) -> R<Option<UserRecord>> {
        let suffix = if lock { self.dialect().for_update() } else { "" };
        let stmt = Stmt::new(format!(
            "SELECT {} FROM user_profile u WHERE u.user_id = ?{suffix}",
            user_columns("u")
        ))
        .bind(id);
        self.first::<UserDb>(stmt).await?.map(UserDb::into_record).transpose()
    }

    /// The documents of the listed users, grouped by user, each group by document type.
    async fn user_documents_of(&mut self, ids: &[&UserId]) -> R<BTreeMap<UserId, Vec<UserDocumentRecord>>> {
        let mut out: BTreeMap<UserId, Vec<UserDocumentRecord>> = BTreeMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let mut stmt = Stmt::new(format!("SELECT {DOC_COLUMNS} FROM user_documents WHERE user_id IN "));
        stmt.in_list(ids.iter().map(|id| Value::from(*id)));
        stmt.sql(" ORDER BY user_id, document_type");
        for row in self.load::<UserDocDb>(stmt).await? {
            let doc = row.into_record()?;
            out.entry(doc.user_id.clone()).or_default().push(doc);
        }
        Ok(out)
    }

    fn user_view_select(&self) -> String {
        format!(
            "SELECT {}, t.user_type_desc FROM user_profile u \
             LEFT JOIN user_type_list t ON t.user_type = u.user_type",
            user_columns("u")
        )
    }
}

fn into_views(
    rows: Vec<UserViewDb>,
    mut docs: BTreeMap<UserId, Vec<UserDocumentRecord>>,
) -> R<Vec<UserView>> {
    rows.into_iter()
        .map(|row| {
            let user = row.user.into_record()?;
            let documents = docs.remove(&user.user_id).unwrap_or_default();
            Ok(UserView { user, user_type_desc: row.user_type_desc, documents })
        })
        .collect()
}

#[async_trait]
impl UserRepo for Session {
    async fn get_user(&mut self, id: &UserId) -> R<Option<UserRecord>> {
        self.load_user(id, false).await
    }

    async fn lock_user(&mut self, id: &UserId) -> R<Option<UserRecord>> {
        self.load_user(id, true).await
    }

    async fn get_user_view(&mut self, id: &UserId) -> R<Option<UserView>> {
        let stmt = Stmt::new(format!("{} WHERE u.user_id = ?", self.user_view_select())).bind(id);
        let rows = self.load::<UserViewDb>(stmt).await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let docs = self.user_documents_of(&[id]).await?;
        Ok(into_views(rows, docs)?.into_iter().next())
    }

    async fn list_users(&mut self, query: &UserQuery) -> R<UserPage> {
        let filter =
            if query.include_inactive { "u.user_type <= ?" } else { "u.user_type <= ? AND u.active = ?" };
        let bind_filter = |mut stmt: Stmt| {
            stmt.arg(query.max_user_type.get());
            if !query.include_inactive {
                stmt.arg(true);
            }
            stmt
        };
        let count =
            bind_filter(Stmt::new(format!("SELECT COUNT(*) AS n FROM user_profile u WHERE {filter}")));
        let total = self.count(count).await?;

        let d = self.dialect();
        let page = bind_filter(Stmt::new(format!(
            "{} WHERE {filter} ORDER BY u.user_type, {}, {}, u.user_id LIMIT ? OFFSET ?",
            self.user_view_select(),
            d.ci("u.first_name"),
            d.ci("u.last_name"),
        )))
        .bind(query.limit.max(0))
        .bind(query.offset.max(0));
        let rows = self.load::<UserViewDb>(page).await?;
        let ids: Vec<UserId> = rows
            .iter()
            .map(|r| decode::user_id(&r.user.user_id, "user_profile.user_id"))
            .collect::<R<_>>()?;
        let docs = self.user_documents_of(&ids.iter().collect::<Vec<_>>()).await?;
        Ok(UserPage { users: into_views(rows, docs)?, total })
    }

    async fn insert_user(&mut self, user: &UserRecord) -> R<()> {
        self.exec(sql::insert("user_profile", user_row(user))).await.map(|_| ())
    }

    async fn update_user(&mut self, user: &UserRecord) -> R<()> {
        let row: Row =
            user_row(user).into_iter().filter(|(c, _)| !matches!(*c, "user_id" | "create_ts")).collect();
        self.exec(sql::update("user_profile", row, "user_id = ?", vec![Value::from(&user.user_id)]))
            .await
            .map(|_| ())
    }

    async fn touch_last_login(&mut self, id: &UserId, at: Timestamp, min_interval_s: i64) -> R<bool> {
        let threshold = at - chrono::Duration::seconds(min_interval_s);
        let stmt = Stmt::new(
            "UPDATE user_profile SET last_login_dt = ? \
             WHERE user_id = ? AND (last_login_dt IS NULL OR last_login_dt <= ?)",
        )
        .bind(at)
        .bind(id)
        .bind(threshold);
        Ok(self.exec(stmt).await? > 0)
    }

    async fn preset_tiers(&mut self, emails: &[String]) -> R<Vec<PresetTierRecord>> {
        if emails.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt =
            Stmt::new("SELECT user_email, tier, first_name FROM users_and_tiers WHERE LOWER(user_email) IN ");
        stmt.in_list(emails.iter().map(|e| Value::from(e.to_lowercase())));
        stmt.sql(" ORDER BY LOWER(user_email)");
        self.load::<PresetTierDb>(stmt)
            .await?
            .into_iter()
            .map(|r| {
                Ok(PresetTierRecord {
                    user_email: r.user_email,
                    tier: decode::int(r.tier, "users_and_tiers.tier")?,
                    first_name: r.first_name,
                })
            })
            .collect()
    }

    async fn upsert_preset_tiers(&mut self, rows: &[PresetTierRecord]) -> R<()> {
        let rows: Vec<Row> = rows
            .iter()
            .map(|r| {
                vec![
                    ("user_email", Value::from(&r.user_email)),
                    ("tier", Value::from(r.tier)),
                    ("first_name", Value::from(&r.first_name)),
                ]
            })
            .collect();
        self.exec_all(sql::upsert_rows(self.dialect(), "users_and_tiers", &["user_email"], rows)).await
    }

    async fn put_user_documents(&mut self, docs: &[UserDocumentRecord]) -> R<()> {
        let rows: Vec<Row> = docs.iter().map(doc_row).collect();
        self.exec_all(sql::upsert_rows(self.dialect(), "user_documents", &["user_id", "document_type"], rows))
            .await
    }

    async fn remove_user_documents(&mut self, id: &UserId, document_types: &[String]) -> R<()> {
        if document_types.is_empty() {
            return Ok(());
        }
        let mut stmt =
            Stmt::new("DELETE FROM user_documents WHERE user_id = ? AND document_type IN ").bind(id);
        stmt.in_list(document_types.iter());
        self.exec(stmt).await.map(|_| ())
    }
}
