//! The verifier end to end, with the committed test-only key pairs in `tests/fixtures/`.
// Test helpers outside `#[test]` functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{TimeZone, Utc};
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use surgicase_auth::{AuthError, InvalidReason, JwksSource, JwtSettings, JwtVerifier};
use surgicase_kernel::FixedClock;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ISSUER: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test";
const NOW: i64 = 1_750_000_000;
const KEY_A: &[u8] = include_bytes!("fixtures/key_a.pem");
const KEY_B: &[u8] = include_bytes!("fixtures/key_b.pem");
const KEY_A_PUBLIC: &[u8] = include_bytes!("fixtures/key_a.pub.pem");

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::new(Utc.timestamp_opt(NOW, 0).unwrap()))
}

fn private(pem: &[u8]) -> EncodingKey {
    EncodingKey::from_rsa_pem(pem).unwrap()
}

/// The public JWK of a private key, in the Cognito form.
fn jwk(pem: &[u8], kid: &str) -> Value {
    let mut value =
        serde_json::to_value(Jwk::from_encoding_key(&private(pem), Algorithm::RS256).unwrap()).unwrap();
    let object = value.as_object_mut().unwrap();
    object.insert("kid".into(), json!(kid));
    object.insert("use".into(), json!("sig"));
    value
}

fn jwks(keys: &[(&[u8], &str)]) -> Value {
    json!({"keys": keys.iter().map(|(pem, kid)| jwk(pem, kid)).collect::<Vec<_>>()})
}

fn access_claims() -> Value {
    json!({
        "iss": ISSUER, "token_use": "access", "client_id": "app-client", "sub": "u-jane",
        "username": "jane", "scope": "aws.cognito.signin.user.admin",
        "iat": NOW - 30, "auth_time": NOW - 30, "exp": NOW + 3600,
    })
}

fn id_claims() -> Value {
    json!({
        "iss": ISSUER, "token_use": "id", "aud": "app-client", "sub": "u-jane",
        "email": "jane@example.com", "iat": NOW - 30, "exp": NOW + 3600,
    })
}

fn with(mut claims: Value, patch: Value) -> Value {
    if let (Some(base), Value::Object(extra)) = (claims.as_object_mut(), patch) {
        for (name, value) in extra {
            if value.is_null() {
                base.remove(&name);
            } else {
                base.insert(name, value);
            }
        }
    }
    claims
}

fn sign(claims: &Value, pem: &[u8], kid: &str) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, &private(pem)).unwrap()
}

fn settings(jwks: JwksSource) -> JwtSettings {
    JwtSettings::new(ISSUER, jwks, vec!["app-client".to_owned(), "other-client".to_owned()])
}

/// A verifier whose JWKS file holds key A as `key-a`; the directory guard must outlive it.
fn file_verifier(adjust: impl FnOnce(&mut JwtSettings)) -> (JwtVerifier, tempfile::TempDir, Arc<FixedClock>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jwks.json");
    std::fs::write(&file, jwks(&[(KEY_A, "key-a")]).to_string()).unwrap();
    let mut s = settings(JwksSource::File(file));
    adjust(&mut s);
    let clock = clock();
    (JwtVerifier::with_clock(s, clock.clone()).unwrap(), dir, clock)
}

fn invalid(reason: InvalidReason) -> Result<String, AuthError> {
    Err(AuthError::InvalidToken(reason))
}

async fn user_of(verifier: &JwtVerifier, token: &str) -> Result<String, AuthError> {
    verifier.verify(token).await.map(|t| t.user_id)
}

#[tokio::test]
async fn a_valid_access_token_names_its_user() {
    let (verifier, _dir, _) = file_verifier(|_| {});
    let verified = verifier.verify(&sign(&access_claims(), KEY_A, "key-a")).await.unwrap();
    assert_eq!(verified.user_id, "u-jane");
    assert_eq!(verified.claims["username"], "jane");
    let other_client = with(access_claims(), json!({"client_id": "other-client"}));
    assert_eq!(user_of(&verifier, &sign(&other_client, KEY_A, "key-a")).await.as_deref(), Ok("u-jane"));
}

