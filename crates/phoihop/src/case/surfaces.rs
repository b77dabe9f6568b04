//! What the kinds add to the site beyond the case pages, gathered from their hooks
//! (`Hooks::routes`, `nav`, `home`) for `web` to mount: so neither the router nor the
//! page shell names a kind.

use crate::kit::{App, NavLink, Panel};

/// Every kind's own pages, to mount beside the case pages.
pub fn routes() -> axum::Router<App> {
    super::kinds::ALL
        .iter()
        .filter_map(|w| w.hooks.routes)
        .fold(axum::Router::new(), |router, routes| router.merge(routes()))
}

/// Every kind's places in the navigation, in the kinds' order.
pub fn nav() -> Vec<NavLink> {
    super::kinds::ALL
        .iter()
        .flat_map(|w| w.hooks.nav.iter().copied())
        .collect()
}

/// Every kind's home-page panel, in the kinds' order.
pub fn home_panels() -> impl Iterator<Item = Panel> {
    super::kinds::ALL.iter().filter_map(|w| w.hooks.home)
}
