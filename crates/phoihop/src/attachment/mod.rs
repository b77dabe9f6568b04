//! Attachments on cases (tệp đính kèm): checking an uploaded file (its kind sniffed
//! from the bytes, its text extracted, classified material refused), storing it by
//! content (`store.rs`), recording it with an `attach` event on the case, listing and
//! serving it to the people who may see the case. The web pages are in `pages.rs`,
//! the JSON API in `api.rs`; who sees and acts on a case is the case engine's rule.
//! Withdrawing an attachment is an event (`withdrawn_at`, and a `withdraw_attachment`
//! event on the case): the row and the bytes stay, the file leaves the case's list.

pub mod api;
mod blobs;
pub mod classified;
pub mod extract;
mod legacy;
mod names;
mod ooxml;
pub mod pages;
mod pdf;
mod pdf_lex;
mod pdf_text;
pub mod sniff;
pub mod store;
mod stream;

use crate::case::model::{self, CASE_COLUMNS, Case, CaseActor};
use crate::case::{CaseError, kinds};
use crate::clock;
use crate::db::{Conn, Db, DbError, Row};
use crate::i18n::Msg;
use crate::kit::ErrorCode;
use crate::org;
use crate::params;

pub use names::{clean_file_name, content_disposition};
pub use store::FileStore;

/// Why an upload or a download did not happen. Each has a stable code for the API.
#[derive(Debug, thiserror::Error)]
pub enum AttachmentError {
    /// No such case or file, or not one the person may see (the same answer, on purpose).
    #[error("not found")]
    NotFound,
    /// The person sees the case but may take no action on it.
    #[error("forbidden")]
    Forbidden,
    #[error("no file")]
    Empty,
    #[error("too large")]
    TooLarge,
    #[error("type not allowed")]
    TypeNotAllowed(Msg),
    #[error("unreadable")]
    Unreadable,
    /// The text carries a classification stamp (the degree found).
    #[error("classified: {0}")]
    Classified(&'static str),
    #[error("malformed upload")]
    Malformed,
    #[error("storage: {0}")]
    Storage(String),
    #[error(transparent)]
    Case(CaseError),
    #[error(transparent)]
    Db(#[from] DbError),
}

pub const CLASSIFIED: Msg = "Tệp có dấu chỉ độ mật (MẬT, TỐI MẬT hoặc TUYỆT MẬT). Tài liệu mật tuyệt đối không được xử lý trên hệ thống có kết nối mạng, nên tệp đã bị từ chối và không có gì của tệp được lưu lại. Xin xử lý tài liệu theo quy định về bảo vệ bí mật nhà nước.";

impl AttachmentError {
    /// The stable code of the API's error body.
    pub fn code(&self) -> ErrorCode {
        match self {
            AttachmentError::NotFound => ErrorCode::NotFound,
            AttachmentError::Forbidden => ErrorCode::Forbidden,
            AttachmentError::Empty => ErrorCode::MissingFile,
            AttachmentError::TooLarge => ErrorCode::TooLarge,
            AttachmentError::TypeNotAllowed(_) => ErrorCode::TypeNotAllowed,
            AttachmentError::Unreadable => ErrorCode::Unreadable,
            AttachmentError::Classified(_) => ErrorCode::Classified,
            AttachmentError::Malformed => ErrorCode::InvalidMultipart,
            AttachmentError::Db(DbError::Unavailable(_)) => ErrorCode::Unavailable,
            AttachmentError::Storage(_) | AttachmentError::Db(_) => ErrorCode::Internal,
            AttachmentError::Case(e) => e.code(),
        }
    }

    /// What to tell the person, in Vietnamese.
    pub fn message(&self) -> Msg {
        match self {
            AttachmentError::NotFound => {
                "Không tìm thấy hồ sơ hoặc tệp này, hoặc bạn không có quyền xem."
            }
            AttachmentError::Forbidden => "Bạn không được đính kèm tệp vào hồ sơ này.",
            AttachmentError::Empty => "Chưa chọn tệp, hoặc tệp rỗng.",
            AttachmentError::TooLarge => "Tệp quá lớn, vượt dung lượng tối đa được phép.",
            AttachmentError::TypeNotAllowed(msg) => msg,
            AttachmentError::Unreadable => {
                "Không đọc được nội dung tệp để kiểm tra, nên tệp không được nhận. Xin mở và lưu lại tệp rồi gửi lại."
            }
            AttachmentError::Classified(_) => CLASSIFIED,
            AttachmentError::Malformed => "Không đọc được biểu mẫu gửi lên.",
            AttachmentError::Storage(_) | AttachmentError::Db(_) => {
                "Hệ thống gặp lỗi khi lưu hoặc đọc tệp."
            }
            AttachmentError::Case(e) => e.message(),
        }
    }
}

impl From<CaseError> for AttachmentError {
    fn from(e: CaseError) -> Self {
        match e {
            CaseError::NotFound => AttachmentError::NotFound,
            CaseError::Forbidden => AttachmentError::Forbidden,
            CaseError::Db(db) => AttachmentError::Db(db),
            other => AttachmentError::Case(other),
        }
    }
}

impl From<crate::error::Error> for AttachmentError {
    fn from(e: crate::error::Error) -> Self {
        CaseError::from(e).into()
    }
}

/// An attachment as listed on the case.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Attachment {
    pub id: i64,
    pub case_id: i64,
    pub file_name: String,
    pub mime: String,
    pub size_bytes: i64,
    /// Said of the extracted text when it is approximate (`NOT_UTF8`, `NO_TEXT`) or
    /// was converted from a legacy Vietnamese encoding (`legacy::FROM_TCVN3`, …).
    pub encoding_note: Option<String>,
    pub uploaded_by: String,
    pub uploaded_at: i64,
}

const COLUMNS: &str = "a.id, a.case_id, a.file_name, a.mime, a.size_bytes, a.encoding_note, \
                       u.display_name, a.uploaded_at";

impl Attachment {
    fn from_row(r: &Row) -> Result<Attachment, DbError> {
        Ok(Attachment {
            id: r.get(0)?,
            case_id: r.get(1)?,
            file_name: r.get(2)?,
            mime: r.get(3)?,
            size_bytes: r.get(4)?,
            encoding_note: r.get(5)?,
            uploaded_by: r.get(6)?,
            uploaded_at: r.get(7)?,
        })
    }

