//! [`FakeTracker`]: a bug tracker in memory whose availability a test switches, like a real
//! tracker that can be down, slow to answer, or answer after having done the work.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use surgicase_kernel::Timestamp;
use surgicase_ports::bugs::{BugTracker, TrackerError, TrackerTask};

/// How the fake answers the next create calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FakeMode {
    /// Creates the task and answers with its id.
    Up,
    /// Refuses with this error without creating anything.
    Down(TrackerError),
    /// Creates the task but the answer never arrives (the caller sees a timeout).
    CreatesThenTimesOut,
}

#[derive(Debug, Default)]
struct State {
    mode: Option<FakeMode>,
    /// Created tasks: id → task.
    tasks: BTreeMap<String, TrackerTask>,
    creates: usize,
    lookups: usize,
}

/// A tracker in memory. Clones share the same tasks.
#[derive(Debug, Clone, Default)]
pub struct FakeTracker {
    state: Arc<Mutex<State>>,
}

impl FakeTracker {
    /// A tracker that is up.
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        match self.state.lock() {
            Ok(mut guard) => f(&mut guard),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    pub fn set_mode(&self, mode: FakeMode) {
        self.with(|s| s.mode = Some(mode));
    }

    /// The created tasks, by id.
    pub fn tasks(&self) -> BTreeMap<String, TrackerTask> {
        self.with(|s| s.tasks.clone())
    }

    /// How many create calls arrived (successful or not).
    pub fn create_calls(&self) -> usize {
        self.with(|s| s.creates)
    }

    /// How many lookups by name arrived.
    pub fn lookup_calls(&self) -> usize {
        self.with(|s| s.lookups)
    }
}

#[async_trait]
impl BugTracker for FakeTracker {
    fn enabled(&self) -> bool {
        true
    }

    async fn create_task(&self, task: &TrackerTask) -> Result<String, TrackerError> {
        self.with(|s| {
            s.creates += 1;
            let mode = s.mode.clone().unwrap_or(FakeMode::Up);
            if let FakeMode::Down(e) = mode {
                return Err(e);
            }
            let id = format!("task-{}", s.tasks.len() + 1);
            s.tasks.insert(id.clone(), task.clone());
            match mode {
                FakeMode::CreatesThenTimesOut => Err(TrackerError::Timeout),
                _ => Ok(id),
            }
        })
    }

    async fn find_task(&self, name: &str, _created_after: Timestamp) -> Result<Option<String>, TrackerError> {
        self.with(|s| {
            s.lookups += 1;
            if let Some(FakeMode::Down(e)) = &s.mode {
                return Err(e.clone());
            }
            Ok(s.tasks.iter().find(|(_, t)| t.name == name).map(|(id, _)| id.clone()))
        })
    }

    async fn ping(&self) -> Result<(), TrackerError> {
        self.with(|s| match &s.mode {
            Some(FakeMode::Down(e)) => Err(e.clone()),
            _ => Ok(()),
        })
    }
}
