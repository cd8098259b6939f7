//! The JOSE header, read by hand so that `alg: none`, HS256 and friends are refused with a
//! precise reason before any key is looked at.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use crate::error::InvalidReason;

/// Tokens longer than this are refused unread (Cognito tokens are a few KiB).
pub(crate) const MAX_TOKEN_BYTES: usize = 16 * 1024;

#[derive(Debug, Deserialize)]
struct RawHeader {
    alg: Option<String>,
    kid: Option<String>,
    crit: Option<serde_json::Value>,
}

/// Checks the header and returns the `kid`.
pub(crate) fn checked_kid(token: &str) -> Result<String, InvalidReason> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(InvalidReason::Malformed);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(_payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(InvalidReason::Malformed);
    };
    let bytes = URL_SAFE_NO_PAD.decode(header).map_err(|_| InvalidReason::Malformed)?;
    let raw: RawHeader = serde_json::from_slice(&bytes).map_err(|_| InvalidReason::Malformed)?;
    if raw.alg.as_deref() != Some("RS256") {
        return Err(InvalidReason::AlgorithmNotAllowed);
    }
    if raw.crit.is_some() {
        return Err(InvalidReason::CriticalHeader);
    }
    match raw.kid {
        Some(kid) if !kid.is_empty() => Ok(kid),
        _ => Err(InvalidReason::MissingKid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token_with_header(header: &str) -> String {
        format!("{}.e30.c2ln", URL_SAFE_NO_PAD.encode(header))
    }

    #[test]
    fn only_rs256_with_a_kid_passes() {
        let table: &[(&str, Result<&str, InvalidReason>)] = &[
            (r#"{"alg":"RS256","kid":"k1"}"#, Ok("k1")),
            (r#"{"alg":"RS256","kid":"k1","typ":"JWT"}"#, Ok("k1")),
            (r#"{"alg":"none","kid":"k1"}"#, Err(InvalidReason::AlgorithmNotAllowed)),
            (r#"{"alg":"HS256","kid":"k1"}"#, Err(InvalidReason::AlgorithmNotAllowed)),
            (r#"{"alg":"rs256","kid":"k1"}"#, Err(InvalidReason::AlgorithmNotAllowed)),
            (r#"{"alg":"RS512","kid":"k1"}"#, Err(InvalidReason::AlgorithmNotAllowed)),
            (r#"{"kid":"k1"}"#, Err(InvalidReason::AlgorithmNotAllowed)),
            (r#"{"alg":"RS256"}"#, Err(InvalidReason::MissingKid)),
            (r#"{"alg":"RS256","kid":""}"#, Err(InvalidReason::MissingKid)),
            (r#"{"alg":"RS256","kid":"k1","crit":["b64"]}"#, Err(InvalidReason::CriticalHeader)),
            (r#"{"alg":"RS256","kid":7}"#, Err(InvalidReason::Malformed)),
            ("not json", Err(InvalidReason::Malformed)),
        ];
        for (header, expected) in table {
            let got = checked_kid(&token_with_header(header));
            assert_eq!(got.as_deref().map_err(Clone::clone), expected.clone(), "{header}");
        }
    }

    #[test]
    fn shape_and_size_are_checked() {
        let good = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","kid":"k"}"#);
        let table: Vec<(String, bool)> = vec![
            (format!("{good}.e30.c2ln"), true),
            (format!("{good}.e30"), false),
            (format!("{good}.e30.c2ln.x"), false),
            ("%%%.e30.c2ln".to_owned(), false),
            (format!("{good}.e30.{}", "A".repeat(MAX_TOKEN_BYTES)), false),
        ];
        for (token, ok) in table {
            assert_eq!(checked_kid(&token).is_ok(), ok, "{}", &token[..token.len().min(60)]);
        }
    }
}
