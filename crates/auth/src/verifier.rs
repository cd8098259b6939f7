//! The verifier: header, key, signature, then claims.

use std::sync::Arc;

use jsonwebtoken::{Algorithm, Validation};
use surgicase_kernel::{Clock, SystemClock};

use crate::claims::{ClaimRules, check_claims};
use crate::error::{AuthError, InvalidReason, SetupError};
use crate::header::checked_kid;
use crate::jwks::{FETCH_TIMEOUT, KeyCache, KeyLoader};
use crate::settings::JwtSettings;

/// An accepted token.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedToken {
    /// The value of the configured user id claim.
    pub user_id: String,
    /// All claims of the payload.
    pub claims: serde_json::Value,
}

/// Verifies bearer tokens against one issuer and key set. Cheap to share (`Arc`).
pub struct JwtVerifier {
    settings: JwtSettings,
    keys: KeyCache,
    clock: Arc<dyn Clock>,
    /// Signature only: the claim rules are ours (`check_claims`), so they read the same clock.
    signature_only: Validation,
}

impl std::fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtVerifier")
            .field("issuer", &self.settings.issuer)
            .field("token_use", &self.settings.token_use)
            .finish_non_exhaustive()
    }
}

impl JwtVerifier {
    /// A verifier on the system clock. Does no I/O: keys are loaded on first use, or by
    /// [`JwtVerifier::load_keys`].
    pub fn new(settings: JwtSettings) -> Result<Self, SetupError> {
        Self::with_clock(settings, Arc::new(SystemClock))
    }

    /// A verifier reading time (token validity and the refresh rate limit) from `clock`.
    pub fn with_clock(settings: JwtSettings, clock: Arc<dyn Clock>) -> Result<Self, SetupError> {
        settings.check()?;
        let http = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .build()
            .map_err(|e| SetupError(format!("cannot build the HTTP client: {e}")))?;
        let loader = KeyLoader::new(settings.jwks.clone(), http);
        let keys = KeyCache::new(loader, settings.refresh_min, clock.clone());
        let mut signature_only = Validation::new(Algorithm::RS256);
        signature_only.required_spec_claims.clear();
        signature_only.validate_exp = false;
        signature_only.validate_nbf = false;
        signature_only.validate_aud = false;
        Ok(Self { settings, keys, clock, signature_only })
    }

    /// Loads the key set now (start-up), whatever the refresh rate limit; returns the number
    /// of usable keys.
    pub async fn load_keys(&self) -> Result<usize, AuthError> {
        self.keys.reload().await
    }

    /// Verifies a bearer token (without the `Bearer ` prefix).
    pub async fn verify(&self, token: &str) -> Result<VerifiedToken, AuthError> {
        let kid = checked_kid(token)?;
        let key = self.keys.key(&kid).await?;
        let data = jsonwebtoken::decode::<serde_json::Value>(token, &key, &self.signature_only)
            .map_err(|e| AuthError::InvalidToken(decode_reason(&e)))?;
        let rules = ClaimRules {
            issuer: &self.settings.issuer,
            token_use: &self.settings.token_use,
            client_ids: &self.settings.client_ids,
            user_id_claim: &self.settings.user_id_claim,
            leeway_s: self.settings.leeway.as_secs_f64(),
        };
        let now = self.clock.now();
        let now_s = now.timestamp() as f64 + f64::from(now.timestamp_subsec_micros()) / 1e6;
        let user_id = check_claims(&data.claims, &rules, now_s)?;
        Ok(VerifiedToken { user_id, claims: data.claims })
    }
}

fn decode_reason(error: &jsonwebtoken::errors::Error) -> InvalidReason {
    use jsonwebtoken::errors::ErrorKind;
    match error.kind() {
        ErrorKind::InvalidSignature => InvalidReason::BadSignature,
        ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => InvalidReason::AlgorithmNotAllowed,
        _ => InvalidReason::Malformed,
    }
}