#[tokio::test]
async fn a_valid_id_token_is_checked_by_aud() {
    let (verifier, _dir, _) = file_verifier(|s| s.token_use = "id".into());
    let token = sign(&id_claims(), KEY_A, "key-a");
    assert_eq!(user_of(&verifier, &token).await.as_deref(), Ok("u-jane"));
    let wrong_aud = sign(&with(id_claims(), json!({"aud": "stranger"})), KEY_A, "key-a");
    assert_eq!(user_of(&verifier, &wrong_aud).await, invalid(InvalidReason::WrongAudience));
}

#[tokio::test]
async fn the_user_id_claim_is_configurable_and_required() {
    let (verifier, _dir, _) = file_verifier(|s| s.user_id_claim = "username".into());
    let token = sign(&access_claims(), KEY_A, "key-a");
    assert_eq!(user_of(&verifier, &token).await.as_deref(), Ok("jane"));
    let missing = sign(&with(access_claims(), json!({"username": null})), KEY_A, "key-a");
    assert_eq!(user_of(&verifier, &missing).await, invalid(InvalidReason::MissingClaim("user id")));
    let (default_claim, _dir2, _) = file_verifier(|_| {});
    let no_sub = sign(&with(access_claims(), json!({"sub": null})), KEY_A, "key-a");
    assert_eq!(user_of(&default_claim, &no_sub).await, invalid(InvalidReason::MissingClaim("user id")));
}

#[tokio::test]
async fn claim_failures_are_invalid_tokens() {
    let (verifier, _dir, _) = file_verifier(|_| {});
    let table: Vec<(Value, Result<String, AuthError>)> = vec![
        (json!({"exp": NOW - 61}), invalid(InvalidReason::Expired)),
        (json!({"exp": NOW - 3600}), invalid(InvalidReason::Expired)),
        (json!({"exp": NOW - 59}), Ok("u-jane".into())),
        (json!({"exp": null}), invalid(InvalidReason::MissingClaim("exp"))),
        (json!({"nbf": NOW + 120}), invalid(InvalidReason::NotYetValid)),
        (json!({"nbf": NOW + 30}), Ok("u-jane".into())),
        (json!({"iat": NOW + 120}), invalid(InvalidReason::NotYetValid)),
        (json!({"iss": "https://evil.example.com"}), invalid(InvalidReason::WrongIssuer)),
        (json!({"iss": null}), invalid(InvalidReason::MissingClaim("iss"))),
        (json!({"client_id": "stranger"}), invalid(InvalidReason::WrongAudience)),
        (json!({"client_id": null, "aud": "app-client"}), invalid(InvalidReason::WrongAudience)),
        (json!({"token_use": "id"}), invalid(InvalidReason::WrongTokenUse)),
        (json!({"token_use": null}), invalid(InvalidReason::MissingClaim("token_use"))),
    ];
    for (patch, expected) in table {
        let token = sign(&with(access_claims(), patch.clone()), KEY_A, "key-a");
        assert_eq!(user_of(&verifier, &token).await, expected, "{patch}");
    }
}

#[tokio::test]
async fn leeway_follows_the_clock_and_the_setting() {
    let (verifier, _dir, clock) = file_verifier(|s| s.leeway = Duration::from_secs(5));
    let token = sign(&access_claims(), KEY_A, "key-a");
    clock.advance(chrono::Duration::seconds(3600 + 4));
    assert!(verifier.verify(&token).await.is_ok());
    clock.advance(chrono::Duration::seconds(2));
    assert_eq!(user_of(&verifier, &token).await, invalid(InvalidReason::Expired));
}

#[tokio::test]
async fn only_rs256_is_accepted() {
    let (verifier, _dir, _) = file_verifier(|_| {});
    // The classic confusion attack: HS256 with the RSA public key as the shared secret.
    let mut hs_header = Header::new(Algorithm::HS256);
    hs_header.kid = Some("key-a".into());
    let hs256 =
        jsonwebtoken::encode(&hs_header, &access_claims(), &EncodingKey::from_secret(KEY_A_PUBLIC)).unwrap();
    assert_eq!(user_of(&verifier, &hs256).await, invalid(InvalidReason::AlgorithmNotAllowed));

    let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let payload = b64(&access_claims());
    let none = format!("{}.{payload}.", b64(&json!({"alg": "none", "kid": "key-a"})));
    assert_eq!(user_of(&verifier, &none).await, invalid(InvalidReason::AlgorithmNotAllowed));

    let mut rs512_header = Header::new(Algorithm::RS512);
    rs512_header.kid = Some("key-a".into());
    let rs512 = jsonwebtoken::encode(&rs512_header, &access_claims(), &private(KEY_A)).unwrap();
    assert_eq!(user_of(&verifier, &rs512).await, invalid(InvalidReason::AlgorithmNotAllowed));
}

