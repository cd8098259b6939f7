//! Who is calling (api.md §1.2): resolved from the query, the body and the bearer token.
//!
//! Resolution only names the caller; [`authenticate`] then loads their profile (an active
//! user, else 401 `unknown_user`) and gives the use-case context. Registrant routes use
//! [`identify_optional`] and decide themselves.
//!
//! ```text
//! async fn create_case(req: HttpRequest, q: QueryParams, body: JsonBody) -> ApiResult<HttpResponse> {
//!     let (state, ctx) = authenticate(&req, &q, Some(&body)).await?;
//!     …
//! }
//! ```

use std::fmt;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures::future::{BoxFuture, LocalBoxFuture};
use surgicase_app::AppError;
use surgicase_kernel::UserId;

use crate::body::JsonBody;
use crate::errors::ApiError;
use crate::query::QueryParams;
use crate::routes::{self, Access};
use crate::state::AppState;

/// What a route's `user_id` parameter means for identification (api.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserIdRole {
    /// Names the data subject (cases, users, surgeons, facilities, documents, environment);
    /// it names the caller too when `calling_user_id` is absent (user-id mode).
    Subject,
    /// Names only the caller (backoffice, lists, admin, bugs, `/log_request`): a value other
    /// than the caller is 403 `identity_mismatch`.
    CallerOnly,
    /// A data filter (‡ reports and exports): never names the caller.
    Filter,
}

/// Where the caller's id came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerSource {
    CallingUserId,
    QueryUserId,
    BodyUserId,
    Token,
}

/// The identified caller (not yet checked to be an active user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: UserId,
    pub source: CallerSource,
}

/// Why a bearer token was refused (for the log only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRejected(pub String);

/// Verifies a bearer token and returns the user id it names (the configured claim).
/// `surgicase-auth`'s `JwtVerifier` is plugged in through this trait.
pub trait TokenVerifier: Send + Sync + 'static {
    fn verify<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<String, TokenRejected>>;
}

/// How callers are identified (`auth.mode`).
#[derive(Clone)]
pub enum Authenticator {
    /// The caller names themselves (`calling_user_id`, `user_id`).
    UserId,
    /// A bearer token names the caller.
    Jwt(Arc<dyn TokenVerifier>),
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::UserId => "Authenticator::UserId",
            Self::Jwt(_) => "Authenticator::Jwt",
        })
    }
}

/// The request parts identification reads.
#[derive(Debug, Clone, Copy)]
pub struct IdentityInputs<'a> {
    pub calling_user_id: Option<&'a str>,
    pub query_user_id: Option<&'a str>,
    /// The body's top-level string `user_id` (POST, PATCH, PUT, DELETE with a JSON body).
    pub body_user_id: Option<&'a str>,
    /// The raw `Authorization` header.
    pub authorization: Option<&'a str>,
    pub user_id_role: UserIdRole,
}

