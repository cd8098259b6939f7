//! The JSON Web Key Set: parsing, loading from a file or URL, and the in-memory cache that
//! reloads on an unknown `kid` at most once per `refresh_min`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::DecodingKey;
use serde::Deserialize;
use surgicase_kernel::{Clock, Timestamp};
use tokio::sync::{Mutex, RwLock};

use crate::error::{AuthError, InvalidReason};
use crate::settings::JwksSource;

/// Time allowed for one JWKS download.
pub(crate) const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// A key set larger than this is refused (Cognito's has two keys, under 2 KiB).
const MAX_JWKS_BYTES: usize = 1024 * 1024;

pub(crate) type Keys = HashMap<String, Arc<DecodingKey>>;

#[derive(Deserialize)]
struct RawJwks {
    keys: Vec<RawJwk>,
}

#[derive(Deserialize)]
struct RawJwk {
    kty: Option<String>,
    kid: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    usage: Option<String>,
    n: Option<String>,
    e: Option<String>,
}

/// The RS256 signing keys of a JWKS document, by `kid`. Keys of other types, algorithms or
/// uses are skipped; a set without any usable key is an error.
pub(crate) fn parse_jwks(bytes: &[u8]) -> Result<Keys, String> {
    let raw: RawJwks = serde_json::from_slice(bytes).map_err(|e| format!("JWKS is not valid JSON: {e}"))?;
    let mut keys = Keys::new();
    for jwk in raw.keys {
        let usable = jwk.kty.as_deref() == Some("RSA")
            && jwk.alg.as_deref().is_none_or(|a| a == "RS256")
            && jwk.usage.as_deref().is_none_or(|u| u == "sig");
        let (Some(kid), Some(n), Some(e), true) = (jwk.kid, jwk.n, jwk.e, usable) else {
            continue;
        };
        if let Ok(key) = DecodingKey::from_rsa_components(&n, &e) {
            keys.insert(kid, Arc::new(key));
        }
    }
    if keys.is_empty() {
        return Err("JWKS has no usable RS256 signing key".to_owned());
    }
    Ok(keys)
}

/// Reads the key set from its source.
pub(crate) struct KeyLoader {
    source: JwksSource,
    http: reqwest::Client,
}

impl KeyLoader {
    pub(crate) fn new(source: JwksSource, http: reqwest::Client) -> Self {
        Self { source, http }
    }

    async fn load(&self) -> Result<Keys, String> {
        let bytes = match &self.source {
            JwksSource::File(path) => {
                tokio::fs::read(path).await.map_err(|e| format!("cannot read the JWKS file: {e}"))?
            }
            JwksSource::Url(url) => {
                let response = self
                    .http
                    .get(url.clone())
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .map_err(|e| format!("cannot fetch the JWKS: {e}"))?;
                if response.content_length().is_some_and(|n| n > MAX_JWKS_BYTES as u64) {
                    return Err("the JWKS is too large".to_owned());
                }
                let body = response.bytes().await.map_err(|e| format!("cannot read the JWKS: {e}"))?;
                body.to_vec()
            }
        };
        if bytes.len() > MAX_JWKS_BYTES {
            return Err("the JWKS is too large".to_owned());
        }
        parse_jwks(&bytes)
    }
}

#[derive(Default)]
struct State {
    keys: Keys,
    /// Whether a key set was ever loaded.
    loaded: bool,
    /// When the last load was attempted (successful or not).
    last_attempt: Option<Timestamp>,
}

/// The cached key set.
pub(crate) struct KeyCache {
    loader: KeyLoader,
    refresh_min: chrono::Duration,
    clock: Arc<dyn Clock>,
    state: RwLock<State>,
    /// Serialises loads, so concurrent requests with a new `kid` cause one download.
    loading: Mutex<()>,
}

impl KeyCache {
    pub(crate) fn new(loader: KeyLoader, refresh_min: Duration, clock: Arc<dyn Clock>) -> Self {
        Self {
            loader,
            refresh_min: chrono::Duration::from_std(refresh_min).unwrap_or(chrono::Duration::MAX),
            clock,
            state: RwLock::new(State::default()),
            loading: Mutex::new(()),
        }
    }

    /// The key named `kid`, reloading the set once if it is unknown and the last attempt is
    /// at least `refresh_min` old.
    pub(crate) async fn key(&self, kid: &str) -> Result<Arc<DecodingKey>, AuthError> {
        if let Some(key) = self.state.read().await.keys.get(kid) {
            return Ok(key.clone());
        }
        let _loading = self.loading.lock().await;
        let (loaded, recent) = {
            let state = self.state.read().await;
            if let Some(key) = state.keys.get(kid) {
                // Another request loaded it while we waited.
                return Ok(key.clone());
            }
            let now = self.clock.now();
            let recent = state.last_attempt.is_some_and(|at| now >= at && now - at < self.refresh_min);
            (state.loaded, recent)
        };
        if recent {
            return Err(if loaded {
                AuthError::InvalidToken(InvalidReason::UnknownKid)
            } else {
                AuthError::KeysUnavailable("the JWKS was never loaded; retry later".to_owned())
            });
        }
        self.load_locked().await?;
        match self.state.read().await.keys.get(kid) {
            Some(key) => Ok(key.clone()),
            None => Err(AuthError::InvalidToken(InvalidReason::UnknownKid)),
        }
    }

    /// Loads the set now, whatever the rate limit (start-up); returns the number of keys.
    pub(crate) async fn reload(&self) -> Result<usize, AuthError> {
        let _loading = self.loading.lock().await;
        self.load_locked().await
    }

    /// Must be called holding `loading`. On failure the previous keys stay in use.
    async fn load_locked(&self) -> Result<usize, AuthError> {
        self.state.write().await.last_attempt = Some(self.clock.now());
        match self.loader.load().await {
            Ok(keys) => {
                let count = keys.len();
                let mut state = self.state.write().await;
                state.keys = keys;
                state.loaded = true;
                tracing::info!(keys = count, "JWKS loaded");
                Ok(count)
            }
            Err(why) => {
                tracing::warn!(error = %why, "JWKS load failed");
                Err(AuthError::KeysUnavailable(why))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A real 2048-bit modulus is not needed to exercise the filters: any base64url works.
    const N: &str = "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw";

    #[test]
    fn only_rs256_signing_keys_are_kept() {
        let doc = serde_json::json!({"keys": [
            {"kty": "RSA", "kid": "a", "alg": "RS256", "use": "sig", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "b", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "enc", "use": "enc", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "ps", "alg": "PS256", "n": N, "e": "AQAB"},
            {"kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"},
            {"kty": "RSA", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "no-n", "e": "AQAB"},
            {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"}
        ]});
        let keys = parse_jwks(doc.to_string().as_bytes()).unwrap();
        let mut kids: Vec<&str> = keys.keys().map(String::as_str).collect();
        kids.sort_unstable();
        assert_eq!(kids, ["a", "b"]);
    }

    #[test]
    fn a_set_without_usable_keys_is_refused() {
        let table =
            [r#"{"keys": []}"#, r#"{"keys": [{"kty": "oct", "kid": "h", "k": "c2VjcmV0"}]}"#, "{}", "nope"];
        for doc in table {
            assert!(parse_jwks(doc.as_bytes()).is_err(), "{doc}");
        }
    }
}
