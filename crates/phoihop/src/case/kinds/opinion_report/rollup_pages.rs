//! The roll-up of the public-opinion reports of a period as a page
//! (`/reports/opinion?period=2026-11&org=ID`) and as a workbook (`/reports/opinion.xlsx`
//! with the same query). The lead body's staff see any organisation's collaborators or
//! all of them; an agency's liaison or leader sees those registered under the agency;
//! anyone else gets 403. A period that does not read gets the page with a message.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use time::Duration;

use crate::access::Actor;
use crate::access::policy::{Action, Scope};
use crate::clock;
use crate::i18n::Msg;
use crate::kit::{App, AppError, Ctx, Page};
use crate::org;
use crate::report::xlsx::{self, Cell, Sheet};

use super::period::{Cadence, Period};
use super::rollup::{self, Count, RollUp};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/reports/opinion", get(show))
        .route("/reports/opinion.xlsx", get(export))
}

const TITLE: &str = "Tổng hợp báo cáo dư luận xã hội";
const BAD_PERIOD: Msg = "Kỳ báo cáo không hợp lệ: ghi dạng 2026-11 (tháng) hoặc 2026-Q4 (quý). Đang hiển thị kỳ tháng trước.";
const BAD_ORG: Msg = "Cơ quan đã chọn không hợp lệ; đang hiển thị tất cả.";

/// The query both answers read.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RollUpQuery {
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub org: Option<String>,
}

/// The period and organisation asked for, once checked against who asks.
struct Asked {
    period: Period,
    org_id: Option<i64>,
    /// Whether the person may pick any organisation (the lead body's staff).
    lead: bool,
    problems: Vec<Msg>,
}

/// Last month: the latest period every monthly report is due for.
fn last_month() -> Period {
    let today = clock::today();
    let first = today.replace_day(1).unwrap_or(today);
    Period::containing(Cadence::Monthly, first - Duration::days(1))
}

fn ask(actor: &Actor, q: &RollUpQuery) -> Result<Asked, AppError> {
    let mut problems = Vec::new();
    let period = match q.period.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => last_month(),
        Some(text) => Period::parse(text).unwrap_or_else(|| {
            problems.push(BAD_PERIOD);
            last_month()
        }),
    };
    let asked_org = match q.org.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        None => None,
        Some(text) => match text.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                problems.push(BAD_ORG);
                None
            }
        },
    };
    if actor.can(Action::ViewOpinionRollUp, Scope::Installation) {
        return Ok(Asked {
            period,
            org_id: asked_org,
            lead: true,
            problems,
        });
    }
    if !actor.can(Action::ViewOpinionRollUp, Scope::OwnOrganisation) {
        return Err(AppError::Forbidden);
    }
    if asked_org.is_some_and(|id| id != actor.org_id) {
        return Err(AppError::Forbidden);
    }
    Ok(Asked {
        period,
        org_id: Some(actor.org_id),
        lead: false,
        problems,
    })
}

