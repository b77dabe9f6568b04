//! The home page (trang chủ): who is signed in, for which organisation, and real
//! figures from the database. Later kinds of work add their own panels here.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::db::Conn;
use crate::error::Result;
use crate::params;
use crate::web::App;
use crate::web::ctx::Ctx;
use crate::web::error::AppError;
use crate::web::page::Page;

/// The figures on the home page.
pub struct Figures {
    pub partner_agencies: i64,
    pub units: i64,
    pub people_in_my_org: i64,
    pub people: i64,
    pub localities: i64,
    pub fields: i64,
    pub my_sign_ins: i64,
    pub last_sign_in: Option<i64>,
}

fn figures(conn: &mut dyn Conn, user_id: i64, org_id: i64) -> Result<Figures> {
    let count = |conn: &mut dyn Conn, sql: &str| -> Result<i64> { Ok(conn.scalar(sql, &[])?) };
    let last: Option<i64> = conn
        .query_opt(
            "SELECT at FROM audit_log WHERE actor_id = $1 AND action = 'login'
             ORDER BY at DESC LIMIT 1 OFFSET 1",
            params![user_id],
        )?
        .map(|r| r.get(0))
        .transpose()?;
    Ok(Figures {
        partner_agencies: count(
            conn,
            "SELECT COUNT(*) FROM organisations WHERE role = 'partner' AND valid_to IS NULL",
        )?,
        units: count(
            conn,
            "SELECT COUNT(*) FROM organisations WHERE role = 'unit' AND valid_to IS NULL",
        )?,
        people_in_my_org: conn.scalar(
            "SELECT COUNT(*) FROM users WHERE organisation_id = $1 AND active = 1",
            params![org_id],
        )?,
        people: count(conn, "SELECT COUNT(*) FROM users WHERE active = 1")?,
        localities: count(
            conn,
            "SELECT COUNT(*) FROM localities WHERE valid_to IS NULL AND level <> 'province'",
        )?,
        fields: count(conn, "SELECT COUNT(*) FROM fields WHERE active = 1")?,
        my_sign_ins: conn.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE actor_id = $1 AND action = 'login'",
            params![user_id],
        )?,
        last_sign_in: last,
    })
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    role_label: String,
    figures: Figures,
}

pub async fn show(State(app): State<App>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let actor = ctx.actor()?;
    let (user_id, org_id) = (actor.user_id, actor.org_id);
    let figures = app.db.read(move |c| figures(c, user_id, org_id)).await?;
    let page = Page::new(&app, &ctx, "Trang chủ");
    let role_label = actor.role.label(ctx.lang).to_owned();
    Ok(Html(
        HomePage {
            page,
            role_label,
            figures,
        }
        .render()?,
    ))
}

#[derive(serde::Deserialize)]
pub struct SwitchLanguage {
    to: String,
    #[serde(default)]
    next: String,
}

/// Sets the language cookie and goes back where the person was.
pub async fn switch_language(Query(q): Query<SwitchLanguage>) -> Response {
    let lang = crate::i18n::Lang::parse(&q.to).unwrap_or_default();
    let next = safe_next(&q.next);
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
}

/// A local path to return to; anything that could leave the site becomes "/".
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    if ok { next.to_owned() } else { "/".to_owned() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(super::safe_next("/people?x=1"), "/people?x=1");
        assert_eq!(super::safe_next("//evil.example"), "/");
        assert_eq!(super::safe_next("https://evil.example"), "/");
        assert_eq!(super::safe_next("/\\evil.example"), "/");
        assert_eq!(super::safe_next(""), "/");
    }
}
