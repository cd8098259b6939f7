//! Test-only routes and helpers.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::test::{self, TestRequest};
use actix_web::{HttpRequest, HttpResponse, web};
use futures::FutureExt;
use futures::future::BoxFuture;
use serde_json::{Value, json};
use surgicase_app::AppError;
use surgicase_kernel::RoleLevel;

use crate::identity::{self, TokenRejected, TokenVerifier, UserIdRole};
use crate::routes::{Access, BodyLimit, Method::*, Route, to};
use crate::{ApiResult, Authenticator, JsonBody, OptionalJsonBody, QueryParams, RawBody, respond, server};
use crate::{AppState, Settings};

pub static TEST_ROUTES: &[Route] = &[
    Route::new(Post, "/t/echo", Access::User, || to(echo)),
    Route::new(Patch, "/t/echo", Access::User, || to(echo)),
    Route::new(Post, "/t/small", Access::User, || to(echo)).body_limit(BodyLimit::Bytes(2048)),
    Route::new(Put, "/t/raw", Access::User, || to(raw)).body_limit(BodyLimit::Bytes(16)),
    Route::new(Post, "/t/optional", Access::User, || to(optional)),
    Route::new(Get, "/t/query", Access::User, || to(query)),
    Route::new(Get, "/t/query_alias", Access::User, || to(query)).alias_of("/t/query"),
    Route::new(Post, "/t/fields", Access::User, || to(fields)),
    Route::new(Get, "/t/boom", Access::Public, || to(boom)),
    Route::new(Get, "/t/plain_error", Access::Public, || to(plain_error)),
    Route::new(Get, "/t/item/{id}", Access::Public, || to(item)),
    Route::new(Get, "/t/cached", Access::Public, || to(cached)),
    Route::new(Get, "/t/who", Access::User, || to(who)).user_id(UserIdRole::Subject),
    Route::new(Post, "/t/who", Access::User, || to(who_body)).user_id(UserIdRole::Subject),
    Route::new(Get, "/t/admin", Access::Level(RoleLevel::GlobalAdmin), || to(who)),
    Route::new(Get, "/t/report", Access::Level(RoleLevel::GlobalAdmin), || to(who))
        .user_id(UserIdRole::Filter),
    Route::new(Get, "/t/register", Access::Registrant, || to(register)).user_id(UserIdRole::Subject),
];

async fn echo(body: JsonBody) -> ApiResult<HttpResponse> {
    let keys: Vec<&String> = body.as_map().keys().collect();
    respond::ok(&json!({ "keys": keys }))
}

async fn optional(body: OptionalJsonBody) -> ApiResult<HttpResponse> {
    respond::ok(&json!({ "present": body.0.is_some() }))
}

async fn raw(body: RawBody) -> ApiResult<HttpResponse> {
    respond::ok(&json!({ "len": body.0.len() }))
}

async fn query(mut q: QueryParams) -> ApiResult<HttpResponse> {
    let n = q.opt_i64("n", 0..=10);
    let flag = q.opt_bool("flag");
    let page = q.page();
    q.finish()?;
    respond::ok(&json!({ "n": n, "flag": flag, "limit": page.limit, "offset": page.offset }))
}

async fn fields(body: JsonBody) -> ApiResult<HttpResponse> {
    let mut f = body.fields();
    let name = f.req_str("name");
    let amount = f.opt_money("amount");
    let first = f.opt_object("patient", |p| p.req_str("first")).flatten();
    f.allow(&["user_id"]);
    f.finish()?;
    respond::ok(&json!({ "name": name, "amount": amount.map(|m| m.to_string()), "first": first }))
}

/// A store failure with a driver error behind it, as a use case would return it.
async fn boom() -> ApiResult<HttpResponse> {
    let driver = std::io::Error::other("mysql://u:hunter2@db refused");
    Err(AppError::from(surgicase_ports::StoreError::backend("the statement was refused").caused_by(driver))
        .into())
}

async fn plain_error() -> Result<HttpResponse, actix_web::Error> {
    Err(actix_web::error::ErrorBadRequest("plain text from actix"))
}

async fn item(id: web::Path<u32>) -> ApiResult<HttpResponse> {
    respond::ok(&json!({ "id": id.into_inner() }))
}

async fn cached() -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "max-age=60")).body("static")
}

async fn who(req: HttpRequest, q: QueryParams) -> ApiResult<HttpResponse> {
    let caller = identity::identify(&req, &q, None).await?;
    respond::ok(&json!({ "caller": caller.user_id.as_str() }))
}

