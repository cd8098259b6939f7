//! `cargo xtask galera up|down|status`: the local three-node MariaDB Galera cluster of
//! `docker/galera/cluster.sh` (nodes on 127.0.0.1:3307, 3308 and 3309).

use std::path::Path;
use std::process::Command;

/// What to do with the cluster.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(crate) enum Action {
    /// Start every node (idempotent) and wait until all three are synced.
    Up,
    /// Stop every node.
    Down,
    /// Each node's process, cluster size and state.
    Status,
}

pub(crate) fn run(root: &Path, action: Action) -> Result<(), String> {
    let script = root.join("docker/galera/cluster.sh");
    let verb = match action {
        Action::Up => "start",
        Action::Down => "stop",
        Action::Status => "status",
    };
    let status = Command::new("bash")
        .arg(&script)
        .arg(verb)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    if status.success() { Ok(()) } else { Err(format!("{} {verb} failed ({status})", script.display())) }
}
