//! Re-evaluating the managed cases after a rule set is replaced (domain §6.6), in batches:
//! each batch is one transaction, so a large practice never holds thousands of row locks
//! and a failure keeps the batches already done (a new PUT with `reevaluate` resumes).

use std::collections::{BTreeMap, HashSet};

use surgicase_billing::{Decision, evaluate};
use surgicase_kernel::{CaseId, CaseStatus};
use surgicase_ports::records::{ChangeSource, HistoryRecord};

use crate::App;
use crate::cases::status::history_row;
use crate::context::Ctx;
use crate::counters;
use crate::error::AppError;
use crate::retry::retrying;

/// Cases per transaction.
pub const REEVALUATE_BATCH: usize = 500;

/// What a re-evaluation did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reevaluation {
    /// Active cases at a managed status that were evaluated.
    pub evaluated: u64,
    /// Of those, the cases that moved.
    pub changed: u64,
}

/// One committed batch.
struct Batch {
    /// The greatest `human_case_id` of the batch: the next one starts after it.
    last: i64,
    evaluated: u64,
    history: Vec<HistoryRecord>,
}

impl App {
    /// Evaluates every active case at a status managed by set `set_id`, walking the cases by
    /// their numeric id. Each move is written like any rule move (status, its timestamp, one
    /// history row with source `rule`) and names the caller and the set. Stops early when
    /// another set has become active meanwhile: from then on the newer set governs.
    pub(crate) async fn reevaluate_cases(&self, ctx: &Ctx, set_id: i64) -> Result<Reevaluation, AppError> {
        let mut done = Reevaluation::default();
        let mut after = 0;
        while let Some(batch) =
            retrying("status_rules.reevaluate", || self.reevaluate_batch(ctx, set_id, after)).await?
        {
            after = batch.last;
            done.evaluated += batch.evaluated;
            done.changed += batch.history.len() as u64;
            counters::status_transitions(&batch.history);
        }
        Ok(done)
    }

    /// The batch after `after`, in one transaction; `None` when there is none left or set
    /// `set_id` is no longer the active one.
    async fn reevaluate_batch(&self, ctx: &Ctx, set_id: i64, after: i64) -> Result<Option<Batch>, AppError> {
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let rules = self.rule_sets.active(&mut *tx).await?;
        if rules.id != Some(set_id) {
            tx.rollback().await?;
            return Ok(None);
        }
        let page = tx.cases_at_statuses_after(rules.set.managed(), after, REEVALUATE_BATCH as i64).await?;
        let Some(&(last, _)) = page.last() else {
            tx.rollback().await?;
            return Ok(None);
        };
        let ids: Vec<CaseId> = page.into_iter().map(|(_, id)| id).collect();
        // Locked first, then read whole: under READ COMMITTED the read sees the latest rows,
        // and no writer can change them before this batch commits.
        let locked: HashSet<CaseId> =
            tx.lock_case_statuses(&ids).await?.into_iter().map(|(id, _)| id).collect();
        let cases = tx.get_cases(&ids).await?;
        let mut moves: BTreeMap<CaseStatus, Vec<CaseId>> = BTreeMap::new();
        let (mut evaluated, mut history) = (0, Vec::new());
        for case in cases.iter().filter(|c| c.row.active && locked.contains(&c.row.case_id)) {
            evaluated += 1;
            if let Decision::Move { from, to, rule } = evaluate(&rules.set, &case.row.facts(&case.codes)) {
                moves.entry(to).or_default().push(case.row.case_id.clone());
                let source = ChangeSource::Rule;
                history.push(history_row(&case.row, Some(from), to, source, Some(rule), rules.id, ctx, now));
            }
        }
        for (to, ids) in &moves {
            tx.set_case_statuses(ids, *to, to.timestamp_column(), now).await?;
        }
        if !history.is_empty() {
            tx.append_history(&history).await?;
        }
        tx.commit().await?;
        Ok(Some(Batch { last, evaluated, history }))
    }
}
