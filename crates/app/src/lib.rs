//! Use cases shared by the API, the scheduler and xtask.
