//! Tests of the complaint kind's own logic that need no database: the limits counted
//! on the calendar the migrations ship, the matter comparison on written pairs, and
//! the English of every message. Storage and the escalation check over both databases
//! are tested in `tests/it/complaints.rs`.

use time::macros::date;

use super::limits::{self, Change, Circumstances, Counting, Limits, Stage};
use super::matter::{Matter, SAME_MATTER};
use super::{LetterType, Level};
use crate::calendar::tests::seeded;
use crate::error::Error;
use crate::i18n::{Lang, tr};

#[test]
fn every_message_and_label_has_english() {
    let mut all = Vec::new();
    all.extend(limits::messages());
    all.extend(super::limit_settings::messages());
    all.extend(super::contact::messages());
    all.extend(super::complainant::messages());
    all.extend(super::letters::messages());
    all.extend(super::counts::messages());
    all.extend(super::pages::messages());
    all.extend(LetterType::ALL.map(LetterType::label));
    all.extend(Level::ALL.map(Level::label));
    for code in [
        crate::audit::action::COMPLAINT_LIMIT_CHANGED,
        crate::audit::action::COMPLAINANT_RECORDED,
        crate::audit::action::COMPLAINANT_CORRECTED,
    ] {
        all.push(crate::audit::action::label_vi(code));
    }
    let missing: Vec<_> = all.iter().filter(|vi| tr(Lang::En, vi) == **vi).collect();
    assert!(missing.is_empty(), "no English for {missing:#?}");
}

#[test]
fn codes_read_back_as_what_they_name() {
    for t in LetterType::ALL {
        assert_eq!(LetterType::parse(t.code()), Some(t));
    }
    for l in Level::ALL {
        assert_eq!(Level::parse(l.code()), Some(l));
    }
    assert_eq!(
        Level::Central.below().collect::<Vec<_>>(),
        [Level::Commune, Level::Province]
    );
    assert_eq!(Level::Commune.below().count(), 0);
}

#[test]
fn every_letter_type_has_both_clocks_and_every_code_is_declared() {
    let mut codes: Vec<&str> = limits::DEFAULTS.iter().map(|s| s.code).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), limits::DEFAULTS.len(), "codes are unique");
    for t in LetterType::ALL {
        for stage in [Stage::Acceptance, Stage::Resolution] {
            for (second_round, complex, remote) in [
                (false, false, false),
                (true, true, true),
                (false, true, false),
            ] {
                let c = Circumstances {
                    second_round,
                    complex,
                    remote,
                };
                let spec = limits::spec(limits::code_for(t, stage, c)).expect("declared");
                assert_eq!(spec.letter_type, t);
            }
        }
    }
    for spec in limits::DEFAULTS {
        if let Some((extension, _)) = spec.extension {
            assert!(limits::spec(extension).is_some(), "{}", spec.code);
        }
    }
}

#[test]
fn the_law_s_defaults_are_the_reference_s_figures() {
    let days = |code| limits::spec(code).map(|s| (s.days, s.counting));
    use Counting::*;
    assert_eq!(days("complaint_acceptance"), Some((10, Calendar)));
    assert_eq!(days("complaint_first_round"), Some((30, Calendar)));
    assert_eq!(days("complaint_first_round_complex"), Some((45, Calendar)));
    assert_eq!(days("complaint_first_round_remote"), Some((45, Calendar)));
    assert_eq!(
        days("complaint_first_round_remote_complex"),
        Some((60, Calendar))
    );
    assert_eq!(days("complaint_second_round"), Some((45, Calendar)));
    assert_eq!(days("complaint_second_round_complex"), Some((60, Calendar)));
    assert_eq!(days("complaint_second_round_remote"), Some((60, Calendar)));
    assert_eq!(
        days("complaint_second_round_remote_complex"),
        Some((70, Calendar))
    );
    assert_eq!(days("denunciation_intake"), Some((7, Working)));
    assert_eq!(days("denunciation_resolution"), Some((30, Calendar)));
    assert_eq!(days("denunciation_extension"), Some((30, Calendar)));
    let c = Circumstances {
        second_round: true,
        remote: true,
        complex: false,
    };
    assert_eq!(
        limits::code_for(LetterType::Complaint, Stage::Resolution, c),
        "complaint_second_round_remote"
    );
}

