//! The home page (trang chủ): who is signed in, for which organisation, and real
//! figures from the database. Later kinds of work add their own panels here.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::db::Conn;
use crate::error::Result;
use crate::kit::{App, AppError, Ctx, Page};
use crate::params;

/// Figures about the whole installation. They change rarely and cost a count over
/// every account, so each node keeps them a few seconds (`kit::FiguresCache`).
#[derive(Debug, Clone, Copy)]
pub struct InstallationFigures {
    pub partner_agencies: i64,
    pub units: i64,
    pub people: i64,
    pub localities: i64,
    pub fields: i64,
}

impl InstallationFigures {
    fn load(conn: &mut dyn Conn) -> Result<InstallationFigures> {
        let row = conn.query_one(
            "SELECT
                (SELECT COUNT(*) FROM organisations WHERE role = 'partner' AND valid_to IS NULL),
                (SELECT COUNT(*) FROM organisations WHERE role = 'unit' AND valid_to IS NULL),
                (SELECT COUNT(*) FROM users WHERE active = 1),
                (SELECT COUNT(*) FROM localities WHERE valid_to IS NULL AND level <> 'province'),
                (SELECT COUNT(*) FROM fields WHERE active = 1)",
            &[],
        )?;
        Ok(InstallationFigures {
            partner_agencies: row.get(0)?,
            units: row.get(1)?,
            people: row.get(2)?,
            localities: row.get(3)?,
            fields: row.get(4)?,
        })
    }
}

/// Figures about the signed-in person: always live.
pub struct PersonalFigures {
    pub people_in_my_org: i64,
    pub my_sign_ins: i64,
    pub last_sign_in: Option<i64>,
}

fn personal(conn: &mut dyn Conn, user_id: i64, org_id: i64) -> Result<PersonalFigures> {
    let row = conn.query_one(
        "SELECT
            (SELECT COUNT(*) FROM users WHERE active = 1 AND organisation_id = $1),
            (SELECT COUNT(*) FROM audit_log WHERE actor_id = $2 AND action = 'login'),
            (SELECT at FROM audit_log WHERE actor_id = $2 AND action = 'login'
             ORDER BY at DESC LIMIT 1 OFFSET 1)",
        params![org_id, user_id],
    )?;
    Ok(PersonalFigures {
        people_in_my_org: row.get(0)?,
        my_sign_ins: row.get(1)?,
        last_sign_in: row.get(2)?,
    })
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    role_label: String,
    figures: InstallationFigures,
    mine: PersonalFigures,
}

pub async fn show(State(app): State<App>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let actor = ctx.actor()?;
    let (user_id, org_id) = (actor.user_id, actor.org_id);
    let cache = app.figures.clone();
    // Bounded index lookups only (the installation counts at most once per TTL).
    let (figures, mine) = app
        .db
        .read_quick(move |c| -> Result<_> {
            let figures = cache.get_or_count("installation", || InstallationFigures::load(c))?;
            Ok((figures, personal(c, user_id, org_id)?))
        })
        .await?;
    let page = Page::new(&app, &ctx, "Trang chủ");
    let role_label = actor.role.label(ctx.lang).to_owned();
    Ok(Html(
        HomePage {
            page,
            role_label,
            figures,
            mine,
        }
        .render()?,
    ))
}
