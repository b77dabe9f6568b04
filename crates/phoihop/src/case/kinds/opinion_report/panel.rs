//! The collaborator's part of the home page: the localities and fields they cover
//! under the greeting, and their next report with its due date among the figures.
//! Nothing for anyone else.

use askama::Template;

use crate::access::Role;
use crate::clock;
use crate::db::Conn;
use crate::kit::{AppError, Fragment, HomePanel, Page, PanelCtx};
use crate::org::collaborators::{self, Covered};

use super::period;
use super::schedule;

#[derive(Template)]
#[template(path = "home_coverage.html")]
struct Coverage<'a> {
    page: &'a Page,
    covered: Covered,
    rule: Option<String>,
}

#[derive(Template)]
#[template(path = "home_next_report.html")]
struct NextReport<'a> {
    page: &'a Page,
    /// The period and its due date, when a report is expected.
    next: Option<(String, String)>,
    /// The report that waits for them (opened by their schedule, or returned), if any.
    waiting: Option<String>,
}

pub fn home(conn: &mut dyn Conn, ctx: &PanelCtx) -> Result<HomePanel, AppError> {
    if ctx.actor.role != Role::Collaborator {
        return Ok(HomePanel::default());
    }
    let user = ctx.actor.user_id;
    let covered = collaborators::current(conn, user)?;
    let entries = schedule::entries(&schedule::history(conn, user)?);
    let calendar = crate::calendar::load(conn)?;
    let today = clock::today();
    let lang = ctx.page.lang;
    let rule = period::in_force(&entries, today)
        .and_then(|i| entries.get(i))
        .map(|e| schedule::describe(e.rule, lang));
    // The report that waits for them first, if one does; else what the schedule expects.
    let waiting = conn.query_opt(
        "SELECT c.number, r.period, r.due_on FROM opinion_reports r JOIN cases c ON c.id = r.case_id
         WHERE r.reporter_id = $1 AND c.state IN ('expected', 'returned')
         ORDER BY r.due_on, c.id LIMIT 1",
        crate::params![user],
    )?;
    let (next, waiting) = match waiting {
        Some(row) => {
            let (number, code, due): (String, String, Option<String>) =
                (row.get(0)?, row.get(1)?, row.get(2)?);
            let shown = period::Period::parse(&code).map_or(code, |p| p.label(lang));
            let due = due.as_deref().map(clock::show_iso_date).unwrap_or_default();
            (Some((shown, due)), Some(number))
        }
        None => (
            period::next_expected(&entries, today, &calendar)
                .map(|e| (e.period.label(lang), clock::format_date(e.due_on))),
            None,
        ),
    };
    Ok(HomePanel {
        greeting: Some(Fragment::render(&Coverage {
            page: ctx.page,
            covered,
            rule,
        })?),
        figures: Some(Fragment::render(&NextReport {
            page: ctx.page,
            next,
            waiting,
        })?),
    })
}
