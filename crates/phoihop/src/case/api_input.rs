//! What the API reads from a request, read as strictly as the OpenAPI document says:
//! a query parameter of the wrong type or out of its range is a 422 `invalid_parameter`
//! (pages ignore such a filter; a program deserves to know), a body that is not the
//! JSON object it should be is a 400 `invalid_json`, 413 `too_large` or 415
//! `unsupported_media_type`, and a property of the wrong type is a 422
//! `invalid_fields` naming it.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Map, Value, json};

use crate::clock;

use super::api_error::{ApiError, ErrorCode};
use super::engine::{MAX_TEXT, MAX_TITLE};

/// Largest JSON body accepted.
pub const MAX_JSON: usize = 1024 * 1024;

/// Largest id the API takes (ids are 64-bit).
pub const MAX_ID: i64 = i64::MAX;

const PARAMETER: &str = "Tham số không hợp lệ (xem trường fields).";

/// The parameters of a query string, in order; the first of a repeated name counts.
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub fn parse(raw: Option<&str>) -> Result<QueryParams, ApiError> {
        let raw = raw.unwrap_or("");
        serde_html_form::from_bytes::<Vec<(String, String)>>(raw.as_bytes())
            .map(QueryParams)
            .map_err(|_| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::BadRequest,
                    "Không đọc được chuỗi truy vấn (query string).",
                )
            })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A string parameter, as sent (absent when not sent).
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }

    /// An integer within `min..=max`.
    pub fn integer(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, ApiError> {
        let Some(v) = self.get(name) else {
            return Ok(None);
        };
        match v.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(ApiError::invalid(
                ErrorCode::InvalidParameter,
                name,
                "Phải là một số nguyên trong giới hạn cho phép.",
                PARAMETER,
            )),
        }
    }

    /// One of the listed values.
    pub fn one_of(&self, name: &str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if allowed.contains(&v) => Ok(Some(v.to_owned())),
            Some(_) => Err(ApiError::invalid(
                ErrorCode::InvalidParameter,
                name,
                "Không phải một giá trị được chấp nhận.",
                PARAMETER,
            )),
        }
    }

    /// `true` or `false`.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(ApiError::invalid(
                ErrorCode::InvalidParameter,
                name,
                "Phải là true hoặc false.",
                PARAMETER,
            )),
        }
    }

    /// A date `yyyy-mm-dd`; returned as sent.
    pub fn date(&self, name: &str) -> Result<Option<String>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) if clock::parse_iso_date(v).is_some() && v.len() == 10 => {
                Ok(Some(v.to_owned()))
            }
            Some(_) => Err(ApiError::invalid(
                ErrorCode::InvalidParameter,
                name,
                "Phải là một ngày có thật, dạng yyyy-mm-dd.",
                PARAMETER,
            )),
        }
    }
}

/// Reads a JSON object body, with errors that say what was wrong.
pub fn json_object(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Map<String, Value>, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::TooLarge,
            "Nội dung gửi lên quá lớn (tối đa 1 MB).",
        )
    };
    if let Some(kind) = headers.get(header::CONTENT_TYPE) {
        let essence = kind
            .to_str()
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence != "application/json" {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
                "Nội dung phải là JSON (Content-Type: application/json).",
            ));
        }
    }
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidJson,
                "Không đọc được nội dung gửi lên.",
            )
        }
    })?;
    if body.len() > MAX_JSON {
        return Err(too_large());
    }
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidJson,
            "Cần một đối tượng JSON.",
        )),
        Err(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidJson,
            "Nội dung không phải JSON hợp lệ.",
        )),
    }
}

/// The type a body property must have, as the document declares it.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// A string of at most so many characters (as sent), not only spaces when `required`.
    Text { max: usize, required: bool },
    /// An id: an integer from 1.
    Id,
    /// A list of ids, non-empty when `required`.
    Ids { required: bool },
    /// A list of non-empty strings, non-empty when `required`.
    Strings { required: bool },
}

/// Checks one property; the message when it does not fit.
pub fn check(value: &Value, expect: Expect) -> Result<(), &'static str> {
    match expect {
        Expect::Text { max, required } => {
            let s = value.as_str().ok_or("Phải là một chuỗi.")?;
            if s.chars().count() > max {
                return Err("Quá dài.");
            }
            if s.contains('\0') {
                return Err(super::engine::NUL);
            }
            if required && s.trim().is_empty() {
                return Err("Không được để trống.");
            }
            Ok(())
        }
        Expect::Id => id(value).map(|_| ()).ok_or("Phải là một số nguyên từ 1."),
        Expect::Ids { required } => match value {
            Value::Array(items)
                if !(required && items.is_empty()) && items.iter().all(|v| id(v).is_some()) =>
            {
                Ok(())
            }
            _ => Err("Phải là một danh sách các số nguyên từ 1."),
        },
        Expect::Strings { required } => match value {
            Value::Array(items)
                if !(required && items.is_empty())
                    && items.iter().all(|v| {
                        v.as_str()
                            .is_some_and(|s| !s.trim().is_empty() && !s.contains('\0'))
                    }) =>
            {
                Ok(())
            }
            _ => Err("Phải là một danh sách các chuỗi không rỗng."),
        },
    }
}

/// An id as JSON has it: an integer from 1 (`3.0` is the integer 3, as JSON Schema
/// counts).
pub fn id(value: &Value) -> Option<i64> {
    let n = value.as_i64().or_else(|| {
        let f = value.as_f64()?;
        (f.fract() == 0.0 && (1.0..9.2e18).contains(&f)).then_some(f as i64)
    })?;
    (n >= 1).then_some(n)
}

impl Expect {
    /// The JSON Schema of a value of this type, for the OpenAPI document.
    pub fn schema(self) -> Value {
        let id = json!({"type": "integer", "minimum": 1, "maximum": MAX_ID});
        match self {
            Expect::Text {
                max,
                required: true,
            } => json!({
                "type": "string", "maxLength": max, "pattern": NOT_BLANK
            }),
            Expect::Text {
                max,
                required: false,
            } => json!({
                "type": "string", "maxLength": max, "pattern": NO_NUL
            }),
            Expect::Id => id,
            Expect::Ids { required } => json!({
                "type": "array", "items": id, "minItems": usize::from(required)
            }),
            Expect::Strings { required } => json!({
                "type": "array", "items": {"type": "string", "pattern": NOT_BLANK},
                "minItems": usize::from(required)
            }),
        }
    }
}

/// Some character that is not white space (as Rust's `trim` counts it, which the server
/// applies) and no NUL (which no database column holds).
pub const NOT_BLANK: &str = "^[^\\u0000]*[^\\u0000\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000]*$";
/// No NUL.
pub const NO_NUL: &str = "^[^\\u0000]*$";

/// The properties of a new case besides `kind` and the kind's own fields, as checked and
/// as documented.
pub const NEW_CASE: &[(&str, Expect)] = &[
    (
        "title",
        Expect::Text {
            max: MAX_TITLE,
            required: true,
        },
    ),
    (
        "body",
        Expect::Text {
            max: MAX_TEXT,
            required: false,
        },
    ),
    ("program_id", Expect::Id),
    ("field_id", Expect::Id),
    ("locality_id", Expect::Id),
    ("commitment_id", Expect::Id),
    ("owner_org_id", Expect::Id),
];
