//! What every handler knows about the request before it starts: the person (if
//! signed in), their language, their address, the path. Set by the layer above
//! (`web`'s session middleware, which looks the session up), read through the [`Ctx`]
//! extractor. Forms that change something arrive through [`Form`], which checks the
//! anti-forgery token before parsing.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::access::Actor;
use crate::i18n::Lang;

use super::error::AppError;

/// The session as the middleware found it.
#[derive(Debug, Clone)]
pub enum SessionState {
    Alive(Box<Actor>),
    /// A session cookie whose session timed out.
    Expired,
    None,
}

#[derive(Debug, Clone)]
pub struct Ctx {
    pub session: SessionState,
    pub lang: Lang,
    pub ip: String,
    /// Path and query of this request, for "come back here after signing in".
    pub path: String,
}

impl Ctx {
    /// The signed-in person, or a redirect to the sign-in page that comes back here.
    pub fn actor(&self) -> Result<&Actor, AppError> {
        match &self.session {
            SessionState::Alive(actor) => Ok(actor),
            SessionState::Expired => Err(AppError::SignIn {
                expired: true,
                next: self.path.clone(),
            }),
            SessionState::None => Err(AppError::SignIn {
                expired: false,
                next: self.path.clone(),
            }),
        }
    }

    /// The signed-in person if the policy lets them do `action` installation-wide;
    /// a redirect to sign in, or 403.
    pub fn require(&self, action: crate::access::policy::Action) -> Result<&Actor, AppError> {
        let actor = self.actor()?;
        if actor.can(action, crate::access::policy::Scope::Installation) {
            Ok(actor)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn maybe_actor(&self) -> Option<&Actor> {
        match &self.session {
            SessionState::Alive(actor) => Some(actor),
            _ => None,
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(ctx) = parts.extensions.get::<Ctx>() {
            return Ok(ctx.clone());
        }
        // Routes outside the session layer still get language, address and path.
        Ok(base_ctx(parts, SessionState::None))
    }
}

pub fn base_ctx(parts: &Parts, session: SessionState) -> Ctx {
    let lang = cookie(&parts.headers, "lang")
        .and_then(Lang::parse)
        .unwrap_or_default();
    let ip = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_default();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".into());
    Ctx {
        session,
        lang,
        ip,
        path,
    }
}

/// The value of cookie `name` in the request, if any.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A submitted form that carries a valid anti-forgery token (`csrf` field, the session's
/// token). Parsed with repeated keys allowed (`fields=1&fields=2`).
pub struct Form<T>(pub T);

/// Largest form body accepted (file uploads have their own limits).
const MAX_FORM_BYTES: usize = 256 * 1024;

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let expected = match req.extensions().get::<Ctx>().map(|c| &c.session) {
            Some(SessionState::Alive(actor)) => actor.csrf_token.clone(),
            other => {
                // Back to the page the form was on, once signed in again.
                return Err(AppError::SignIn {
                    expired: matches!(other, Some(SessionState::Expired)),
                    next: referring_path(req.headers()),
                });
            }
        };
        let bytes = axum::body::to_bytes(req.into_body(), MAX_FORM_BYTES)
            .await
            .map_err(|_| AppError::BadRequest("Nội dung gửi lên quá lớn."))?;
        let token = form_urlencoded_value(&bytes, "csrf");
        if !token.is_some_and(|t| constant_time_eq(t.as_bytes(), expected.as_bytes())) {
            return Err(AppError::Csrf);
        }
        serde_html_form::from_bytes(&bytes)
            .map(Form)
            .map_err(|_| AppError::BadRequest("Biểu mẫu gửi lên không đúng dạng."))
    }
}

/// The path of the page that sent this request (from `Referer`), or "/".
fn referring_path(headers: &axum::http::HeaderMap) -> String {
    let referer = headers
        .get(axum::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let path = referer
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    safe_next(path)
}

/// A local path to return to; anything that could leave the site becomes "/".
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    if ok { next.to_owned() } else { "/".to_owned() }
}

/// The first value of `key` in a urlencoded body.
pub fn form_urlencoded_value(body: &[u8], key: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_html_form::from_bytes(body).ok()?;
    pairs.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(super::safe_next("/people?x=1"), "/people?x=1");
        assert_eq!(super::safe_next("//evil.example"), "/");
        assert_eq!(super::safe_next("https://evil.example"), "/");
        assert_eq!(super::safe_next("/\\evil.example"), "/");
        assert_eq!(super::safe_next(""), "/");
    }
}
