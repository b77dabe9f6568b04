//! The organisations' part of the home page: partner agencies and units, the staff of
//! the person's own organisation (not the collaborators registered under it), and
//! every active account; nothing for those who may not see the directory
//! (collaborators).

use askama::Template;

use crate::access::policy::{Action, Scope};
use crate::db::Conn;
use crate::kit::{AppError, HomePanel, Page, PanelCtx};
use crate::params;

/// Counts over the whole installation, kept a few seconds on each node.
#[derive(Debug, Clone, Copy)]
struct Installation {
    partner_agencies: i64,
    units: i64,
    people: i64,
}

fn installation(conn: &mut dyn Conn) -> Result<Installation, AppError> {
    let row = conn.query_one(
        "SELECT
            (SELECT COUNT(*) FROM organisations WHERE role = 'partner' AND valid_to IS NULL),
            (SELECT COUNT(*) FROM organisations WHERE role = 'unit' AND valid_to IS NULL),
            (SELECT COUNT(*) FROM users WHERE active = 1)",
        &[],
    )?;
    Ok(Installation {
        partner_agencies: row.get(0)?,
        units: row.get(1)?,
        people: row.get(2)?,
    })
}

#[derive(Template)]
#[template(path = "home_org.html")]
struct Figures<'a> {
    page: &'a Page,
    installation: Installation,
    people_in_my_org: i64,
}

/// The figures, the person's own organisation counted live.
pub fn home(conn: &mut dyn Conn, ctx: &PanelCtx) -> Result<HomePanel, AppError> {
    if !ctx
        .actor
        .can(Action::ViewOrganisations, Scope::Installation)
    {
        return Ok(HomePanel::default());
    }
    let installation = ctx
        .cache
        .get_or_count(module_path!(), || installation(conn))?;
    // Collaborators registered under the organisation are usually outside it.
    let people_in_my_org = conn.scalar(
        "SELECT COUNT(*) FROM users
         WHERE active = 1 AND organisation_id = $1 AND role <> 'collaborator'",
        params![ctx.actor.org_id],
    )?;
    let figures = Figures {
        page: ctx.page,
        installation,
        people_in_my_org,
    };
    HomePanel::figures(&figures)
}
