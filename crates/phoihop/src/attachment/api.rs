//! Attachments through the JSON API: upload to a case (multipart, field `file`), list a
//! case's attachments, download one. The caller is a bearer token or a session with
//! `X-CSRF-Token`, as for the rest of `/api/v1`; errors are
//! `{"error": {"code": "too_large" | "type_not_allowed" | "classified" | …, "message": "…"}}`.

use axum::Json;
use axum::Router;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::case::model::CaseActor;
use crate::kit::{ApiActor, ApiError, App, ErrorCode};

use super::pages::{file_response, max_bytes, read_upload, store};
use super::{Attachment, AttachmentError};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/cases/{number}/attachments", get(list).post(upload))
        .route("/api/v1/attachments/{id}", get(download))
        // The upload is limited while it is read, to the configured size.
        .layer(DefaultBodyLimit::disable())
}

impl From<AttachmentError> for ApiError {
    fn from(e: AttachmentError) -> Self {
        let status = match e {
            AttachmentError::Case(case) => return case.into(),
            AttachmentError::Db(db) => return db.into(),
            AttachmentError::NotFound => StatusCode::NOT_FOUND,
            AttachmentError::Forbidden => StatusCode::FORBIDDEN,
            AttachmentError::Empty | AttachmentError::Malformed => StatusCode::BAD_REQUEST,
            AttachmentError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AttachmentError::TypeNotAllowed(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AttachmentError::Unreadable | AttachmentError::Classified(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AttachmentError::Storage(ref detail) => {
                tracing::error!(error = %detail, "attachment storage");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        ApiError::new(status, e.code(), e.message())
    }
}

fn describe(a: &Attachment) -> Value {
    json!({
        "id": a.id,
        "file_name": a.file_name,
        "mime": a.mime,
        "size_bytes": a.size_bytes,
        "encoding_note": a.encoding_note,
        "uploaded_by": a.uploaded_by,
        "uploaded_at": a.uploaded_at,
        "href": format!("/api/v1/attachments/{}", a.id),
    })
}

pub async fn upload(
    State(app): State<App>,
    ApiActor(actor): ApiActor,
    Path(number): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        });
    if !is_form {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "Gửi tệp dưới dạng biểu mẫu multipart/form-data, trường file.",
        ));
    }
    let mut multipart = multipart.map_err(|_| ApiError::from(AttachmentError::Malformed))?;
    let sent = read_upload(&mut multipart, max_bytes(&app)).await?;
    let (file_name, bytes) = sent.file.ok_or(AttachmentError::Empty)?;
    let attachment = super::upload(
        &app.db,
        &store(&app),
        CaseActor::from(&actor),
        number,
        file_name,
        bytes,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/attachments/{}", attachment.id),
        )],
        Json(json!({ "attachment": describe(&attachment) })),
    )
        .into_response())
}

pub async fn list(
    State(app): State<App>,
    ApiActor(actor): ApiActor,
    Path(number): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let actor = CaseActor::from(&actor);
    let attachments = app
        .db
        .read(move |c| super::visible_on(c, &actor, &number))
        .await?;
    Ok(Json(
        json!({ "attachments": attachments.iter().map(describe).collect::<Vec<_>>() }),
    ))
}

pub async fn download(
    State(app): State<App>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: i64 = id.parse().map_err(|_| AttachmentError::NotFound)?;
    let file = super::download(&app.db, &store(&app), CaseActor::from(&actor), id).await?;
    Ok(file_response(file))
}
