//! The demo province's work: two coordination programs (the seed's 2017–2021 one and a
//! current one), their commitments, and two years of incidents and orientations
//! replayed through the case engine at their own dates, so that every state, every
//! clock and every timeline is one the engine itself produced.

use serde_json::{Map, Value, json};
use time::{Date, Duration};

use crate::case::CaseError;
use crate::case::engine::{self, ActionInput, At, NewCase};
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

/// (subject, field code, agency code) of the incidents the demo invents.
const SUBJECTS: &[(&str, &str)] = &[
    ("Ngộ độc thực phẩm tại bếp ăn trường bán trú", "SYT"),
    ("Dịch sốt xuất huyết bùng phát", "SYT"),
    (
        "Thông tin sai lệch về vắc-xin lan truyền trên mạng xã hội",
        "SYT",
    ),
    ("Bạo lực học đường được quay video và phát tán", "SGDĐT"),
    ("Phụ huynh phản đối các khoản thu đầu năm học", "SGDĐT"),
    ("Tranh chấp đất đai", "SNNMT"),
    ("Ô nhiễm nguồn nước do cơ sở chế biến cà phê", "SNNMT"),
    ("Khai thác cát trái phép trên sông Đăk Bla", "SNNMT"),
    ("Khiếu nại về bồi thường giải phóng mặt bằng", "SNNMT"),
    ("Chậm chi trả trợ cấp cho người lao động mất việc", "SNV"),
    ("Thông tin về dự án điện gió gây hoang mang", "SKHCN"),
    ("Quảng cáo thuốc nam không rõ nguồn gốc", "HĐY"),
];

const PLACES: &[&str] = &[
    "xã Ia Chim",
    "phường Duy Tân",
    "xã Đăk Hà",
    "xã Sa Thầy",
    "xã Ngọc Hồi",
    "xã Đăk Tô",
    "xã Kon Plông",
    "xã Măng Đen",
    "phường Kon Tum",
    "xã Tu Mơ Rông",
    "xã Đăk Pék",
    "xã Bờ Y",
];

/// How far each invented incident gets, cycling: every state appears many times.
const PROGRESS: &[usize] = &[7, 6, 5, 7, 4, 3, 2, 7, 1, 6, 0, 7, 5];

struct People {
    specialist: CaseActor,
    leader: CaseActor,
    liaisons: Vec<(String, CaseActor)>,
}

fn actor(conn: &mut dyn Conn, username: &str) -> Result<CaseActor> {
    let p = people::get_by_username(conn, username)?.ok_or(Error::NotFound)?;
    Ok(CaseActor {
        user_id: p.id,
        name: p.username,
        role: p.role,
        org_id: p.organisation_id,
    })
}

fn at_day<'a>(day: Date, hour: u8, due: engine::DueDate<'a>) -> At<'a> {
    let now_ms = clock::day_start_ms(day) + i64::from(hour) * 3_600_000;
    At {
        now_ms,
        today: day,
        due,
    }
}

fn case_err(e: CaseError) -> Error {
    match e {
        CaseError::Db(d) => Error::Db(d),
        CaseError::Invalid(f) => Error::Invalid(f),
        CaseError::NotFound => Error::NotFound,
        CaseError::Forbidden => Error::Forbidden,
        other => Error::Refused(other.message()),
    }
}

fn act(
    conn: &mut dyn Conn,
    who: &CaseActor,
    number: &str,
    action: &str,
    fields: Value,
    at: &At<'_>,
) -> Result<()> {
    let version: i64 = conn.scalar(
        "SELECT version FROM cases WHERE number = $1",
        crate::params![number],
    )?;
    let fields: Map<String, Value> = fields.as_object().cloned().unwrap_or_default();
    engine::perform(
        conn,
        who,
        number,
        action,
        &ActionInput { version, fields },
        at,
    )
    .map_err(case_err)?;
    Ok(())
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
    replay(conn, &people, current, today, &due, &store)
}

