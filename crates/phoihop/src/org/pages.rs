//! Pages for organisations: the directory (the staff of the lead body and the
//! agencies; not collaborators), and creating, renaming and merging (administrators).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::access::policy::Action;
use crate::audit::Who;
use crate::clock;
use crate::error::{Error, FieldErrors};
use crate::kit::{App, AppError, Ctx, Form, Page};
use crate::org::values::{Name, OrgCode};
use crate::org::{self, BodyType, NewOrganisationForm, OrgRole, Organisation, people};
use crate::refdata::{self, Field};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/organisations", get(list))
        .route("/organisations/new", get(new_form).post(create))
        .route("/organisations/{id}", get(show))
        .route("/organisations/{id}/rename", post(rename))
        .route("/organisations/{id}/merge", post(merge))
}

/// One line of the directory.
pub struct Line {
    pub depth: usize,
    pub org: Organisation,
    pub people: i64,
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct ListPage {
    page: Page,
    lines: Vec<Line>,
    q: String,
    former: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    former: Option<String>,
}

pub async fn list(
    State(app): State<App>,
    ctx: Ctx,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    ctx.require(Action::ViewOrganisations)?;
    let former = query.former.is_some();
    let q = query.q.trim().to_owned();
    let lines = app
        .db
        .read(move |c| -> crate::error::Result<Vec<Line>> {
            let all = org::list_all(c)?;
            let matching = if q.is_empty() {
                None
            } else {
                Some(org::ids_matching_any_name(c, &q)?)
            };
            let counts = people_counts(c)?;
            Ok(org::tree(&all, former || matching.is_some())
                .into_iter()
                .filter(|(_, o)| matching.as_ref().is_none_or(|ids| ids.contains(&o.id)))
                .map(|(depth, o)| Line {
                    depth: if matching.is_some() { 0 } else { depth },
                    people: counts
                        .iter()
                        .find(|(id, _)| *id == o.id)
                        .map_or(0, |(_, n)| *n),
                    org: o.clone(),
                })
                .collect())
        })
        .await?;
    let page = Page::new(&app, &ctx, "Tổ chức");
    Ok(Html(
        ListPage {
            page,
            lines,
            q: query.q,
            former,
        }
        .render()?,
    ))
}

fn people_counts(c: &mut dyn crate::db::Conn) -> crate::error::Result<Vec<(i64, i64)>> {
    c.query(
        "SELECT organisation_id, COUNT(*) FROM users WHERE active = 1 GROUP BY organisation_id",
        &[],
    )?
    .iter()
    .map(|r| Ok((r.get(0)?, r.get(1)?)))
    .collect()
}

#[derive(Template)]
#[template(path = "organisation_new.html")]
struct NewPage {
    page: Page,
    form: NewOrganisationForm,
    errors: FieldErrors,
    parents: Vec<(usize, Organisation)>,
    fields: Vec<Field>,
    body_types: [BodyType; 3],
    roles: [OrgRole; 4],
}

async fn new_page(
    app: &App,
    ctx: &Ctx,
    form: NewOrganisationForm,
    errors: FieldErrors,
) -> Result<String, AppError> {
    let (parents, fields) = app
        .db
        .read(|c| -> crate::error::Result<_> {
            let all = org::list_all(c)?;
            let parents = org::tree(&all, false)
                .into_iter()
                .map(|(d, o)| (d, o.clone()))
                .collect();
            Ok((parents, refdata::fields(c, false)?))
        })
        .await?;
    Ok(NewPage {
        page: Page::new(app, ctx, "Thêm tổ chức"),
        form,
        errors,
        parents,
        fields,
        body_types: BodyType::ALL,
        roles: OrgRole::ALL,
    }
    .render()?)
}

pub async fn new_form(State(app): State<App>, ctx: Ctx) -> Result<Html<String>, AppError> {
    ctx.require(Action::ManageOrganisations)?;
    let form = NewOrganisationForm {
        valid_from: clock::format_date(clock::today()),
        ..Default::default()
    };
    Ok(Html(new_page(&app, &ctx, form, FieldErrors::new()).await?))
}

pub async fn create(
    State(app): State<App>,
    ctx: Ctx,
    Form(form): Form<NewOrganisationForm>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManageOrganisations)?;
    let who = Who::of(ctx.actor()?, &ctx.ip);
    let parsed = form.parse();
    let result = match parsed {
        Ok(new) => app.db.write(move |c| org::create(c, &who, &new)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/organisations/{id}")).into_response()),
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(new_page(&app, &ctx, form, errors).await?),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct ShowPage {
    page: Page,
    org: Organisation,
    parent: Option<Organisation>,
    successor: Option<Organisation>,
    names: Vec<org::FormerName>,
    fields: Vec<Field>,
    children: Vec<Organisation>,
    predecessors: Vec<Organisation>,
    members: Option<Vec<people::Person>>,
    targets: Vec<(usize, Organisation)>,
    rename: RenameForm,
    merge: MergeForm,
    errors: FieldErrors,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    date: String,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct MergeForm {
    #[serde(default)]
    successor_id: String,
    #[serde(default)]
    date: String,
}

async fn show_page(
    app: &App,
    ctx: &Ctx,
    id: i64,
    rename: Option<RenameForm>,
    merge: Option<MergeForm>,
    errors: FieldErrors,
) -> Result<String, AppError> {
    let actor = ctx.require(Action::ViewOrganisations)?.clone();
    let (org, all, names, field_list, members) = app
        .db
        .read(move |c| -> crate::error::Result<_> {
            let org = org::get(c, id)?;
            let all = org::list_all(c)?;
            let names = org::names(c, id)?;
            let ids = org::field_ids(c, id)?;
            let fields: Vec<Field> = refdata::fields(c, true)?
                .into_iter()
                .filter(|f| ids.contains(&f.id))
                .collect();
            let scope = org::scope_of(&all, actor.org_id, id);
            let members = if actor.can(Action::ViewPeople, scope) {
                Some(people::list(
                    c,
                    &people::Filter {
                        within: Some(vec![id]),
                        ..Default::default()
                    },
                )?)
            } else {
                None
            };
            Ok((org, all, names, fields, members))
        })
        .await?;
    let find = |id: Option<i64>| id.and_then(|id| all.iter().find(|o| o.id == id).cloned());
    let today = clock::format_date(clock::today());
    let rename = rename.unwrap_or_else(|| RenameForm {
        name: org.name.clone(),
        code: org.code.clone(),
        date: today.clone(),
    });
    let merge = merge.unwrap_or(MergeForm {
        successor_id: String::new(),
        date: today,
    });
    let targets = org::tree(&all, false)
        .into_iter()
        .filter(|(_, o)| !org::is_ancestor(&all, org.id, o.id))
        .map(|(d, o)| (d, o.clone()))
        .collect();
    let page = ShowPage {
        page: Page::new(app, ctx, &org.name),
        parent: find(org.parent_id),
        successor: find(org.successor_id),
        names,
        fields: field_list,
        children: all
            .iter()
            .filter(|o| o.parent_id == Some(org.id))
            .cloned()
            .collect(),
        predecessors: all
            .iter()
            .filter(|o| o.successor_id == Some(org.id))
            .cloned()
            .collect(),
        members,
        targets,
        rename,
        merge,
        errors,
        org,
    };
    Ok(page.render()?)
}

pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    Ok(Html(
        show_page(&app, &ctx, id, None, None, FieldErrors::new()).await?,
    ))
}

pub async fn rename(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<RenameForm>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManageOrganisations)?;
    let who = Who::of(ctx.actor()?, &ctx.ip);
    let mut errors = FieldErrors::new();
    let name = errors.check("name", Name::parse(&form.name));
    let code = errors.check("code", OrgCode::parse(&form.code));
    let date = errors.check(
        "date",
        clock::parse_user_date(&form.date).ok_or("Ngày không hợp lệ (dd/mm/yyyy)."),
    );
    let result = match (name, code, date) {
        (Some(name), Some(code), Some(date)) => {
            app.db
                .write(move |c| org::rename(c, &who, id, &name, &code, date))
                .await
        }
        _ => Err(Error::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/organisations/{id}")).into_response()),
        Err(Error::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(show_page(&app, &ctx, id, Some(form), None, errors).await?),
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

pub async fn merge(
    State(app): State<App>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<MergeForm>,
) -> Result<Response, AppError> {
    ctx.require(Action::ManageOrganisations)?;
    let who = Who::of(ctx.actor()?, &ctx.ip);
    let mut errors = FieldErrors::new();
    let successor: Option<i64> = errors.check(
        "successor_id",
        form.successor_id
            .trim()
            .parse()
            .map_err(|_| "Chọn tổ chức nhận hợp nhất."),
    );
    let date = errors.check(
        "date",
        clock::parse_user_date(&form.date).ok_or("Ngày không hợp lệ (dd/mm/yyyy)."),
    );
    let result = match (successor, date) {
        (Some(successor), Some(date)) => {
            app.db
                .write(move |c| org::merge(c, &who, id, successor, date))
                .await
        }
        _ => Err(Error::Invalid(errors)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/organisations/{id}")).into_response()),
        Err(Error::Invalid(errors)) => {
            // The page has two date fields; this error belongs to the merge form's.
            let errors = FieldErrors(
                errors
                    .0
                    .into_iter()
                    .map(|(f, m)| (if f == "date" { "merge_date" } else { f }, m))
                    .collect(),
            );
            let html = show_page(&app, &ctx, id, None, Some(form), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
