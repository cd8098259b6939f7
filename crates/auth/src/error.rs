//! What can go wrong verifying a token, split by what the HTTP shell answers.

use std::fmt;

/// Why a token was refused. The text is short and never contains the token or claim values,
/// so it can be logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidReason {
    /// Not three base64url parts with a JSON header and payload, or too long.
    Malformed,
    /// The header's `alg` is not RS256 (includes `none` and HS256).
    AlgorithmNotAllowed,
    /// The header carries `crit` extensions, which we do not understand.
    CriticalHeader,
    /// The header has no `kid`.
    MissingKid,
    /// No key of the JWKS has the token's `kid`, even after a refresh.
    UnknownKid,
    /// The signature does not verify with the key.
    BadSignature,
    /// A required claim is missing or has the wrong type.
    MissingClaim(&'static str),
    /// `exp` is past (beyond the leeway).
    Expired,
    /// `nbf` or `iat` is in the future (beyond the leeway).
    NotYetValid,
    WrongIssuer,
    WrongTokenUse,
    /// Neither `client_id` nor `aud` names an accepted client.
    WrongAudience,
}

impl fmt::Display for InvalidReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed => f.write_str("malformed token"),
            Self::AlgorithmNotAllowed => f.write_str("algorithm not allowed"),
            Self::CriticalHeader => f.write_str("unsupported critical header"),
            Self::MissingKid => f.write_str("no kid in header"),
            Self::UnknownKid => f.write_str("unknown kid"),
            Self::BadSignature => f.write_str("bad signature"),
            Self::MissingClaim(claim) => write!(f, "missing or invalid claim {claim}"),
            Self::Expired => f.write_str("expired"),
            Self::NotYetValid => f.write_str("not yet valid"),
            Self::WrongIssuer => f.write_str("wrong issuer"),
            Self::WrongTokenUse => f.write_str("wrong token_use"),
            Self::WrongAudience => f.write_str("wrong client_id or aud"),
        }
    }
}

/// The result of a failed verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The token is not acceptable: 401 `invalid_token`.
    #[error("invalid token: {0}")]
    InvalidToken(InvalidReason),
    /// The JWKS could not be loaded, so no decision is possible: 503. Raised when no key set
    /// was ever loaded, or when a refresh forced by an unknown `kid` failed.
    #[error("signing keys unavailable: {0}")]
    KeysUnavailable(String),
}

impl AuthError {
    /// Whether the shell should answer 401 `invalid_token` (otherwise 503).
    pub fn is_invalid_token(&self) -> bool {
        matches!(self, Self::InvalidToken(_))
    }
}

impl From<InvalidReason> for AuthError {
    fn from(reason: InvalidReason) -> Self {
        Self::InvalidToken(reason)
    }
}

/// The settings cannot make a verifier (start-up error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("jwt settings: {0}")]
pub struct SetupError(pub String);
