//! Records written as rows of their table: one description per record type (its table, key
//! and columns), one upsert for all of them.

use surgicase_ports::records::*;

use super::R;
use crate::session::Session;
use crate::sql::{self, Row};
use crate::stmt::Value;

/// A record stored as one row of `TABLE`, identified by the columns of `KEY`.
pub(crate) trait TableRow {
    const TABLE: &'static str;
    const KEY: &'static [&'static str];
    fn row(&self) -> Row;
}

impl Session {
    /// Inserts one record (`StoreError::Duplicate` when its key exists).
    pub(crate) async fn insert_record<T: TableRow>(&mut self, record: &T) -> R<()> {
        self.exec(sql::insert(T::TABLE, record.row())).await.map(|_| ())
    }

    /// Inserts each record, or updates the row of its key (batched multi-row statements).
    pub(crate) async fn upsert_records<T: TableRow>(&mut self, records: &[T]) -> R<()> {
        let rows = records.iter().map(T::row).collect();
        self.exec_all(sql::upsert_rows(self.dialect(), T::TABLE, T::KEY, rows)).await
    }
}

impl TableRow for StatusRecord {
    const TABLE: &'static str = "case_status_list";
    const KEY: &'static [&'static str] = &["case_status"];
    fn row(&self) -> Row {
        vec![
            ("case_status", Value::from(self.case_status)),
            ("case_status_desc", Value::from(&self.case_status_desc)),
        ]
    }
}

impl TableRow for UserTypeRecord {
    const TABLE: &'static str = "user_type_list";
    const KEY: &'static [&'static str] = &["user_type"];
    fn row(&self) -> Row {
        let cap = self.user_max_case_status.map(|s| i32::from(s.code()));
        vec![
            ("user_type", Value::from(self.user_type.get())),
            ("user_type_desc", Value::from(&self.user_type_desc)),
            ("user_max_case_status", Value::Int(cap)),
        ]
    }
}

impl TableRow for DocTypeRecord {
    const TABLE: &'static str = "user_doc_type_list";
    const KEY: &'static [&'static str] = &["doc_type"];
    fn row(&self) -> Row {
        vec![("doc_type", Value::from(&self.doc_type)), ("doc_prefix", Value::from(&self.doc_prefix))]
    }
}

impl TableRow for TimezoneRecord {
    const TABLE: &'static str = "user_timezones";
    const KEY: &'static [&'static str] = &["tz_identifier"];
    fn row(&self) -> Row {
        vec![
            ("tz_identifier", Value::from(&self.tz_identifier)),
            ("utc_offset", Value::from(&self.utc_offset)),
        ]
    }
}

impl TableRow for ProcedureCodeRecord {
    const TABLE: &'static str = "procedure_codes";
    const KEY: &'static [&'static str] = &["procedure_code"];
    fn row(&self) -> Row {
        vec![
            ("procedure_code", Value::from(&self.procedure_code)),
            ("procedure_desc", Value::from(&self.procedure_desc)),
            ("code_category", Value::from(&self.code_category)),
            ("code_status", Value::from(&self.code_status)),
            ("asst_surg", Value::from(self.asst_surg)),
        ]
    }
}

impl TableRow for PayTierRecord {
    const TABLE: &'static str = "procedure_code_buckets2";
    const KEY: &'static [&'static str] = &["code_bucket", "tier"];
    fn row(&self) -> Row {
        vec![
            ("code_bucket", Value::from(&self.code_bucket)),
            ("tier", Value::from(self.tier)),
            ("pay_amount_cents", Value::from(self.pay_amount)),
        ]
    }
}

impl TableRow for AutoFixRecord {
    const TABLE: &'static str = "procedure_code_auto_fix";
    const KEY: &'static [&'static str] = &["entered_code"];
    fn row(&self) -> Row {
        vec![
            ("entered_code", Value::from(&self.entered_code)),
            ("fixed_code", Value::from(&self.fixed_code)),
            ("reason", Value::from(&self.reason)),
            ("active", Value::from(self.active)),
            ("created_date", Value::from(self.created_date)),
            ("created_by", Value::from(&self.created_by)),
        ]
    }
}

impl TableRow for NpiPersonRecord {
    const TABLE: &'static str = "search_surgeon_all";
    const KEY: &'static [&'static str] = &["npi"];
    fn row(&self) -> Row {
        vec![
            ("npi", Value::from(self.npi)),
            ("first_name", Value::from(&self.first_name)),
            ("last_name", Value::from(&self.last_name)),
            ("address", Value::from(&self.address)),
            ("city", Value::from(&self.city)),
            ("state", Value::from(&self.state)),
            ("zip", Value::from(&self.zip)),
        ]
    }
}

impl TableRow for NpiOrganizationRecord {
    const TABLE: &'static str = "search_facility_all";
    const KEY: &'static [&'static str] = &["npi"];
    fn row(&self) -> Row {
        vec![
            ("npi", Value::from(self.npi)),
            ("facility_name", Value::from(&self.facility_name)),
            ("address", Value::from(&self.address)),
            ("city", Value::from(&self.city)),
            ("state", Value::from(&self.state)),
            ("zip", Value::from(&self.zip)),
        ]
    }
}
