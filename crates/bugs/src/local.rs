//! The tracker of the embedded default: none. Reports stay in the `bugs` table.

use async_trait::async_trait;
use surgicase_kernel::Timestamp;
use surgicase_ports::bugs::{BugTracker, TrackerError, TrackerTask};

/// Keeps reports locally: never enabled, every push refused with [`TrackerError::Disabled`].
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalTracker;

#[async_trait]
impl BugTracker for LocalTracker {
    fn enabled(&self) -> bool {
        false
    }

    async fn create_task(&self, _task: &TrackerTask) -> Result<String, TrackerError> {
        Err(TrackerError::Disabled)
    }

    async fn find_task(
        &self,
        _name: &str,
        _created_after: Timestamp,
    ) -> Result<Option<String>, TrackerError> {
        Err(TrackerError::Disabled)
    }

    async fn ping(&self) -> Result<(), TrackerError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use surgicase_ports::bugs::BugPriority;

    use super::*;

    #[test]
    fn local_tracker_is_disabled() {
        let t = LocalTracker;
        assert!(!t.enabled());
        let task = TrackerTask {
            name: "Bug #1: x".into(),
            description: String::new(),
            priority: BugPriority::Low,
            tags: Vec::new(),
        };
        let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        assert_eq!(rt.block_on(t.create_task(&task)), Err(TrackerError::Disabled));
        assert_eq!(rt.block_on(t.ping()), Ok(()));
    }
}
