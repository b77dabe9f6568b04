//! The audit trail (nhật ký): sign-ins, failed sign-ins, sign-outs, and every change to
//! accounts and organisations, one append-only row each (the database refuses updates
//! and deletes). Administrators browse it at /admin/audit.

pub mod pages;
pub mod panel;

use crate::access::Actor;
use crate::clock;
use crate::db::{Conn, DbError, Value};
use crate::params;

/// Who did something and from where, as recorded.
#[derive(Debug, Clone, Default)]
pub struct Who {
    pub user_id: Option<i64>,
    pub name: String,
    pub org_id: Option<i64>,
    pub ip: String,
}

impl Who {
    /// A signed-in person, from `ip`.
    pub fn of(actor: &Actor, ip: &str) -> Who {
        Who {
            user_id: Some(actor.user_id),
            name: actor.username.clone(),
            org_id: Some(actor.org_id),
            ip: ip.to_owned(),
        }
    }

    /// Changes made from the command line on the server itself.
    pub fn command_line() -> Who {
        Who {
            name: "(dòng lệnh)".into(),
            ip: "local".into(),
            ..Who::default()
        }
    }

    /// Someone not signed in (a failed sign-in), known only by address.
    pub fn anonymous(ip: &str) -> Who {
        Who {
            ip: ip.into(),
            ..Who::default()
        }
    }
}

/// Action codes written to the trail; stable, because filters and reports use them.
pub mod action {
    pub const LOGIN: &str = "login";
    pub const LOGIN_FAILED: &str = "login_failed";
    pub const LOGOUT: &str = "logout";
    pub const SESSION_EXPIRED: &str = "session_expired";
    pub const USER_CREATED: &str = "user_created";
    pub const USER_UPDATED: &str = "user_updated";
    pub const PASSWORD_CHANGED: &str = "password_changed";
    pub const ORG_CREATED: &str = "org_created";
    pub const ORG_RENAMED: &str = "org_renamed";
    pub const ORG_MERGED: &str = "org_merged";
    pub const LOCALITIES_IMPORTED: &str = "localities_imported";
    pub const FIELD_CREATED: &str = "field_created";
    pub const DEMO_CREATED: &str = "demo_created";
    pub const RESTORED: &str = "restored";
    pub const CALENDAR_DAY_ADDED: &str = "calendar_day_added";
    pub const CALENDAR_DAY_WITHDRAWN: &str = "calendar_day_withdrawn";
    pub const HOLIDAY_RULE_ADDED: &str = "holiday_rule_added";
    pub const HOLIDAY_RULE_ENDED: &str = "holiday_rule_ended";
    pub const COMPLAINT_LIMIT_CHANGED: &str = "complaint_limit_changed";
    pub const COMPLAINANT_RECORDED: &str = "complainant_recorded";
    pub const COMPLAINANT_CORRECTED: &str = "complainant_corrected";
    pub const REPORT_SCHEDULE_SET: &str = "report_schedule_set";

    pub const ALL: &[&str] = &[
        LOGIN,
        LOGIN_FAILED,
        LOGOUT,
        SESSION_EXPIRED,
        USER_CREATED,
        USER_UPDATED,
        PASSWORD_CHANGED,
        ORG_CREATED,
        ORG_RENAMED,
        ORG_MERGED,
        LOCALITIES_IMPORTED,
        FIELD_CREATED,
        DEMO_CREATED,
        RESTORED,
        CALENDAR_DAY_ADDED,
        CALENDAR_DAY_WITHDRAWN,
        HOLIDAY_RULE_ADDED,
        HOLIDAY_RULE_ENDED,
        COMPLAINT_LIMIT_CHANGED,
        COMPLAINANT_RECORDED,
        COMPLAINANT_CORRECTED,
        REPORT_SCHEDULE_SET,
    ];

