//! The reference data's part of the home page: how many communes, wards and special
//! zones, and how many fields of work, the installation counts.

use askama::Template;

use crate::db::Conn;
use crate::kit::{AppError, HomePanel, Page, PanelCtx};

/// Counts over the whole installation, kept a few seconds on each node.
#[derive(Debug, Clone, Copy)]
struct Installation {
    localities: i64,
    fields: i64,
}

fn installation(conn: &mut dyn Conn) -> Result<Installation, AppError> {
    let row = conn.query_one(
        "SELECT
            (SELECT COUNT(*) FROM localities WHERE valid_to IS NULL AND level <> 'province'),
            (SELECT COUNT(*) FROM fields WHERE active = 1)",
        &[],
    )?;
    Ok(Installation {
        localities: row.get(0)?,
        fields: row.get(1)?,
    })
}

#[derive(Template)]
#[template(path = "home_refdata.html")]
struct Figures<'a> {
    page: &'a Page,
    installation: Installation,
}

pub fn home(conn: &mut dyn Conn, ctx: &PanelCtx) -> Result<HomePanel, AppError> {
    let installation = ctx
        .cache
        .get_or_count(module_path!(), || installation(conn))?;
    let figures = Figures {
        page: ctx.page,
        installation,
    };
    HomePanel::figures(&figures)
}
