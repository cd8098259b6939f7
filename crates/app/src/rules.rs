//! The active status rule set. The id is read inside every writing transaction (another
//! replica may have stored a new set); only the parsed form is cached, keyed by id, which no
//! replica can make stale because stored sets are never updated (domain §2, §6.6).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use surgicase_billing::{RuleSet, default_rule_set, parse_rule_set};
use surgicase_kernel::CaseStatus;
use surgicase_ports::Conn;
use surgicase_ports::records::RuleSetRecord;

use crate::error::AppError;

/// The rule set in force and where it came from.
#[derive(Debug, Clone)]
pub struct ActiveRuleSet {
    /// `None` for the built-in default.
    pub id: Option<i64>,
    pub set: Arc<RuleSet>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct RuleSetCache(Arc<Mutex<HashMap<Option<i64>, Arc<RuleSet>>>>);

impl RuleSetCache {
    fn get(&self, id: Option<i64>) -> Option<Arc<RuleSet>> {
        self.0.lock().ok().and_then(|map| map.get(&id).cloned())
    }

    fn put(&self, id: Option<i64>, set: Arc<RuleSet>) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(id, set);
        }
    }

    /// The active set, read through `conn` (one statement when the set is cached).
    pub(crate) async fn active(&self, conn: &mut dyn Conn) -> Result<ActiveRuleSet, AppError> {
        let stored = conn.active_rule_set().await?;
        self.parsed(conn, stored.as_ref()).await
    }

    /// The parsed form of `stored` (the built-in default for `None`), from the cache when its
    /// id was seen before; else parsed against the catalogue read through `conn`.
    pub(crate) async fn parsed(
        &self,
        conn: &mut dyn Conn,
        stored: Option<&RuleSetRecord>,
    ) -> Result<ActiveRuleSet, AppError> {
        let id = stored.map(|r| r.id);
        if let Some(set) = self.get(id) {
            return Ok(ActiveRuleSet { id, set });
        }
        let set = match stored {
            None => default_rule_set()
                .map_err(|e| AppError::internal(format!("built-in rule set does not parse: {e}")))?,
            Some(record) => {
                let catalogue: Vec<CaseStatus> =
                    conn.case_statuses().await?.into_iter().map(|s| s.case_status).collect();
                parse_rule_set(&record.source_toml, &catalogue)
                    .map_err(|e| {
                        AppError::internal(format!("stored rule set {} does not parse: {e}", record.id))
                    })?
                    .rule_set
            }
        };
        let set = Arc::new(set);
        self.put(id, Arc::clone(&set));
        Ok(ActiveRuleSet { id, set })
    }
}
