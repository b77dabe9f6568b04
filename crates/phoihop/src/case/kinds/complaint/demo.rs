//! About 150 letters over the demo's two years: land, environment, social insurance and
//! health, registered by the lead body's specialist for the commune, ward and province
//! bodies that handle them, accepted, resolved, declined or passed on as their age and a
//! fixed cycle allow; and a dozen times the same complainant writes to the province about
//! the same matter while the commune still holds it, which the escalation check flags.

use serde_json::{Value, json};
use time::Duration;

use crate::case::demo::Demo;
use crate::case::engine::NewCase;
use crate::error::{Error, Result};

/// (title, text, letter type, field code) of the matters the demo invents.
const MATTERS: &[(&str, &str, &str, &str)] = &[
    (
        "Tranh chấp ranh giới thửa đất với hộ liền kề",
        "Hộ liền kề xây tường rào lấn sang thửa đất của gia đình tôi khoảng hai mét, đề nghị xem xét giải quyết.",
        "complaint",
        "moi-truong",
    ),
    (
        "Khiếu nại mức bồi thường khi thu hồi đất làm đường",
        "Đơn giá bồi thường cây cà phê trên đất thu hồi thấp hơn giá thị trường, đề nghị tính lại.",
        "complaint",
        "moi-truong",
    ),
    (
        "Phản ánh cơ sở chế biến cà phê xả nước thải ra suối",
        "Nước thải có mùi hôi chảy ra suối gần khu dân cư, cá chết, đề nghị kiểm tra xử lý.",
        "report",
        "moi-truong",
    ),
    (
        "Kiến nghị cấp giấy chứng nhận quyền sử dụng đất",
        "Gia đình đã nộp hồ sơ từ lâu nhưng chưa được cấp giấy chứng nhận, đề nghị giải quyết.",
        "recommendation",
        "moi-truong",
    ),
    (
        "Tố cáo cán bộ địa chính nhận tiền khi làm hồ sơ đất",
        "Cán bộ địa chính yêu cầu nộp thêm tiền ngoài quy định mới nhận hồ sơ, đề nghị làm rõ.",
        "denunciation",
        "moi-truong",
    ),
    (
        "Chậm chi trả trợ cấp thất nghiệp",
        "Tôi đã có quyết định hưởng trợ cấp thất nghiệp nhưng quá hạn chưa được chi trả.",
        "complaint",
        "lao-dong",
    ),
    (
        "Phản ánh thái độ phục vụ tại trạm y tế",
        "Nhân viên trạm y tế có thái độ thiếu tôn trọng người bệnh cao tuổi khi tiếp đón.",
        "report",
        "y-te",
    ),
    (
        "Kiến nghị sửa chữa đường liên thôn hư hỏng",
        "Đường liên thôn xuống cấp, mùa mưa học sinh đi lại khó khăn, đề nghị sửa chữa.",
        "recommendation",
        "moi-truong",
    ),
];

/// (name, address) of the senders the demo invents.
const SENDERS: &[(&str, &str)] = &[
    ("Nguyễn Văn Bình", "Thôn 3, xã Đăk Hà"),
    ("Trần Thị Hoa", "Tổ 5, phường Kon Tum"),
    ("Y Blưm", "Làng Kon Jơ Ri, xã Đăk Hà"),
    ("Lê Văn Dũng", "Thôn 1, xã Đăk Hà"),
    ("A Thuyên", "Làng Plei Rơ Wăk, phường Kon Tum"),
    ("Phạm Thị Lan", "Tổ 2, phường Kon Tum"),
    ("Đinh Văn Hùng", "Thôn 7, xã Đăk Hà"),
    ("Hoàng Thị Mai", "Tổ 9, phường Kon Tum"),
    ("Võ Văn Tài", "Thôn 4, xã Đăk Hà"),
    ("Y Thị Nga", "Làng Kon Klor, phường Kon Tum"),
    ("Bùi Văn Khánh", "Thôn 6, xã Đăk Hà"),
    ("Nguyễn Thị Thu", "Tổ 1, phường Kon Tum"),
    ("Đặng Văn Lực", "Thôn 2, xã Đăk Hà"),
    ("Trương Thị Hằng", "Tổ 4, phường Kon Tum"),
];

/// How far each letter gets, cycling: 0 registered, 1 accepted, 2 resolved, 3 declined,
/// 4 passed on.
const PROGRESS: &[u8] = &[2, 2, 1, 2, 3, 2, 4, 2, 1, 2, 2, 0];

