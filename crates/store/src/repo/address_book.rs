//! The two lists of a user's address book, `surgeon_list` and `facility_list`: one body of SQL
//! for both, parameterised by how each list is stored ([`BookTable`]).

use async_trait::async_trait;
use chrono::NaiveDateTime;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp as SqlTimestamp};
use surgicase_kernel::UserId;
use surgicase_ports::BookRepo;
use surgicase_ports::records::{
    BookEntry, BookKind, Facilities, NewBookEntry, PersonName, PostalAddress, Surgeons,
};

use super::R;
use super::decode::{self, ts};
use crate::session::Session;
use crate::sql::{self, Row};
use crate::stmt::{Dialect, Stmt, Value};

/// How one list is stored: its table, id column, column prefix and name columns.
pub(crate) trait BookTable: BookKind {
    const TABLE: &'static str;
    /// The id column, also the `cases` column that references the list.
    const ID: &'static str;
    /// The npi, address, city, state and zip columns, in that order.
    const DETAILS: [&'static str; 5];
    /// The select expressions of the two name slots, `name_a` and `name_b`.
    const NAME_SELECT: &'static str;
    fn name_row(name: &Self::Name) -> Row;
    fn name(a: String, b: String) -> Self::Name;
    fn id(raw: i64) -> R<Self::Id>;
    fn raw(id: Self::Id) -> i64;
    /// The list's order, ending with the id.
    fn order_by(d: Dialect) -> String;
}

impl BookTable for Surgeons {
    const TABLE: &'static str = "surgeon_list";
    const ID: &'static str = "surgeon_id";
    const DETAILS: [&'static str; 5] =
        ["surgeon_npi", "surgeon_addr", "surgeon_city", "surgeon_state", "surgeon_zip"];
    const NAME_SELECT: &'static str = "first_name AS name_a, last_name AS name_b";
    fn name_row(name: &PersonName) -> Row {
        vec![("first_name", Value::from(&name.first_name)), ("last_name", Value::from(&name.last_name))]
    }
    fn name(first_name: String, last_name: String) -> PersonName {
        PersonName { first_name, last_name }
    }
    fn id(raw: i64) -> R<Self::Id> {
        decode::surgeon_id(raw, "surgeon_list.surgeon_id")
    }
    fn raw(id: Self::Id) -> i64 {
        id.get()
    }
    fn order_by(d: Dialect) -> String {
        format!("{}, {}, surgeon_id", d.ci("last_name"), d.ci("first_name"))
    }
}

impl BookTable for Facilities {
    const TABLE: &'static str = "facility_list";
    const ID: &'static str = "facility_id";
    const DETAILS: [&'static str; 5] =
        ["facility_npi", "facility_addr", "facility_city", "facility_state", "facility_zip"];
    const NAME_SELECT: &'static str = "facility_name AS name_a, '' AS name_b";
    fn name_row(name: &String) -> Row {
        vec![("facility_name", Value::from(name))]
    }
    fn name(facility_name: String, _: String) -> String {
        facility_name
    }
    fn id(raw: i64) -> R<Self::Id> {
        decode::facility_id(raw, "facility_list.facility_id")
    }
    fn raw(id: Self::Id) -> i64 {
        id.get()
    }
    fn order_by(d: Dialect) -> String {
        format!("{}, facility_id", d.ci("facility_name"))
    }
}

#[derive(QueryableByName)]
struct EntryDb {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    user_id: String,
    #[diesel(sql_type = Text)]
    name_a: String,
    #[diesel(sql_type = Text)]
    name_b: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    npi: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    addr: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    city: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    state: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    zip: Option<String>,
    #[diesel(sql_type = SqlTimestamp)]
    created_ts: NaiveDateTime,
}

impl EntryDb {
    fn into_entry<K: BookTable>(self) -> R<BookEntry<K>> {
        Ok(BookEntry {
            id: K::id(self.id)?,
            user_id: decode::user_id(&self.user_id, &format!("{}.user_id", K::TABLE))?,
            name: K::name(self.name_a, self.name_b),
            npi: self.npi,
            address: PostalAddress { addr: self.addr, city: self.city, state: self.state, zip: self.zip },
            created_ts: ts(self.created_ts),
        })
    }
}

/// `SELECT … FROM <table>` with the columns [`EntryDb`] reads.
fn select<K: BookTable>() -> String {
    let [npi, addr, city, state, zip] = K::DETAILS;
    format!(
        "SELECT {id} AS id, user_id, {names}, {npi} AS npi, {addr} AS addr, {city} AS city, \
         {state} AS state, {zip} AS zip, created_ts FROM {table}",
        id = K::ID,
        names = K::NAME_SELECT,
        table = K::TABLE,
    )
}

#[async_trait]
impl<K: BookTable> BookRepo<K> for Session {
    async fn insert(&mut self, new: &NewBookEntry<K>) -> R<BookEntry<K>> {
        let [npi, addr, city, state, zip] = K::DETAILS;
        let a = &new.address;
        let mut row: Row = vec![("user_id", Value::from(&new.user_id))];
        row.extend(K::name_row(&new.name));
        row.extend([
            (npi, Value::from(new.npi)),
            (addr, Value::from(&a.addr)),
            (city, Value::from(&a.city)),
            (state, Value::from(&a.state)),
            (zip, Value::from(&a.zip)),
            ("created_ts", Value::from(new.created_ts)),
        ]);
        self.exec(sql::insert(K::TABLE, row)).await?;
        let id = self.last_insert_id().await?;
        Ok(new.stored(K::id(id)?, surgicase_kernel::time::truncate_to_micros(new.created_ts)))
    }

    async fn get(&mut self, id: K::Id) -> R<Option<BookEntry<K>>> {
        let stmt = Stmt::new(format!("{} WHERE {} = ?", select::<K>(), K::ID)).bind(K::raw(id));
        self.first::<EntryDb>(stmt).await?.map(EntryDb::into_entry::<K>).transpose()
    }

    async fn list(&mut self, owner: &UserId) -> R<Vec<BookEntry<K>>> {
        let order = K::order_by(self.dialect());
        let stmt = Stmt::new(format!("{} WHERE user_id = ? ORDER BY {order}", select::<K>())).bind(owner);
        self.load::<EntryDb>(stmt).await?.into_iter().map(EntryDb::into_entry::<K>).collect()
    }

    async fn find_by_npi(&mut self, owner: &UserId, npi: i64) -> R<Option<BookEntry<K>>> {
        let stmt = Stmt::new(format!(
            "{} WHERE user_id = ? AND {} = ? ORDER BY {} LIMIT 1",
            select::<K>(),
            K::DETAILS[0],
            K::ID
        ))
        .bind(owner)
        .bind(npi);
        self.first::<EntryDb>(stmt).await?.map(EntryDb::into_entry::<K>).transpose()
    }

    async fn delete(&mut self, id: K::Id) -> R<bool> {
        let stmt = Stmt::new(format!("DELETE FROM {} WHERE {} = ?", K::TABLE, K::ID)).bind(K::raw(id));
        Ok(self.exec(stmt).await? > 0)
    }

    async fn count_cases_with(&mut self, id: K::Id) -> R<i64> {
        let stmt = Stmt::new(format!("SELECT COUNT(*) AS n FROM cases WHERE {} = ?", K::ID)).bind(K::raw(id));
        self.count(stmt).await
    }
}
