//! Case statuses (domain §5.1). The catalogue itself is data (`case_status_list`); this type
//! only knows the range, the bands and the seeded statuses that rules and jobs refer to.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, ValueError};

/// A status code, 0–999. Whether it is in the catalogue is checked against the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i16")]
pub struct CaseStatus(i16);

impl CaseStatus {
    pub const DRAFT: CaseStatus = CaseStatus(0);
    pub const SUBMITTED: CaseStatus = CaseStatus(1);
    pub const NEEDS_REVIEW: CaseStatus = CaseStatus(7);
    pub const DOCUMENTS_NEEDED: CaseStatus = CaseStatus(8);
    pub const READY_FOR_BILLING: CaseStatus = CaseStatus(10);
    pub const PENDING_PAYMENT: CaseStatus = CaseStatus(15);
    pub const PAID: CaseStatus = CaseStatus(20);
    pub const SENT_TO_BILLER: CaseStatus = CaseStatus(30);
    pub const PAYMENT_RECEIVED: CaseStatus = CaseStatus(40);
    pub const SENT_TO_NEGOTIATION: CaseStatus = CaseStatus(50);
    pub const SETTLED: CaseStatus = CaseStatus(60);
    pub const SENT_TO_IDR: CaseStatus = CaseStatus(70);
    pub const IDR_DECISION: CaseStatus = CaseStatus(80);
    pub const REJECTED: CaseStatus = CaseStatus(400);
    pub const CLOSED: CaseStatus = CaseStatus(500);

    pub const MAX: i16 = 999;

    pub fn new(code: i64) -> Result<Self, ValueError> {
        if !(0..=i64::from(Self::MAX)).contains(&code) {
            return Err(ValueError::new(FieldCode::OutOfRange, "status must be between 0 and 999"));
        }
        Ok(Self(code as i16))
    }

    pub const fn code(self) -> i16 {
        self.0
    }

    /// Below 15: statuses providers may still edit and automatic rules may set.
    pub fn is_pre_billing(self) -> bool {
        self.0 < Self::PENDING_PAYMENT.0
    }

    /// 400 and above are shown as they are, whatever the viewer's cap.
    pub fn always_shown(self) -> bool {
        self.0 >= Self::REJECTED.0
    }

    /// The column stamped when a case enters this status, for the seeded statuses that have one.
    pub fn timestamp_column(self) -> Option<StatusTimestamp> {
        use StatusTimestamp as T;
        Some(match self.0 {
            1 => T::ProviderSubmitted,
            7 => T::BillableFlag,
            8 => T::DocsNeeded,
            10 => T::Submitted,
            15 => T::PendingPayment,
            20 => T::PaidToProvider,
            30 => T::SentToBiller,
            40 => T::ReceivedPayment,
            50 => T::SentToNegotiation,
            60 => T::Settled,
            70 => T::SentToIdr,
            80 => T::IdrDecision,
            400 => T::Rejected,
            500 => T::Closed,
            _ => return None,
        })
    }
}

/// The per-status timestamp columns of `cases` (domain §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusTimestamp {
    ProviderSubmitted,
    BillableFlag,
    DocsNeeded,
    Submitted,
    PendingPayment,
    PaidToProvider,
    SentToBiller,
    ReceivedPayment,
    SentToNegotiation,
    Settled,
    SentToIdr,
    IdrDecision,
    Rejected,
    Closed,
}

impl StatusTimestamp {
    pub const ALL: [StatusTimestamp; 14] = [
        Self::ProviderSubmitted,
        Self::BillableFlag,
        Self::DocsNeeded,
        Self::Submitted,
        Self::PendingPayment,
        Self::PaidToProvider,
        Self::SentToBiller,
        Self::ReceivedPayment,
        Self::SentToNegotiation,
        Self::Settled,
        Self::SentToIdr,
        Self::IdrDecision,
        Self::Rejected,
        Self::Closed,
    ];

    pub fn column_name(self) -> &'static str {
        match self {
            Self::ProviderSubmitted => "provider_submitted_ts",
            Self::BillableFlag => "billable_flag_ts",
            Self::DocsNeeded => "docs_needed_ts",
            Self::Submitted => "submitted_ts",
            Self::PendingPayment => "pending_payment_ts",
            Self::PaidToProvider => "paid_to_provider_ts",
            Self::SentToBiller => "sent_to_biller_ts",
            Self::ReceivedPayment => "received_pmnt_ts",
            Self::SentToNegotiation => "sent_to_negotiation_ts",
            Self::Settled => "settled_ts",
            Self::SentToIdr => "sent_to_idr_ts",
            Self::IdrDecision => "idr_decision_ts",
            Self::Rejected => "rejected_ts",
            Self::Closed => "closed_ts",
        }
    }
}

impl TryFrom<i64> for CaseStatus {
    type Error = ValueError;
    fn try_from(code: i64) -> Result<Self, ValueError> {
        Self::new(code)
    }
}

impl From<CaseStatus> for i16 {
    fn from(status: CaseStatus) -> i16 {
        status.0
    }
}

impl fmt::Display for CaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range() {
        assert!(CaseStatus::new(0).is_ok());
        assert!(CaseStatus::new(999).is_ok());
        assert!(CaseStatus::new(1000).is_err());
        assert!(CaseStatus::new(-1).is_err());
    }

    #[test]
    fn bands() {
        let table: &[(i16, bool, bool)] = &[
            (0, true, false),
            (10, true, false),
            (14, true, false),
            (15, false, false),
            (80, false, false),
            (399, false, false),
            (400, false, true),
            (500, false, true),
        ];
        for (code, pre, shown) in table {
            let s = CaseStatus(*code);
            assert_eq!(s.is_pre_billing(), *pre, "{code}");
            assert_eq!(s.always_shown(), *shown, "{code}");
        }
    }

    #[test]
    fn timestamp_columns_follow_the_catalogue() {
        assert_eq!(CaseStatus::DRAFT.timestamp_column(), None);
        assert_eq!(
            CaseStatus::SUBMITTED.timestamp_column().map(|c| c.column_name()),
            Some("provider_submitted_ts")
        );
        assert_eq!(
            CaseStatus::READY_FOR_BILLING.timestamp_column().map(|c| c.column_name()),
            Some("submitted_ts")
        );
        assert_eq!(
            CaseStatus::PENDING_PAYMENT.timestamp_column().map(|c| c.column_name()),
            Some("pending_payment_ts")
        );
        assert_eq!(CaseStatus::PAID.timestamp_column().map(|c| c.column_name()), Some("paid_to_provider_ts"));
        assert_eq!(CaseStatus::CLOSED.timestamp_column().map(|c| c.column_name()), Some("closed_ts"));
        assert_eq!(CaseStatus(123).timestamp_column(), None);
    }
}
