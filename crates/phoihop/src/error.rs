//! The domain's error: what went wrong in words a person can act on. The kit's error
//! types (`kit::AppError`, `kit::ApiError`) turn it into a page or a JSON body; the
//! full chain goes to the log.

use crate::db::DbError;
use crate::i18n::Msg;

/// Text with a NUL character (copied from a binary file), which PostgreSQL cannot hold.
pub const NUL: Msg = "Có ký tự NUL (ký tự rỗng), không lưu được; xin xóa ký tự đó.";

/// Messages for named form fields, in the order they were found.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FieldErrors(pub Vec<(&'static str, Msg)>);

impl FieldErrors {
    pub fn new() -> Self {
        FieldErrors::default()
    }

    pub fn add(&mut self, field: &'static str, msg: Msg) {
        self.0.push((field, msg));
    }

    /// Parses one field, remembering its error; `None` when it failed.
    pub fn check<T>(&mut self, field: &'static str, parsed: Result<T, Msg>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(msg) => {
                self.add(field, msg);
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<Msg> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, m)| *m)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Err(self)` when anything was added.
    pub fn into_result(self) -> Result<(), Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The action does not fit the current state of things; the message says why.
    #[error("refused: {0}")]
    Refused(Msg),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl Error {
    pub fn field(field: &'static str, msg: Msg) -> Error {
        Error::Invalid(FieldErrors(vec![(field, msg)]))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
