//! "My work" (việc của tôi): the running deadlines that wait on the person's
//! organisation (for lead-body staff, on the lead body), soonest first, overdue on top.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;

use crate::clock;
use crate::db::Conn;
use crate::error::Result;
use crate::kit::{App, AppError, Ctx, Page};
use crate::org;

use super::kinds;
use super::model::CaseActor;

pub fn routes() -> Router<App> {
    Router::new().route("/work", get(show))
}

pub struct Item {
    pub number: String,
    pub title: String,
    pub what: &'static str,
    pub due_on: String,
    pub overdue: bool,
}

/// The organisations whose deadlines are `actor`'s to meet.
fn scope(conn: &mut dyn Conn, actor: &CaseActor) -> Result<Vec<i64>> {
    let tree = org::tree::current(conn)?;
    let top = if actor.is_lead_staff() {
        org::root_of(&tree, actor.org_id)
    } else {
        actor.org_id
    };
    Ok(tree.below(top))
}

pub fn waiting(conn: &mut dyn Conn, actor: &CaseActor, limit: i64) -> Result<Vec<Item>> {
    let ids: Vec<String> = scope(conn, actor)?.iter().map(i64::to_string).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let today = clock::iso_date(clock::today());
    // Integers we produced, never user text.
    let rows = conn.query(
        &format!(
            "SELECT c.number, c.title, c.kind, k.clock, k.due_on
             FROM case_clocks k JOIN cases c ON c.id = k.case_id
             WHERE k.state = 'running' AND k.org_id IN ({})
             ORDER BY k.due_on, c.id LIMIT {}",
            ids.join(","),
            // Not bound: SQLite prepares again whenever a bound LIMIT changes.
            limit.max(1)
        ),
        &[],
    )?;
    rows.iter()
        .map(|r| {
            let (kind, code, due): (String, String, String) = (r.get(2)?, r.get(3)?, r.get(4)?);
            Ok(Item {
                number: r.get(0)?,
                title: r.get(1)?,
                what: kinds::find(&kind)
                    .and_then(|w| w.clock(&code))
                    .map_or("Hạn xử lý", |c| c.label),
                overdue: due < today,
                due_on: clock::show_iso_date(&due),
            })
        })
        .collect()
}

#[derive(Template)]
#[template(path = "work.html")]
struct WorkPage {
    page: Page,
    items: Vec<Item>,
}

pub async fn show(State(app): State<App>, ctx: Ctx) -> std::result::Result<Html<String>, AppError> {
    let actor = CaseActor::from(ctx.require(crate::access::policy::Action::WorkOnCases)?);
    let items = app.db.read(move |c| waiting(c, &actor, 200)).await?;
    let page = Page::new(&app, &ctx, "Việc của tôi");
    Ok(Html(WorkPage { page, items }.render()?))
}
