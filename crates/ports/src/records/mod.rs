//! Records that cross the storage port: the stored shape of each table, with kernel value
//! types where the schema guarantees validity.
//!
//! Patient fields travel in clear text; the store's PHI codec decides how they are written
//! (`phi_encrypted`). The blind index travels as the domain's name key; the store turns it
//! into `patient_name_bidx`.

pub mod case;
pub mod dashboard;
pub mod directory;
pub mod history;
pub mod reference;
pub mod user;

pub use case::*;
pub use dashboard::*;
pub use directory::*;
pub use history::*;
pub use reference::*;
pub use user::*;
