//! Attachments in the browser: the upload form of the case page (multipart, with the
//! anti-forgery token as a field) and the download link. A refused upload shows the
//! case page again with the reason at its top.

use axum::Router;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::kit::{App, AppError, Ctx, constant_time_eq};

use super::{AttachmentError, Download, FileStore};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/cases/{number}/attachments", post(upload))
        .route("/attachments/{id}", get(download))
        .route("/attachments/{id}/withdraw", post(withdraw))
        // The upload is limited while it is read, to the configured size.
        .layer(DefaultBodyLimit::disable())
}

pub(super) fn store(app: &App) -> FileStore {
    FileStore::new(&app.config.data_dir, app.db.backend())
}

pub(super) fn max_bytes(app: &App) -> usize {
    usize::try_from(app.config.attachment_max_bytes).unwrap_or(usize::MAX)
}

/// What an upload form sent: the token and the file (name, bytes).
#[derive(Default)]
pub(super) struct Sent {
    pub csrf: Option<String>,
    pub file: Option<(String, Vec<u8>)>,
}

/// Reads the parts of an upload, each within its own limit, so that no part can make
/// us hold more than the largest file allowed.
pub(super) async fn read_upload(
    multipart: &mut Multipart,
    max: usize,
) -> Result<Sent, AttachmentError> {
    let mut sent = Sent::default();
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| AttachmentError::Malformed)?
    {
        let name = field.name().unwrap_or("").to_owned();
        let limit = match name.as_str() {
            "file" => max,
            _ => 4096,
        };
        let file_name = field.file_name().unwrap_or("").to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|_| AttachmentError::Malformed)?
        {
            if bytes.len() + chunk.len() > limit {
                return Err(match name.as_str() {
                    "file" => AttachmentError::TooLarge,
                    _ => AttachmentError::Malformed,
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => sent.csrf = String::from_utf8(bytes).ok(),
            "file" => sent.file = Some((file_name, bytes)),
            _ => {}
        }
    }
    Ok(sent)
}

impl From<AttachmentError> for AppError {
    fn from(e: AttachmentError) -> Self {
        match e {
            AttachmentError::NotFound => AppError::NotFound,
            AttachmentError::Forbidden => AppError::Forbidden,
            AttachmentError::Db(db) => db.into(),
            AttachmentError::Case(case) => case.into(),
            AttachmentError::Storage(detail) => AppError::internal("attachment storage", detail),
            AttachmentError::Malformed => AppError::BadRequest(e.message()),
            other => AppError::Refused(other.message()),
        }
    }
}

pub async fn upload(
    State(app): State<App>,
    ctx: Ctx,
    Path(number): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, AppError> {
    let actor = crate::case::pages::case_actor(&ctx)?;
    let token = ctx.actor()?.csrf_token.clone();
    let mut multipart =
        multipart.map_err(|_| AppError::BadRequest(AttachmentError::Malformed.message()))?;
    let result = match read_upload(&mut multipart, max_bytes(&app)).await {
        Ok(sent) => {
            if !sent
                .csrf
                .is_some_and(|t| constant_time_eq(t.as_bytes(), token.as_bytes()))
            {
                return Err(AppError::Csrf);
            }
            let (file_name, bytes) = sent.file.unwrap_or_default();
            super::upload(
                &app.db,
                &store(&app),
                actor,
                number.clone(),
                file_name,
                bytes,
            )
            .await
        }
        Err(e) => Err(e),
    };
    let refusal = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/cases/{number}#attachments")).into_response()),
        Err(e) => match e {
            AttachmentError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, e.message()),
            AttachmentError::TypeNotAllowed(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, e.message()),
            AttachmentError::Empty
            | AttachmentError::Unreadable
            | AttachmentError::Classified(_) => (StatusCode::UNPROCESSABLE_ENTITY, e.message()),
            other => return Err(other.into()),
        },
    };
    let (status, problem) = refusal;
    let html = crate::case::pages::case_page(&app, &ctx, number, None, Some(problem), 0).await?;
    Ok((status, Html(html)).into_response())
}

/// The response carrying a file: its sniffed type, and `attachment` so that the
/// browser saves it rather than shows it.
pub(super) fn file_response(file: Download) -> Response {
    let mime = HeaderValue::from_str(&file.mime)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&super::content_disposition(&file.file_name))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        axum::body::Body::new(file.body),
    )
        .into_response()
}

pub async fn download(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let actor = crate::case::pages::case_actor(&ctx)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let file = super::download(&app.db, &store(&app), actor, id).await?;
    Ok(file_response(file))
}

#[derive(serde::Deserialize)]
pub struct WithdrawForm {}

/// Takes a file off its case (an event; the file itself is kept).
pub async fn withdraw(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::kit::Form(_): crate::kit::Form<WithdrawForm>,
) -> Result<Response, AppError> {
    let actor = crate::case::pages::case_actor(&ctx)?;
    let number = app
        .db
        .write(move |c| super::withdraw(c, &actor, id))
        .await?;
    Ok(Redirect::to(&format!("/cases/{number}#attachments")).into_response())
}