    pub fn label_vi(code: &str) -> &'static str {
        match code {
            LOGIN => "Đăng nhập",
            LOGIN_FAILED => "Đăng nhập không thành công",
            LOGOUT => "Đăng xuất",
            SESSION_EXPIRED => "Hết phiên do không hoạt động",
            USER_CREATED => "Tạo tài khoản",
            USER_UPDATED => "Sửa tài khoản",
            PASSWORD_CHANGED => "Đổi mật khẩu",
            ORG_CREATED => "Tạo tổ chức",
            ORG_RENAMED => "Đổi tên tổ chức",
            ORG_MERGED => "Hợp nhất tổ chức",
            LOCALITIES_IMPORTED => "Nạp danh mục địa bàn",
            FIELD_CREATED => "Thêm lĩnh vực",
            DEMO_CREATED => "Tạo dữ liệu trình diễn",
            RESTORED => "Khôi phục bản sao lưu",
            CALENDAR_DAY_ADDED => "Thêm ngày nghỉ hoặc ngày làm bù",
            CALENDAR_DAY_WITHDRAWN => "Rút ngày nghỉ hoặc ngày làm bù",
            HOLIDAY_RULE_ADDED => "Thêm quy tắc ngày nghỉ lễ",
            HOLIDAY_RULE_ENDED => "Kết thúc quy tắc ngày nghỉ lễ",
            COMPLAINT_LIMIT_CHANGED => "Đổi thời hạn giải quyết đơn thư",
            COMPLAINANT_RECORDED => "Ghi thông tin người gửi đơn",
            COMPLAINANT_CORRECTED => "Sửa thông tin người gửi đơn",
            REPORT_SCHEDULE_SET => "Đặt lịch báo cáo của cộng tác viên",
            _ => "Khác",
        }
    }
}

/// Appends one row.
pub fn record(
    conn: &mut dyn Conn,
    who: &Who,
    action: &str,
    subject: (&str, &str),
    detail: &str,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO audit_log (at, actor_id, actor_name, actor_org_id, ip, action,
                                subject_type, subject_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        params![
            clock::now_ms(),
            who.user_id,
            who.name.as_str(),
            who.org_id,
            who.ip.as_str(),
            action,
            subject.0,
            subject.1,
            detail
        ],
    )?;
    Ok(())
}

/// One row as shown.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    pub at: i64,
    pub actor_name: String,
    pub ip: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: String,
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub action: Option<String>,
    /// Matches the actor's name or the subject, case-insensitively.
    pub who: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Keyset pagination: rows with an id below this one.
    pub before_id: Option<i64>,
}

pub const PAGE_SIZE: i64 = 50;

/// Newest first, one page.
pub fn list(conn: &mut dyn Conn, filter: &Filter) -> Result<Vec<Entry>, DbError> {
    let who = filter
        .who
        .as_ref()
        .map(|w| format!("%{}%", w.to_lowercase()));
    // LIMIT is written into the SQL: a bound LIMIT makes SQLite (built with STAT4) plan
    // the statement again on every run.
    let rows = conn.query(
        &format!(
        "SELECT id, at, actor_name, ip, action, subject_type, subject_id, detail
         FROM audit_log
         WHERE (CAST($1 AS TEXT) IS NULL OR action = $1)
           AND (CAST($2 AS TEXT) IS NULL OR lower(actor_name) LIKE $2 ESCAPE '\\' OR lower(subject_id) LIKE $2 ESCAPE '\\')
           AND (CAST($3 AS BIGINT) IS NULL OR at >= $3)
           AND (CAST($4 AS BIGINT) IS NULL OR at < $4)
           AND (CAST($5 AS BIGINT) IS NULL OR id < $5)
         ORDER BY id DESC
         LIMIT {PAGE_SIZE}"),
        &[
            Value::from(filter.action.clone()),
            Value::from(who),
            Value::from(filter.from_ms),
            Value::from(filter.to_ms),
            Value::from(filter.before_id),
        ],
    )?;
    rows.into_iter()
        .map(|r| {
            Ok(Entry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor_name: r.get(2)?,
                ip: r.get(3)?,
                action: r.get(4)?,
                subject_type: r.get(5)?,
                subject_id: r.get(6)?,
                detail: r.get(7)?,
            })
        })
        .collect()
}

/// How many rows with `action` name `subject` (or come from `ip`) since `since_ms`:
/// the sign-in throttle counts failures this way, so it needs no state of its own.
pub fn count_since(
    conn: &mut dyn Conn,
    action: &str,
    subject: Option<&str>,
    ip: Option<&str>,
    since_ms: i64,
) -> Result<i64, DbError> {
    match (subject, ip) {
        (Some(subject), _) => conn.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND subject_id = $2 AND at >= $3",
            params![action, subject, since_ms],
        ),
        (None, Some(ip)) => conn.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND ip = $2 AND at >= $3",
            params![action, ip, since_ms],
        ),
        (None, None) => conn.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND at >= $2",
            params![action, since_ms],
        ),
    }
}
