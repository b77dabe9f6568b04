//! The audit trail's part of the home page: when the person last signed in before this
//! time (under the greeting) and how many times they have signed in, read live from
//! their `login` rows.

use askama::Template;

use crate::db::Conn;
use crate::kit::{AppError, Fragment, HomePanel, Page, PanelCtx};
use crate::params;

#[derive(Template)]
#[template(path = "home_last_sign_in.html")]
struct LastSignIn<'a> {
    page: &'a Page,
    at: i64,
}

#[derive(Template)]
#[template(path = "home_sign_ins.html")]
struct SignIns<'a> {
    page: &'a Page,
    count: i64,
}

pub fn home(conn: &mut dyn Conn, ctx: &PanelCtx) -> Result<HomePanel, AppError> {
    let row = conn.query_one(
        "SELECT
            (SELECT COUNT(*) FROM audit_log WHERE actor_id = $1 AND action = 'login'),
            (SELECT at FROM audit_log WHERE actor_id = $1 AND action = 'login'
             ORDER BY at DESC LIMIT 1 OFFSET 1)",
        params![ctx.actor.user_id],
    )?;
    let count: i64 = row.get(0)?;
    let previous: Option<i64> = row.get(1)?;
    let greeting = match previous {
        Some(at) => Some(Fragment::render(&LastSignIn { page: ctx.page, at })?),
        None => None,
    };
    Ok(HomePanel {
        greeting,
        figures: Some(Fragment::render(&SignIns {
            page: ctx.page,
            count,
        })?),
    })
}
