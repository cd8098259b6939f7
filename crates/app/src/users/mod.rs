//! User use cases (domain §4, §13; api.md §3).

mod checks;
mod create;
mod delete;
mod documents;
mod environment;
mod list;
mod profile_documents;
mod read;
mod read_only;
mod update;

pub use create::{Registrar, UserCreated};
pub use delete::UserDeleted;
pub use environment::UserEnvironment;
pub use list::UserList;
pub use read::UserDetails;
pub use read_only::READ_ONLY_FIELDS;
pub use update::UserUpdated;
