//! `case_status_history`: one row per status change, append-only.

use surgicase_kernel::{CaseId, CaseStatus, Timestamp};

/// Who made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorType {
    User,
    Job,
    System,
}

impl ActorType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Job => "job",
            Self::System => "system",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "user" => Some(Self::User),
            "job" => Some(Self::Job),
            "system" => Some(Self::System),
            _ => None,
        }
    }
}

/// What caused a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeSource {
    Create,
    Rule,
    Bulk,
    Job,
}

impl ChangeSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Rule => "rule",
            Self::Bulk => "bulk",
            Self::Job => "job",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "create" => Some(Self::Create),
            "rule" => Some(Self::Rule),
            "bulk" => Some(Self::Bulk),
            "job" => Some(Self::Job),
            _ => None,
        }
    }
}

/// One status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRecord {
    pub case_id: CaseId,
    /// `None` for the row written at creation.
    pub from_status: Option<CaseStatus>,
    pub to_status: CaseStatus,
    pub changed_ts: Timestamp,
    pub actor_type: ActorType,
    pub actor_id: String,
    pub source: ChangeSource,
    pub rule_name: Option<String>,
    pub rule_set_id: Option<i64>,
    pub reason: Option<String>,
    pub request_id: Option<String>,
    pub job_run_id: Option<i64>,
}
