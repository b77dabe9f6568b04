//! Home-page panels: what each domain shows on the home page. A domain offers a
//! [`Panel`], a function that reads what it needs and renders its fragments; the home
//! page (`web/home.rs`) lists the panels and places their fragments in order, so that
//! it runs no domain's SQL and a new kind of work adds a panel without touching it.

use std::fmt;

use askama::Template;

use crate::access::Actor;
use crate::db::Conn;

use super::error::AppError;
use super::figures::FiguresCache;
use super::page::Page;

/// What a panel is given besides the connection.
pub struct PanelCtx<'a> {
    /// The home page being drawn: its language and formats.
    pub page: &'a Page,
    pub actor: &'a Actor,
    /// This node's installation-wide figures: a panel counts those through it, so that
    /// they are counted once every few seconds rather than for every visit.
    pub cache: &'a FiguresCache,
}

/// A domain's home-page panel. It runs inside the home page's one read on the request's
/// own thread (`Db::read_quick`): bounded index lookups only.
pub type Panel = fn(&mut dyn Conn, &PanelCtx) -> Result<HomePanel, AppError>;

/// What a domain shows on the home page; each part may be missing.
#[derive(Default)]
pub struct HomePanel {
    /// A line under the greeting.
    pub greeting: Option<Fragment>,
    /// Figures for the row of figures.
    pub figures: Option<Fragment>,
}

impl HomePanel {
    /// A panel of figures only, drawn by `template`.
    pub fn figures(template: &impl Template) -> Result<HomePanel, AppError> {
        Ok(HomePanel {
            figures: Some(Fragment::render(template)?),
            ..HomePanel::default()
        })
    }
}

/// HTML drawn by a template, and so escaped as every template escapes: the home page
/// places it as it is. It can be made only from a template.
pub struct Fragment(String);

impl Fragment {
    pub fn render(template: &impl Template) -> askama::Result<Fragment> {
        template.render().map(Fragment)
    }
}

impl fmt::Display for Fragment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for Fragment {}
