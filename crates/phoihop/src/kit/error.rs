//! The one error type of the pages. Handlers return `Result<_, AppError>`; the
//! response carries the error as an extension and `web`'s `render_errors` middleware
//! has it drawn as a page in the person's language ([`ErrorPage::render`]). Internal
//! details go to the log, never into the page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::db::DbError;
use crate::error::Error;
use crate::i18n::Msg;

use super::page::Page;

#[derive(Debug)]
pub enum AppError {
    /// Not signed in, or the session ended: go to the sign-in page and come back.
    SignIn {
        expired: bool,
        next: String,
    },
    NotFound,
    Forbidden,
    /// A form without a valid anti-forgery token, or posted from another site.
    Csrf,
    /// A request we cannot read (malformed form, oversize body).
    BadRequest(Msg),
    /// The action does not fit the state of things.
    Refused(Msg),
    /// The database cannot be reached.
    Unavailable,
    /// A bug or an unexpected failure; the text goes to the log only.
    Internal(String),
}

/// What the error page shows: status, heading and explanation (Vietnamese; translated
/// when rendered).
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    pub heading: Msg,
    pub detail: Msg,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    page: Page,
    heading: String,
    detail: String,
}

impl ErrorPage {
    /// The error page in the page's language; `None` when it cannot be drawn (the
    /// plain-text answer then stands).
    pub fn render(&self, page: Page) -> Option<Response> {
        let template = ErrorTemplate {
            heading: page.tr(self.heading).to_owned(),
            detail: page.tr(self.detail).to_owned(),
            page,
        };
        match template.render() {
            Ok(html) => Some((self.status, Html(html)).into_response()),
            Err(e) => {
                tracing::error!(error = %e, "rendering the error page");
                None
            }
        }
    }
}

impl AppError {
    pub fn internal(context: &str, e: impl std::fmt::Display) -> AppError {
        AppError::Internal(format!("{context}: {e}"))
    }

    fn page(&self) -> ErrorPage {
        let (status, heading, detail) = match self {
            AppError::SignIn { .. } => (
                StatusCode::UNAUTHORIZED,
                "Cần đăng nhập",
                "Xin đăng nhập để tiếp tục.",
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Không tìm thấy",
                "Trang hoặc hồ sơ này không có, hoặc bạn không có quyền xem.",
            ),
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Không có quyền",
                "Vai trò của bạn không được làm việc này. Nếu cần, xin liên hệ quản trị hệ thống.",
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "Biểu mẫu không hợp lệ",
                "Biểu mẫu đã cũ hoặc không gửi từ trang của hệ thống. Xin quay lại, tải lại trang và gửi lại; nội dung đã nhập vẫn còn trên trang trước.",
            ),
            AppError::BadRequest(msg) => (StatusCode::BAD_REQUEST, "Yêu cầu không hợp lệ", *msg),
            AppError::Refused(msg) => (StatusCode::CONFLICT, "Không thực hiện được", *msg),
            AppError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Tạm thời không phục vụ được",
                "Không kết nối được cơ sở dữ liệu. Xin thử lại sau ít phút; nếu vẫn lỗi, báo quản trị hệ thống.",
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Đã có lỗi",
                "Hệ thống gặp lỗi khi xử lý yêu cầu. Lỗi đã được ghi lại; xin thử lại hoặc báo quản trị hệ thống.",
            ),
        };
        ErrorPage {
            status,
            heading,
            detail,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::SignIn { expired, next } => {
                let reason = if expired { "&reason=idle" } else { "" };
                let target = format!("/login?next={}{reason}", urlencode(&next));
                Redirect::to(&target).into_response()
            }
            other => {
                if let AppError::Internal(detail) = &other {
                    tracing::error!(error = %detail, "request failed");
                }
                let page = other.page();
                let mut response = (page.status, page.detail).into_response();
                response.extensions_mut().insert(page);
                response
            }
        }
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound => AppError::NotFound,
            Error::Forbidden => AppError::Forbidden,
            Error::Refused(msg) => AppError::Refused(msg),
            Error::Invalid(errors) => AppError::BadRequest(
                errors
                    .0
                    .first()
                    .map_or("Dữ liệu không hợp lệ.", |(_, m)| *m),
            ),
            Error::Db(db) => db.into(),
        }
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(detail) => {
                tracing::error!(error = %detail, "database unavailable");
                AppError::Unavailable
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::internal("rendering a template", e)
    }
}

/// Appends `text` escaped for HTML text and attribute values (what askama does to a
/// value), for the few fragments built outside a template: pickers' options, search
/// snippets with their marks.
pub fn escape_html_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Percent-encodes a value for a query string.
pub fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
