//! The read-only fields of a case: stored values that responses and exports show (api.md §1.9
//! `Case`, domain §18.3) but `PATCH /case` cannot set. Display-only values joined from other
//! rows (descriptions, surgeon and facility names) are not stored on the case and stay ignored.

use surgicase_kernel::status::StatusTimestamp;
use surgicase_permissions::Actor;
use surgicase_ports::records::Case;

use crate::read_only::Shown;
pub use surgicase_cases::patch::READ_ONLY_FIELDS;

/// The stored value of a read-only field as `actor` is shown it. The status goes through the
/// actor's cap (domain §4.3): a provider sending back the capped status they read is not
/// changing anything.
pub(crate) fn shown<'a>(actor: &Actor, case: &'a Case, name: &str) -> Option<Shown<'a>> {
    let row = &case.row;
    Some(match name {
        "case_status" => Shown::Int(actor.display(row.case_status).code().into()),
        "pay_amount" => Shown::Money(row.pay_amount),
        "pay_category" => Shown::Text(row.pay_category.as_deref()),
        "biller_status" => Shown::Int(row.biller_status.into()),
        "dupe_flag" => Shown::Flag(row.dupe_flag),
        "phi_encrypted" => Shown::Flag(case.phi_encrypted),
        "active" => Shown::Flag(row.active),
        "case_create_ts" => Shown::Time(Some(row.case_create_ts)),
        "case_updated_ts" => Shown::Time(Some(row.case_updated_ts)),
        column => {
            let ts = StatusTimestamp::ALL.into_iter().find(|t| t.column_name() == column)?;
            Shown::Time(row.status_timestamps.get(&ts).copied())
        }
    })
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::status::StatusTimestamp;

    use super::READ_ONLY_FIELDS;

    #[test]
    fn every_status_timestamp_column_is_listed() {
        for ts in StatusTimestamp::ALL {
            assert!(READ_ONLY_FIELDS.contains(&ts.column_name()), "{}", ts.column_name());
        }
        assert_eq!(READ_ONLY_FIELDS.len(), 9 + StatusTimestamp::ALL.len());
    }
}
