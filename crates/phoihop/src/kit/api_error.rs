//! The API's errors: `{"error": {"code", "message", …}}`. Every code the API can send is
//! an [`ErrorCode`], and the OpenAPI document's enum is [`ErrorCode::ALL`], so the two
//! cannot drift apart: an error cannot be built from a string. Each domain's API turns
//! its own errors into an [`ApiError`]; the table of codes is the whole API's, here.

use axum::Json;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::db::DbError;

/// Declares [`ErrorCode`], its list and its names from one table, so that no code can
/// be sent that the document does not list.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// The stable codes of the API's errors.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, in the order the document lists them.
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }
        }
    };
}

error_codes! {
    /// A request the server cannot read at all (a malformed path or query string).
    BadRequest = "bad_request",
    InvalidJson = "invalid_json",
    InvalidMultipart = "invalid_multipart",
    MissingFile = "missing_file",
    Unauthorized = "unauthorized",
    /// A session's write without its `X-CSRF-Token`, or a write from another site.
    Csrf = "csrf",
    Forbidden = "forbidden",
    NotFound = "not_found",
    MethodNotAllowed = "method_not_allowed",
    WrongState = "wrong_state",
    StaleVersion = "stale_version",
    Refused = "refused",
    TooLarge = "too_large",
    /// A body of another type than the operation takes (JSON, or a multipart form).
    UnsupportedMediaType = "unsupported_media_type",
    /// A file whose bytes are of a type not accepted.
    TypeNotAllowed = "type_not_allowed",
    /// A query parameter of the wrong type or out of its range.
    InvalidParameter = "invalid_parameter",
    InvalidFields = "invalid_fields",
    UnknownKind = "unknown_kind",
    UnknownAction = "unknown_action",
    Unreadable = "unreadable",
    Classified = "classified",
    EmptyQuery = "empty_query",
    QueryTooBroad = "query_too_broad",
    InvalidDate = "invalid_date",
    InvalidDays = "invalid_days",
    Internal = "internal",
    /// The database does not answer.
    Unavailable = "unavailable",
    IndexNotReady = "index_not_ready",
}

/// An API error as sent.
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: &'static str,
    extra: Map<String, Value>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: &'static str) -> ApiError {
        ApiError {
            status,
            code,
            message,
            extra: Map::new(),
        }
    }

    /// A value that does not fit: 422 with the name and what was wrong, as for fields.
    pub fn invalid(
        code: ErrorCode,
        name: &str,
        message: &'static str,
        overall: &'static str,
    ) -> ApiError {
        let mut fields = Map::new();
        fields.insert(name.to_owned(), message.into());
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, overall)
            .with("fields", Value::Object(fields))
    }

    /// The same error with one more property beside `code` and `message`.
    pub fn with(mut self, name: &str, value: Value) -> ApiError {
        self.extra.insert(name.to_owned(), value);
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }
}

/// A database that does not answer is 503 `unavailable`; anything else it says is a
/// 500 `internal`, its detail in the log only.
impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        tracing::error!(error = %e, "API");
        match e {
            DbError::Unavailable(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                "Tạm thời không kết nối được cơ sở dữ liệu. Xin thử lại sau ít giây.",
            ),
            _ => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "Hệ thống gặp lỗi khi xử lý yêu cầu.",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = Map::new();
        error.insert("code".into(), self.code.as_str().into());
        error.insert("message".into(), self.message.into());
        error.extend(self.extra);
        (self.status, Json(json!({ "error": error }))).into_response()
    }
}

/// Under `/api/`, an error answered by something other than an API handler (the router's
/// 404 and 405, a refused cross-site write, an extractor's rejection) becomes the API's
/// JSON error with the same status and headers (`Allow` stays), so that a program
/// always gets `{"error": {"code", "message"}}`.
pub async fn json_errors(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (code, message) = match status {
        StatusCode::UNAUTHORIZED => (
            ErrorCode::Unauthorized,
            "Cần mã truy cập (Authorization: Bearer …) hoặc phiên đăng nhập.",
        ),
        StatusCode::FORBIDDEN => (
            ErrorCode::Csrf,
            "Yêu cầu ghi gửi từ trang của nơi khác bị từ chối.",
        ),
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, "Không có địa chỉ này trong API."),
        StatusCode::METHOD_NOT_ALLOWED => (
            ErrorCode::MethodNotAllowed,
            "Địa chỉ này không nhận phương thức này (xem tiêu đề Allow).",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (ErrorCode::TooLarge, "Nội dung gửi lên quá lớn."),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            ErrorCode::UnsupportedMediaType,
            "Kiểu nội dung gửi lên không được nhận.",
        ),
        StatusCode::SERVICE_UNAVAILABLE => (
            ErrorCode::Unavailable,
            "Tạm thời không phục vụ được; xin thử lại sau ít phút.",
        ),
        s if s.is_client_error() => (ErrorCode::BadRequest, "Không đọc được yêu cầu."),
        _ => (
            ErrorCode::Internal,
            "Hệ thống gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại.",
        ),
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let fresh = ApiError::new(status, code, message).into_response();
    let (fresh_parts, body) = fresh.into_parts();
    parts.headers.extend(fresh_parts.headers);
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn every_code_has_its_own_name() {
        let names: std::collections::HashSet<&str> =
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        assert!(
            names
                .iter()
                .all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        );
    }
}
