//! Export of any case list to XLSX: the same filters and visibility as the list page,
//! every matching case up to [`MAX_ROWS`], in the order shown.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;

use crate::clock;
use crate::kit::{App, AppError, Ctx};
use crate::org;
use crate::refdata;
use crate::report::xlsx::{self, Cell, Sheet};

use super::model::CaseActor;
use super::parties::Party;
use super::{CaseError, columns, kinds, list};

pub fn routes() -> Router<App> {
    Router::new().route("/cases/export.xlsx", get(export))
}

/// The most rows one export carries; a larger selection is narrowed by its filters.
pub const MAX_ROWS: usize = 20_000;

pub async fn export(
    State(app): State<App>,
    ctx: Ctx,
    Query(filter): Query<list::Filter>,
) -> Result<Response, AppError> {
    let actor = CaseActor::from(ctx.require(crate::access::policy::Action::WorkOnCases)?);
    // A list of one kind carries the kind's own columns (`columns.rs`) after the others.
    let listed = filter.kind.as_deref().and_then(kinds::find);
    let rows = app
        .db
        .read(move |c| -> Result<Vec<Vec<Cell>>, CaseError> {
            let all = org::list_all(c)?;
            let fields = refdata::fields(c, true)?;
            let localities = refdata::localities(c, true)?;
            let mut rows = Vec::new();
            let mut page = list::Filter {
                limit: Some(200),
                ..filter
            };
            loop {
                let cases = list::visible(c, &actor, &page)?;
                let overdue = list::overdue_among(c, &cases)?;
                let mut extra = match listed {
                    Some(w) => {
                        let kept: Vec<_> = cases.iter().map(|k| (k.id, &k.data)).collect();
                        columns::shown(c, w, &kept, |id| {
                            all.iter().find(|o| o.id == id).map(|o| o.name.clone())
                        })?
                        .cells
                    }
                    None => Default::default(),
                };
                for case in &cases {
                    let workflow = kinds::find(&case.kind);
                    let name = |id: Option<i64>| {
                        id.and_then(|id| all.iter().find(|o| o.id == id))
                            .map_or("", |o| o.name.as_str())
                    };
                    let mut row = vec![
                        Cell::from(case.number.as_str()),
                        Cell::from(workflow.map_or("", |w| w.label)),
                        Cell::from(case.title.as_str()),
                        Cell::from(
                            workflow
                                .and_then(|w| w.state(&case.state))
                                .map_or("", |s| s.label),
                        ),
                        Cell::from(name(Some(case.owner_org_id))),
                        Cell::from(
                            case.field_id
                                .and_then(|id| fields.iter().find(|f| f.id == id))
                                .map_or("", |f| f.name.as_str()),
                        ),
                        Cell::from(
                            case.locality_id
                                .and_then(|id| localities.iter().find(|l| l.id == id))
                                .map_or("", |l| l.name.as_str()),
                        ),
                        Cell::from(clock::format_datetime(case.opened_at)),
                        Cell::from(
                            case.closed_at
                                .map(clock::format_datetime)
                                .unwrap_or_default(),
                        ),
                        Cell::from(if overdue.contains(&case.id) {
                            "Quá hạn"
                        } else {
                            ""
                        }),
                    ];
                    let cells = extra.remove(&case.id).unwrap_or_default();
                    row.extend(cells.iter().map(|x| Cell::Text(columns::plain(x))));
                    rows.push(row);
                }
                match cases.last() {
                    Some(last) if cases.len() == 200 && rows.len() < MAX_ROWS => {
                        page.before = Some(last.id)
                    }
                    _ => break,
                }
            }
            rows.truncate(MAX_ROWS);
            Ok(rows)
        })
        .await?;
    let sheet = Sheet {
        name: "Hồ sơ".into(),
        header: [
            "Số",
            "Loại",
            "Tiêu đề",
            "Trạng thái",
            listed
                .and_then(|w| w.party_label(Party::Owner))
                .unwrap_or("Cơ quan"),
            "Lĩnh vực",
            "Địa bàn",
            "Ngày mở",
            "Ngày đóng",
            "Quá hạn",
        ]
        .iter()
        .chain(
            listed
                .map_or(&[][..], |w| w.columns)
                .iter()
                .filter_map(|name| listed.and_then(|w| w.field(name)).map(|f| &f.label)),
        )
        .map(|h| (*h).to_owned())
        .collect(),
        rows,
        widths: [16.0, 22.0, 60.0, 24.0, 36.0, 20.0, 20.0, 17.0, 17.0, 10.0]
            .into_iter()
            .chain(listed.map_or(&[][..], |w| w.columns).iter().map(|_| 20.0))
            .collect(),
    };
    let file = format!("ho-so-{}.xlsx", clock::iso_date(clock::today()));
    xlsx::download(&file, &[sheet])
}
