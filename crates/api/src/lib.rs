//! The HTTP shell (actix-web) and the surgicase-api command line.
//!
//! No business rule lives here: handlers read the request through the extractors
//! ([`QueryParams`], [`JsonBody`] and its [`Fields`] reader), identify the caller
//! ([`identity::identify`]), call a use case, and answer with [`respond`] or an [`ApiError`].
//! Every route is listed once in [`routes::ROUTES`].

pub mod body;
pub mod cli;
pub mod cors;
pub mod dto;
pub mod errors;
pub mod fallback;
pub mod fields;
pub mod handlers;
pub mod identity;
pub mod jwt;
pub mod observability;
pub mod openapi;
pub mod query;
pub mod request_id;
pub mod respond;
pub mod routes;
pub mod schema;
pub mod server;
pub mod state;
pub mod transport;
pub mod valid;
pub mod zip_stream;

#[cfg(test)]
mod tests;

pub use body::{Json, JsonBody, OptionalJsonBody, RawBody};
pub use errors::{ApiError, ApiResult};
pub use fields::Fields;
pub use identity::{Authed, Authenticator, Caller, TokenVerifier, UserIdRole};
pub use query::{Page, PageQuery, Query, QueryParams};
pub use request_id::RequestId;
pub use routes::{Access, BodyLimit, Method, Route};
pub use state::{AppState, Settings};
pub use valid::Valid;
