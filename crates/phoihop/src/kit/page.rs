//! The page shell: what every page's layout needs (language, the signed-in person,
//! navigation, checksummed asset URLs, the numbers the idle-timeout warning counts
//! down from), and the language switch its header links to.

use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use crate::access::Actor;
use crate::access::policy::{Action, Scope};
use crate::clock;
use crate::i18n::{Lang, tr};

use super::App;
use super::assets::AssetUrls;
use super::ctx::{Ctx, safe_next};
use super::error::urlencode;

/// A place in the navigation a domain adds (a kind's roll-up page), for whoever
/// `shown` says; `web` hands the domains' links to [`App::nav`], and the shell lists
/// them after the case pages.
#[derive(Debug, Clone, Copy)]
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    pub shown: fn(&Actor) -> bool,
}

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
}

pub struct Page {
    pub lang: Lang,
    pub title: String,
    pub actor: Option<Actor>,
    pub nav: Vec<NavItem>,
    pub assets: std::sync::Arc<AssetUrls>,
    pub path: String,
    pub idle_secs: u64,
    pub remaining_ms: i64,
    pub demo: bool,
}

impl Page {
    /// `title` is Vietnamese; it is shown in the person's language.
    pub fn new(app: &App, ctx: &Ctx, title: &str) -> Page {
        let actor = ctx.maybe_actor().cloned();
        let nav = actor
            .as_ref()
            .map(|a| nav_for(a, &ctx.path, &app.nav))
            .unwrap_or_default();
        let remaining_ms = actor
            .as_ref()
            .map(|a| (a.expires_at_ms - clock::now_ms()).max(0))
            .unwrap_or(0);
        Page {
            lang: ctx.lang,
            title: tr(ctx.lang, title).to_owned(),
            actor,
            nav,
            assets: app.assets.clone(),
            path: ctx.path.clone(),
            idle_secs: app.config.session_idle_secs,
            remaining_ms,
            demo: app.config.demo,
        }
    }

    /// Vietnamese text in the page's language.
    pub fn tr<'a>(&self, vi: &'a str) -> &'a str {
        tr(self.lang, vi)
    }

    pub fn csrf(&self) -> &str {
        self.actor.as_ref().map_or("", |a| a.csrf_token.as_str())
    }

    pub fn datetime(&self, ms: &i64) -> String {
        clock::format_datetime(*ms)
    }

    pub fn date(&self, iso: &str) -> String {
        clock::show_iso_date(iso)
    }

    /// The link that switches language and comes back to this page.
    pub fn lang_switch_href(&self) -> String {
        format!(
            "/lang?to={}&next={}",
            self.lang.other().code(),
            urlencode(&self.path)
        )
    }

    pub fn lang_switch_label(&self) -> &'static str {
        match self.lang {
            Lang::Vi => "English",
            Lang::En => "Tiếng Việt",
        }
    }

    pub fn can(&self, action: &str) -> bool {
        let Some(actor) = &self.actor else {
            return false;
        };
        let action = match action {
            "manage_organisations" => Action::ManageOrganisations,
            "manage_people" => Action::ManagePeople,
            "manage_reference" => Action::ManageReferenceData,
            "view_audit" => Action::ViewAudit,
            "view_organisations" => Action::ViewOrganisations,
            _ => return false,
        };
        actor.can(action, Scope::Installation)
    }
}

fn nav_for(actor: &Actor, path: &str, domains: &[NavLink]) -> Vec<NavItem> {
    let mut items: Vec<(&'static str, &'static str)> = vec![("/", "Trang chủ")];
    if actor.can(Action::WorkOnCases, Scope::Installation) {
        items.push(("/work", "Việc của tôi"));
        items.push(("/cases", "Hồ sơ"));
        items.push(("/search", "Tìm kiếm"));
    }
    if actor.can(Action::OpenCases, Scope::Installation)
        && !actor.can(Action::WorkOnCases, Scope::Installation)
    {
        // A collaborator: what they filed, and what their schedule waits for.
        items.push(("/cases", "Báo cáo của tôi"));
    }
    items.extend(
        domains
            .iter()
            .filter(|link| (link.shown)(actor))
            .map(|link| (link.href, link.label)),
    );
    if actor.can(Action::ViewOrganisations, Scope::Installation) {
        items.push(("/organisations", "Tổ chức"));
    }
    if actor.can(Action::ViewPeople, Scope::OwnOrganisation) {
        items.push(("/people", "Người dùng"));
    }
    if actor.can(Action::ManageReferenceData, Scope::Installation) {
        items.push(("/admin/localities", "Địa bàn"));
        items.push(("/admin/fields", "Lĩnh vực"));
        items.push(("/admin/calendar", "Lịch làm việc"));
    }
    if actor.can(Action::ViewAudit, Scope::Installation) {
        items.push(("/admin/audit", "Nhật ký"));
    }
    let route = path.split('?').next().unwrap_or("/");
    items
        .into_iter()
        .map(|(href, label)| NavItem {
            href,
            label,
            active: if href == "/" {
                route == "/"
            } else {
                route.starts_with(href)
            },
        })
        .collect()
}

#[derive(serde::Deserialize)]
pub struct SwitchLanguage {
    to: String,
    #[serde(default)]
    next: String,
}

/// Sets the language cookie and goes back where the person was (the link is
/// [`Page::lang_switch_href`]).
pub async fn switch_language(Query(q): Query<SwitchLanguage>) -> Response {
    let lang = Lang::parse(&q.to).unwrap_or_default();
    let next = safe_next(&q.next);
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
}

/// The query of a page reached again after a form was saved (`?saved=1`): it says so.
#[derive(serde::Deserialize, Default)]
pub struct Saved {
    #[serde(default)]
    pub saved: Option<String>,
}
