//! Statement counting: every connection of a store reports each statement it starts to one
//! counter, so tests can prove how many statements a use case costs (no N+1).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use diesel::connection::{Instrumentation, InstrumentationEvent};

/// Counts `StartQuery` events into a counter shared with the store, and traces each statement
/// by its SQL text only: bind values (which may be PHI) are never logged.
pub(crate) struct StatementCounter {
    count: Arc<AtomicU64>,
    backend: &'static str,
}

impl StatementCounter {
    pub fn new(count: Arc<AtomicU64>, backend: &'static str) -> Self {
        Self { count, backend }
    }
}

impl Instrumentation for StatementCounter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            self.count.fetch_add(1, Ordering::Relaxed);
            if tracing::enabled!(tracing::Level::TRACE) {
                let text = query.to_string();
                tracing::trace!(backend = self.backend, sql = sql_only(&text), "statement");
            }
        }
    }
}

/// Diesel prints a query as `SQL -- binds: [...]`; keep the SQL.
fn sql_only(debug: &str) -> &str {
    debug.split(" -- binds: ").next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_values_are_cut_off() {
        assert_eq!(sql_only("SELECT ? -- binds: [\"Mary\"]"), "SELECT ?");
        assert_eq!(sql_only("BEGIN"), "BEGIN");
    }
}
