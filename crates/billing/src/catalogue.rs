//! The seeded status catalogue (domain §5.1). The catalogue itself is data (`case_status_list`);
//! these are the rows every database starts with, used by seeding, the built-in rule sets and tests.

use surgicase_kernel::CaseStatus;

/// The seeded catalogue rows: code and description.
pub const SEEDED_STATUSES: [(i16, &str); 15] = [
    (0, "Draft"),
    (1, "Submitted"),
    (7, "Needs review"),
    (8, "Documents needed"),
    (10, "Ready for billing"),
    (15, "Pending payment"),
    (20, "Paid"),
    (30, "Sent to biller"),
    (40, "Payment received"),
    (50, "Sent to negotiation"),
    (60, "Settled"),
    (70, "Sent to IDR"),
    (80, "IDR decision"),
    (400, "Rejected"),
    (500, "Closed"),
];

/// The seeded catalogue as statuses, in the order of [`SEEDED_STATUSES`].
pub const SEEDED_CATALOGUE: [CaseStatus; 15] = [
    CaseStatus::DRAFT,
    CaseStatus::SUBMITTED,
    CaseStatus::NEEDS_REVIEW,
    CaseStatus::DOCUMENTS_NEEDED,
    CaseStatus::READY_FOR_BILLING,
    CaseStatus::PENDING_PAYMENT,
    CaseStatus::PAID,
    CaseStatus::SENT_TO_BILLER,
    CaseStatus::PAYMENT_RECEIVED,
    CaseStatus::SENT_TO_NEGOTIATION,
    CaseStatus::SETTLED,
    CaseStatus::SENT_TO_IDR,
    CaseStatus::IDR_DECISION,
    CaseStatus::REJECTED,
    CaseStatus::CLOSED,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_descriptions_agree() {
        let codes: Vec<i16> = SEEDED_STATUSES.iter().map(|(code, _)| *code).collect();
        let statuses: Vec<i16> = SEEDED_CATALOGUE.iter().map(|s| s.code()).collect();
        assert_eq!(codes, statuses);
        assert_eq!(codes, [0, 1, 7, 8, 10, 15, 20, 30, 40, 50, 60, 70, 80, 400, 500]);
    }

    #[test]
    fn pre_billing_band_is_below_15() {
        let pre: Vec<i16> =
            SEEDED_CATALOGUE.iter().filter(|s| s.is_pre_billing()).map(|s| s.code()).collect();
        assert_eq!(pre, [0, 1, 7, 8, 10]);
    }
}
