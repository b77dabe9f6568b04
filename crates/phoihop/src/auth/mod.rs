//! Signing in and out: sign-in with its throttle, sessions and their idle timeout,
//! personal API tokens. Pages are in [`pages`]. Who is asking and what they may do
//! (the actor, roles, the policy) is [`crate::access`].

pub mod pages;
pub mod password;
pub mod session;
pub mod token;
pub mod token_pages;

use crate::audit::{self, Who};
use crate::clock;
use crate::db::Conn;
use crate::error::Result;
use crate::i18n::Msg;
use crate::org::people;

/// Why a sign-in was refused; each says what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefusal {
    WrongCredentials,
    AccountLocked,
    /// Too many refusals in the window; `first` for the first refusal that says so.
    Throttled {
        first: bool,
    },
    DemoOnly,
}

impl LoginRefusal {
    pub fn message(self) -> Msg {
        match self {
            LoginRefusal::WrongCredentials => "Tên đăng nhập hoặc mật khẩu không đúng.",
            LoginRefusal::AccountLocked => {
                "Tài khoản này đã bị khoá. Xin liên hệ quản trị hệ thống."
            }
            LoginRefusal::Throttled { .. } => {
                "Đăng nhập sai quá nhiều lần. Xin chờ 15 phút rồi thử lại, hoặc liên hệ quản trị hệ thống."
            }
            LoginRefusal::DemoOnly => {
                "Tài khoản trình diễn chỉ dùng được khi máy chủ chạy ở chế độ trình diễn (--demo)."
            }
        }
    }
}

/// The settings sign-in needs.
#[derive(Debug, Clone, Copy)]
pub struct LoginRules {
    pub demo_mode: bool,
    pub max_failures: i64,
    pub window_secs: i64,
}

/// What sign-in needs to know from the database, read before the (slow) password check
/// so that no transaction is held open while hashing.
pub struct LoginFacts {
    key: String,
    throttled: bool,
    /// This attempt is the first the throttle refuses in its window: the audit trail
    /// records it; the ones after it are only counted (see [`record_refusal`]).
    first_throttled: bool,
    person: Option<people::Person>,
    password_hash: Option<String>,
}

pub fn login_facts(
    conn: &mut dyn Conn,
    rules: LoginRules,
    username: &str,
    ip: &str,
) -> Result<LoginFacts> {
    let key = username.trim().to_lowercase();
    let since = clock::now_ms() - rules.window_secs * 1000;
    let by_account: i64 = conn.scalar(
        "SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2",
        crate::params![key.as_str(), since],
    )?;
    let by_address: i64 = conn.scalar(
        "SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at >= $2",
        crate::params![ip, since],
    )?;
    let throttled = by_account >= rules.max_failures || by_address >= rules.max_failures * 4;
    let first_throttled = by_account == rules.max_failures || by_address == rules.max_failures * 4;
    let person = people::get_by_username(conn, &key)?;
    let password_hash = match &person {
        Some(p) => conn.scalar(
            "SELECT password_hash FROM users WHERE id = $1",
            crate::params![p.id],
        )?,
        None => None,
    };
    Ok(LoginFacts {
        key,
        throttled,
        first_throttled,
        person,
        password_hash,
    })
}

/// Decides a sign-in: the person, or why not. Spends one password verification
/// whatever the outcome, so that timing tells nothing about which usernames exist.
pub fn judge(
    facts: LoginFacts,
    rules: LoginRules,
    password: &str,
) -> std::result::Result<people::Person, (String, LoginRefusal)> {
    let LoginFacts {
        key,
        throttled,
        first_throttled,
        person,
        password_hash,
    } = facts;
    if throttled {
        return Err((
            key,
            LoginRefusal::Throttled {
                first: first_throttled,
            },
        ));
    }
    let Some(person) = person else {
        password::verify_dummy(password);
        return Err((key, LoginRefusal::WrongCredentials));
    };
    if !password_hash.is_some_and(|h| password::verify(password, &h)) {
        return Err((key, LoginRefusal::WrongCredentials));
    }
    if !person.active {
        return Err((key, LoginRefusal::AccountLocked));
    }
    if person.demo_account && !rules.demo_mode {
        return Err((key, LoginRefusal::DemoOnly));
    }
    Ok(person)
}

/// Counts a refused sign-in for the throttle (`login_failures`, purged once past the
/// window) and writes it to the audit trail. While throttled, only the first refusal
/// of the window goes to the audit trail: the rest are counted, so that someone trying
/// passwords all night cannot grow the append-only trail without bound.
pub fn record_refusal(
    conn: &mut dyn Conn,
    key: &str,
    ip: &str,
    refusal: LoginRefusal,
) -> Result<()> {
    conn.execute(
        "INSERT INTO login_failures (key, ip, at) VALUES ($1, $2, $3)",
        crate::params![key, ip, clock::now_ms()],
    )?;
    let detail = match refusal {
        LoginRefusal::WrongCredentials => "wrong credentials",
        LoginRefusal::AccountLocked => "account locked",
        LoginRefusal::DemoOnly => "demo account outside demo mode",
        LoginRefusal::Throttled { first: true } => "throttled",
        LoginRefusal::Throttled { first: false } => return Ok(()),
    };
    audit::record(
        conn,
        &Who::anonymous(ip),
        audit::action::LOGIN_FAILED,
        ("user", key),
        detail,
    )?;
    Ok(())
}

/// Removes refused sign-ins older than `before_ms` (past every throttle window), at
/// most `limit` at a time; returns how many.
pub fn purge_failures(
    conn: &mut dyn Conn,
    before_ms: i64,
    limit: i64,
) -> std::result::Result<u64, crate::db::DbError> {
    crate::db::delete_oldest(conn, "login_failures", "id", "at", before_ms, limit)
}

/// Starts a session for a person who passed [`judge`]; returns the cookie token.
pub fn start_session(
    conn: &mut dyn Conn,
    person: &people::Person,
    ip: &str,
    user_agent: &str,
) -> Result<String> {
    let token = session::create(conn, person.id, ip, user_agent)?;
    let who = Who {
        user_id: Some(person.id),
        name: person.username.clone(),
        org_id: Some(person.organisation_id),
        ip: ip.to_owned(),
    };
    audit::record(
        conn,
        &who,
        audit::action::LOGIN,
        ("user", &person.username),
        "",
    )?;
    Ok(token)
}
