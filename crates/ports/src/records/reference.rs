//! Reference data: statuses, user types, document types, time zones, procedure codes and
//! their prices, the auto-fix map, pre-assigned tiers and status rule sets.

use surgicase_kernel::{CaseStatus, Money, Timestamp, UserType};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRecord {
    pub case_status: CaseStatus,
    pub case_status_desc: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserTypeRecord {
    pub user_type: UserType,
    pub user_type_desc: String,
    /// The cap given to a user when their type changes to this one.
    pub user_max_case_status: Option<CaseStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocTypeRecord {
    pub doc_type: String,
    pub doc_prefix: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimezoneRecord {
    pub tz_identifier: String,
    pub utc_offset: String,
}

/// One row of the code master `procedure_codes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureCodeRecord {
    pub procedure_code: String,
    pub procedure_desc: String,
    pub code_category: Option<String>,
    pub code_status: Option<String>,
    pub asst_surg: Option<i16>,
}

/// What pricing and snapshots need to know about one code for one tier.
pub use surgicase_billing::CodeInfo;

/// One row of `procedure_code_buckets2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayTierRecord {
    pub code_bucket: String,
    pub tier: i32,
    pub pay_amount: Money,
}

/// One row of `procedure_code_auto_fix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoFixRecord {
    pub entered_code: String,
    pub fixed_code: String,
    pub reason: String,
    pub active: bool,
    pub created_date: Timestamp,
    pub created_by: Option<String>,
}

/// One row of `users_and_tiers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresetTierRecord {
    pub user_email: String,
    pub tier: i32,
    pub first_name: Option<String>,
}

/// One row of `status_rule_sets`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetRecord {
    pub id: i64,
    pub name: String,
    pub format: i32,
    pub source_toml: String,
    pub sha256: String,
    pub created_ts: Timestamp,
    pub created_by: String,
}

/// A rule set to store (the id is assigned by the database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRuleSetRecord {
    pub name: String,
    pub format: i32,
    pub source_toml: String,
    pub sha256: String,
    pub created_ts: Timestamp,
    pub created_by: String,
}

/// A stored rule set as its history lists it (the text left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetSummaryRecord {
    pub id: i64,
    pub name: String,
    pub sha256: String,
    pub created_ts: Timestamp,
    pub created_by: String,
}

/// One row of `faq_list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaqRecord {
    pub id: i64,
    pub user_type: UserType,
    pub faq_header: String,
    pub faq_text: String,
    pub display_order: i32,
}

/// A FAQ to insert (the id is the database's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFaqRecord {
    pub user_type: UserType,
    pub faq_header: String,
    pub faq_text: String,
    pub display_order: i32,
}