async fn who_body(req: HttpRequest, q: QueryParams, body: JsonBody) -> ApiResult<HttpResponse> {
    let caller = identity::identify(&req, &q, Some(&body)).await?;
    respond::ok(&json!({ "caller": caller.user_id.as_str() }))
}

async fn register(req: HttpRequest, q: QueryParams) -> ApiResult<HttpResponse> {
    let caller = identity::identify_optional(&req, &q, None).await?;
    respond::ok(&json!({ "caller": caller.map(|c| c.user_id.as_str().to_owned()) }))
}

/// Accepts `Bearer t-<user>`.
pub struct PrefixVerifier;

impl TokenVerifier for PrefixVerifier {
    fn verify<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<String, TokenRejected>> {
        let result = token.strip_prefix("t-").map(str::to_owned).ok_or(TokenRejected("bad token".into()));
        async move { result }.boxed()
    }
}

/// Use cases over the in-memory ports (the framework tests never reach them).
pub fn memory_app() -> surgicase_app::App {
    surgicase_app::App::new(
        Arc::new(surgicase_testkit::MemoryStore::new()),
        Arc::new(surgicase_testkit::MemoryObjectStore::new()),
        Arc::new(surgicase_testkit::StaticNpiRegistry::new()),
        Arc::new(surgicase_kernel::SystemClock),
        surgicase_app::AppSettings::default(),
    )
}

pub fn user_id_state() -> AppState {
    AppState::new(Settings::default(), Authenticator::UserId, memory_app())
}

pub fn jwt_state() -> AppState {
    AppState::new(Settings::default(), Authenticator::Jwt(Arc::new(PrefixVerifier)), memory_app())
}

/// An answer: status, headers and the body parsed as JSON (`Value::Null` when not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub raw: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the JSON error shape and returns the code.
    pub fn error_code(&self) -> &str {
        assert_eq!(self.header("content-type"), Some("application/json; charset=utf-8"), "{}", self.raw);
        assert!(self.body["detail"].is_string(), "{}", self.raw);
        let request_id = self.body["request_id"].as_str().unwrap_or_default();
        assert!(!request_id.is_empty(), "{}", self.raw);
        assert_eq!(self.header("x-request-id"), Some(request_id), "{}", self.raw);
        self.body["code"].as_str().unwrap_or_default()
    }

    /// The `(field, code)` pairs of a 422.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        self.body["errors"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|e| {
                        (
                            e["field"].as_str().unwrap_or("?").to_owned(),
                            e["code"].as_str().unwrap_or("?").to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Sends `req` to an app serving `table` with `state`.
pub async fn send_to(state: AppState, table: &'static [Route], req: TestRequest) -> Answer {
    let app = test::init_service(server::app_with_routes(state, table)).await;
    let res = test::call_service(&app, req.to_request()).await;
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = test::read_body(res).await;
    let raw = String::from_utf8_lossy(&bytes).into_owned();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer { status, headers, body, raw }
}

/// Sends `req` to the test routes in user-id mode.
pub async fn send(req: TestRequest) -> Answer {
    send_to(user_id_state(), TEST_ROUTES, req).await
}

/// A POST of `body` with `content_type`.
pub fn post(uri: &str, content_type: &str, body: impl Into<actix_web::web::Bytes>) -> TestRequest {
    TestRequest::post()
        .uri(uri)
        .insert_header((header::CONTENT_TYPE, content_type.to_owned()))
        .set_payload(body)
}

pub const JSON: &str = "application/json";

/// The first key that an object of the JSON text `raw` holds twice (serde_json keeps the last
/// silently, clients may keep either), or the parse error.
pub fn duplicate_key(raw: &str) -> Option<String> {
    use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

    struct Unique;

    impl<'de> DeserializeSeed<'de> for Unique {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Unique {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(Unique)?.is_some() {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) {
                    return Err(de::Error::custom(format!("duplicate key {key:?}")));
                }
                map.next_value_seed(Unique)?;
            }
            Ok(())
        }
    }

    let mut d = serde_json::Deserializer::from_str(raw);
    Unique.deserialize(&mut d).err().map(|e| e.to_string())
}

#[test]
fn duplicate_keys_are_found_at_any_depth() {
    let table: &[(&str, bool)] = &[
        (r#"{"a": 1, "b": {"a": 2}}"#, false),
        (r#"{"a": 1, "a": 1}"#, true),
        (r#"{"list": [{"x": null}, {"x": 1, "y": [true], "x": 2}]}"#, true),
        (r#"[1, "two", {"k": {"k": 3.5}}]"#, false),
    ];
    for (raw, duplicated) in table {
        assert_eq!(duplicate_key(raw).is_some(), *duplicated, "{raw}");
    }
}
