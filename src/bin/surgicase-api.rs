//! The SurgiCase API service (see `surgicase-api --help`).

fn main() -> std::process::ExitCode {
    surgicase_api::cli::main()
}