fn nonblank(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// A claimed id that is not a valid user id names no active user.
fn parse_caller(raw: &str, source: CallerSource) -> Result<Caller, ApiError> {
    UserId::parse(raw).map(|user_id| Caller { user_id, source }).map_err(|_| AppError::UnknownUser.into())
}

/// The token of `Bearer <token>`; `None` when no bearer credential was sent.
fn bearer(authorization: Option<&str>) -> Option<&str> {
    let value = authorization?.trim();
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl IdentityInputs<'_> {
    /// User-id mode: who the request says is calling (`None`: nobody).
    pub fn claimed(&self) -> Result<Option<Caller>, ApiError> {
        let candidates = [
            (nonblank(self.calling_user_id), CallerSource::CallingUserId),
            (
                nonblank(self.query_user_id).filter(|_| self.user_id_role != UserIdRole::Filter),
                CallerSource::QueryUserId,
            ),
            (
                nonblank(self.body_user_id).filter(|_| self.user_id_role != UserIdRole::Filter),
                CallerSource::BodyUserId,
            ),
        ];
        let Some((raw, source)) = candidates.into_iter().find_map(|(v, s)| v.map(|v| (v, s))) else {
            return Ok(None);
        };
        parse_caller(raw, source).map(Some)
    }

    /// A caller-only `user_id` (query or body) must name the caller.
    fn check_caller_only(&self, caller: &Caller) -> Result<(), ApiError> {
        if self.user_id_role != UserIdRole::CallerOnly {
            return Ok(());
        }
        let differs = |v: Option<&str>| nonblank(v).is_some_and(|v| v != caller.user_id.as_str());
        if differs(self.query_user_id) || differs(self.body_user_id) {
            return Err(ApiError::IdentityMismatch);
        }
        Ok(())
    }
}

impl Authenticator {
    /// The caller, or 401 (`unauthenticated`, `invalid_token`) / 403 (`identity_mismatch`).
    pub async fn resolve(&self, inputs: &IdentityInputs<'_>) -> Result<Caller, ApiError> {
        match self.resolve_optional(inputs).await? {
            Some(caller) => Ok(caller),
            None => Err(ApiError::Unauthenticated),
        }
    }

    /// Like [`Authenticator::resolve`], but in user-id mode a request naming nobody is `None`
    /// (registrant routes). In jwt mode a valid token is always required.
    pub async fn resolve_optional(&self, inputs: &IdentityInputs<'_>) -> Result<Option<Caller>, ApiError> {
        let caller = match self {
            Self::UserId => match inputs.claimed()? {
                Some(caller) => caller,
                None => return Ok(None),
            },
            Self::Jwt(verifier) => {
                let token = bearer(inputs.authorization).ok_or(ApiError::MissingToken)?;
                if token.is_empty() {
                    return Err(ApiError::InvalidToken("empty bearer token".to_owned()));
                }
                let user = verifier.verify(token).await.map_err(|r| ApiError::InvalidToken(r.0))?;
                let caller = parse_caller(&user, CallerSource::Token)?;
                if nonblank(inputs.calling_user_id).is_some_and(|c| c != caller.user_id.as_str()) {
                    return Err(ApiError::IdentityMismatch);
                }
                caller
            }
        };
        inputs.check_caller_only(&caller)?;
        Ok(Some(caller))
    }
}

/// Identifies the caller of a request: the route's [`UserIdRole`] comes from the route
/// table, the authenticator from [`AppState`]. Pass the body on POST, PATCH, PUT and DELETE
/// routes that take one. The caller is remembered for the access log.
///
/// On registrant routes (see [`Access::Registrant`]) a user-id-mode request naming nobody
/// gives `Ok(None)`; elsewhere it is 401 `unauthenticated`.
pub async fn identify_optional(
    req: &HttpRequest,
    query: &QueryParams,
    body: Option<&JsonBody>,
) -> Result<Option<Caller>, ApiError> {
    identify_caller(req, query, body.and_then(JsonBody::user_id)).await
}

/// [`identify_optional`] with the body's top-level `user_id` given directly.
async fn identify_caller(
    req: &HttpRequest,
    query: &QueryParams,
    body_user_id: Option<&str>,
) -> Result<Option<Caller>, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("AppState is not registered"))?;
    let route = routes::current(req);
    let inputs = IdentityInputs {
        calling_user_id: query.get("calling_user_id"),
        query_user_id: query.get("user_id"),
        body_user_id,
        authorization: req.headers().get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or("")),
        user_id_role: route.map_or(UserIdRole::CallerOnly, |r| r.user_id),
    };
    let registrant = route.is_some_and(|r| r.access == Access::Registrant);
    let caller = match state.authenticator.resolve_optional(&inputs).await {
        // A user-id-mode registrant naming an id no user can have is anonymous: the body's
        // validation answers (422), not the caller check.
        Err(ApiError::App(AppError::UnknownUser))
            if registrant && matches!(state.authenticator, Authenticator::UserId) =>
        {
            None
        }
        other => other?,
    };
    match (&caller, route.map(|r| r.access)) {
        (Some(caller), _) => {
            req.extensions_mut().insert(caller.clone());
        }
        (None, Some(Access::Registrant)) => {}
        (None, _) => return Err(ApiError::Unauthenticated),
    }
    Ok(caller)
}