#[tokio::test]
async fn tampering_breaks_the_signature() {
    let (verifier, _dir, _) = file_verifier(|_| {});
    let token = sign(&access_claims(), KEY_A, "key-a");
    let parts: Vec<&str> = token.split('.').collect();

    let forged = URL_SAFE_NO_PAD.encode(with(access_claims(), json!({"sub": "u-admin"})).to_string());
    let tampered_payload = format!("{}.{forged}.{}", parts[0], parts[2]);
    assert_eq!(user_of(&verifier, &tampered_payload).await, invalid(InvalidReason::BadSignature));

    let mut signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    signature[10] ^= 0x01;
    let tampered_signature = format!("{}.{}.{}", parts[0], parts[1], URL_SAFE_NO_PAD.encode(signature));
    assert_eq!(user_of(&verifier, &tampered_signature).await, invalid(InvalidReason::BadSignature));

    // Signed by another key that claims key A's kid.
    let impostor = sign(&access_claims(), KEY_B, "key-a");
    assert_eq!(user_of(&verifier, &impostor).await, invalid(InvalidReason::BadSignature));

    for garbage in ["", "abc", "a.b.c", "a.b.c.d"] {
        assert_eq!(user_of(&verifier, garbage).await, invalid(InvalidReason::Malformed), "{garbage}");
    }
}

async fn jwks_server() -> MockServer {
    MockServer::start().await
}

fn jwks_url(server: &MockServer) -> JwksSource {
    JwksSource::parse(&format!("{}/.well-known/jwks.json", server.uri())).unwrap()
}

fn serve(keys: &[(&[u8], &str)]) -> Mock {
    Mock::given(method("GET"))
        .and(path("/.well-known/jwks.json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(jwks(keys)))
}

#[tokio::test]
async fn an_unknown_kid_refetches_and_accepts_a_rotated_key() {
    let server = jwks_server().await;
    serve(&[(KEY_A, "key-a")]).up_to_n_times(1).expect(1).mount(&server).await;
    serve(&[(KEY_A, "key-a"), (KEY_B, "key-b")]).expect(1).mount(&server).await;
    let clock = clock();
    let verifier = JwtVerifier::with_clock(settings(jwks_url(&server)), clock.clone()).unwrap();

    let old = sign(&access_claims(), KEY_A, "key-a");
    assert!(verifier.verify(&old).await.is_ok());
    clock.advance(chrono::Duration::seconds(61));
    let rotated = sign(&access_claims(), KEY_B, "key-b");
    assert_eq!(user_of(&verifier, &rotated).await.as_deref(), Ok("u-jane"));
    // Both keys now cached: no further fetch.
    assert!(verifier.verify(&old).await.is_ok());
    assert!(verifier.verify(&rotated).await.is_ok());
    server.verify().await;
}

#[tokio::test]
async fn unknown_kids_refetch_at_most_once_per_refresh_min() {
    let server = jwks_server().await;
    serve(&[(KEY_A, "key-a")]).expect(2).mount(&server).await;
    let clock = clock();
    let verifier = JwtVerifier::with_clock(settings(jwks_url(&server)), clock.clone()).unwrap();
    let stranger = sign(&access_claims(), KEY_B, "key-x");

    assert_eq!(user_of(&verifier, &stranger).await, invalid(InvalidReason::UnknownKid)); // fetch 1
    for _ in 0..5 {
        assert_eq!(user_of(&verifier, &stranger).await, invalid(InvalidReason::UnknownKid));
    }
    clock.advance(chrono::Duration::seconds(59));
    assert_eq!(user_of(&verifier, &stranger).await, invalid(InvalidReason::UnknownKid));
    clock.advance(chrono::Duration::seconds(2));
    assert_eq!(user_of(&verifier, &stranger).await, invalid(InvalidReason::UnknownKid)); // fetch 2
    assert_eq!(user_of(&verifier, &stranger).await, invalid(InvalidReason::UnknownKid));
    // Known keys keep working meanwhile.
    assert!(verifier.verify(&sign(&access_claims(), KEY_A, "key-a")).await.is_ok());
    server.verify().await;
}

#[tokio::test]
async fn concurrent_unknown_kids_cause_one_fetch() {
    let server = jwks_server().await;
    serve(&[(KEY_A, "key-a")]).expect(1).mount(&server).await;
    let verifier = Arc::new(JwtVerifier::with_clock(settings(jwks_url(&server)), clock()).unwrap());
    let token = sign(&access_claims(), KEY_A, "key-a");
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (verifier, token) = (verifier.clone(), token.clone());
            tokio::spawn(async move { verifier.verify(&token).await.map(|t| t.user_id) })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().as_deref(), Ok("u-jane"));
    }
    server.verify().await;
}

