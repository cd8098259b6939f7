//! Bulk status updates by the back office (api.md §6 `PATCH /bulk_update_case_status`): which
//! listed cases move, and why the others do not.

use surgicase_kernel::CaseStatus;

/// The most case ids one bulk update takes.
pub const MAX_BULK_CASES: usize = 1000;
/// The longest reason kept in the history.
pub const MAX_BULK_REASON: usize = 500;

/// Why a listed case keeps its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkSkip {
    /// Unknown or deleted.
    NotFound,
    /// The target is below the current status and `force` was not given.
    Lower,
    /// The case is at the target already.
    Same,
}

impl BulkSkip {
    /// The contract's wording of the exception.
    pub fn reason(self) -> &'static str {
        match self {
            Self::NotFound => "Case not found or inactive",
            Self::Lower => "Cannot update to lower status without force=true",
            Self::Same => "Case status already at target value",
        }
    }
}

/// The decision for one case at `current` (`None`: unknown or deleted): `Ok(forced)` when it
/// moves to `target` (`forced` when that lowers it, which only `force` allows), else why not.
pub fn judge_bulk(current: Option<CaseStatus>, target: CaseStatus, force: bool) -> Result<bool, BulkSkip> {
    let Some(current) = current else {
        return Err(BulkSkip::NotFound);
    };
    if target == current {
        Err(BulkSkip::Same)
    } else if target < current {
        if force { Ok(true) } else { Err(BulkSkip::Lower) }
    } else {
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(code: i64) -> CaseStatus {
        CaseStatus::new(code).unwrap_or(CaseStatus::DRAFT)
    }

    #[test]
    fn each_case_moves_up_moves_down_only_with_force_or_says_why_not() {
        // (current, target, force, expected)
        type Row = (Option<i64>, i64, bool, Result<bool, BulkSkip>);
        let table: &[Row] = &[
            (Some(10), 15, false, Ok(false)),
            (Some(10), 15, true, Ok(false)),
            (Some(0), 500, false, Ok(false)),
            (Some(20), 15, false, Err(BulkSkip::Lower)),
            (Some(20), 15, true, Ok(true)),
            (Some(400), 10, true, Ok(true)),
            (Some(15), 15, false, Err(BulkSkip::Same)),
            (Some(15), 15, true, Err(BulkSkip::Same)),
            (None, 15, false, Err(BulkSkip::NotFound)),
            (None, 15, true, Err(BulkSkip::NotFound)),
        ];
        for (current, target, force, expected) in table {
            assert_eq!(
                judge_bulk(current.map(st), st(*target), *force),
                *expected,
                "{current:?} -> {target} force {force}"
            );
        }
    }

    #[test]
    fn reasons_are_the_contracts() {
        assert_eq!(BulkSkip::NotFound.reason(), "Case not found or inactive");
        assert_eq!(BulkSkip::Lower.reason(), "Cannot update to lower status without force=true");
        assert_eq!(BulkSkip::Same.reason(), "Case status already at target value");
    }
}
