//! The claim rules of api.md §1.2, on a payload whose signature has already been verified.

use serde_json::Value;

use crate::error::InvalidReason;

/// What the claims must say (borrowed from the settings).
pub(crate) struct ClaimRules<'a> {
    pub issuer: &'a str,
    pub token_use: &'a str,
    pub client_ids: &'a [String],
    pub user_id_claim: &'a str,
    pub leeway_s: f64,
}

/// Checks the claims at `now_s` (seconds since the epoch) and returns the user id.
pub(crate) fn check_claims(
    claims: &Value,
    rules: &ClaimRules<'_>,
    now_s: f64,
) -> Result<String, InvalidReason> {
    if string_claim(claims, "iss")? != rules.issuer {
        return Err(InvalidReason::WrongIssuer);
    }
    let token_use = string_claim(claims, "token_use")?;
    if token_use != rules.token_use {
        return Err(InvalidReason::WrongTokenUse);
    }
    check_audience(claims, token_use, rules.client_ids)?;
    check_times(claims, now_s, rules.leeway_s)?;
    match claims.get(rules.user_id_claim) {
        Some(Value::String(id)) if !id.trim().is_empty() => Ok(id.clone()),
        _ => Err(InvalidReason::MissingClaim("user id")),
    }
}

fn string_claim<'v>(claims: &'v Value, name: &'static str) -> Result<&'v str, InvalidReason> {
    claims.get(name).and_then(Value::as_str).ok_or(InvalidReason::MissingClaim(name))
}

/// Cognito access tokens name their client in `client_id` and have no `aud`; id tokens use
/// `aud`. Any other `token_use` may use either.
fn check_audience(claims: &Value, token_use: &str, client_ids: &[String]) -> Result<(), InvalidReason> {
    let accepted = |v: &str| client_ids.iter().any(|c| c == v);
    let client_id = || claims.get("client_id").and_then(Value::as_str);
    let audiences = || -> Vec<&str> {
        match claims.get("aud") {
            Some(Value::String(one)) => vec![one.as_str()],
            Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    };
    let ok = match token_use {
        "access" => client_id().is_some_and(accepted),
        "id" => audiences().into_iter().any(accepted),
        _ => client_id().is_some_and(accepted) || audiences().into_iter().any(accepted),
    };
    if ok { Ok(()) } else { Err(InvalidReason::WrongAudience) }
}

fn check_times(claims: &Value, now_s: f64, leeway_s: f64) -> Result<(), InvalidReason> {
    let time = |name: &'static str| -> Result<Option<f64>, InvalidReason> {
        match claims.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_f64().map(Some).ok_or(InvalidReason::MissingClaim(name)),
        }
    };
    let exp = time("exp")?.ok_or(InvalidReason::MissingClaim("exp"))?;
    if now_s > exp + leeway_s {
        return Err(InvalidReason::Expired);
    }
    for name in ["nbf", "iat"] {
        if time(name)?.is_some_and(|t| t > now_s + leeway_s) {
            return Err(InvalidReason::NotYetValid);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NOW: f64 = 1_750_000_000.0;

    fn rules<'a>(token_use: &'a str, clients: &'a [String]) -> ClaimRules<'a> {
        ClaimRules {
            issuer: "https://idp",
            token_use,
            client_ids: clients,
            user_id_claim: "sub",
            leeway_s: 60.0,
        }
    }

    fn access(patch: Value) -> Value {
        let mut claims = json!({
            "iss": "https://idp", "token_use": "access", "client_id": "app",
            "sub": "u-1", "exp": NOW + 300.0, "iat": NOW - 10.0,
        });
        if let (Some(base), Value::Object(extra)) = (claims.as_object_mut(), patch) {
            base.extend(extra);
        }
        claims
    }

    #[test]
    fn access_token_rules() {
        let clients = vec!["app".to_owned(), "other".to_owned()];
        let table: Vec<(Value, Result<&str, InvalidReason>)> = vec![
            (json!({}), Ok("u-1")),
            (json!({"client_id": "other"}), Ok("u-1")),
            (json!({"client_id": "nope"}), Err(InvalidReason::WrongAudience)),
            (json!({"client_id": null, "aud": "app"}), Err(InvalidReason::WrongAudience)),
            (json!({"iss": "https://idp/"}), Err(InvalidReason::WrongIssuer)),
            (json!({"iss": null}), Err(InvalidReason::MissingClaim("iss"))),
            (json!({"token_use": "id"}), Err(InvalidReason::WrongTokenUse)),
            (json!({"token_use": 1}), Err(InvalidReason::MissingClaim("token_use"))),
            (json!({"exp": NOW - 61.0}), Err(InvalidReason::Expired)),
            (json!({"exp": NOW - 59.0}), Ok("u-1")),
            (json!({"exp": NOW - 59.5}), Ok("u-1")),
            (json!({"exp": null}), Err(InvalidReason::MissingClaim("exp"))),
            (json!({"exp": "soon"}), Err(InvalidReason::MissingClaim("exp"))),
            (json!({"nbf": NOW + 61.0}), Err(InvalidReason::NotYetValid)),
            (json!({"nbf": NOW + 59.0}), Ok("u-1")),
            (json!({"iat": NOW + 61.0}), Err(InvalidReason::NotYetValid)),
            (json!({"iat": "x"}), Err(InvalidReason::MissingClaim("iat"))),
            (json!({"sub": ""}), Err(InvalidReason::MissingClaim("user id"))),
            (json!({"sub": 42}), Err(InvalidReason::MissingClaim("user id"))),
            (json!({"sub": null}), Err(InvalidReason::MissingClaim("user id"))),
        ];
        for (patch, expected) in table {
            let claims = access(patch.clone());
            let got = check_claims(&claims, &rules("access", &clients), NOW);
            assert_eq!(got.as_deref().map_err(Clone::clone), expected, "{patch}");
        }
    }

    #[test]
    fn id_token_uses_aud() {
        let clients = vec!["app".to_owned()];
        let base = json!({"token_use": "id", "client_id": null});
        let table: Vec<(Value, bool)> = vec![
            (json!({"aud": "app"}), true),
            (json!({"aud": ["x", "app"]}), true),
            (json!({"aud": "x"}), false),
            (json!({"aud": []}), false),
            (json!({"client_id": "app"}), false),
        ];
        for (patch, ok) in table {
            let mut claims = access(base.clone());
            if let (Some(c), Value::Object(extra)) = (claims.as_object_mut(), patch.clone()) {
                c.extend(extra);
            }
            let got = check_claims(&claims, &rules("id", &clients), NOW);
            assert_eq!(got.is_ok(), ok, "{patch} → {got:?}");
        }
    }

    #[test]
    fn the_user_id_claim_is_configurable() {
        let clients = vec!["app".to_owned()];
        let claims = access(json!({"cognito:username": "jane"}));
        let custom = ClaimRules { user_id_claim: "cognito:username", ..rules("access", &clients) };
        assert_eq!(check_claims(&claims, &custom, NOW), Ok("jane".to_owned()));
        let missing = ClaimRules { user_id_claim: "email", ..rules("access", &clients) };
        assert_eq!(check_claims(&claims, &missing, NOW), Err(InvalidReason::MissingClaim("user id")));
    }
}
