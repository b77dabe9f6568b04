//! Two years of incidents in the demo province: reported by the agencies' liaisons,
//! acknowledged, asked about, answered, concluded with a report and closed, each as far
//! as its age and a fixed cycle allow, so every state appears many times.

use serde_json::json;
use time::Duration;

use crate::case::demo::Demo;
use crate::case::engine::NewCase;
use crate::error::Result;

/// (subject, agency code) of the incidents the demo invents.
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

/// The field of work of an agency's incidents.
fn field_of(agency: &str) -> &'static str {
    match agency {
        "SYT" => "y-te",
        "SGDĐT" => "giao-duc",
        "SKHCN" => "khcn",
        "HĐY" => "y-hoc-co-truyen",
        "SNV" => "lao-dong",
        _ => "moi-truong",
    }
}

pub fn script(demo: &mut Demo<'_>) -> Result<()> {
    let people = demo.people;
    let fields = crate::refdata::fields(demo.conn, true)?;
    let localities = crate::refdata::localities(demo.conn, false)?;
    let count = 160;
    let today = demo.today;
    let start = today - Duration::days(600);
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
            program_id: Some(demo.program_id),
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
        let at = demo.at(opened, 8);
        let case = demo.open(reporter, &super::WORKFLOW, &new, &at)?;
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
            let at = demo.at(day(1), 9);
            demo.act(&people.specialist, n, "acknowledge", json!({}), &at)?;
        }
        if reach >= 2 {
            let at = demo.at(day(2), 10);
            demo.act(
                &people.specialist,
                n,
                "request_info",
                json!({"note": "Đề nghị cung cấp báo cáo nhanh, số liệu và hướng xử lý."}),
                &at,
            )?;
        }
        if reach >= 3 {
            let at = demo.at(day(4), 15);
            demo.act(
                reporter,
                n,
                "provide_info",
                json!({"note": "Sở đã gửi báo cáo nhanh kèm số liệu."}),
                &at,
            )?;
        }
        if reach >= 4 {
            let at = demo.at(day(9), 15);
            demo.attach(
                reporter,
                n,
                "bao-cao-ket-qua.txt",
                report(&case.title, n),
                &at,
            )?;
            let at = demo.at(day(9), 16);
            demo.act(
                reporter,
                n,
                "conclude",
                json!({"conclusion": "Đã xác minh, làm rõ nguyên nhân và xử lý theo quy định; tình hình ổn định."}),
                &at,
            )?;
        }
        if reach >= 7 && i % 3 != 0 {
            let at = demo.at(day(12), 9);
            demo.act(
                &people.specialist,
                n,
                "close",
                json!({"note": "Vụ việc đã giải quyết xong."}),
                &at,
            )?;
        }
    }
    Ok(())
}

/// The agency's conclusion report, a small text document.
fn report(title: &str, number: &str) -> String {
    format!(
        "BÁO CÁO KẾT QUẢ XÁC MINH, XỬ LÝ VỤ VIỆC\n\nVụ việc: {title} (số {number}).\n\n\
         1. Diễn biến: sở, ngành đã phối hợp với chính quyền địa phương kiểm tra hiện trường.\n\
         2. Nguyên nhân: đã được xác minh, làm rõ.\n\
         3. Kết quả xử lý: đã xử lý theo quy định; tình hình ổn định.\n"
    )
}