#[tokio::test]
async fn keys_that_cannot_be_loaded_are_unavailable_not_invalid() {
    let server = jwks_server().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).expect(2).mount(&server).await;
    let clock = clock();
    let verifier = JwtVerifier::with_clock(settings(jwks_url(&server)), clock.clone()).unwrap();
    let token = sign(&access_claims(), KEY_A, "key-a");
    assert!(matches!(verifier.verify(&token).await, Err(AuthError::KeysUnavailable(_))));
    // Within refresh_min: no new fetch, still unavailable (no keys were ever loaded).
    assert!(matches!(verifier.verify(&token).await, Err(AuthError::KeysUnavailable(_))));
    clock.advance(chrono::Duration::seconds(61));
    assert!(matches!(verifier.load_keys().await, Err(AuthError::KeysUnavailable(_))));
    server.verify().await;

    let nowhere = JwtVerifier::with_clock(
        settings(JwksSource::parse("http://127.0.0.1:9/jwks.json").unwrap()),
        clock.clone(),
    )
    .unwrap();
    let err = nowhere.verify(&token).await.unwrap_err();
    assert!(!err.is_invalid_token(), "{err}");
}

#[tokio::test]
async fn a_bad_or_missing_jwks_file_is_unavailable() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jwks.json");
    let verifier = JwtVerifier::with_clock(settings(JwksSource::File(file.clone())), clock()).unwrap();
    assert!(matches!(verifier.load_keys().await, Err(AuthError::KeysUnavailable(_))));
    std::fs::write(&file, "{\"keys\": []}").unwrap();
    assert!(matches!(verifier.load_keys().await, Err(AuthError::KeysUnavailable(_))));
    std::fs::write(&file, jwks(&[(KEY_A, "key-a"), (KEY_B, "key-b")]).to_string()).unwrap();
    assert_eq!(verifier.load_keys().await, Ok(2));
    assert!(verifier.verify(&sign(&access_claims(), KEY_B, "key-b")).await.is_ok());
}

#[test]
fn settings_are_checked_at_construction() {
    let mut bad = settings(JwksSource::File("jwks.json".into()));
    bad.client_ids.clear();
    assert!(JwtVerifier::new(bad).is_err());
    assert!(JwtVerifier::new(settings(JwksSource::File("jwks.json".into()))).is_ok());
}

#[tokio::test]
async fn a_failed_refresh_keeps_the_old_keys() {
    let server = jwks_server().await;
    serve(&[(KEY_A, "key-a")]).up_to_n_times(1).expect(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).expect(1).mount(&server).await;
    let clock = clock();
    let verifier = JwtVerifier::with_clock(settings(jwks_url(&server)), clock.clone()).unwrap();
    assert_eq!(verifier.load_keys().await, Ok(1));
    clock.advance(chrono::Duration::seconds(61));
    let rotated = sign(&access_claims(), KEY_B, "key-b");
    assert!(matches!(verifier.verify(&rotated).await, Err(AuthError::KeysUnavailable(_))));
    // Rate-limited again: the kid is simply unknown.
    assert_eq!(user_of(&verifier, &rotated).await, invalid(InvalidReason::UnknownKid));
    assert!(verifier.verify(&sign(&access_claims(), KEY_A, "key-a")).await.is_ok());
    server.verify().await;
}
