//! User use cases (domain §4, §13; api.md §3).

mod checks;
mod create;
mod delete;
mod documents;
mod environment;
mod patch;
mod read;
mod update;

pub use create::{Registrar, UserCreated};
pub use delete::UserDeleted;
pub use environment::UserEnvironment;
pub use read::UserDetails;
pub use update::UserUpdated;
