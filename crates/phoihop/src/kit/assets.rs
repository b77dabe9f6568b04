//! Static files embedded in the binary, served under checksummed URLs
//! (`/assets/app.css?v=3f2a…`) so that browsers may cache them for a year and still
//! see a new version the moment it ships.

use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../assets/app.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/app.js"),
    },
    Asset {
        name: "htmx.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../assets/htmx.min.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../../assets/favicon.svg"),
    },
];

/// The URLs templates use, computed once at start.
#[derive(Debug, Clone)]
pub struct AssetUrls {
    pub css: String,
    pub js: String,
    pub htmx: String,
    pub favicon: String,
}

fn version(asset: &Asset) -> String {
    crate::hex(&Sha256::digest(asset.bytes)[..6])
}

fn url(name: &str) -> String {
    ASSETS
        .iter()
        .find(|a| a.name == name)
        .map(|a| format!("/assets/{}?v={}", a.name, version(a)))
        .unwrap_or_default()
}

impl AssetUrls {
    pub fn new() -> AssetUrls {
        AssetUrls {
            css: url("app.css"),
            js: url("app.js"),
            htmx: url("htmx.min.js"),
            favicon: url("favicon.svg"),
        }
    }
}

impl Default for AssetUrls {
    fn default() -> Self {
        AssetUrls::new()
    }
}

#[derive(serde::Deserialize)]
pub struct VersionQuery {
    v: Option<String>,
}

pub async fn serve(Path(name): Path<String>, Query(query): Query<VersionQuery>) -> Response {
    let Some(asset) = ASSETS.iter().find(|a| a.name == name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // Cache forever only what was asked for by its current checksum.
    let cache = if query.v.as_deref() == Some(version(asset).as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        asset.bytes,
    )
        .into_response()
}
