//! The SurgiCase scheduler service (see `surgicase-scheduler --help`).

fn main() -> std::process::ExitCode {
    surgicase_scheduler::cli::main()
}
