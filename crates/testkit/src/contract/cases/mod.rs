//! `CaseRepo`: `cases`, `case_procedure_codes`, `case_documents`.
//!
//! Assumed where the trait is silent: a case's codes come in `seq` order and its documents by
//! `document_type`; `phi_encrypted` is the store's business (not compared); an UPDATE of an
//! unknown case writes nothing and is not an error; replacing codes or putting documents of an
//! unknown case is `Reference` (foreign key), unless there is nothing to insert.

mod bulk;
mod list;
mod write;

pub use bulk::*;
pub use list::*;
pub use write::*;

use surgicase_kernel::{CaseId, CaseStatus};
use surgicase_ports::Conn;
use surgicase_ports::records::{Case, CaseView};

/// The record, or a panic.
async fn view(c: &mut Box<dyn Conn>, id: &CaseId, describe: Option<CaseStatus>) -> CaseView {
    c.get_case_view(id, describe, None).await.unwrap().unwrap_or_else(|| panic!("case {id} not found"))
}

/// `expected` with the store's `phi_encrypted` (not part of the contract).
fn like_stored(expected: Case, stored: &Case) -> Case {
    Case { phi_encrypted: stored.phi_encrypted, ..expected }
}
