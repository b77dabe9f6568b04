//! The case engine (hồ sơ): every kind of joint work is a case with a kind, a human
//! number, a state, an append-only trail of events, deadline clocks and links. Kinds
//! declare their workflow as data (`kinds/`); the engine (`engine.rs`) does the rest.
//! Pages live in `pages.rs`, the JSON API in `api.rs`.

pub mod api;
mod api_input;
#[cfg(feature = "bench")]
pub mod bench;
mod clocks;
pub mod columns;
pub mod demo;
mod effects;
pub mod engine;
pub mod export;
pub mod fields;
pub mod hooks;
pub mod kinds;
pub mod list;
pub mod model;
mod new_case;
pub mod openapi;
mod openapi_schemas;
pub mod pages;
pub mod parties;
pub mod surfaces;
pub mod view;
pub mod work;
pub mod workflow;

use crate::db::DbError;
use crate::error::FieldErrors;
use crate::i18n::Msg;

/// Every state of every kind, once: what lists and searches may filter by.
pub fn all_states() -> Vec<&'static str> {
    let mut states: Vec<&str> = kinds::ALL
        .iter()
        .flat_map(|w| w.states.iter().map(|s| s.code))
        .collect();
    states.sort_unstable();
    states.dedup();
    states
}

/// Why an action on a case did not happen. Each has a stable code for the API.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// No such case, or not one the person may see (the same answer, on purpose).
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("unknown action")]
    UnknownAction,
    #[error("action not allowed in state {state}")]
    WrongState { state: String },
    /// The case changed since the person looked at it.
    #[error("stale version")]
    Stale { current: Box<model::Case> },
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    #[error("refused: {0}")]
    Refused(Msg),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl CaseError {
    /// The stable code of the API's error body.
    pub fn code(&self) -> crate::kit::ErrorCode {
        use crate::kit::ErrorCode as C;
        match self {
            CaseError::NotFound => C::NotFound,
            CaseError::Forbidden => C::Forbidden,
            CaseError::UnknownAction => C::UnknownAction,
            CaseError::WrongState { .. } => C::WrongState,
            CaseError::Stale { .. } => C::StaleVersion,
            CaseError::Invalid(_) => C::InvalidFields,
            CaseError::Refused(_) => C::Refused,
            CaseError::Db(DbError::Unavailable(_)) => C::Unavailable,
            CaseError::Db(_) => C::Internal,
        }
    }

    /// What to tell the person, in Vietnamese.
    pub fn message(&self) -> Msg {
        match self {
            CaseError::NotFound => "Không tìm thấy hồ sơ này, hoặc bạn không có quyền xem.",
            CaseError::Forbidden => "Bạn không được thực hiện thao tác này trên hồ sơ này.",
            CaseError::UnknownAction => "Không có thao tác này cho loại hồ sơ này.",
            CaseError::WrongState { .. } => "Hồ sơ đang ở trạng thái không cho phép thao tác này.",
            CaseError::Stale { .. } => {
                "Hồ sơ vừa được người khác thay đổi. Xin xem lại thay đổi rồi thực hiện lại; nội dung bạn nhập vẫn được giữ."
            }
            CaseError::Invalid(_) => "Thông tin gửi lên chưa đủ hoặc chưa đúng.",
            CaseError::Refused(msg) => msg,
            CaseError::Db(DbError::Unavailable(_)) => {
                "Tạm thời không kết nối được cơ sở dữ liệu. Xin thử lại sau ít giây."
            }
            CaseError::Db(_) => "Hệ thống gặp lỗi khi xử lý yêu cầu.",
        }
    }
}
