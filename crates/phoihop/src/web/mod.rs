//! The top of the application: router assembly, the middleware every request passes
//! (origin check, session, error pages, security headers), serving, and the home
//! page's composition. It sits above the domains: it mounts each domain's routes and
//! lists their home-page panels, and hands the domains what the kit does not hold
//! (the session found behind a cookie, the search index).

pub mod home;
pub mod unread;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::auth::session::{self, Lookup};
use crate::kit::{App, AppError, Ctx, ErrorPage, Page, SessionState, assets, base_ctx, cookie};

/// What a node serves: the state every domain shares ([`App`]), and this node's
/// search index, which only search's pages and API use and so is handed to their
/// routes rather than kept in the kit's state.
pub struct Node {
    pub app: App,
    pub search: Arc<crate::search::Index>,
}

pub fn router(node: Node) -> Router {
    let Node { mut app, search } = node;
    // The places the domains add to the navigation, which the page shell lists.
    app.nav = std::sync::Arc::from(crate::case::surfaces::nav());
    let pages = Router::new()
        .route("/", get(home::show))
        .merge(crate::auth::pages::routes())
        .merge(crate::auth::token_pages::routes())
        .merge(crate::org::pages::routes())
        .merge(crate::org::people_pages::routes())
        .merge(crate::refdata::pages::routes())
        .merge(crate::audit::pages::routes())
        .merge(crate::calendar::pages::routes())
        .merge(crate::case::api::routes())
        .merge(crate::case::pages::routes())
        .merge(crate::case::export::routes())
        .merge(crate::case::work::routes())
        .merge(crate::case::surfaces::routes())
        .merge(crate::notify::pages::routes())
        .merge(crate::attachment::pages::routes())
        .merge(crate::attachment::api::routes())
        .merge(crate::search::pages::routes(search.clone()))
        .merge(crate::search::api::routes(search))
        .route("/lang", get(crate::kit::switch_language))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), render_errors))
        .layer(middleware::from_fn_with_state(app.clone(), session_layer))
        .layer(middleware::from_fn(same_origin_writes))
        .layer(middleware::from_fn(crate::kit::json_errors));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/assets/{name}", get(assets::serve))
        .merge(pages)
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn(unread::finish_unread_bodies))
        .with_state(app)
}

/// Whether this node can serve: it answers 200 `ok` only while its database answers
/// (within two seconds), so that a load balancer stops sending people to a node that
/// would give them errors, and sends them again once it recovers.
async fn healthz(State(app): State<App>) -> Response {
    let probe = app.db.read(|c| c.scalar::<i64>("SELECT 1", &[]));
    match tokio::time::timeout(std::time::Duration::from_secs(2), probe).await {
        Ok(Ok(_)) => "ok".into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => {
            tracing::warn!("health check: the database did not answer within 2 s");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn not_found() -> AppError {
    AppError::NotFound
}

/// Finds the session behind the cookie, ends it when it idled out, records activity,
/// and puts the result in the request for [`Ctx`].
async fn session_layer(State(app): State<App>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let token = cookie(&parts.headers, session::COOKIE).map(str::to_owned);
    let state = match token {
        None => SessionState::None,
        Some(token) => {
            // The page's countdown asks whether the session lives; that is not activity.
            let activity = parts.uri.path() != "/session/status";
            let idle = app.config.session_idle_secs;
            let looked = {
                let token = token.clone();
                app.db
                    .read_quick(move |c| session::lookup(c, &token, idle, activity))
                    .await
            };
            match looked {
                Ok((lookup, follow)) => {
                    if let Some(follow) = follow {
                        let result = app
                            .db
                            .write(move |c| session::follow_up(c, &token, follow))
                            .await;
                        if let Err(e) = result {
                            tracing::warn!(error = %e, "could not record session activity");
                        }
                    }
                    match lookup {
                        Lookup::Alive(actor) => SessionState::Alive(actor),
                        Lookup::Expired => SessionState::Expired,
                        Lookup::Unknown => SessionState::None,
                    }
                }
                Err(e) => return AppError::from(e).into_response(),
            }
        }
    };
    let ctx = base_ctx(&parts, state);
    parts.extensions.insert(ctx);
    next.run(Request::from_parts(parts, body)).await
}

/// Turns an [`ErrorPage`] left by a handler into a page in the person's language.
async fn render_errors(State(app): State<App>, req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>().cloned();
    let response = next.run(req).await;
    let Some(error) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let Some(ctx) = ctx else { return response };
    error
        .render(Page::new(&app, &ctx, error.heading))
        .unwrap_or(response)
}

/// Refuses state-changing requests sent by another site's page. Browsers send
/// `Origin` (and `Sec-Fetch-Site`) on every cross-site POST; with the anti-forgery
/// token in forms this is the second lock on the door.
async fn same_origin_writes(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return AppError::Csrf.into_response();
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split_once("://").map_or(origin, |(_, h)| h);
        if origin == "null" || origin_host != host {
            return AppError::Csrf.into_response();
        }
    }
    next.run(req).await
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let unavailable = response.status() == StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    if unavailable && !headers.contains_key(header::RETRY_AFTER) {
        // Outages here are a database restarting or failing over: seconds, not minutes.
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    }
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    response
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests under way.
pub async fn serve(node: Node, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    serve_until(node, listener, shutdown_signal()).await
}

/// Serves until `shutdown` completes (tests stop their servers this way).
pub async fn serve_until(
    node: Node,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(node).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}
