//! The kit every domain's pages and API are built from: the application state
//! ([`App`]), the request context ([`Ctx`], [`Form`]), the page shell ([`Page`]), the
//! pages' error type ([`AppError`]), the JSON API's error type with its table of stable
//! codes ([`ApiError`], [`ErrorCode`]), the strict readers of query strings and bodies
//! ([`QueryParams`], [`Expect`]), the API's caller ([`ApiActor`]), the shape of a
//! home-page panel ([`Panel`]) and the per-node cache of installation-wide figures.
//! It sits below the domains and imports none of them (only `access` and the
//! foundation: db, config, clock, i18n, error); `web/` mounts what the domains build
//! with it.

mod api_actor;
mod api_error;
mod api_input;
pub mod assets;
mod ctx;
mod error;
mod figures;
mod page;
mod panel;

use std::sync::Arc;

use crate::config::Config;
use crate::db::Db;

pub use api_actor::ApiActor;
pub use api_error::{ApiError, ErrorCode, json_errors};
pub use api_input::{
    Expect, MAX_ID, MAX_JSON, NO_NUL, NOT_BLANK, QueryParams, check, id, json_object,
};
pub use ctx::{
    Ctx, Form, SessionState, base_ctx, constant_time_eq, cookie, form_urlencoded_value, safe_next,
};
pub use error::{AppError, ErrorPage, escape_html_into, urlencode};
pub use figures::FiguresCache;
pub use page::{NavLink, Page, Saved, switch_language};
pub use panel::{Fragment, HomePanel, Panel, PanelCtx};

/// What every domain's pages and API share on this node: cheap to clone. It holds
/// only what any domain may use; a service that one domain alone uses (the search
/// index) is handed to that domain's routes by `web`, so that the kit names no domain.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub config: Arc<Config>,
    pub assets: Arc<assets::AssetUrls>,
    /// Installation-wide home-page figures, kept a few seconds on this node.
    pub figures: Arc<FiguresCache>,
    /// This node's name when it takes a background job's lease.
    pub node: Arc<str>,
    /// The places the domains add to the navigation (`web` sets them).
    pub nav: Arc<[NavLink]>,
}

impl App {
    pub fn new(db: Db, config: Config) -> App {
        App {
            db,
            config: Arc::new(config),
            assets: Arc::new(assets::AssetUrls::new()),
            figures: Arc::default(),
            node: Arc::from(&crate::access::secret::new_token()[..12]),
            nav: Arc::from([]),
        }
    }
}
