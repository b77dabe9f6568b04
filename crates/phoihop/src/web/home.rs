//! The home page (trang chủ): who is signed in, for which organisation, and what each
//! domain shows there. The panels come from the domains; this page only lists them
//! and places their fragments in order, and runs no SQL of its own.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::kit::{App, AppError, Ctx, HomePanel, Page, Panel, PanelCtx};

/// The domains' panels, in the order their fragments show; the kinds' follow
/// (`case::surfaces::home_panels`).
const PANELS: &[Panel] = &[
    crate::org::panel::home,
    crate::refdata::panel::home,
    crate::audit::panel::home,
];

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    role_label: String,
    panels: Vec<HomePanel>,
}

pub async fn show(State(app): State<App>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let actor = ctx.actor()?.clone();
    let role_label = actor.role.label(ctx.lang).to_owned();
    let page = Page::new(&app, &ctx, "Trang chủ");
    let cache = app.figures.clone();
    // One read on the request's thread: the panels make bounded index lookups only, and
    // count the installation-wide figures at most once every few seconds.
    let (page, panels) = app
        .db
        .read_quick(move |c| -> Result<_, AppError> {
            let panels = {
                let ctx = PanelCtx {
                    page: &page,
                    actor: &actor,
                    cache: &cache,
                };
                PANELS
                    .iter()
                    .copied()
                    .chain(crate::case::surfaces::home_panels())
                    .map(|panel| panel(c, &ctx))
                    .collect::<Result<Vec<_>, _>>()?
            };
            Ok((page, panels))
        })
        .await?;
    Ok(Html(
        HomePage {
            page,
            role_label,
            panels,
        }
        .render()?,
    ))
}
