//! Pages for people: the list (scoped by the policy), and for administrators creating
//! accounts, editing them, locking them and setting a new password; for a collaborator,
//! the localities and fields they cover (`collaborators`), chosen on the same form.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::access::Role;
use crate::access::policy::{Action, Scope};
use crate::audit::Who;
use crate::error::{Error, FieldErrors};
use crate::kit::{App, AppError, Ctx, Form, Page};
use crate::org::collaborators::{self, Covered};
use crate::org::people::{self, Person, PersonForm};
use crate::org::{self, Organisation, values};
use crate::refdata;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/people", get(list))
        .route("/people/new", get(new_form).post(create))
        .route("/people/{id}", get(show).post(update))
        .route("/people/{id}/password", post(set_password))
}

#[derive(Template)]
#[template(path = "people.html")]
struct ListPage {
    page: Page,
    people: Vec<Person>,
    q: String,
    organisation: String,
    role: String,
    roles: [Role; 9],
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    role: String,
}

pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let actor = ctx.actor()?.clone();
    if !actor.can(Action::ViewPeople, Scope::OwnOrganisation) {
        return Err(AppError::Forbidden);
    }
    let filter = people::Filter {
        text: Some(query.q.clone()),
        organisation: Some(query.organisation.clone()),
        role: Role::parse(&query.role),
        within: None,
    };
    let people = app
        .db
        .read(move |c| -> crate::error::Result<Vec<Person>> {
            let all = org::list_all(c)?;
            // Only the organisations this person may see people of.
            let visible: Vec<i64> = all
                .iter()
                .filter(|o| actor.can(Action::ViewPeople, org::scope_of(&all, actor.org_id, o.id)))
                .map(|o| o.id)
                .collect();
            let scoped = people::Filter {
                within: Some(visible),
                ..filter
            };
            people::list(c, &scoped)
        })
        .await?;
    let page = Page::new(&app, &ctx, "Người dùng");
    Ok(Html(
        ListPage {
            page,
            people,
            q: query.q,
            organisation: query.organisation,
            role: query.role,
            roles: Role::ALL,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct FormPage {
    page: Page,
    /// `None` for a new account.
    person: Option<Person>,
    form: PersonForm,
    errors: FieldErrors,
    organisations: Vec<(usize, Organisation)>,
    roles: [Role; 9],
    /// The collaborator's multi-selects: current communes, wards and special zones, and
    /// fields in use, with whatever the form chose that no longer is (so that a refused
    /// form shows what was chosen).
    localities: Vec<Choice>,
    fields: Vec<Choice>,
    /// What the person covers now, when they are a collaborator.
    covered: Option<Covered>,
    password_errors: FieldErrors,
    saved: bool,
}

/// An option of a multi-select.
pub struct Choice {
    pub id: i64,
    pub name: String,
    /// Still in use; otherwise shown only because the form chose it.
    pub current: bool,
}

/// The page of `person` (or a new account): `form` as sent, or `None` for the person
/// as stored.
async fn form_page(
    app: &App,
    ctx: &Ctx,
    person: Option<Person>,
    form: Option<PersonForm>,
    errors: FieldErrors,
    password_errors: FieldErrors,
    saved: bool,
) -> Result<String, AppError> {
    let collaborator = person
        .as_ref()
        .filter(|p| p.role == Role::Collaborator)
        .map(|p| p.id);
    let (organisations, localities, fields, covered) = app
        .db
        .read(move |c| -> crate::error::Result<_> {
            let all = org::list_all(c)?;
            let organisations = org::tree(&all, false)
                .into_iter()
                .map(|(d, o)| (d, o.clone()))
                .collect::<Vec<_>>();
            let covered = match collaborator {
                Some(id) => Some(collaborators::current(c, id)?),
                None => None,
            };
            let localities = refdata::localities(c, true)?;
            Ok((
                organisations,
                localities,
                refdata::fields(c, true)?,
                covered,
            ))
        })
        .await?;
    let form = match (form, &person) {
        (Some(form), _) => form,
        (None, Some(p)) => form_of(p, covered.as_ref()),
        (None, None) => PersonForm::default(),
    };
    let localities = localities
        .into_iter()
        .filter(|l| l.level != "province")
        .map(|l| Choice {
            current: l.valid_to.is_none(),
            id: l.id,
            name: l.name,
        })
        .filter(|c| c.current || form.has_locality(&c.id))
        .collect();
    let fields = fields
        .into_iter()
        .map(|f| Choice {
            current: f.active,
            id: f.id,
            name: f.name,
        })
        .filter(|c| c.current || form.has_field(&c.id))
        .collect();
    let title = if person.is_some() {
        "Tài khoản"
    } else {
        "Thêm người dùng"
    };
    Ok(FormPage {
        page: Page::new(app, ctx, title),
        person,
        form,
        errors,
        organisations,
        roles: Role::ALL,
        localities,
        fields,
        covered,
        password_errors,
        saved,
    }
    .render()?)
}

pub async fn new_form(State(app): State<App>, ctx: Ctx) -> Result<Html<String>, AppError> {
    ctx.require(Action::ManagePeople)?;
    let form = PersonForm {
        active: Some("1".into()),
        ..Default::default()
    };
    Ok(Html(
        form_page(
            &app,
            &ctx,
            None,
            Some(form),
            FieldErrors::new(),
            FieldErrors::new(),
            false,
        )
        .await?,
    ))
}

pub async fn create(
    State(app): State<App>,
    ctx: Ctx,
    Form(form): Form<PersonForm>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManagePeople)?;
    let who = Who::of(ctx.actor()?, &ctx.ip);
    let result = match form.parse_new() {
        Ok((username, details, password)) => {
            let hash = tokio::task::spawn_blocking(move || people::hash_password(&password))
                .await
                .map_err(|e| AppError::internal("hashing a password", e))?;
            match hash {
                Ok(hash) => {
                    app.db
                        .write(move |c| people::create(c, &who, &username, &details, &hash, false))
                        .await
                }
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/people/{id}?saved=1")).into_response()),
        Err(Error::Invalid(errors)) => {
            let mut form = form;
            form.password.clear(); // never echo a password back into the page
            let html = form_page(
                &app,
                &ctx,
                None,
                Some(form),
                errors,
                FieldErrors::new(),
                false,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The form as the person is stored, with what they cover when a collaborator.
fn form_of(person: &Person, covered: Option<&Covered>) -> PersonForm {
    let ids = |list: &[collaborators::Named]| list.iter().map(|n| n.id.to_string()).collect();
    PersonForm {
        username: person.username.clone(),
        display_name: person.display_name.clone(),
        title: person.title.clone(),
        email: person.email.clone().unwrap_or_default(),
        phone: person.phone.clone().unwrap_or_default(),
        organisation_id: person.organisation_id.to_string(),
        role: person.role.code().to_owned(),
        password: String::new(),
        active: person.active.then(|| "1".to_owned()),
        localities: covered.map_or_else(Vec::new, |c| ids(&c.localities)),
        fields: covered.map_or_else(Vec::new, |c| ids(&c.fields)),
    }
}

/// Loads a person the actor may see, or 404 (`people::get_visible`).
async fn load_visible(app: &App, ctx: &Ctx, id: i64) -> Result<Person, AppError> {
    let actor = ctx.actor()?.clone();
    Ok(app
        .db
        .read(move |c| people::get_visible(c, &actor, id).map(|(person, _)| person))
        .await?)
}

pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<crate::kit::Saved>,
) -> Result<Html<String>, AppError> {
    let person = load_visible(&app, &ctx, id).await?;
    let html = form_page(
        &app,
        &ctx,
        Some(person),
        None,
        FieldErrors::new(),
        FieldErrors::new(),
        q.saved.is_some(),
    )
    .await?;
    Ok(Html(html))
}

pub async fn update(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<PersonForm>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManagePeople)?;
    let person = load_visible(&app, &ctx, id).await?;
    let who = Who::of(ctx.actor()?, &ctx.ip);
    let result = match form.parse_update() {
        Ok(details) => {
            app.db
                .write(move |c| people::update(c, &who, id, &details))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/people/{id}?saved=1")).into_response()),
        Err(Error::Invalid(errors)) => {
            let mut form = form;
            form.username = person.username.clone();
            let html = form_page(
                &app,
                &ctx,
                Some(person),
                Some(form),
                errors,
                FieldErrors::new(),
                false,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn set_password(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManagePeople)?;
    let person = load_visible(&app, &ctx, id).await?;
    let who = Who::of(ctx.actor()?, &ctx.ip);
    if let Err(msg) = values::check_new_password(&form.password) {
        let errors = FieldErrors(vec![("password", msg)]);
        let html = form_page(
            &app,
            &ctx,
            Some(person),
            None,
            FieldErrors::new(),
            errors,
            false,
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
    }
    let password = form.password;
    let hash = tokio::task::spawn_blocking(move || people::hash_password(&password))
        .await
        .map_err(|e| AppError::internal("hashing a password", e))??;
    app.db
        .write(move |c| people::set_password(c, &who, id, &hash))
        .await?;
    Ok(Redirect::to(&format!("/people/{id}?saved=1")).into_response())
}
