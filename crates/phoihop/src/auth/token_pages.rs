//! A person's own API tokens (mã truy cập API): create one (shown once), see them,
//! revoke one.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::auth::token::{self, TokenInfo};
use crate::db::DbError;
use crate::kit::{App, AppError, Ctx, Form, Page};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/me/tokens", get(list).post(create))
        .route("/me/tokens/{id}/revoke", post(revoke))
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    page: Page,
    tokens: Vec<TokenInfo>,
    /// A token just created, shown this once.
    created: Option<String>,
    error: Option<&'static str>,
    name: String,
}

async fn page(
    app: &App,
    ctx: &Ctx,
    created: Option<String>,
    error: Option<&'static str>,
    name: String,
) -> Result<String, AppError> {
    let user = ctx.actor()?.user_id;
    let tokens = app.db.read(move |c| token::list(c, user)).await?;
    Ok(TokensPage {
        page: Page::new(app, ctx, "Mã truy cập API"),
        tokens,
        created,
        error,
        name,
    }
    .render()?)
}

pub async fn list(State(app): State<App>, ctx: Ctx) -> Result<Html<String>, AppError> {
    Ok(Html(page(&app, &ctx, None, None, String::new()).await?))
}

#[derive(serde::Deserialize, Default)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
}

pub async fn create(
    State(app): State<App>,
    ctx: Ctx,
    Form(form): Form<CreateForm>,
) -> Result<Response, AppError> {
    let user = ctx.actor()?.user_id;
    let name = vntext::normalize(form.name.trim());
    if name.is_empty() || name.chars().count() > 100 {
        let html = page(
            &app,
            &ctx,
            None,
            Some("Đặt tên cho mã (1–100 ký tự), để sau này nhận ra nó dùng vào việc gì."),
            form.name,
        )
        .await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
    }
    let created = app
        .db
        .write(move |c| -> Result<String, DbError> { token::create(c, user, &name) })
        .await?;
    Ok(Html(page(&app, &ctx, Some(created), None, String::new()).await?).into_response())
}

pub async fn revoke(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(_): Form<CreateForm>,
) -> Result<Response, AppError> {
    let user = ctx.actor()?.user_id;
    if !app.db.write(move |c| token::revoke(c, user, id)).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/me/tokens").into_response())
}