    /// "820 B", "34 KB", "2,5 MB": Vietnamese decimal comma.
    pub fn size_label(&self) -> String {
        let n = self.size_bytes as f64;
        if self.size_bytes < 1024 {
            format!("{} B", self.size_bytes)
        } else if n < 1024.0 * 1024.0 {
            format!("{:.0} KB", n / 1024.0)
        } else {
            format!("{:.1} MB", n / (1024.0 * 1024.0)).replace('.', ",")
        }
    }

    pub fn kind_label(&self) -> Msg {
        sniff::Kind::label_of_mime(&self.mime)
    }
}

/// The attachments of a case that are not withdrawn, oldest first.
pub fn for_case(conn: &mut dyn Conn, case_id: i64) -> Result<Vec<Attachment>, DbError> {
    conn.query(
        &format!(
            "SELECT {COLUMNS} FROM attachments a JOIN users u ON u.id = a.uploaded_by
             WHERE a.case_id = $1 AND a.withdrawn_at IS NULL ORDER BY a.id"
        ),
        params![case_id],
    )?
    .iter()
    .map(Attachment::from_row)
    .collect()
}

/// Withdraws attachment `id` from its case: the person who attached it, or lead-body
/// staff, while they may act on the case. Nothing is deleted; the case's timeline says
/// who withdrew what. Returns the case number.
pub fn withdraw(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    id: i64,
) -> Result<String, AttachmentError> {
    let row = conn
        .query_opt(
            "SELECT c.number, a.file_name, a.uploaded_by FROM attachments a JOIN cases c ON c.id = a.case_id
             WHERE a.id = $1 AND a.withdrawn_at IS NULL",
            params![id],
        )?
        .ok_or(AttachmentError::NotFound)?;
    let (number, file_name, uploader): (String, String, i64) =
        (row.get(0)?, row.get(1)?, row.get(2)?);
    let case = case_to_attach_to(conn, actor, &number)?;
    if uploader != actor.user_id && !actor.is_lead_staff() {
        return Err(AttachmentError::Forbidden);
    }
    let now = clock::now_ms();
    conn.execute(
        "UPDATE attachments SET withdrawn_at = $1, withdrawn_by = $2 WHERE id = $3 AND withdrawn_at IS NULL",
        params![now, actor.user_id, id],
    )?;
    crate::case::engine::record_side_event(
        conn,
        actor,
        &case,
        "withdraw_attachment",
        &file_name,
        now,
    )?;
    Ok(number)
}

/// The attachments of case `number`, if `actor` may see it.
pub fn visible_on(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    number: &str,
) -> Result<Vec<Attachment>, AttachmentError> {
    let case = model::by_number(conn, number)?.ok_or(AttachmentError::NotFound)?;
    if !standing(conn, actor, &case)?.0 {
        return Err(AttachmentError::NotFound);
    }
    Ok(for_case(conn, case.id)?)
}

/// A file that passed every check, ready to be stored and recorded.
#[derive(Debug)]
pub struct Checked {
    pub sha256: String,
    pub mime: &'static str,
    pub size_bytes: i64,
    pub text: String,
    pub note: Option<Msg>,
}

/// Decides whether `bytes` may be attached: an allowed kind by its content, readable,
/// and bearing no classification stamp. Nothing is stored here.
pub fn check(bytes: &[u8]) -> Result<Checked, AttachmentError> {
    if bytes.is_empty() {
        return Err(AttachmentError::Empty);
    }
    let kind = sniff::sniff(bytes).map_err(|n| AttachmentError::TypeNotAllowed(n.0))?;
    let extracted = extract::extract(kind, bytes).map_err(|_| AttachmentError::Unreadable)?;
    let stamped =
        classified::stamp(&extracted.text).or_else(|| classified::stamp(&extracted.margins));
    if let Some(degree) = stamped {
        return Err(AttachmentError::Classified(degree));
    }
    Ok(Checked {
        sha256: store::sha256_hex(bytes),
        mime: kind.mime(std::str::from_utf8(bytes).is_ok()),
        size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        text: extracted.text,
        note: extracted.note,
    })
}

/// Where `actor` stands on `case`: whether they see it, and whether they may take any
/// action on it now (the case engine's parties and workflow, as the case page uses).
fn standing(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    case: &Case,
) -> Result<(bool, bool), AttachmentError> {
    let Some(workflow) = kinds::find(&case.kind) else {
        return Ok((false, false));
    };
    let all = org::tree::current(conn)?;
    let recipients: Vec<i64> = model::recipients(conn, case.id)?
        .iter()
        .map(|r| r.organisation_id)
        .collect();
    let parties = model::parties(actor, case, &recipients, &all);
    let acts = !workflow.allowed(&case.state, &parties).is_empty();
    Ok((!parties.is_empty(), acts))
}

/// The case `number` if `actor` may attach files to it.
pub fn case_to_attach_to(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    number: &str,
) -> Result<Case, AttachmentError> {
    let case = model::by_number(conn, number)?.ok_or(AttachmentError::NotFound)?;
    match standing(conn, actor, &case)? {
        (false, _) => Err(AttachmentError::NotFound),
        (true, false) => Err(AttachmentError::Forbidden),
        (true, true) => Ok(case),
    }
}

/// Records a stored file on case `number`: the `attach` event (its note is the file
/// name), then the row pointing at it. One transaction, permission checked again.
pub fn record(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    number: &str,
    file_name: &str,
    checked: &Checked,
) -> Result<Attachment, AttachmentError> {
    record_at(conn, actor, number, file_name, checked, clock::now_ms())
}

/// [`record`] at a given instant (the demo replays its history at its own dates).
pub fn record_at(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    number: &str,
    file_name: &str,
    checked: &Checked,
    now: i64,
) -> Result<Attachment, AttachmentError> {
    let case = case_to_attach_to(conn, actor, number)?;
    let event =
        crate::case::engine::record_side_event(conn, actor, &case, "attach", file_name, now)?;
    let id: i64 = conn.scalar(
        "INSERT INTO attachments (case_id, event_id, sha256, file_name, mime, size_bytes,
                                  text_content, encoding_note, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        params![
            case.id,
            event,
            checked.sha256.as_str(),
            file_name,
            checked.mime,
            checked.size_bytes,
            checked.text.as_str(),
            checked.note,
            actor.user_id,
            now
        ],
    )?;
    let row = conn.query_one(
        &format!("SELECT {COLUMNS} FROM attachments a JOIN users u ON u.id = a.uploaded_by WHERE a.id = $1"),
        params![id],
    )?;
    Ok(Attachment::from_row(&row)?)
}

/// Checks, stores and records an upload: who may attach is asked before any work on
/// the bytes, the checks and the disk run on the blocking pool, the rows in one write.
/// A refused file leaves nothing behind: it is checked before it is written.
pub async fn upload(
    db: &Db,
    store: &FileStore,
    actor: CaseActor,
    number: String,
    file_name: String,
    bytes: Vec<u8>,
) -> Result<Attachment, AttachmentError> {
    if bytes.is_empty() {
        return Err(AttachmentError::Empty);
    }
    let (who, which) = (actor.clone(), number.clone());
    db.read(move |c| case_to_attach_to(c, &who, &which)).await?;
    let (store, db_for_store) = (store.clone(), db.clone());
    let checked = tokio::task::spawn_blocking(move || {
        let checked = check(&bytes)?;
        store
            .put(&db_for_store, &checked.sha256, &bytes)
            .map_err(stored_badly)?;
        Ok::<_, AttachmentError>(checked)
    })
    .await
    .map_err(|e| AttachmentError::Storage(e.to_string()))?;
    let checked = match checked {
        Err(AttachmentError::Classified(degree)) => {
            // Who tried, where, and the degree: never the name or the content.
            tracing::warn!(user = %actor.username, case = %number, degree, "refused a file with a classification stamp");
            return Err(AttachmentError::Classified(degree));
        }
        other => other?,
    };
    let file_name = clean_file_name(&file_name);
    // Should the write below fail (the case changed hands meanwhile), the stored bytes
    // stay unreferenced: harmless, and deleting them could race an upload of the same
    // bytes that is about to reference them.
    db.write(move |c| record(c, &actor, &number, &file_name, &checked))
        .await
}

/// A failure of the file store: the database's absence is "unavailable" (503, try
/// again), anything else an internal error.
fn stored_badly(e: std::io::Error) -> AttachmentError {
    if e.kind() == std::io::ErrorKind::NotConnected {
        AttachmentError::Db(DbError::Unavailable(e.to_string()))
    } else {
        AttachmentError::Storage(e.to_string())
    }
}

/// A file to send back.
pub struct Download {
    pub file_name: String,
    pub mime: String,
    /// The bytes, read as they are sent.
    pub body: stream::Streamed,
}

/// The attachment `id`, its bytes ready to stream, if `actor` may see its case.
pub async fn download(
    db: &Db,
    store: &FileStore,
    actor: CaseActor,
    id: i64,
) -> Result<Download, AttachmentError> {
    let (file_name, mime, sha256) = db
        .read(move |c| {
            let row = c
                .query_opt(
                    "SELECT case_id, file_name, mime, sha256 FROM attachments
                     WHERE id = $1 AND withdrawn_at IS NULL",
                    params![id],
                )?
                .ok_or(AttachmentError::NotFound)?;
            let case_id: i64 = row.get(0)?;
            let case = c
                .query_opt(
                    &format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.id = $1"),
                    params![case_id],
                )?
                .map(|r| Case::from_row(&r))
                .transpose()?
                .ok_or(AttachmentError::NotFound)?;
            match standing(c, &actor, &case)? {
                (true, _) => Ok((row.get(1)?, row.get(2)?, row.get::<String>(3)?)),
                (false, _) => Err(AttachmentError::NotFound),
            }
        })
        .await?;
    let (store, db) = (store.clone(), db.clone());
    let (size, pieces) = tokio::task::spawn_blocking(move || store.open(&db, &sha256))
        .await
        .map_err(|e| AttachmentError::Storage(e.to_string()))?
        .map_err(|e| match stored_badly(e) {
            AttachmentError::Storage(why) => {
                AttachmentError::Storage(format!("reading attachment {id}: {why}"))
            }
            other => other,
        })?;
    Ok(Download {
        file_name,
        mime,
        body: stream::Streamed::start(size, pieces),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamped_file_is_refused_and_an_ordinary_one_checked() {
        let stamped = check("TỐI MẬT\nBáo cáo".as_bytes());
        assert!(
            matches!(stamped, Err(AttachmentError::Classified("TỐI MẬT"))),
            "{stamped:?}"
        );
        let ok = check("Mật độ dân số tăng.".as_bytes()).expect("ordinary text");
        assert_eq!(ok.mime, "text/plain; charset=utf-8");
        assert_eq!(ok.sha256.len(), 64);
        assert!(matches!(check(b""), Err(AttachmentError::Empty)));
    }
}