/// [`identify_optional`] for routes that always need a caller.
pub async fn identify(
    req: &HttpRequest,
    query: &QueryParams,
    body: Option<&JsonBody>,
) -> Result<Caller, ApiError> {
    identify_optional(req, query, body).await?.ok_or(ApiError::Unauthenticated)
}

/// Identifies the caller and loads them as the actor of the use cases: the state and the
/// context (actor and request id) a handler needs.
pub async fn authenticate(
    req: &HttpRequest,
    query: &QueryParams,
    body: Option<&JsonBody>,
) -> Result<(web::Data<AppState>, surgicase_app::Ctx), ApiError> {
    load_actor(req, query, body.and_then(JsonBody::user_id)).await
}

async fn load_actor(
    req: &HttpRequest,
    query: &QueryParams,
    body_user_id: Option<&str>,
) -> Result<(web::Data<AppState>, surgicase_app::Ctx), ApiError> {
    let caller = identify_caller(req, query, body_user_id).await?.ok_or(ApiError::Unauthenticated)?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("AppState is not registered"))?;
    let actor = state.app.authenticate(&caller.user_id).await?;
    let request_id = req.extensions().get::<crate::request_id::RequestId>().map(|r| r.as_str().to_owned());
    Ok((state, surgicase_app::Ctx::new(actor, request_id)))
}

/// The caller of a registrant route (`POST /user`), if any: in user-id mode a request may name
/// nobody. Extract the body first: its top-level `user_id` may name the caller.
pub async fn registrant(req: &HttpRequest) -> Result<Option<Caller>, ApiError> {
    let query = QueryParams::parse(req.query_string())?;
    let body_user = crate::body::body_user_id(req).await;
    identify_caller(req, &query, body_user.as_deref()).await
}

/// The caller of a route that needs one, loaded as the actor, with the app: what a handler of a
/// non-public route receives. Extract it after the body ([`crate::body::Json`]), whose
/// top-level `user_id` may name the caller (api.md §1.2).
pub struct Authed {
    pub state: web::Data<AppState>,
    pub ctx: surgicase_app::Ctx,
}

impl FromRequest for Authed {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let query = QueryParams::parse(req.query_string())?;
            let body_user = crate::body::body_user_id(&req).await;
            let (state, ctx) = load_actor(&req, &query, body_user.as_deref()).await?;
            Ok(Authed { state, ctx })
        })
    }
}

#[cfg(test)]
mod tests {
    use futures::FutureExt;

    use super::*;

    struct FixedVerifier;

    impl TokenVerifier for FixedVerifier {
        fn verify<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<String, TokenRejected>> {
            let result = match token {
                "good-alice" => Ok("alice".to_owned()),
                "good-invalid-id" => Ok("not valid!".to_owned()),
                _ => Err(TokenRejected("bad signature".to_owned())),
            };
            async move { result }.boxed()
        }
    }

