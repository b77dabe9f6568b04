//! The audit trail page: newest first, filtered by action, person and period, paged by
//! id (no OFFSET scans).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;

use crate::access::policy::{Action, Scope};
use crate::audit::{self, Entry, Filter};
use crate::clock;
use crate::kit::{App, AppError, Ctx, Page};

pub fn routes() -> Router<App> {
    Router::new().route("/admin/audit", get(list))
}

#[derive(serde::Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    action: String,
    #[serde(default)]
    who: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: Option<i64>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Page,
    entries: Vec<Entry>,
    query: AuditQuery,
    actions: &'static [&'static str],
    next_href: Option<String>,
    date_error: bool,
}

impl AuditPage {
    fn action_label(&self, code: &str) -> &str {
        self.page.tr(audit::action::label_vi(code))
    }
}

pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(query): Query<AuditQuery>,
) -> Result<Html<String>, AppError> {
    if !ctx.actor()?.can(Action::ViewAudit, Scope::Installation) {
        return Err(AppError::Forbidden);
    }
    let from = clock::parse_user_date(&query.from);
    let to = clock::parse_user_date(&query.to);
    let date_error = (!query.from.trim().is_empty() && from.is_none())
        || (!query.to.trim().is_empty() && to.is_none());
    let filter = Filter {
        action: Some(query.action.clone()).filter(|a| audit::action::ALL.contains(&a.as_str())),
        who: Some(query.who.trim().to_owned()).filter(|w| !w.is_empty()),
        from_ms: from.map(clock::day_start_ms),
        to_ms: to.and_then(|d| d.next_day()).map(clock::day_start_ms),
        before_id: query.before,
    };
    let entries = app.db.read(move |c| audit::list(c, &filter)).await?;
    let next_href = (entries.len() as i64 == audit::PAGE_SIZE).then(|| {
        let last = entries.last().map_or(0, |e| e.id);
        format!(
            "/admin/audit?action={}&who={}&from={}&to={}&before={last}",
            crate::kit::urlencode(&query.action),
            crate::kit::urlencode(&query.who),
            crate::kit::urlencode(&query.from),
            crate::kit::urlencode(&query.to),
        )
    });
    let page = Page::new(&app, &ctx, "Nhật ký hệ thống");
    Ok(Html(
        AuditPage {
            page,
            entries,
            query,
            actions: audit::action::ALL,
            next_href,
            date_error,
        }
        .render()?,
    ))
}