fn replay(
    conn: &mut dyn Conn,
    people: &People,
    program_id: i64,
    today: Date,
    due: engine::DueDate<'_>,
    store: &crate::attachment::FileStore,
) -> Result<()> {
    let incident = kinds::find("incident").ok_or(Error::NotFound)?;
    let orientation = kinds::find("orientation").ok_or(Error::NotFound)?;
    let field_of = |code: &str| match code {
        "SYT" => "y-te",
        "SGDĐT" => "giao-duc",
        "SKHCN" => "khcn",
        "HĐY" => "y-hoc-co-truyen",
        "SNV" => "lao-dong",
        _ => "moi-truong",
    };
    let fields = crate::refdata::fields(conn, true)?;
    let localities = crate::refdata::localities(conn, false)?;
    let count = 160;
    let start = today - Duration::days(600);
    let mut concluded: Vec<(String, Date)> = Vec::new();
    for i in 0..count {
        let (subject, agency) = SUBJECTS[i % SUBJECTS.len()];
        // One case with the title the search checks name (issue 4).
        let place = match i {
            5 => "xã Ia Chim",
            _ => PLACES[(i * 7 + i / SUBJECTS.len()) % PLACES.len()],
        };
        let title = if i == 5 {
            format!("{subject} ở {place}")
        } else {
            format!("{subject} tại {place}")
        };
        let Some((_, reporter)) = people.liaisons.iter().find(|(c, _)| c == agency) else {
            continue;
        };
        let opened = start + Duration::days((i as i64 * 600) / count as i64);
        let body = format!(
            "{subject} tại {place}. Sở, ngành báo cáo Ban Tuyên giáo và Dân vận Tỉnh uỷ để nắm tình hình, \
             thống nhất thông tin và định hướng dư luận."
        );
        let new = NewCase {
            title,
            body,
            program_id: Some(program_id),
            field_id: fields
                .iter()
                .find(|f| f.code == field_of(agency))
                .map(|f| f.id),
            locality_id: localities
                .iter()
                .find(|l| l.name.to_lowercase() == place.to_lowercase())
                .map(|l| l.id),
            owner_org_id: Some(reporter.org_id),
            ..NewCase::default()
        };
        let case = engine::create(conn, reporter, incident, &new, &at_day(opened, 8, due))
            .map_err(case_err)?;
        let n = &case.number;
        // Recent cases are younger in their life; older ones ran further.
        let age = (today - opened).whole_days();
        let reach = if age < 3 {
            0
        } else {
            PROGRESS[i % PROGRESS.len()].min((age / 2) as usize)
        };
        let day = |k: i64| (opened + Duration::days(k)).min(today);
        if reach >= 1 {
            act(
                conn,
                &people.specialist,
                n,
                "acknowledge",
                json!({}),
                &at_day(day(1), 9, due),
            )?;
        }
        if reach >= 2 {
            act(
                conn,
                &people.specialist,
                n,
                "request_info",
                json!({"note": "Đề nghị cung cấp báo cáo nhanh, số liệu và hướng xử lý."}),
                &at_day(day(2), 10, due),
            )?;
        }
        if reach >= 3 {
            act(
                conn,
                reporter,
                n,
                "provide_info",
                json!({"note": "Sở đã gửi báo cáo nhanh kèm số liệu."}),
                &at_day(day(4), 15, due),
            )?;
        }
        if reach >= 4 {
            let title = title_of(conn, n)?;
            attach_report(conn, store, reporter, n, &title, &at_day(day(9), 15, due))?;
            act(
                conn,
                reporter,
                n,
                "conclude",
                json!({"conclusion": "Đã xác minh, làm rõ nguyên nhân và xử lý theo quy định; tình hình ổn định."}),
                &at_day(day(9), 16, due),
            )?;
            concluded.push((n.clone(), day(9)));
        }
        if reach >= 7 && i % 3 != 0 {
            act(
                conn,
                &people.specialist,
                n,
                "close",
                json!({"note": "Vụ việc đã giải quyết xong."}),
                &at_day(day(12), 9, due),
            )?;
        }
    }
    // Orientations answer some of the concluded incidents still open.
    for (k, chunk) in concluded.chunks(3).enumerate().take(30) {
        let numbers: Vec<String> = chunk.iter().map(|(n, _)| n.clone()).collect();
        let when = chunk.iter().map(|(_, d)| *d).max().unwrap_or(today);
        let still_concluded: Vec<String> = numbers
            .iter()
            .filter(|n| {
                conn.scalar::<String>(
                    "SELECT state FROM cases WHERE number = $1",
                    crate::params![n.as_str()],
                )
                .is_ok_and(|s| s == "concluded")
            })
            .cloned()
            .collect();
        let mut fields = Map::new();
        fields.insert("incidents".into(), json!(still_concluded));
        let new = NewCase {
            title: format!("Định hướng tuyên truyền số {} về các vụ việc {}", k + 1, numbers.join(", ")),
            body: "Thống nhất nội dung thông tin; các cơ quan báo chí đưa tin khách quan, không suy diễn.".into(),
            program_id: Some(program_id),
            fields,
            ..NewCase::default()
        };
        let o = engine::create(
            conn,
            &people.specialist,
            orientation,
            &new,
            &at_day(when, 14, due),
        )
        .map_err(case_err)?;
        let stage = k % 6;
        let d = |x: i64| (when + Duration::days(x)).min(today);
        if stage >= 1 {
            act(
                conn,
                &people.specialist,
                &o.number,
                "submit",
                json!({}),
                &at_day(d(1), 9, due),
            )?;
        }
        if stage >= 2 {
            act(
                conn,
                &people.leader,
                &o.number,
                "approve",
                json!({}),
                &at_day(d(1), 15, due),
            )?;
        }
        if stage >= 3 {
            let recipients: Vec<i64> = people
                .liaisons
                .iter()
                .take(3 + k % 3)
                .map(|(_, a)| a.org_id)
                .collect();
            act(
                conn,
                &people.specialist,
                &o.number,
                "send",
                json!({"recipients": recipients}),
                &at_day(d(2), 8, due),
            )?;
            let answering = if stage >= 4 {
                recipients.len()
            } else {
                recipients.len() / 2
            };
            for (_, liaison) in people
                .liaisons
                .iter()
                .filter(|(_, a)| recipients.contains(&a.org_id))
                .take(answering)
            {
                act(
                    conn,
                    liaison,
                    &o.number,
                    "acknowledge_receipt",
                    json!({}),
                    &at_day(d(2), 11, due),
                )?;
            }
        }
        if stage >= 5 {
            act(
                conn,
                &people.specialist,
                &o.number,
                "close",
                json!({}),
                &at_day(d(5), 9, due),
            )?;
        }
    }
    Ok(())
}

