//! Plugs `surgicase-auth`'s verifier into the shell's identity resolution (jwt mode).

use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use surgicase_auth::{JwksSource, JwtSettings, JwtVerifier};
use surgicase_config::Config;

use crate::identity::{TokenRejected, TokenVerifier};

/// The verifier `config.auth.jwt` describes, with its keys loaded.
pub async fn verifier(config: &Config) -> Result<Verifier, String> {
    let jwt = &config.auth.jwt;
    let source =
        JwksSource::parse(&jwt.jwks).map_err(|e| format!("configuration: key `auth.jwt.jwks`: {e}"))?;
    let settings = JwtSettings {
        issuer: jwt.issuer.clone(),
        jwks: source,
        client_ids: jwt.client_ids.clone(),
        token_use: jwt.token_use.clone(),
        user_id_claim: jwt.user_id_claim.clone(),
        leeway: Duration::from_secs(jwt.leeway_s),
        refresh_min: Duration::from_secs(jwt.jwks_refresh_min_s),
    };
    let verifier = JwtVerifier::new(settings).map_err(|e| format!("configuration: key `auth.jwt`: {e}"))?;
    // Keys are fetched once at start-up; a key set that cannot be loaded now is retried on
    // the first token, so a slow identity provider does not stop the service.
    if let Err(e) = verifier.load_keys().await {
        tracing::warn!(error = %e, "JWKS not loaded at start-up; will retry on the first token");
    }
    Ok(Verifier(verifier))
}

/// [`JwtVerifier`] as a [`TokenVerifier`].
pub struct Verifier(JwtVerifier);

impl TokenVerifier for Verifier {
    fn verify<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<String, TokenRejected>> {
        async move {
            self.0.verify(token).await.map(|verified| verified.user_id).map_err(|e| {
                tracing::info!(reason = %e, "bearer token refused");
                TokenRejected(e.to_string())
            })
        }
        .boxed()
    }
}