#[test]
fn a_first_round_complaint_ending_on_a_saturday_is_due_the_monday() {
    let limits = Limits::new([]);
    // Received Thursday 01/10/2026: 30 days end on Saturday 31/10.
    let due = limits.due(&seeded(), "complaint_first_round", date!(2026 - 10 - 01), 0);
    assert_eq!(due.ok(), Some(date!(2026 - 11 - 02)));
}

#[test]
fn denunciation_intake_counts_working_days_across_national_day() {
    // Friday 28/08/2026 + 7 working days: 31/08, 03/09, 04/09, 07/09, 08/09, 09/09,
    // 10/09 (1 and 2 September are off).
    let due = Limits::new([]).due(&seeded(), "denunciation_intake", date!(2026 - 08 - 28), 0);
    assert_eq!(due.ok(), Some(date!(2026 - 09 - 10)));
}

#[test]
fn a_denunciation_is_extended_at_most_twice_each_from_the_end_before() {
    let (calendar, limits) = (seeded(), Limits::new([]));
    let from = date!(2026 - 10 - 01);
    let due = |n| limits.due(&calendar, "denunciation_resolution", from, n);
    // 30 days: Saturday 31/10 → Monday 02/11; +30 from 02/11: Wednesday 02/12;
    // +30 from 02/12: Friday 01/01/2027, New Year's Day → Monday 04/01/2027.
    assert_eq!(due(0).ok(), Some(date!(2026 - 11 - 02)));
    assert_eq!(due(1).ok(), Some(date!(2026 - 12 - 02)));
    assert_eq!(due(2).ok(), Some(date!(2027 - 01 - 04)));
    assert!(matches!(due(3), Err(Error::Refused(_))));
    let complaint = limits.due(&calendar, "complaint_first_round", from, 1);
    assert!(matches!(complaint, Err(Error::Refused(_))));
    assert!(matches!(
        limits.due(&calendar, "no_such_limit", from, 0),
        Err(Error::NotFound)
    ));
}

#[test]
fn an_installation_s_change_replaces_the_default() {
    let change = Change {
        basis: "Quyết định 12/QĐ-UBND".into(),
        by: None,
        at: 0,
    };
    let limits = Limits::new([(
        "complaint_acceptance".to_owned(),
        10,
        Counting::Working,
        change,
    )]);
    let acceptance = limits.get("complaint_acceptance").expect("declared");
    assert_eq!(
        (acceptance.days, acceptance.counting),
        (10, Counting::Working)
    );
    assert!(acceptance.changed.is_some());
    // Thursday 01/10/2026 + 10 working days = Thursday 15/10/2026.
    let due = limits.due(&seeded(), "complaint_acceptance", date!(2026 - 10 - 01), 0);
    assert_eq!(due.ok(), Some(date!(2026 - 10 - 15)));
    assert!(
        limits
            .get("complaint_first_round")
            .is_some_and(|l| l.changed.is_none())
    );
}

