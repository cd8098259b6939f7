//! The `surgicase-api` command line.
//!
//! - `surgicase-api` / `surgicase-api serve`: serve the API.
//! - `surgicase-api config`: print the effective configuration, secrets masked.
//! - `surgicase-api admin create-user --user-id … --email … --user-type … [--first-name …] [--last-name …]`.
//!
//! Exit status: 0 success, 1 runtime failure, 2 bad usage or bad configuration.

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use surgicase_config::{AuthMode, Config};

use std::sync::Arc;

use surgicase_app::AppError;
use surgicase_app::users::Registrar;
use surgicase_runtime::{StartOptions, start};
use surgicase_users::{ProfileField, ProfileInput};

use crate::identity::Authenticator;
use crate::state::{AppState, Settings};
use crate::{jwt, server};
use surgicase_runtime::telemetry;

/// The arguments.
#[derive(Debug, Parser)]
#[command(name = "surgicase-api", version, about = "SurgiCase HTTP API")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand, PartialEq, Eq)]
pub enum Command {
    /// Serve the API (the default).
    Serve,
    /// Print the effective configuration (secrets masked).
    Config,
    /// Administration tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand, PartialEq, Eq)]
pub enum AdminCommand {
    /// Create a user (e.g. the first administrator).
    CreateUser(CreateUserArgs),
}

#[derive(Debug, Args, PartialEq, Eq)]
pub struct CreateUserArgs {
    #[arg(long)]
    pub user_id: String,
    #[arg(long)]
    pub email: String,
    /// The `user_type` (1 provider, 10 case admin, 20 user admin, 100 global admin, 999 system admin).
    #[arg(long)]
    pub user_type: i64,
    #[arg(long)]
    pub first_name: Option<String>,
    #[arg(long)]
    pub last_name: Option<String>,
}

/// Entry point of the `surgicase-api` binary.
pub fn main() -> ExitCode {
    run(Cli::parse())
}

/// Runs one command.
pub fn run(cli: Cli) -> ExitCode {
    let config = match surgicase_config::load() {
        Ok(config) => config,
        Err(e) => return usage_error(&e.to_string()),
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::Config => {
            print!("{}", config.to_redacted_toml());
            ExitCode::SUCCESS
        }
        Command::Serve => serve(config),
        Command::Admin { command: AdminCommand::CreateUser(args) } => create_user(&config, &args),
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("surgicase-api: {message}");
    ExitCode::from(2)
}

fn failure(message: &str) -> ExitCode {
    eprintln!("surgicase-api: {message}");
    ExitCode::FAILURE
}

fn serve(config: Config) -> ExitCode {
    if let Err(e) = server::check_bind(&config) {
        return usage_error(&e);
    }
    if let Err(e) = telemetry::init(&config) {
        return usage_error(&e);
    }
    actix_web::rt::System::new().block_on(async move {
        let state = match build_state(&config).await {
            Ok(state) => state,
            Err(e) => return failure(&e),
        };
        match server::run(config, state).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                tracing::error!(error = %e, "the server failed");
                failure(&format!("cannot serve: {e}"))
            }
        }
    })
}

/// Opens the adapters named by `config`, prepares the database, and builds the state.
async fn build_state(config: &Config) -> Result<AppState, String> {
    let authenticator = match config.auth.mode {
        AuthMode::UserId => Authenticator::UserId,
        AuthMode::Jwt => Authenticator::Jwt(Arc::new(jwt::verifier(config).await?)),
    };
    let runtime = start(config, StartOptions::from_config(config)).await.map_err(|e| e.to_string())?;
    let observability = crate::observability::Observability::for_runtime(config, &runtime);
    Ok(AppState::new(Settings::from_config(config), authenticator, runtime.app)
        .with_observability(observability))
}

/// `admin create-user`: how operators bootstrap the first administrator.
fn create_user(config: &Config, args: &CreateUserArgs) -> ExitCode {
    let input = ProfileInput::new(&args.user_id)
        .with(ProfileField::UserEmail, args.email.clone())
        .with(ProfileField::FirstName, args.first_name.clone().unwrap_or_else(|| args.user_id.clone()))
        .with(ProfileField::LastName, args.last_name.clone().unwrap_or_else(|| "Admin".to_owned()))
        .with(ProfileField::UserType, args.user_type);
    let outcome = actix_web::rt::System::new().block_on(async {
        let runtime = start(config, StartOptions::from_config(config)).await.map_err(|e| e.to_string())?;
        runtime.app.create_user(&Registrar::System { name: "surgicase-api admin" }, &input).await.map_err(
            |e| match e {
                AppError::Validation(errors) => {
                    let list: Vec<String> =
                        errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
                    list.join("; ")
                }
                other => other.detail(),
            },
        )
    });
    match outcome {
        Ok(created) => {
            println!(
                "created user {} (user_type {}, tier {}, max_case_status {})",
                created.user_id, created.user_type, created.user_tier, created.max_case_status
            );
            ExitCode::SUCCESS
        }
        Err(e) => failure(&format!("admin create-user {}: {e}", args.user_id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("surgicase-api").chain(args.iter().copied()))
    }

    #[test]
    fn commands() {
        assert_eq!(parse(&[]).expect("no command").command, None);
        assert_eq!(parse(&["serve"]).expect("serve").command, Some(Command::Serve));
        assert_eq!(parse(&["config"]).expect("config").command, Some(Command::Config));
        let cli = parse(&[
            "admin",
            "create-user",
            "--user-id",
            "admin1",
            "--email",
            "a@example.com",
            "--user-type",
            "999",
            "--first-name",
            "Ada",
        ])
        .expect("create-user");
        assert_eq!(
            cli.command,
            Some(Command::Admin {
                command: AdminCommand::CreateUser(CreateUserArgs {
                    user_id: "admin1".into(),
                    email: "a@example.com".into(),
                    user_type: 999,
                    first_name: Some("Ada".into()),
                    last_name: None,
                })
            })
        );
    }

    #[test]
    fn bad_usage_is_refused() {
        assert!(parse(&["admin", "create-user", "--user-id", "x"]).is_err(), "missing --email");
        assert!(
            parse(&["admin", "create-user", "--user-id", "x", "--email", "e", "--user-type", "ten"]).is_err()
        );
        assert!(parse(&["frobnicate"]).is_err());
    }
}
