//! Bearer-token verification for `auth.mode = "jwt"` (api.md §1.2), AWS Cognito style.
//!
//! [`JwtVerifier::verify`] accepts a token only when it is signed RS256 by a key of the
//! configured JWKS (chosen by `kid`), comes from the configured issuer, has the configured
//! `token_use`, names an accepted client (`client_id` for access tokens, `aud` for id tokens),
//! is inside its validity window (with leeway) and carries the user id claim.
//!
//! Error mapping for the HTTP shell:
//! - [`AuthError::InvalidToken`] → 401 `invalid_token` with
//!   `WWW-Authenticate: Bearer error="invalid_token"`; its [`InvalidReason`] is a short,
//!   non-secret text for logs (never echo the token).
//! - [`AuthError::KeysUnavailable`] → 503 (the signing keys could not be loaded at all, so the
//!   token can be neither accepted nor refused).
//!
//! The JWKS is the one process cache allowed here: keys, not data. It is loaded on first use
//! (or by [`JwtVerifier::load_keys`] at start-up) and reloaded when a token names an unknown
//! `kid`, at most once per `refresh_min`.

mod claims;
mod error;
mod header;
mod jwks;
mod settings;
mod verifier;

pub use error::{AuthError, InvalidReason, SetupError};
pub use settings::{JwksSource, JwtSettings};
pub use verifier::{JwtVerifier, VerifiedToken};