fn title_of(conn: &mut dyn Conn, number: &str) -> Result<String> {
    Ok(conn.scalar(
        "SELECT title FROM cases WHERE number = $1",
        crate::params![number],
    )?)
}

/// The agency's conclusion report, a small text document, attached as the agency would.
fn attach_report(
    conn: &mut dyn Conn,
    store: &crate::attachment::FileStore,
    who: &CaseActor,
    number: &str,
    title: &str,
    at: &At<'_>,
) -> Result<()> {
    let text = format!(
        "BÁO CÁO KẾT QUẢ XÁC MINH, XỬ LÝ VỤ VIỆC\n\nVụ việc: {title} (số {number}).\n\n\
         1. Diễn biến: sở, ngành đã phối hợp với chính quyền địa phương kiểm tra hiện trường.\n\
         2. Nguyên nhân: đã được xác minh, làm rõ.\n\
         3. Kết quả xử lý: đã xử lý theo quy định; tình hình ổn định.\n"
    );
    let bytes = text.into_bytes();
    let checked = crate::attachment::check(&bytes)
        .map_err(|_| Error::Refused("the demo report does not pass the checks"))?;
    store
        .put_on(conn, &checked.sha256, &bytes)
        .map_err(|_| Error::Refused("the demo report cannot be stored"))?;
    crate::attachment::record_at(
        conn,
        who,
        number,
        "bao-cao-ket-qua.txt",
        &checked,
        at.now_ms,
    )
    .map_err(|_| Error::Refused("the demo report cannot be recorded"))?;
    Ok(())
}
