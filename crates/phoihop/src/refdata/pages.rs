//! Administrator pages for localities (with CSV import) and fields.

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::access::policy::Action;
use crate::audit::Who;
use crate::error::{Error, FieldErrors};
use crate::kit::{App, AppError, Ctx, Form, Page, constant_time_eq};
use crate::refdata::csv::{self, LineError};
use crate::refdata::{self, Field, FieldForm, ImportSummary, Locality};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/admin/localities", get(localities).post(import))
        .route("/admin/fields", get(fields).post(create_field))
}

#[derive(Template)]
#[template(path = "localities.html")]
struct LocalitiesPage {
    page: Page,
    localities: Vec<Locality>,
    closed: bool,
    summary: Option<ImportSummary>,
    errors: Vec<LineError>,
}

#[derive(serde::Deserialize, Default)]
pub struct LocalitiesQuery {
    #[serde(default)]
    closed: Option<String>,
}

async fn localities_page(
    app: &App,
    ctx: &Ctx,
    closed: bool,
    summary: Option<ImportSummary>,
    errors: Vec<LineError>,
) -> Result<String, AppError> {
    let localities = app.db.read(move |c| refdata::localities(c, closed)).await?;
    let page = Page::new(app, ctx, "Địa bàn");
    Ok(LocalitiesPage {
        page,
        localities,
        closed,
        summary,
        errors,
    }
    .render()?)
}

pub async fn localities(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<LocalitiesQuery>,
) -> Result<Html<String>, AppError> {
    ctx.require(Action::ManageReferenceData)?;
    Ok(Html(
        localities_page(&app, &ctx, q.closed.is_some(), None, Vec::new()).await?,
    ))
}

/// Largest localities file accepted.
const MAX_CSV_BYTES: usize = 4 * 1024 * 1024;

/// Replaces the list of localities from an uploaded CSV file.
pub async fn import(
    State(app): State<App>,
    ctx: Ctx,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    ctx.require(Action::ManageReferenceData)?;
    let actor = ctx.actor()?.clone();
    let (mut token, mut file) = (None, None);
    while let Some(part) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest("Không đọc được tệp gửi lên."))?
    {
        match part.name() {
            Some("csrf") => token = part.text().await.ok(),
            Some("file") => {
                let bytes = part
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest("Không đọc được tệp gửi lên."))?;
                if bytes.len() > MAX_CSV_BYTES {
                    return Err(AppError::BadRequest("Tệp quá lớn (tối đa 4 MB)."));
                }
                file = Some(bytes);
            }
            _ => {}
        }
    }
    if !token.is_some_and(|t| constant_time_eq(t.as_bytes(), actor.csrf_token.as_bytes())) {
        return Err(AppError::Csrf);
    }
    let rows = match file.filter(|f| !f.is_empty()) {
        None => Err(vec![LineError {
            line: 0,
            message: "Chưa chọn tệp CSV.".into(),
        }]),
        Some(bytes) => csv::parse_localities(&bytes),
    };
    let rows = match rows {
        Ok(rows) => rows,
        Err(errors) => {
            let html = localities_page(&app, &ctx, false, None, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
        }
    };
    let who = Who::of(&actor, &ctx.ip);
    let summary = app
        .db
        .write(move |c| refdata::import_localities(c, &who, &rows))
        .await?;
    Ok(Html(localities_page(&app, &ctx, false, Some(summary), Vec::new()).await?).into_response())
}

#[derive(Template)]
#[template(path = "fields.html")]
struct FieldsPage {
    page: Page,
    fields: Vec<Field>,
    form: FieldForm,
    errors: FieldErrors,
}

async fn fields_page(
    app: &App,
    ctx: &Ctx,
    form: FieldForm,
    errors: FieldErrors,
) -> Result<String, AppError> {
    let fields = app.db.read(|c| refdata::fields(c, true)).await?;
    let page = Page::new(app, ctx, "Lĩnh vực");
    Ok(FieldsPage {
        page,
        fields,
        form,
        errors,
    }
    .render()?)
}

pub async fn fields(State(app): State<App>, ctx: Ctx) -> Result<Html<String>, AppError> {
    ctx.require(Action::ManageReferenceData)?;
    Ok(Html(
        fields_page(&app, &ctx, FieldForm::default(), FieldErrors::new()).await?,
    ))
}

pub async fn create_field(
    State(app): State<App>,
    ctx: Ctx,
    Form(form): Form<FieldForm>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManageReferenceData)?;
    let who = Who::of(ctx.actor()?, &ctx.ip);
    let submitted = form.clone();
    match app
        .db
        .write(move |c| refdata::create_field(c, &who, &submitted))
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/fields").into_response()),
        Err(Error::Invalid(errors)) => {
            let html = fields_page(&app, &ctx, form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