/// Letters about the same matter: the first to a lower level, the second retelling
/// it to a higher one (other words, no diacritics, the other tone placement).
const SAME: &[(&str, &str)] = &[
    (
        "Tranh chấp ranh giới thửa đất số 125, tờ bản đồ số 7 với hộ ông Lê Văn Tám ở thôn Kon Jri",
        "Đề nghị tỉnh giải quyết việc hộ ông Lê Văn Tám lấn chiếm ranh giới thửa đất số 125 tờ bản đồ 7 của gia đình tôi, xã chưa giải quyết",
    ),
    (
        "Ô nhiễm tiếng ồn và khói bụi từ xưởng cưa gỗ của công ty Tân Phát gần khu dân cư tổ 4",
        "O nhiem tieng on va khoi bui tu xuong cua go cong ty Tan Phat gan khu dan cu to 4",
    ),
    (
        "Chậm chi trả tiền hỗ trợ thủy lợi phí và bồi thường hoa màu khi thu hồi đất làm hồ chứa nước Đắk Uy",
        "Khiếu nại việc chậm chi trả bồi thường hoa màu, tiền hỗ trợ thuỷ lợi phí khi thu hồi đất làm hồ chứa nước Đăk Uy",
    ),
    (
        "Không đồng ý với mức bồi thường đất ở khi giải phóng mặt bằng dự án đường tránh Quốc lộ 14",
        "Mức giá bồi thường đất ở thuộc dự án đường tránh Quốc lộ 14 quá thấp, đề nghị xem xét lại",
    ),
    (
        "Cấp giấy chứng nhận quyền sử dụng đất cho thửa 45 tờ bản đồ 12 bị chậm quá hạn",
        "Đã nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất thửa số 45, tờ bản đồ số 12 từ lâu nhưng đến nay vẫn chưa được cấp",
    ),
    (
        "Trại chăn nuôi heo của ông Phạm Văn Lực xả nước thải chưa xử lý ra suối Đăk Bla",
        "Tiếp tục phản ánh trại heo xả thải ra suối Đắk Bla gây ô nhiễm, xã đã kiểm tra nhưng chưa xử lý",
    ),
    (
        "Đề nghị làm rõ việc thu tiền đóng góp xây dựng nhà văn hóa thôn 2 không công khai",
        "Tố cáo trưởng thôn 2 thu tiền đóng góp xây nhà văn hoá thôn không công khai, không rõ ràng",
    ),
    (
        "Lấn chiếm hành lang an toàn đường bộ để xây dựng quán ăn trước cổng chợ Ngọc Hồi",
        "Việc xây quán ăn lấn chiếm hành lang đường bộ trước cổng chợ Ngọc Hồi đến nay vẫn tồn tại",
    ),
    (
        "Gia đình tôi bị UBND xã thu hồi 500 m2 đất trồng cà phê nhưng chưa được bồi thường",
        "Đất trồng cà phê 500m2 của gia đình bị thu hồi mà không bồi thường, đề nghị Tỉnh ủy chỉ đạo giải quyết dứt điểm",
    ),
    (
        "Cơ sở karaoke Hoàng Gia hoạt động quá 23 giờ gây tiếng ồn ảnh hưởng khu dân cư phường Duy Tân",
        "Quán karaoke Hoàng Gia ở phường Duy Tân hát đến khuya, gây ồn ào mất trật tự kéo dài",
    ),
    // Typed without marks, where bare words spell stop words (chua: chưa / chứa).
    (
        "Không đồng ý với mức bồi thường đất ở khi giải phóng mặt bằng dự án hồ chứa nước Đắk Uy",
        "Muc gia boi thuong dat o thuoc du an ho chua nuoc Dak Uy qua thap, de nghi xem xet lai",
    ),
];

/// The same complainant's letters about another matter, often in the same field:
/// near misses that must not be taken for the same matter.
const OTHER: &[(&str, &str)] = &[
    (
        "Tranh chấp ranh giới thửa đất số 125, tờ bản đồ số 7 với hộ ông Lê Văn Tám ở thôn Kon Jri",
        "Tranh chấp lối đi chung với hộ bà Trần Thị Hoa tại thửa đất số 88 tờ bản đồ số 3",
    ),
    (
        "Ô nhiễm tiếng ồn và khói bụi từ xưởng cưa gỗ của công ty Tân Phát gần khu dân cư tổ 4",
        "Đề nghị hỗ trợ tiền điện cho hộ nghèo ở tổ 4",
    ),
    (
        "Chậm chi trả tiền hỗ trợ thủy lợi phí và bồi thường hoa màu khi thu hồi đất làm hồ chứa nước Đắk Uy",
        "Chậm chi trả chế độ trợ cấp người có công với cách mạng cho gia đình tôi",
    ),
    (
        "Không đồng ý với mức bồi thường đất ở khi giải phóng mặt bằng dự án đường tránh Quốc lộ 14",
        "Không đồng ý với mức bồi thường đất nông nghiệp của dự án thủy điện Thượng Kon Tum",
    ),
    (
        "Cấp giấy chứng nhận quyền sử dụng đất cho thửa 45 tờ bản đồ 12 bị chậm quá hạn",
        "Cấp giấy chứng nhận quyền sử dụng đất cho thửa 17 tờ bản đồ 30 ghi sai diện tích",
    ),
    (
        "Trại chăn nuôi heo của ông Phạm Văn Lực xả nước thải chưa xử lý ra suối Đăk Bla",
        "Khói từ lò đốt rác của xã gây ô nhiễm không khí cho khu dân cư",
    ),
    (
        "Đề nghị làm rõ việc thu tiền đóng góp xây dựng nhà văn hóa thôn 2 không công khai",
        "Đề nghị sửa chữa đường bê tông thôn 2 bị hư hỏng sau mùa mưa",
    ),
    (
        "Lấn chiếm hành lang an toàn đường bộ để xây dựng quán ăn trước cổng chợ Ngọc Hồi",
        "Họp chợ tự phát lấn chiếm lòng đường trước Trường tiểu học Ngọc Hồi",
    ),
    (
        "Gia đình tôi bị UBND xã thu hồi 500 m2 đất trồng cà phê nhưng chưa được bồi thường",
        "Gia đình tôi bị cắt trợ cấp hộ nghèo năm 2026 không rõ lý do",
    ),
    (
        "Cơ sở karaoke Hoàng Gia hoạt động quá 23 giờ gây tiếng ồn ảnh hưởng khu dân cư phường Duy Tân",
        "Xưởng mộc gây tiếng ồn ảnh hưởng khu dân cư phường Trường Chinh",
    ),
];

