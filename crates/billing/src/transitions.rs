//! The scheduled status transitions (domain §7.1, §7.4): which job moves which status.
//! Running them (the `UPDATE … WHERE case_status = from AND active = 1`, history, audit) is the
//! application's job; this is only their definition.

use surgicase_kernel::CaseStatus;

/// A job that moves every active case at `from` to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduledTransition {
    /// The job name, also the actor id of the history rows it writes.
    pub job_name: &'static str,
    pub from: CaseStatus,
    pub to: CaseStatus,
}

impl ScheduledTransition {
    /// Whether a case with this stored status and active flag is moved by the transition.
    pub fn applies_to(&self, status: CaseStatus, active: bool) -> bool {
        active && status == self.from
    }
}

/// Ready for billing → pending payment (Monday 08:00 by default).
pub const PENDING_PAYMENT_TRANSITION: ScheduledTransition = ScheduledTransition {
    job_name: "pending_payment_transition",
    from: CaseStatus::READY_FOR_BILLING,
    to: CaseStatus::PENDING_PAYMENT,
};

/// Pending payment → paid (Thursday 08:00 by default).
pub const PAID_TRANSITION: ScheduledTransition = ScheduledTransition {
    job_name: "paid_transition",
    from: CaseStatus::PENDING_PAYMENT,
    to: CaseStatus::PAID,
};

/// Every scheduled transition.
pub const SCHEDULED_TRANSITIONS: [ScheduledTransition; 2] = [PENDING_PAYMENT_TRANSITION, PAID_TRANSITION];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_transitions() {
        let table: Vec<(&str, i16, i16)> =
            SCHEDULED_TRANSITIONS.iter().map(|t| (t.job_name, t.from.code(), t.to.code())).collect();
        assert_eq!(table, [("pending_payment_transition", 10, 15), ("paid_transition", 15, 20)]);
    }

    #[test]
    fn only_active_cases_in_the_source_status_move() {
        let table: &[(CaseStatus, bool, bool)] = &[
            (CaseStatus::READY_FOR_BILLING, true, true),
            (CaseStatus::READY_FOR_BILLING, false, false),
            (CaseStatus::PENDING_PAYMENT, true, false),
            (CaseStatus::NEEDS_REVIEW, true, false),
        ];
        for (status, active, moves) in table {
            assert_eq!(PENDING_PAYMENT_TRANSITION.applies_to(*status, *active), *moves, "{status} {active}");
        }
        assert!(PAID_TRANSITION.applies_to(CaseStatus::PENDING_PAYMENT, true));
        assert!(!PAID_TRANSITION.applies_to(CaseStatus::PAID, true));
    }
}
