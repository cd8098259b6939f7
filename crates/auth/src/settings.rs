//! What the verifier is told: issuer, key source, accepted clients and tolerances.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::Url;

use crate::error::SetupError;

/// Where the JSON Web Key Set comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwksSource {
    /// A JWKS JSON file on disk (re-read on refresh).
    File(PathBuf),
    /// A JWKS URL, e.g. `https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json`.
    Url(Url),
}

impl JwksSource {
    /// `http://…` or `https://…` is a URL; anything else a file path (the form of
    /// `auth.jwt.jwks` in the configuration).
    pub fn parse(raw: &str) -> Result<Self, SetupError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(SetupError("the JWKS location is empty".to_owned()));
        }
        let lower = raw.to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            let url = Url::parse(raw).map_err(|e| SetupError(format!("the JWKS URL is invalid: {e}")))?;
            Ok(Self::Url(url))
        } else {
            Ok(Self::File(PathBuf::from(raw)))
        }
    }

    /// The JWKS URL of a Cognito user pool: `<issuer>/.well-known/jwks.json`.
    pub fn cognito(issuer: &str) -> Result<Self, SetupError> {
        Self::parse(&format!("{}/.well-known/jwks.json", issuer.trim_end_matches('/')))
    }
}

/// The verifier's settings (`auth.jwt.*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtSettings {
    /// Required `iss`, compared exactly.
    pub issuer: String,
    pub jwks: JwksSource,
    /// Accepted `client_id` (access tokens) or `aud` (id tokens) values.
    pub client_ids: Vec<String>,
    /// Required `token_use` (`access` or `id` for Cognito).
    pub token_use: String,
    /// The claim naming the user (`sub` by default).
    pub user_id_claim: String,
    /// Clock skew tolerated on `exp`, `nbf` and `iat`.
    pub leeway: Duration,
    /// Minimum time between two JWKS loads caused by an unknown `kid`.
    pub refresh_min: Duration,
}

impl JwtSettings {
    /// Settings with the api.md defaults: `token_use = "access"`, `user_id_claim = "sub"`,
    /// 60 s leeway, JWKS refreshed at most once a minute.
    pub fn new(issuer: impl Into<String>, jwks: JwksSource, client_ids: Vec<String>) -> Self {
        Self {
            issuer: issuer.into(),
            jwks,
            client_ids,
            token_use: "access".to_owned(),
            user_id_claim: "sub".to_owned(),
            leeway: Duration::from_secs(60),
            refresh_min: Duration::from_secs(60),
        }
    }

    pub(crate) fn check(&self) -> Result<(), SetupError> {
        let empty = |what: &str| Err(SetupError(format!("{what} must not be empty")));
        if self.issuer.trim().is_empty() {
            return empty("the issuer");
        }
        if self.client_ids.is_empty() || self.client_ids.iter().any(|c| c.trim().is_empty()) {
            return empty("the client id list (and each client id)");
        }
        if self.token_use.trim().is_empty() {
            return empty("token_use");
        }
        if self.user_id_claim.trim().is_empty() {
            return empty("the user id claim");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwks_location_is_a_url_or_a_path() {
        let table: &[(&str, Option<bool>)] = &[
            ("https://example.com/.well-known/jwks.json", Some(true)),
            ("HTTP://localhost:9000/jwks", Some(true)),
            ("/etc/surgicase/jwks.json", Some(false)),
            ("jwks.json", Some(false)),
            ("", None),
            ("   ", None),
            ("https://", None),
        ];
        for (raw, expected) in table {
            let got = JwksSource::parse(raw).ok().map(|s| matches!(s, JwksSource::Url(_)));
            assert_eq!(got, *expected, "{raw:?}");
        }
    }

    #[test]
    fn cognito_jwks_url_is_under_the_issuer() {
        let source = JwksSource::cognito("https://cognito-idp.us-east-1.amazonaws.com/pool_x/").unwrap();
        assert_eq!(
            source,
            JwksSource::Url(
                Url::parse("https://cognito-idp.us-east-1.amazonaws.com/pool_x/.well-known/jwks.json")
                    .unwrap()
            )
        );
    }

    #[test]
    fn settings_need_issuer_clients_token_use_and_claim() {
        let good = JwtSettings::new("iss", JwksSource::File("k.json".into()), vec!["c".into()]);
        assert!(good.check().is_ok());
        let mut table = Vec::new();
        table.push(JwtSettings { issuer: " ".into(), ..good.clone() });
        table.push(JwtSettings { client_ids: vec![], ..good.clone() });
        table.push(JwtSettings { client_ids: vec!["".into()], ..good.clone() });
        table.push(JwtSettings { token_use: "".into(), ..good.clone() });
        table.push(JwtSettings { user_id_claim: "".into(), ..good.clone() });
        for bad in table {
            assert!(bad.check().is_err(), "{bad:?}");
        }
    }
}
