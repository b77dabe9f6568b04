//! Who calls the API: the person behind a bearer token (`access::token`), or the
//! browser's session that `web` put in the request, whose writes then need the
//! `X-CSRF-Token` header.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};

use crate::access::{self, Actor};

use super::App;
use super::api_error::{ApiError, ErrorCode};
use super::ctx::{Ctx, constant_time_eq};

/// The caller: a bearer token, or the browser's session (whose writes then need the
/// `X-CSRF-Token` header).
pub struct ApiActor(pub Actor);

impl FromRequestParts<App> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let unauthorized = || {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
                "Cần mã truy cập (Authorization: Bearer …) hoặc phiên đăng nhập.",
            )
        };
        if let Some(value) = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        {
            let token = value
                .strip_prefix("Bearer ")
                .ok_or_else(unauthorized)?
                .trim()
                .to_owned();
            let used = app
                .db
                .read_quick(move |c| access::token::lookup(c, &token))
                .await?
                .ok_or_else(unauthorized)?;
            if used.record_use {
                let id = used.token_id;
                // A missed record is not worth failing the call for.
                if let Err(e) = app
                    .db
                    .write(move |c| access::token::record_use(c, id))
                    .await
                {
                    tracing::warn!(error = %e, "recording a token's use");
                }
            }
            return Ok(ApiActor(used.actor));
        }
        let ctx = Ctx::from_request_parts(parts, app)
            .await
            .map_err(|_| unauthorized())?;
        let actor = ctx.maybe_actor().cloned().ok_or_else(unauthorized)?;
        if parts.method != Method::GET {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), actor.csrf_token.as_bytes()) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    ErrorCode::Csrf,
                    "Thiếu hoặc sai mã chống giả mạo (X-CSRF-Token).",
                ));
            }
        }
        Ok(ApiActor(actor))
    }
}
