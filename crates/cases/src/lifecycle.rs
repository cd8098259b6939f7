//! Deleting and restoring a case (domain §13): the row stays; its documents follow after the
//! commit, so the archive state starts pending.

use surgicase_kernel::{ArchiveState, Timestamp, UserId};

use crate::record::{Case, CaseRow};

impl Case {
    /// The row after `by` deletes the case.
    pub fn deleted(&self, by: &UserId, now: Timestamp) -> CaseRow {
        CaseRow {
            active: false,
            deleted_ts: Some(now),
            deleted_by: Some(by.to_string()),
            archive_state: Some(ArchiveState::Pending),
            case_updated_ts: now,
            ..self.row.clone()
        }
    }

    /// The row after a restore (`dupe_flag` set when a duplicate was forced).
    pub fn restored(&self, forced_duplicate: bool, now: Timestamp) -> CaseRow {
        CaseRow {
            active: true,
            deleted_ts: None,
            deleted_by: None,
            archive_state: Some(ArchiveState::Pending),
            dupe_flag: self.row.dupe_flag || forced_duplicate,
            case_updated_ts: now,
            ..self.row.clone()
        }
    }

    /// Whether a restore re-prices at current prices: the restored case is active, so the tier
    /// rule decides (cases at 15 and above keep their amount).
    pub fn restore_reprices(&self) -> bool {
        surgicase_billing::reprices_on_tier_change(self.row.case_status, true)
    }
}
