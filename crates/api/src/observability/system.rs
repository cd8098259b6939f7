//! Process figures for `/metrics/system`, read from `/proc/self` (Linux). Elsewhere, or when a
//! file cannot be read, a figure is `None` (`null` in the answer).

use std::fs;

/// Clock ticks per second of `/proc/<pid>/stat` (USER_HZ, 100 on every Linux we run on).
const TICKS_PER_SECOND: f64 = 100.0;

/// What the process uses.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ProcessFigures {
    pub rss_bytes: Option<u64>,
    pub cpu_seconds: Option<f64>,
    pub open_fds: Option<u64>,
    pub threads: Option<u64>,
}

/// A `Key:   value kB` field of `/proc/self/status`, as a number (the unit is dropped).
pub fn status_field(status: &str, key: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// User plus system CPU time from `/proc/self/stat` (fields 14 and 15, after the command name,
/// which may itself contain spaces and parentheses).
pub fn cpu_seconds(stat: &str) -> Option<f64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state): utime is field 14, stime field 15.
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / TICKS_PER_SECOND)
}

/// The figures now.
pub fn read() -> ProcessFigures {
    let status = fs::read_to_string("/proc/self/status").ok();
    ProcessFigures {
        rss_bytes: status.as_deref().and_then(|s| status_field(s, "VmRSS")).map(|kb| kb * 1024),
        threads: status.as_deref().and_then(|s| status_field(s, "Threads")),
        cpu_seconds: fs::read_to_string("/proc/self/stat").ok().as_deref().and_then(cpu_seconds),
        open_fds: fs::read_dir("/proc/self/fd").ok().map(|d| d.count() as u64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_files_are_parsed() {
        let status = "Name:\tsurgicase-api\nVmRSS:\t   20480 kB\nThreads:\t9\n";
        assert_eq!(status_field(status, "VmRSS"), Some(20480));
        assert_eq!(status_field(status, "Threads"), Some(9));
        assert_eq!(status_field(status, "VmSwap"), None);
        let stat = "4242 (odd (name) x) S 1 4242 4242 0 -1 4194560 2000 0 0 0 250 150 0 0 20 0 9 0 100 0 0";
        assert_eq!(cpu_seconds(stat), Some(4.0));
        assert_eq!(cpu_seconds("garbage"), None);
    }

    #[test]
    fn this_process_has_figures_on_linux() {
        let figures = read();
        if cfg!(target_os = "linux") {
            assert!(figures.rss_bytes.is_some_and(|b| b > 0));
            assert!(figures.threads.is_some_and(|t| t >= 1));
            assert!(figures.open_fds.is_some_and(|n| n >= 1));
            assert!(figures.cpu_seconds.is_some());
        }
    }
}
