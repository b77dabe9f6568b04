//! The public calendar API, version 1: deadlines counted in working days, for partner
//! systems and scripts that must agree with this installation (its administrator's
//! entries included). No sign-in. Every failure is JSON with a stable `code` and a
//! Vietnamese `message`; bad input is 422, never a 500.

use axum::Json;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::calendar::{self, MAX_DAYS, WorkingDayCalendar};
use crate::clock;
use crate::db::DbError;
use crate::error::Error;
use crate::i18n::Msg;
use crate::kit::{ApiError, App, ErrorCode, form_urlencoded_value};

pub fn routes() -> Router<App> {
    Router::new().route("/api/v1/calendar/add-working-days", get(add_working_days))
}

#[derive(serde::Serialize)]
struct Answer {
    from: String,
    days: u32,
    date: String,
}

fn failure(status: StatusCode, code: ErrorCode, message: Msg) -> Response {
    ApiError::new(status, code, message).into_response()
}

fn invalid(code: ErrorCode, message: Msg) -> Response {
    failure(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

/// `GET /api/v1/calendar/add-working-days?from=2026-02-13&days=1`: the working day
/// `days` working days after `from` (see [`WorkingDayCalendar::add_working_days`]).
pub async fn add_working_days(State(app): State<App>, RawQuery(query): RawQuery) -> Response {
    // Read by hand, not with `Query<T>`, so that any malformed query is our 422.
    let query = query.unwrap_or_default();
    let value = |key| form_urlencoded_value(query.as_bytes(), key);
    let from = value("from")
        .as_deref()
        .and_then(clock::parse_user_date)
        .filter(|d| WorkingDayCalendar::covers(*d));
    let Some(from) = from else {
        return invalid(
            ErrorCode::InvalidDate,
            "Tham số from phải là một ngày dạng yyyy-mm-dd (hoặc dd/mm/yyyy) trong các năm 1900–2199.",
        );
    };
    let days = value("days")
        .and_then(|d| d.trim().parse::<u32>().ok())
        .filter(|d| *d <= MAX_DAYS);
    let Some(days) = days else {
        return invalid(
            ErrorCode::InvalidDays,
            "Tham số days phải là một số nguyên từ 0 đến 3650.",
        );
    };
    let calendar = match app.db.read(calendar::load).await {
        Ok(calendar) => calendar,
        Err(e) => return unavailable(e),
    };
    match calendar.add_working_days(from, days) {
        Some(date) => Json(Answer {
            from: clock::iso_date(from),
            days,
            date: clock::iso_date(date),
        })
        .into_response(),
        None => invalid(
            ErrorCode::InvalidDate,
            "Ngày tính ra vượt quá năm 2199, giới hạn của lịch.",
        ),
    }
}

fn unavailable(e: Error) -> Response {
    tracing::error!(error = %e, "calendar API: loading the calendar");
    match e {
        Error::Db(DbError::Unavailable(_)) => failure(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            "Tạm thời không kết nối được cơ sở dữ liệu; xin thử lại sau ít phút.",
        ),
        _ => failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "Hệ thống gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại.",
        ),
    }
}
