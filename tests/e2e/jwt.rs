//! jwt mode against the real binary: tokens signed with a locally generated test key (the
//! fixture pair of `crates/auth/tests/fixtures`), verified through a JWKS file.

use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::server::{Backend, Server, decode};

const KEY: &[u8] = include_bytes!("../../crates/auth/tests/fixtures/key_a.pem");
const OTHER_KEY: &[u8] = include_bytes!("../../crates/auth/tests/fixtures/key_b.pem");
const ISSUER: &str = "https://idp.example.test/pool";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn sign(claims: &Value, pem: &[u8]) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("key-a".to_owned());
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_pem(pem).unwrap()).unwrap()
}

fn claims(patch: Value) -> Value {
    let mut base = json!({
        "iss": ISSUER, "token_use": "access", "client_id": "app-client", "sub": "u-jane",
        "iat": now() - 10, "exp": now() + 600,
    });
    if let (Some(map), Value::Object(extra)) = (base.as_object_mut(), patch) {
        map.extend(extra);
    }
    base
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_tokens_name_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let jwks_path = dir.path().join("jwks.json");
    let mut jwk = serde_json::to_value(
        Jwk::from_encoding_key(&EncodingKey::from_rsa_pem(KEY).unwrap(), Algorithm::RS256).unwrap(),
    )
    .unwrap();
    jwk["kid"] = json!("key-a");
    jwk["use"] = json!("sig");
    std::fs::write(&jwks_path, json!({ "keys": [jwk] }).to_string()).unwrap();
    let jwks = jwks_path.display().to_string();
    let s = Server::start_with(
        Backend::Sqlite,
        &[
            ("SURGICASE_AUTH_MODE", "jwt"),
            ("SURGICASE_AUTH__JWT__ISSUER", ISSUER),
            ("SURGICASE_AUTH__JWT__JWKS", &jwks),
            ("SURGICASE_AUTH__JWT__CLIENT_IDS", "[app-client]"),
        ],
    )
    .await;
    s.create_user("u-jane", 1);

    let call = |token: Option<String>, path: &str| {
        let mut request = s.client.get(format!("{}{}", s.base, path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request
    };
    let ok = call(Some(sign(&claims(json!({})), KEY)), "/user_environment").send().await.unwrap();
    let (status, body) = decode(ok).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user_profile"]["user_id"], "u-jane");

    // (token, path, status, code)
    let table: Vec<(Option<String>, &str, u16, &str)> = vec![
        (None, "/user_environment", 401, "unauthenticated"),
        (Some(sign(&claims(json!({"exp": now() - 3600})), KEY)), "/user_environment", 401, "invalid_token"),
        (
            Some(sign(&claims(json!({"iss": "https://evil.example"})), KEY)),
            "/user_environment",
            401,
            "invalid_token",
        ),
        (Some(sign(&claims(json!({"client_id": "other"})), KEY)), "/user_environment", 401, "invalid_token"),
        (Some(sign(&claims(json!({})), OTHER_KEY)), "/user_environment", 401, "invalid_token"),
        (Some(format!("{}x", sign(&claims(json!({})), KEY))), "/user_environment", 401, "invalid_token"),
        (Some(sign(&claims(json!({"sub": "u-ghost"})), KEY)), "/user_environment", 401, "unknown_user"),
        (
            Some(sign(&claims(json!({})), KEY)),
            "/user_environment?calling_user_id=someone-else",
            403,
            "identity_mismatch",
        ),
    ];
    for (token, path, status, code) in table {
        let response = call(token, path).send().await.unwrap();
        let challenge =
            response.headers().get("www-authenticate").map(|v| v.to_str().unwrap_or("").to_owned());
        let (got, body) = decode(response).await;
        assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{path}: {body}");
        if code == "invalid_token" {
            assert_eq!(challenge.as_deref(), Some("Bearer error=\"invalid_token\""));
        }
    }
}
