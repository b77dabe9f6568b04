//! Sign-in, sign-out, and the two calls the idle-timeout warning makes: "stay signed
//! in" (keepalive) and "is my session still alive" (status, which is not activity).

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::audit::{self, Who};
use crate::auth::{self, LoginRules, session};
use crate::clock;
use crate::kit::{App, AppError, Ctx, Form, Page, constant_time_eq, cookie, safe_next};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/session/keepalive", post(keepalive))
        .route("/session/status", get(status))
}

/// Anti-forgery cookie for the sign-in form (there is no session yet to hold a token).
const LOGIN_COOKIE: &str = "phoihop_login";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    username: String,
    next: String,
    notice: Option<&'static str>,
    error: Option<String>,
    form_token: String,
}

#[derive(serde::Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    reason: String,
}

pub async fn login_form(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    let next = safe_next(&q.next);
    if ctx.maybe_actor().is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let notice = match q.reason.as_str() {
        "idle" => Some(
            "Phiên làm việc đã kết thúc vì quá lâu không thao tác. Xin đăng nhập lại để tiếp tục; bạn sẽ trở lại đúng trang đang làm.",
        ),
        "signed_out" => Some("Bạn đã đăng xuất."),
        _ => None,
    };
    let form_token = crate::access::secret::new_token();
    let page = LoginPage {
        page: Page::new(&app, &ctx, "Đăng nhập"),
        username: String::new(),
        next,
        notice,
        error: None,
        form_token: form_token.clone(),
    };
    Ok(with_login_cookie(
        &app,
        &form_token,
        Html(page.render()?).into_response(),
    ))
}

fn with_login_cookie(app: &App, token: &str, mut response: Response) -> Response {
    let secure = if app.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let value = format!("{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict{secure}");
    if let Ok(v) = value.parse() {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

#[derive(serde::Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    /// Absent for non-browser clients; when present it must match the cookie.
    csrf: Option<String>,
}

/// Longest username or password read; anything longer is refused before hashing.
const MAX_CREDENTIAL: usize = 1024;

pub async fn login(
    State(app): State<App>,
    ctx: Ctx,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    // A body we cannot read is treated as an empty form, which gets its own message.
    let form: LoginForm = serde_html_form::from_bytes(&body).unwrap_or_default();
    let next = safe_next(&form.next);
    // A refusal sets no cookie at all: the form keeps the token the browser already has.
    let current_token = cookie(&headers, LOGIN_COOKIE).unwrap_or("").to_owned();
    let refuse = |error: &str, ctx: &Ctx, username: &str| -> Result<Response, AppError> {
        let page = LoginPage {
            page: Page::new(&app, ctx, "Đăng nhập"),
            username: username.chars().take(100).collect(),
            next: next.clone(),
            notice: None,
            error: Some(crate::i18n::tr(ctx.lang, error).to_owned()),
            form_token: current_token.clone(),
        };
        Ok(Html(page.render()?).into_response())
    };
    if let Some(sent) = &form.csrf {
        let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
        if expected.is_empty() || !constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
            return refuse(
                "Trang đăng nhập đã cũ. Xin nhập lại mật khẩu và đăng nhập.",
                &ctx,
                &form.username,
            );
        }
    }
    if form.username.trim().is_empty() || form.password.is_empty() {
        return refuse("Xin nhập tên đăng nhập và mật khẩu.", &ctx, &form.username);
    }
    if form.username.len() > MAX_CREDENTIAL || form.password.len() > MAX_CREDENTIAL {
        return refuse("Tên đăng nhập hoặc mật khẩu quá dài.", &ctx, "");
    }
    let rules = LoginRules {
        demo_mode: app.config.demo,
        max_failures: app.config.login_max_failures,
        window_secs: app.config.login_window_secs,
    };
    let (username, ip) = (form.username.clone(), ctx.ip.clone());
    let facts = app
        .db
        .read(move |c| auth::login_facts(c, rules, &username, &ip))
        .await?;
    let password = form.password.clone();
    let verdict = tokio::task::spawn_blocking(move || auth::judge(facts, rules, &password))
        .await
        .map_err(|e| AppError::internal("checking a password", e))?;
    let ip = ctx.ip.clone();
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    match verdict {
        Err((key, refusal)) => {
            let ip2 = ip.clone();
            app.db
                .write(move |c| auth::record_refusal(c, &key, &ip2, refusal))
                .await?;
            refuse(refusal.message(), &ctx, &form.username)
        }
        Ok(person) => {
            let token = app
                .db
                .write(move |c| auth::start_session(c, &person, &ip, &agent))
                .await?;
            let secure = if app.config.secure_cookies {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!(
                "{}={token}; Path=/; HttpOnly; SameSite=Lax{secure}",
                session::COOKIE
            );
            let clear = format!("{LOGIN_COOKIE}=; Path=/login; Max-Age=0");
            let mut response = Redirect::to(&next).into_response();
            for value in [cookie, clear] {
                if let Ok(v) = value.parse() {
                    response.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            Ok(response)
        }
    }
}

#[derive(serde::Deserialize)]
pub struct LogoutForm {}

pub async fn logout(
    State(app): State<App>,
    ctx: Ctx,
    Form(_): Form<LogoutForm>,
) -> Result<Response, AppError> {
    let actor = ctx.actor()?.clone();
    let who = Who::of(&actor, &ctx.ip);
    app.db
        .write(move |c| -> crate::error::Result<()> {
            session::end(c, &actor.token_hash, "logout")?;
            audit::record(
                c,
                &who,
                audit::action::LOGOUT,
                ("user", &actor.username),
                "",
            )?;
            Ok(())
        })
        .await?;
    let clear = format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
        session::COOKIE
    );
    Ok((
        [(header::SET_COOKIE, clear)],
        Redirect::to("/login?reason=signed_out"),
    )
        .into_response())
}

#[derive(serde::Serialize)]
pub struct SessionStatus {
    alive: bool,
    remaining_ms: i64,
}

/// "Stay signed in": counts now as activity. Needs the session's token in the
/// `X-CSRF-Token` header.
pub async fn keepalive(State(app): State<App>, ctx: Ctx, headers: HeaderMap) -> Response {
    let Some(actor) = ctx.maybe_actor().cloned() else {
        return (
            StatusCode::UNAUTHORIZED,
            Json(SessionStatus {
                alive: false,
                remaining_ms: 0,
            }),
        )
            .into_response();
    };
    let sent = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !constant_time_eq(sent.as_bytes(), actor.csrf_token.as_bytes()) {
        return AppError::Csrf.into_response();
    }
    let hash = actor.token_hash.clone();
    if let Err(e) = app.db.write(move |c| session::extend(c, &hash)).await {
        return AppError::from(e).into_response();
    }
    let remaining_ms = i64::try_from(app.config.session_idle_secs * 1000).unwrap_or(i64::MAX);
    Json(SessionStatus {
        alive: true,
        remaining_ms,
    })
    .into_response()
}

/// Whether the session lives, and how long it has left. Not counted as activity, so
/// another tab's activity is seen and this tab's polling keeps nothing alive.
pub async fn status(ctx: Ctx) -> Json<SessionStatus> {
    Json(match ctx.maybe_actor() {
        Some(actor) => SessionStatus {
            alive: true,
            remaining_ms: (actor.expires_at_ms - clock::now_ms()).max(0),
        },
        None => SessionStatus {
            alive: false,
            remaining_ms: 0,
        },
    })
}
