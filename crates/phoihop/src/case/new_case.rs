//! Opening a case from its form (`/cases/new?kind=…`): what every case has (title, text,
//! field of work, locality, and the reporting agency when the lead body's staff open a
//! case that belongs to an agency) and the fields its kind declares for opening, all
//! drawn by the one field template and read back through the engine's path. A refused
//! form comes back with what was typed and each problem at its place.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::{Map, Value};

use crate::error::FieldErrors;
use crate::i18n::Msg;
use crate::kit::{App, AppError, Ctx, Form, Page};
use crate::org;

use super::engine::{self, At, NewCase};
use super::fields::form::{self, Input, Options};
use super::pages::{RenderSized, case_actor};
use super::workflow::{FieldKind, FieldSpec, Workflow};
use super::{CaseError, kinds};

/// What every new case is opened with, as fields of the form.
const TITLE: FieldSpec = FieldSpec {
    name: "title",
    label: "Tiêu đề",
    kind: FieldKind::Line,
    required: true,
};
const BODY: FieldSpec = FieldSpec {
    name: "body",
    label: "Nội dung",
    kind: FieldKind::Text,
    required: false,
};
const OWNER: FieldSpec = FieldSpec {
    name: "owner_org_id",
    label: "Cơ quan báo cáo",
    kind: FieldKind::Organisation,
    required: true,
};
const FIELD: FieldSpec = FieldSpec {
    name: "field_id",
    label: "Lĩnh vực",
    kind: FieldKind::FieldOfWork,
    required: false,
};
const LOCALITY: FieldSpec = FieldSpec {
    name: "locality_id",
    label: "Địa bàn",
    kind: FieldKind::Locality,
    required: false,
};

/// The common fields a person opening a case of `workflow` fills in: the reporting
/// agency only when the lead body's staff open a case that belongs to an agency (the
/// engine takes an agency person's own organisation, and the lead body's for its own
/// kinds).
fn common(workflow: &Workflow, lead_staff: bool) -> Vec<FieldSpec> {
    let mut specs = vec![TITLE, BODY];
    if lead_staff && workflow.lead_names_owner {
        specs.push(OWNER);
    }
    specs.extend([FIELD, LOCALITY]);
    specs
}

#[derive(Template)]
#[template(path = "case_new.html")]
struct NewPage {
    page: Page,
    workflow: &'static Workflow,
    inputs: Vec<Input>,
    /// Problems that belong to no input (no program to file under, unknown fields).
    problems: Vec<Msg>,
    has_errors: bool,
}

async fn new_page(
    app: &App,
    ctx: &Ctx,
    workflow: &'static Workflow,
    values: Map<String, Value>,
    errors: FieldErrors,
) -> Result<String, AppError> {
    let actor = case_actor(ctx)?;
    if !workflow.opened_by(&actor) {
        return Err(AppError::Forbidden);
    }
    let specs = common(workflow, actor.is_lead_staff());
    let lead_staff = actor.is_lead_staff();
    // A few small reads (the organisation tree, held per version; localities and
    // fields of work), each bounded: on the request's own thread.
    let options = app
        .db
        .read_quick(move |c| {
            let all = org::tree::current(c)?;
            let specs = common(workflow, lead_staff);
            Options::load(c, &actor, &all, specs.iter().chain(workflow.create.fields))
        })
        .await?;
    let mut inputs = form::inputs(&specs, "", &values, &errors, &options);
    inputs.extend(form::inputs(
        workflow.create.fields,
        "",
        &values,
        &errors,
        &options,
    ));
    let problems = form::unplaced(&errors, &inputs);
    let page = Page::new(app, ctx, workflow.create.label);
    Ok(NewPage {
        page,
        workflow,
        inputs,
        problems,
        has_errors: !errors.is_empty(),
    }
    // About the size of the largest form (a complaint's, 14 kB), so that rendering
    // does not grow and copy its buffer.
    .render_sized(16 * 1024)?)
}

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    kind: String,
}

pub async fn new_form(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<NewQuery>,
) -> Result<Html<String>, AppError> {
    let workflow = kinds::find(&q.kind).ok_or(AppError::NotFound)?;
    Ok(Html(
        new_page(&app, &ctx, workflow, Map::new(), FieldErrors::new()).await?,
    ))
}

pub async fn create(
    State(app): State<App>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = case_actor(&ctx)?;
    let posted = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let workflow = kinds::find(posted("kind").unwrap_or("")).ok_or(AppError::NotFound)?;
    let common = form::from_pairs(&common(workflow, actor.is_lead_staff()), &pairs);
    let declared = form::from_pairs(workflow.create.fields, &pairs);
    let text = |name: &str| {
        common
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let id = |name: &str| text(name).trim().parse().ok();
    let new = NewCase {
        title: text("title"),
        body: text("body"),
        program_id: None,
        field_id: id("field_id"),
        locality_id: id("locality_id"),
        commitment_id: None,
        owner_org_id: id("owner_org_id"),
        fields: declared.clone(),
    };
    let result = app
        .db
        .write(move |c| {
            let calendar = crate::calendar::load(c)?;
            let due = |d, n| calendar.add_working_days(d, n);
            engine::create(c, &actor, workflow, &new, &At::now(&due))
        })
        .await;
    match result {
        Ok(case) => Ok(Redirect::to(&format!("/cases/{}", case.number)).into_response()),
        Err(CaseError::Invalid(errors)) => {
            let mut values = common;
            values.extend(declared);
            let html = new_page(&app, &ctx, workflow, values, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