fn score(a: &str, b: &str) -> f64 {
    Matter::new(a).similarity(&Matter::new(b))
}

#[test]
fn retellings_of_a_matter_are_the_same_matter() {
    for (a, b) in SAME {
        let s = score(a, b);
        assert!(s >= SAME_MATTER, "{s:.3} < {SAME_MATTER}: {a} / {b}");
        assert!((s - score(b, a)).abs() < 1e-6, "symmetric");
    }
}

#[test]
fn the_same_person_s_other_matters_are_not_the_same_matter() {
    for (a, b) in OTHER {
        let s = score(a, b);
        assert!(s < SAME_MATTER, "{s:.3} ≥ {SAME_MATTER}: {a} / {b}");
    }
}

#[test]
fn the_threshold_leaves_a_margin_on_both_sides() {
    let lowest_same = SAME.iter().map(|(a, b)| score(a, b)).fold(1.0, f64::min);
    let highest_other = OTHER.iter().map(|(a, b)| score(a, b)).fold(0.0, f64::max);
    assert!(lowest_same - SAME_MATTER >= 0.05, "{lowest_same:.3}");
    assert!(SAME_MATTER - highest_other >= 0.05, "{highest_other:.3}");
}

#[test]
fn spelling_does_not_change_the_matter() {
    let marked = "Ô nhiễm nguồn nước sinh hoạt do nhà máy mủ cao su Đắk Tô xả thải";
    for typed in [
        "O nhiem nguon nuoc sinh hoat do nha may mu cao su Dak To xa thai",
        "Ô NHIỄM NGUỒN NƯỚC SINH HOẠT DO NHÀ MÁY MỦ CAO SU ĐẮK TÔ XẢ THẢI",
        "O\u{0302}\u{0303} nhie\u{0302}\u{0303}m nguồn nước sinh hoạt do nhà máy mủ cao su Đắk Tô xả thải",
    ] {
        let s = score(marked, typed);
        assert!(s > 0.95, "{s:.3}: {typed}");
    }
    assert_eq!(score("", marked), 0.0);
    assert_eq!(
        score("đề nghị giải quyết", marked),
        0.0,
        "only words every letter has"
    );
}

#[test]
fn a_sender_s_form_says_what_is_wrong_with_each_field() {
    use super::complainant::ComplainantForm;
    let fields = |form: ComplainantForm| match form.parse() {
        Ok(_) => Vec::new(),
        Err(errors) => errors.0.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
    };
    let good = || ComplainantForm {
        name: "  Nguyễn   Văn  Bình ".into(),
        address: "Thôn 3, xã Đăk Hà".into(),
        ..ComplainantForm::default()
    };
    let parsed = good().parse().expect("valid");
    assert_eq!(parsed.name, "Nguyễn Văn Bình");
    assert_eq!(
        fields(ComplainantForm {
            name: "x".repeat(1_000_000),
            ..good()
        }),
        ["name"]
    );
    assert_eq!(
        fields(ComplainantForm {
            name: "…!".into(),
            ..good()
        }),
        ["name"]
    );
    assert_eq!(
        fields(ComplainantForm {
            name: "Bình\0".into(),
            ..good()
        }),
        ["name"]
    );
    assert_eq!(
        fields(ComplainantForm {
            address: "a".repeat(501),
            ..good()
        }),
        ["address"]
    );
    assert_eq!(
        fields(ComplainantForm {
            locality_id: "ba".into(),
            ..good()
        }),
        ["locality_id"]
    );
    // A phone or an e-mail address is a way to reply too.
    let phone_only = ComplainantForm {
        address: String::new(),
        phone: "0905123456".into(),
        ..good()
    };
    assert!(phone_only.parse().is_ok());
    let nothing = ComplainantForm {
        address: " ".into(),
        ..good()
    };
    assert_eq!(fields(nothing), ["address"]);
}