    fn inputs<'a>(
        calling: Option<&'a str>,
        query: Option<&'a str>,
        body: Option<&'a str>,
        auth: Option<&'a str>,
        role: UserIdRole,
    ) -> IdentityInputs<'a> {
        IdentityInputs {
            calling_user_id: calling,
            query_user_id: query,
            body_user_id: body,
            authorization: auth,
            user_id_role: role,
        }
    }

    fn outcome(auth: &Authenticator, i: IdentityInputs<'_>) -> Result<String, &'static str> {
        auth.resolve(&i)
            .now_or_never()
            .expect("ready")
            .map(|c| c.user_id.as_str().to_owned())
            .map_err(|e| e.code())
    }

    #[test]
    fn user_id_mode() {
        use UserIdRole::*;
        let a = Authenticator::UserId;
        type Row<'a> =
            (Option<&'a str>, Option<&'a str>, Option<&'a str>, UserIdRole, Result<&'a str, &'a str>);
        let table: &[Row<'_>] = &[
            (Some("admin"), Some("bob"), Some("carol"), Subject, Ok("admin")),
            (None, Some("bob"), Some("carol"), Subject, Ok("bob")),
            (None, None, Some("carol"), Subject, Ok("carol")),
            (None, Some(" "), Some("carol"), Subject, Ok("carol")),
            (None, None, None, Subject, Err("unauthenticated")),
            (Some(""), None, None, Subject, Err("unauthenticated")),
            // ‡: user_id is a filter, only calling_user_id names the caller.
            (None, Some("bob"), None, Filter, Err("unauthenticated")),
            (Some("admin"), Some("bob"), None, Filter, Ok("admin")),
            (None, None, Some("bob"), Filter, Err("unauthenticated")),
            // Caller-only: user_id must be the caller.
            (None, Some("bob"), None, CallerOnly, Ok("bob")),
            (Some("bob"), Some("bob"), None, CallerOnly, Ok("bob")),
            (Some("admin"), Some("bob"), None, CallerOnly, Err("identity_mismatch")),
            (Some("admin"), None, Some("bob"), CallerOnly, Err("identity_mismatch")),
            // An id no user can have names no active user.
            (Some("not valid!"), None, None, Subject, Err("unknown_user")),
        ];
        for (calling, query, body, role, expected) in table {
            let got = outcome(&a, inputs(*calling, *query, *body, None, *role));
            assert_eq!(got.as_deref().map_err(|e| *e), *expected, "{calling:?} {query:?} {body:?} {role:?}");
        }
    }

    #[test]
    fn jwt_mode() {
        use UserIdRole::*;
        let a = Authenticator::Jwt(Arc::new(FixedVerifier));
        type Row<'a> =
            (Option<&'a str>, Option<&'a str>, Option<&'a str>, UserIdRole, Result<&'a str, &'a str>);
        let table: &[Row<'_>] = &[
            (Some("Bearer good-alice"), None, None, Subject, Ok("alice")),
            (Some("bearer  good-alice "), None, None, Subject, Ok("alice")),
            (None, Some("alice"), None, Subject, Err("unauthenticated")),
            (Some("Basic abc"), None, None, Subject, Err("unauthenticated")),
            (Some("Bearer"), None, None, Subject, Err("invalid_token")),
            (Some("Bearer forged"), None, None, Subject, Err("invalid_token")),
            (Some("Bearer good-alice"), Some("alice"), None, Subject, Ok("alice")),
            (Some("Bearer good-alice"), Some("bob"), None, Subject, Err("identity_mismatch")),
            // The subject's user_id is not the caller's business here.
            (Some("Bearer good-alice"), None, Some("bob"), Subject, Ok("alice")),
            (Some("Bearer good-alice"), None, Some("bob"), Filter, Ok("alice")),
            (Some("Bearer good-alice"), None, Some("bob"), CallerOnly, Err("identity_mismatch")),
            (Some("Bearer good-invalid-id"), None, None, Subject, Err("unknown_user")),
        ];
        for (auth, calling, user_id, role, expected) in table {
            let got = outcome(&a, inputs(*calling, *user_id, None, *auth, *role));
            assert_eq!(
                got.as_deref().map_err(|e| *e),
                *expected,
                "{auth:?} {calling:?} {user_id:?} {role:?}"
            );
        }
    }

    #[test]
    fn registrants_may_be_anonymous_in_user_id_mode_only() {
        let none = inputs(None, None, None, None, UserIdRole::Subject);
        assert_eq!(
            Authenticator::UserId.resolve_optional(&none).now_or_never().map(|r| r.ok()),
            Some(Some(None))
        );
        let jwt = Authenticator::Jwt(Arc::new(FixedVerifier));
        let got = jwt.resolve_optional(&none).now_or_never().map(|r| r.map_err(|e| e.code()).err());
        assert_eq!(got, Some(Some("unauthenticated")));
    }
}
