//! In-memory port implementations and the contract test suites every adapter runs.