/// How many letters, and every how many a follow-up to the province escalates past level.
const LETTERS: usize = 150;
const ESCALATE_EVERY: usize = 12;

fn org(demo: &mut Demo<'_>, code: &str) -> Result<i64> {
    crate::org::find_current_by_code(demo.conn, code)?
        .map(|o| o.id)
        .ok_or(Error::Refused("a demo organisation is missing"))
}

pub fn script(demo: &mut Demo<'_>) -> Result<()> {
    let lead = demo.people.specialist.clone();
    let fields = crate::refdata::fields(demo.conn, true)?;
    let communes = [org(demo, "UBND-XĐH")?, org(demo, "UBND-PKT")?];
    let province = org(demo, "UBND-T")?;
    let start = demo.today - Duration::days(600);
    let workflow = &super::WORKFLOW;
    let program_id = demo.program_id;
    for i in 0..LETTERS {
        let (title, text, letter_type, field) = MATTERS[i % MATTERS.len()];
        let (name, address) = SENDERS[(i * 5 + i / MATTERS.len()) % SENDERS.len()];
        let received = start + Duration::days((i as i64 * 590) / LETTERS as i64);
        // Most letters go to the commune or ward first; every fourth to the province.
        let (level, handling) = match i % 4 {
            3 => ("province", province),
            n => ("commune", communes[n % 2]),
        };
        let field_id = fields.iter().find(|f| f.code == field).map(|f| f.id);
        let sender = json!({"name": name, "address": address, "phone": format!("09{:08}", 5_000_000 + i * 7_919)});
        let letter = |level: &str, handling: i64, received: time::Date, title: String| NewCase {
            title,
            body: text.to_owned(),
            program_id: Some(program_id),
            field_id,
            locality_id: None,
            commitment_id: None,
            owner_org_id: None,
            fields: fields_of(letter_type, level, handling, received, &sender),
        };
        let at = demo.at(received + Duration::days(1), 9);
        let case = demo.open(
            &lead,
            workflow,
            &letter(level, handling, received, title.to_owned()),
            &at,
        )?;
        let progress = PROGRESS[i % PROGRESS.len()];
        let accepted_on = received + Duration::days(4);
        let age = (demo.today - received).whole_days();
        if progress == 0 || age < 5 {
            continue;
        }
        match progress {
            3 => {
                let note = json!({"note": "Đơn không đủ điều kiện thụ lý: nội dung đã được giải quyết bằng quyết định có hiệu lực."});
                demo.act(
                    &lead,
                    &case.number,
                    "decline",
                    note,
                    &demo.at(accepted_on, 10),
                )?;
                continue;
            }
            4 => {
                let to = json!({"transferred_to": province, "note": "Chuyển đơn đến cơ quan có thẩm quyền."});
                demo.act(
                    &lead,
                    &case.number,
                    "transfer",
                    to,
                    &demo.at(accepted_on, 10),
                )?;
                continue;
            }
            _ => {}
        }
        let complex = if i % 5 == 0 { "yes" } else { "no" };
        demo.act(
            &lead,
            &case.number,
            "accept",
            json!({"complex": complex}),
            &demo.at(accepted_on, 10),
        )?;
        // The same sender writes to the province about the same matter while the
        // commune still holds it: an escalation past level.
        if level == "commune" && i % ESCALATE_EVERY == 0 && age > 12 {
            let again = format!("Đề nghị tỉnh xem xét: {}", title.to_lowercase());
            let later = received + Duration::days(9);
            let follow = letter("province", province, later, again);
            demo.open(
                &lead,
                workflow,
                &follow,
                &demo.at(later + Duration::days(1), 9),
            )?;
        }
        if progress == 2 && age > 40 {
            let done = json!({"conclusion": "Đã tổ chức đối thoại, ban hành quyết định giải quyết; người gửi đơn đồng ý với kết quả."});
            let resolved = accepted_on + Duration::days(20 + (i as i64 % 15));
            demo.act(&lead, &case.number, "resolve", done, &demo.at(resolved, 15))?;
        }
    }
    Ok(())
}

fn fields_of(
    letter_type: &str,
    level: &str,
    handling: i64,
    received: time::Date,
    sender: &Value,
) -> serde_json::Map<String, Value> {
    let fields = json!({
        "letter_type": letter_type,
        "level": level,
        "handling_org": handling,
        "received_on": crate::clock::iso_date(received),
        "complainants": [sender],
    });
    fields.as_object().cloned().unwrap_or_default()
}