/// An organisation in the picker.
pub struct OrgChoice {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

/// A period in the picker.
pub struct PeriodChoice {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

/// The periods offered: the last twelve months and four quarters, and the one shown.
fn period_choices(shown: Period, ctx: &Ctx) -> Vec<PeriodChoice> {
    let today = clock::today();
    let mut periods = Vec::new();
    let mut month = last_month();
    for _ in 0..12 {
        periods.push(month);
        let first = month.first_day();
        month = Period::containing(Cadence::Monthly, first - Duration::days(1));
    }
    let mut quarter = Period::containing(Cadence::Quarterly, today);
    for _ in 0..4 {
        let first = quarter.first_day();
        quarter = Period::containing(Cadence::Quarterly, first - Duration::days(1));
        periods.push(quarter);
    }
    if !periods.contains(&shown) {
        periods.insert(0, shown);
    }
    periods
        .into_iter()
        .map(|p| PeriodChoice {
            code: p.code(),
            label: p.label(ctx.lang),
            selected: p == shown,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "opinion_rollup.html")]
struct RollUpPage {
    page: Page,
    rollup: RollUp,
    period_label: String,
    from: String,
    to: String,
    periods: Vec<PeriodChoice>,
    orgs: Vec<OrgChoice>,
    lead: bool,
    org_name: String,
    problems: Vec<Msg>,
    xlsx_href: String,
}

impl RollUpPage {
    /// The four count tables: their element id, heading and rows.
    fn tables(&self) -> [(&'static str, &'static str, &[Count]); 4] {
        [
            ("by-topic", "Theo vấn đề", &self.rollup.by_topic),
            ("by-field", "Theo lĩnh vực", &self.rollup.by_field),
            ("by-locality", "Theo địa bàn", &self.rollup.by_locality),
            ("by-attitude", "Theo thái độ", &self.rollup.by_attitude),
        ]
    }
}

fn query_string(period: Period, org_id: Option<i64>) -> String {
    match org_id {
        Some(id) => format!("period={}&org={id}", period.code()),
        None => format!("period={}", period.code()),
    }
}

async fn load(app: &App, asked: &Asked) -> Result<(RollUp, Vec<org::Organisation>), AppError> {
    let (period, org_id) = (asked.period, asked.org_id);
    Ok(app
        .db
        .read(
            move |c| -> crate::error::Result<(RollUp, Vec<org::Organisation>)> {
                Ok((rollup::rollup(c, period, org_id)?, org::list_all(c)?))
            },
        )
        .await?)
}

pub async fn show(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<RollUpQuery>,
) -> Result<Response, AppError> {
    let asked = ask(ctx.actor()?, &q)?;
    let (rollup, all) = load(&app, &asked).await?;
    let org_name = asked
        .org_id
        .and_then(|id| all.iter().find(|o| o.id == id))
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let orgs = all
        .iter()
        .filter(|o| o.is_current())
        .map(|o| OrgChoice {
            id: o.id,
            name: o.name.clone(),
            selected: Some(o.id) == asked.org_id,
        })
        .collect();
    let period = asked.period;
    let status = if asked.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let html = RollUpPage {
        page: Page::new(&app, &ctx, TITLE),
        period_label: period.label(ctx.lang),
        from: clock::format_date(period.first_day()),
        to: clock::format_date(period.last_day()),
        periods: period_choices(period, &ctx),
        orgs,
        lead: asked.lead,
        org_name,
        problems: asked.problems,
        xlsx_href: format!(
            "/reports/opinion.xlsx?{}",
            query_string(period, rollup.org_id)
        ),
        rollup,
    }
    .render()?;
    Ok((status, Html(html)).into_response())
}

fn count_sheet(name: &str, heading: &str, counts: &[Count]) -> Sheet {
    Sheet {
        name: name.to_owned(),
        header: vec![
            heading.to_owned(),
            "Số lượt".to_owned(),
            "Tỷ lệ (%)".to_owned(),
        ],
        rows: counts
            .iter()
            .map(|c| {
                vec![
                    Cell::from(c.label.as_str()),
                    Cell::from(c.count as i64),
                    Cell::Number((c.share * 10.0).round() / 10.0),
                ]
            })
            .collect(),
        widths: vec![50.0, 12.0, 12.0],
    }
}

/// The roll-up as sheets, one per table of the page.
pub fn sheets(r: &RollUp) -> Vec<Sheet> {
    let mut not_reported: Vec<Vec<Cell>> = r
        .missing
        .iter()
        .map(|name| vec![Cell::from(name.as_str()), Cell::from("Chưa gửi báo cáo")])
        .collect();
    not_reported.extend(r.reported.iter().filter(|x| !x.counts()).map(|x| {
        vec![
            Cell::from(x.collaborator.as_str()),
            Cell::from(format!("{} ({})", x.state_label, x.number)),
        ]
    }));
    vec![
        count_sheet("Theo vấn đề", "Vấn đề, sự kiện", &r.by_topic),
        count_sheet("Theo lĩnh vực", "Lĩnh vực", &r.by_field),
        count_sheet("Theo địa bàn", "Địa bàn", &r.by_locality),
        count_sheet("Theo thái độ", "Thái độ của nhân dân", &r.by_attitude),
        Sheet {
            name: "Chưa báo cáo".into(),
            header: vec!["Cộng tác viên".into(), "Tình trạng".into()],
            rows: not_reported,
            widths: vec![36.0, 40.0],
        },
        Sheet {
            name: "Ý kiến đáng chú ý".into(),
            header: [
                "Vấn đề, sự kiện",
                "Địa bàn",
                "Thái độ của nhân dân",
                "Ý kiến đáng chú ý",
                "Cộng tác viên",
                "Số hồ sơ",
            ]
            .iter()
            .map(|h| (*h).to_owned())
            .collect(),
            rows: r
                .quotes
                .iter()
                .map(|q| {
                    vec![
                        Cell::from(q.topic.as_str()),
                        Cell::from(q.locality.as_str()),
                        Cell::from(q.attitude),
                        Cell::from(q.opinion.as_str()),
                        Cell::from(q.collaborator.as_str()),
                        Cell::from(q.number.as_str()),
                    ]
                })
                .collect(),
            widths: vec![36.0, 24.0, 22.0, 80.0, 28.0, 16.0],
        },
    ]
}

pub async fn export(
    State(app): State<App>,
    ctx: Ctx,
    Query(q): Query<RollUpQuery>,
) -> Result<Response, AppError> {
    let asked = ask(ctx.actor()?, &q)?;
    if let Some(problem) = asked.problems.first() {
        return Err(AppError::BadRequest(problem));
    }
    let (rollup, _) = load(&app, &asked).await?;
    let file = format!("du-luan-{}.xlsx", rollup.period.code());
    xlsx::download(&file, &sheets(&rollup))
}
