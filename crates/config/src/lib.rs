//! Configuration: defaults, then a TOML file, then environment variables.
