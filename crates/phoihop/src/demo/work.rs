//! The demo province's work: two coordination programs (the seed's 2017–2021 one and a
//! current one), their commitments, and two years of incidents and orientations
//! replayed through the case engine at their own dates, so that every state, every
//! clock and every timeline is one the engine itself produced.

use time::Date;

use crate::case::demo::{Demo, People};
use crate::case::engine::At;
use crate::case::kinds;
use crate::case::model::CaseActor;
use crate::clock;
use crate::db::Conn;
use crate::error::{Error, Result};
use crate::org::{self, people};
use crate::program::{self, NewProgram};

const SEED_COMMITMENTS: &[&str] = &[
    "Phối hợp xây dựng các văn bản cụ thể hoá chương trình",
    "Thông tin, giải quyết kịp thời các vụ việc nổi cộm; cung cấp thông tin, tài liệu để định hướng tuyên truyền",
    "Nắm bắt tình hình tư tưởng, dư luận xã hội; hạn chế đơn thư vượt cấp về đất đai, môi trường",
    "Công tác tư tưởng trong cán bộ, công chức, viên chức, đảng viên của ngành",
    "Thông tin về xử lý sai phạm; biểu dương nhân tố mới, điển hình tiên tiến",
    "Kiểm tra, giám sát, sơ kết, tổng kết việc thực hiện chỉ thị, nghị quyết",
    "Tuyên truyền, giáo dục pháp luật về tài nguyên, môi trường, biến đổi khí hậu",
    "Sơ kết, tổng kết chương trình phối hợp",
];

fn actor(conn: &mut dyn Conn, username: &str) -> Result<CaseActor> {
    let p = people::get_by_username(conn, username)?.ok_or(Error::NotFound)?;
    Ok(CaseActor {
        user_id: p.id,
        username: p.username,
        name: p.display_name,
        role: p.role,
        org_id: p.organisation_id,
    })
}

pub fn create(conn: &mut dyn Conn, today: Date, data_dir: &std::path::Path) -> Result<()> {
    // The holiday rules the migrations ship; the demo enters no calendar days.
    let calendar = crate::calendar::load(conn)?;
    let due = |d: Date, n: u32| calendar.add_working_days(d, n);
    let lead = org::find_current_by_code(conn, "BTGDVTU")?
        .ok_or(Error::NotFound)?
        .id;
    let fields = crate::refdata::fields(conn, true)?;
    let mut agencies = Vec::new();
    for code in ["SYT", "SGDĐT", "SKHCN", "STNMT", "SNV", "HĐY", "LHHKHKT"] {
        let all = org::list_all(conn)?;
        if let Some(o) = all.iter().find(|o| o.code == code) {
            agencies.push(o.id);
        }
    }
    let date = |s: &str| clock::parse_iso_date(s).ok_or(Error::Refused("bad demo date"));
    let parties = |lead_name: &str| -> Vec<(i64, String, String)> {
        let mut p = vec![(lead, lead_name.to_owned(), "Trưởng Ban".to_owned())];
        p.extend(
            agencies
                .iter()
                .map(|id| (*id, String::new(), "Giám đốc Sở / Chủ tịch Hội".to_owned())),
        );
        p
    };
    let old = program::create(
        conn,
        &NewProgram {
            code: "CTPH-KG-2017",
            name: "Chương trình phối hợp giữa Ban Tuyên giáo Tỉnh ủy với các ngành trong khối Khoa giáo giai đoạn 2017-2021",
            lead_org_id: lead,
            term_from: date("2017-01-01")?,
            term_to: date("2021-12-31")?,
            signed_on: Some(date("2017-03-15")?),
            summary: "Ký kết giữa Ban Tuyên giáo Tỉnh uỷ và các sở, ngành khối Khoa giáo.",
            parties: parties("Nguyễn Văn Lãnh"),
            field_ids: fields.iter().map(|f| f.id).collect(),
        },
    )?;
    let current = program::create(
        conn,
        &NewProgram {
            code: "CTPH-KG-2025",
            name: "Chương trình phối hợp giữa Ban Tuyên giáo và Dân vận Tỉnh ủy với các sở, ngành khối Khoa giáo giai đoạn 2025-2030",
            lead_org_id: lead,
            term_from: date("2025-07-01")?,
            term_to: date("2030-12-31")?,
            signed_on: Some(date("2025-06-20")?),
            summary: "Kế thừa chương trình 2017-2021 sau khi hợp nhất Ban Tuyên giáo và Ban Dân vận.",
            parties: parties("Nguyễn Văn Lãnh"),
            field_ids: fields.iter().map(|f| f.id).collect(),
        },
    )?;
    for program_id in [old, current] {
        for (i, title) in SEED_COMMITMENTS.iter().enumerate() {
            program::add_commitment(
                conn,
                program_id,
                &format!("Điều {}", i + 1),
                title,
                Some(lead),
            )?;
        }
    }
    let people = People {
        specialist: actor(conn, "chuyenvien")?,
        leader: actor(conn, "lanhdao")?,
        liaisons: [
            "daumoi.syt",
            "daumoi.sgddt",
            "daumoi.skhcn",
            "daumoi.snnmt",
            "daumoi.snv",
            "daumoi.hdy",
        ]
        .iter()
        .map(|u| {
            let a = actor(conn, u)?;
            let code = org::get(conn, a.org_id)?.code;
            Ok((code, a))
        })
        .collect::<Result<_>>()?,
    };
    let store = crate::attachment::FileStore::new(data_dir, conn.backend());
    let attach =
        |conn: &mut dyn Conn,
         who: &CaseActor,
         number: &str,
         name: &str,
         text: String,
         at: &At<'_>| attach_text(conn, &store, who, number, name, text, at);
    let mut demo = Demo {
        conn,
        people: &people,
        program_id: current,
        today,
        due: &due,
        attach: &attach,
    };
    for workflow in kinds::ALL {
        if let Some(script) = workflow.demo {
            script(&mut demo)?;
        }
    }
    Ok(())
}

/// A small text document a kind's script attaches, stored and recorded as an upload is.
fn attach_text(
    conn: &mut dyn Conn,
    store: &crate::attachment::FileStore,
    who: &CaseActor,
    number: &str,
    name: &str,
    text: String,
    at: &At<'_>,
) -> Result<()> {
    let bytes = text.into_bytes();
    let checked = crate::attachment::check(&bytes)
        .map_err(|_| Error::Refused("the demo report does not pass the checks"))?;
    store
        .put_on(conn, &checked.sha256, &bytes)
        .map_err(|_| Error::Refused("the demo report cannot be stored"))?;
    crate::attachment::record_at(conn, who, number, name, &checked, at.now_ms)
        .map_err(|_| Error::Refused("the demo report cannot be recorded"))?;
    Ok(())
}
