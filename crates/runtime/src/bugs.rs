//! The bug tracker named by `[bugs]`: ClickUp, or none (reports kept locally).

use std::sync::Arc;
use std::time::Duration;

use surgicase_bugs::{ClickUpSettings, ClickUpTracker, LocalTracker};
use surgicase_config::{BugTrackerKind, Config};
use surgicase_ports::BugTracker;

use crate::RuntimeError;

/// Opens the configured tracker.
pub fn bug_tracker(config: &Config) -> Result<Arc<dyn BugTracker>, RuntimeError> {
    let bugs = &config.bugs;
    match bugs.tracker {
        BugTrackerKind::Local => Ok(Arc::new(LocalTracker)),
        BugTrackerKind::Clickup => {
            let c = &bugs.clickup;
            let settings = ClickUpSettings::new(
                &c.base_url,
                c.token.expose(),
                &c.list_id,
                Duration::from_millis(c.timeout_ms),
                c.lookup_pages,
            )
            .map_err(|e| RuntimeError::BugTracker(e.to_string()))?;
            let tracker =
                ClickUpTracker::new(settings).map_err(|e| RuntimeError::BugTracker(e.to_string()))?;
            Ok(Arc::new(tracker))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_tracker() {
        let mut config = Config::default();
        assert!(!bug_tracker(&config).map(|t| t.enabled()).unwrap_or(true));
        config.bugs.tracker = BugTrackerKind::Clickup;
        config.bugs.clickup.token = "pk_1".into();
        config.bugs.clickup.list_id = "901".into();
        assert!(bug_tracker(&config).map(|t| t.enabled()).unwrap_or(false));
        config.bugs.clickup.base_url = "ftp://nope".into();
        assert!(matches!(bug_tracker(&config), Err(RuntimeError::BugTracker(_))));
    }
}
