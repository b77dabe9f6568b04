//! The notifications page: the list, newest first, and marking read.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::clock;
use crate::kit::{App, AppError, Ctx, Form, Page};

use super::Notification;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/read", post(read))
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListPage {
    page: Page,
    items: Vec<Notification>,
    next_href: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    before: Option<i64>,
}

pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let user = ctx.actor()?.user_id;
    let items = app.db.read(move |c| super::list(c, user, q.before)).await?;
    let next_href = (items.len() as i64 == super::PAGE)
        .then(|| {
            items
                .last()
                .map(|n| format!("/notifications?before={}", n.id))
        })
        .flatten();
    let page = Page::new(&app, &ctx, "Thông báo");
    Ok(Html(
        ListPage {
            page,
            items,
            next_href,
        }
        .render()?,
    ))
}

#[derive(serde::Deserialize, Default)]
pub struct ReadForm {
    /// One notification, or all when absent.
    #[serde(default)]
    id: Option<i64>,
    /// Where to go next (the notification's link), a local path.
    #[serde(default)]
    next: String,
}

pub async fn read(
    State(app): State<App>,
    ctx: Ctx,
    Form(form): Form<ReadForm>,
) -> Result<Response, AppError> {
    let user = ctx.actor()?.user_id;
    let id = form.id;
    app.db
        .write(move |c| super::mark_read(c, user, id, clock::now_ms()))
        .await?;
    let next = crate::kit::safe_next(if form.next.is_empty() {
        "/notifications"
    } else {
        &form.next
    });
    Ok(Redirect::to(&next).into_response())
}
