//! The database adapter: one body of diesel-async code over MySQL/MariaDB and SQLite.
