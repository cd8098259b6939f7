//! Bug-tracker adapters (domain §19): [`ClickUpTracker`] pushes reports to a ClickUp list;
//! [`LocalTracker`] keeps them in the database only (`sync_state = disabled`).
//!
//! The token never reaches logs or errors: it travels in the `Authorization` header only, and
//! [`ClickUpSettings`] prints it masked.

mod clickup;
mod local;

pub use clickup::{ClickUpSettings, ClickUpTracker, clickup_priority};
pub use local::LocalTracker;
