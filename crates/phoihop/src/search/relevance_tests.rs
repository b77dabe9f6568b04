//! A judged relevance set: cases of provincial administrative text and queries, each
//! with the case a reader expects first. Written by hand from the kinds of cases the
//! department handles, not from the ranking code: near-homographs that differ only in
//! marks or tone (*bán hàng* / *bàn hàng*, *thuế đất* / *thuê đất*), with the other
//! spelling always the newer case; phrases that are a title in one case and only in
//! the text of newer ones; syllables scattered in the newest; two titles with the
//! phrase where one case is plainly about it. Queries with and without diacritics, in
//! capitals, in NFD, quoted. Each query has one best case: no other title holds its
//! phrase unless the judgement between the two is plain (`RELEVANT`).

use super::{Doc, Filters, Scope, Source, Store, parse};

/// Near-homographs: (typed, case titled with it, newer case titled with the other
/// spelling, that case's text, the other spelling).
const PAIRS: [(&str, &str, &str, &str, &str); 16] = [
    (
        "bán hàng",
        "Bán hàng rong lấn chiếm vỉa hè đường Trần Hưng Đạo",
        "Sắp xếp lại bàn hàng ở chợ trung tâm",
        "Tiểu thương bán rau được bố trí bàn hàng mới theo ngành hàng.",
        "bàn hàng",
    ),
    (
        "tiền lương",
        "Chậm trả tiền lương cho giáo viên hợp đồng",
        "Hồ sơ ông Tiến, lương y xã Ia Chim",
        "Đề nghị công nhận danh hiệu cho lương y Nguyễn Văn Tiến, hành nghề lâu năm.",
        "Tiến, lương",
    ),
    (
        "bảo vệ",
        "Tăng cường bảo vệ rừng phòng hộ mùa khô",
        "Công an xã báo về việc tụ tập đông người",
        "Công an xã báo về huyện việc một nhóm người tụ tập trước trụ sở.",
        "báo về",
    ),
    (
        "giá cả",
        "Giá cả thị trường dịp Tết tăng cao",
        "Giá cá tra giảm mạnh, người nuôi thua lỗ",
        "Hộ nuôi cá tra đề nghị hỗ trợ vốn vay khi giá cá xuống thấp.",
        "giá cá",
    ),
    (
        "thuế đất",
        "Khiếu nại về thuế đất ở của hộ gia đình",
        "Doanh nghiệp thuê đất làm nhà xưởng quá hạn",
        "Doanh nghiệp thuê đất nhưng chưa nộp tiền thuê đúng hạn.",
        "thuê đất",
    ),
    (
        "thuế nhà",
        "Thắc mắc về thuế nhà đất năm 2026",
        "Sinh viên thuê nhà trọ không đăng ký tạm trú",
        "Chủ nhà trọ cho sinh viên thuê nhà chưa khai báo tạm trú.",
        "thuê nhà",
    ),
    (
        "mua lúa",
        "Thương lái ép giá khi mua lúa của nông dân",
        "Biểu diễn múa lửa tại lễ hội đường phố",
        "Đoàn nghệ thuật biểu diễn múa lửa phục vụ khách du lịch.",
        "múa lửa",
    ),
    (
        "trưởng thôn",
        "Bầu trưởng thôn Kon Mahar nhiệm kỳ mới",
        "Sửa chữa trường thôn Kon Mahar trước năm học",
        "Điểm trường thôn bị dột, cần sửa mái trước năm học mới.",
        "trường thôn",
    ),
    (
        "sâu bệnh",
        "Sâu bệnh gây hại lúa vụ đông xuân",
        "Chế độ cho người lao động sau bệnh dài ngày",
        "Người lao động trở lại làm việc sau bệnh dài ngày được bố trí công việc nhẹ.",
        "sau bệnh",
    ),
    (
        "hàng giả",
        "Phát hiện cơ sở kinh doanh hàng giả nhãn hiệu",
        "Hàng gia dụng kém chất lượng bán trên mạng",
        "Nhiều mặt hàng gia dụng không rõ nguồn gốc được quảng cáo trên mạng.",
        "hàng gia",
    ),
    (
        "cổ động",
        "Triển lãm tranh cổ động kỷ niệm ngày thành lập Đảng",
        "Cô đồng tổ chức lên đồng trái phép tại đền",
        "Người dân phản ánh một cô đồng tổ chức hầu đồng thu tiền.",
        "cô đồng",
    ),
    (
        "tin giả",
        "Xử lý tin giả về dịch bệnh trên Facebook",
        "Tin giá vàng tăng kỷ lục thu hút người mua",
        "Bản tin giá vàng được nhiều trang chia sẻ trong ngày.",
        "tin giá",
    ),
    (
        "đồng bào",
        "Hỗ trợ đồng bào dân tộc thiểu số vùng sâu",
        "Nhà máy đóng bao xi măng gây bụi",
        "Nhà máy đóng bao xi măng gần khu dân cư gây ô nhiễm bụi.",
        "đóng bao",
    ),
    (
        "cấp điện",
        "Chưa cấp điện cho làng Đăk Rơ Wa",
        "Trộm cáp điện trên tuyến đường tỉnh",
        "Kẻ gian cắt trộm cáp điện chiếu sáng công cộng.",
        "cáp điện",
    ),
    (
        "sạt lở",
        "Sạt lở bờ sông Đăk Bla đe dọa nhà dân",
        "Xây nhà sát lộ giới không phép",
        "Hộ dân xây nhà sát lộ giới, lấn hành lang an toàn giao thông.",
        "sát lộ",
    ),
    (
        "ma túy",
        "Phòng chống ma túy trong trường học",
        "Hướng dẫn xét miễn giảm mà tùy trường hợp",
        "Việc miễn giảm không áp dụng chung mà tùy trường hợp cụ thể.",
        "mà tùy",
    ),
];

/// Phrases: (phrase, case titled with it, its text, newer case holding the phrase in
/// its text only (title, text), newest case with the syllables apart (title, text)).
type Topic = (
    &'static str,
    &'static str,
    &'static str,
    [&'static str; 2],
    [&'static str; 2],
);

const TOPICS: [Topic; 22] = [
    (
        "tranh chấp đất đai",
        "Tranh chấp đất đai giữa hai hộ ở xã Ia Chim",
        "Hai hộ tranh chấp ranh giới thửa đất.",
        [
            "Đơn của ông A Sáu",
            "Ông đề nghị giải quyết tranh chấp đất đai kéo dài.",
        ],
        [
            "Đất rẫy bỏ hoang",
            "Không có tranh chấp, đất đai chưa giao.",
        ],
    ),
    (
        "ô nhiễm môi trường",
        "Ô nhiễm môi trường do trại nuôi heo",
        "Mùi hôi từ trại heo ảnh hưởng khu dân cư.",
        [
            "Kiến nghị cử tri thôn 3",
            "Cử tri phản ánh ô nhiễm môi trường quanh chợ.",
        ],
        ["Môi trường học tập", "Trường giảm ô nhiễm tiếng ồn."],
    ),
    (
        "giải phóng mặt bằng",
        "Chậm giải phóng mặt bằng dự án đường vành đai",
        "Một số hộ chưa nhận tiền bồi thường.",
        [
            "Báo cáo tiến độ dự án",
            "Vướng giải phóng mặt bằng ở hai xã.",
        ],
        ["Mặt bằng chợ mới", "Giải phóng lối đi cho xe cứu hỏa."],
    ),
    (
        "bạo lực học đường",
        "Bạo lực học đường tại trường trung học cơ sở",
        "Clip học sinh đánh nhau lan truyền.",
        [
            "Họp phụ huynh học kỳ I",
            "Nhà trường nhắc về bạo lực học đường.",
        ],
        [
            "An toàn đường đến trường",
            "Học sinh bị bạo lực ở đường làng.",
        ],
    ),
    (
        "an toàn thực phẩm",
        "Kiểm tra an toàn thực phẩm bếp ăn tập thể",
        "Đoàn kiểm tra lấy mẫu thức ăn.",
        [
            "Ngộ độc sau tiệc cưới",
            "Chưa bảo đảm an toàn thực phẩm khi nấu cỗ.",
        ],
        ["Thực phẩm cứu trợ", "Vận chuyển an toàn hàng cứu trợ."],
    ),
    (
        "khai thác cát",
        "Khai thác cát trái phép trên sông Pô Kô",
        "Tàu hút cát hoạt động ban đêm.",
        [
            "Sạt lở ruộng ven sông",
            "Người dân cho rằng do khai thác cát.",
        ],
        ["Cát san lấp công trình", "Khai thác đá và vận chuyển cát."],
    ),
    (
        "nước sinh hoạt",
        "Thiếu nước sinh hoạt mùa khô ở làng Kon Hring",
        "Giếng cạn, người dân phải mua nước.",
        [
            "Kiến nghị về công trình thủy lợi",
            "Kênh dẫn cũng cấp nước sinh hoạt cho làng.",
        ],
        ["Sinh hoạt cộng đồng", "Nhà văn hóa thiếu nước uống."],
    ),
    (
        "hộ nghèo",
        "Rà soát hộ nghèo cuối năm",
        "Thôn lập danh sách đề nghị.",
        [
            "Cấp thẻ bảo hiểm y tế",
            "Thẻ cấp cho hộ nghèo và cận nghèo.",
        ],
        ["Nghèo thông tin", "Một hộ ở xa chưa có sóng điện thoại."],
    ),
    (
        "cháy rừng",
        "Cháy rừng thông tại tiểu khu 12",
        "Lực lượng kiểm lâm dập lửa trong đêm.",
        ["Phương án mùa khô", "Chủ động phòng chống cháy rừng."],
        [
            "Rừng cộng đồng",
            "Người dân phát hiện cháy nương rẫy gần bìa rừng.",
        ],
    ),
    (
        "tiêm chủng mở rộng",
        "Tỷ lệ tiêm chủng mở rộng thấp ở vùng sâu",
        "Nhiều trẻ chưa tiêm đủ mũi.",
        ["Kế hoạch y tế xã", "Duy trì tiêm chủng mở rộng hằng tháng."],
        ["Mở rộng trạm y tế", "Trạm cần thêm phòng tiêm chủng."],
    ),
    (
        "lấn chiếm hành lang",
        "Lấn chiếm hành lang an toàn lưới điện",
        "Nhà dựng sát đường dây cao thế.",
        [
            "Kiểm tra trật tự đô thị",
            "Nhắc hộ kinh doanh không lấn chiếm hành lang đường.",
        ],
        ["Hành lang xanh", "Trồng cây, chống lấn chiếm vỉa hè."],
    ),
    (
        "xuyên tạc lịch sử",
        "Bài viết xuyên tạc lịch sử trên mạng",
        "Trang cá nhân đăng nội dung sai sự thật về chiến thắng Đăk Tô.",
        [
            "Tổng hợp dư luận tháng 7",
            "Có ý kiến xuyên tạc lịch sử địa phương.",
        ],
        ["Lịch sử Đảng bộ", "Biên soạn lại, tránh bị xuyên tạc."],
    ),
    (
        "tảo hôn",
        "Tảo hôn ở làng Đăk Wek",
        "Hai trường hợp kết hôn dưới tuổi.",
        [
            "Hội nghị phổ biến luật hôn nhân",
            "Vận động đồng bào không tảo hôn.",
        ],
        ["Hôn nhân cận huyết", "Tảo tần nuôi con một mình."],
    ),
    (
        "tuyên truyền pháp luật",
        "Tuyên truyền pháp luật cho đồng bào vùng biên",
        "Phát tài liệu song ngữ.",
        [
            "Hội nghị báo cáo viên",
            "Đổi mới tuyên truyền pháp luật qua loa phát thanh.",
        ],
        [
            "Pháp luật về đất đai",
            "Tuyên truyền bằng nhiều hình thức về luật đất.",
        ],
    ),
    (
        "chậm chi trả",
        "Chậm chi trả trợ cấp cho người có công",
        "Nhiều tháng chưa nhận tiền.",
        ["Đơn của bà Y Nhi", "Phản ánh việc chậm chi trả chế độ."],
        ["Chi trả qua bưu điện", "Trả chậm do đường sạt lở."],
    ),
    (
        "quy hoạch treo",
        "Quy hoạch treo khu dân cư phía Bắc",
        "Người dân không được xây sửa nhà.",
        ["Ý kiến cử tri phường", "Đề nghị xóa quy hoạch treo."],
        ["Quy hoạch chung", "Nhiều dự án treo chưa triển khai."],
    ),
    (
        "nợ đọng bảo hiểm",
        "Doanh nghiệp nợ đọng bảo hiểm xã hội",
        "Người lao động không được chốt sổ.",
        ["Thanh tra lao động", "Xử lý nợ đọng bảo hiểm kéo dài."],
        ["Bảo hiểm nông nghiệp", "Nợ vay và đọng vốn."],
    ),
    (
        "di tích lịch sử",
        "Xuống cấp di tích lịch sử Ngục Kon Tum",
        "Tường rào hư hỏng.",
        [
            "Kế hoạch tu bổ năm 2026",
            "Ưu tiên di tích lịch sử cấp quốc gia.",
        ],
        ["Lịch sử di dân", "Di tích của làng cổ."],
    ),
    (
        "hoạt động tôn giáo",
        "Hoạt động tôn giáo trái phép tại nhà riêng",
        "Tụ tập sinh hoạt không đăng ký.",
        [
            "Tình hình an ninh quý III",
            "Có hoạt động tôn giáo chưa được công nhận.",
        ],
        ["Tôn giáo và tín ngưỡng", "Hoạt động lễ hội truyền thống."],
    ),
    (
        "học sinh bỏ học",
        "Học sinh bỏ học đi làm thuê",
        "Nhiều em theo gia đình lên rẫy.",
        ["Tổng kết năm học", "Giảm tỷ lệ học sinh bỏ học."],
        [
            "Học bổng cho học sinh",
            "Bỏ phiếu chọn học sinh nhận học bổng.",
        ],
    ),
    (
        "mạng xã hội",
        "Quản lý thông tin trên mạng xã hội",
        "Các trang giả mạo cơ quan nhà nước.",
        [
            "Tập huấn cho báo cáo viên",
            "Kỹ năng phản bác trên mạng xã hội.",
        ],
        ["Xã hội hóa giáo dục", "Mạng lưới trường học."],
    ),
    (
        "đường giao thông nông thôn",
        "Đường giao thông nông thôn xuống cấp",
        "Mặt đường bong tróc, ổ gà.",
        [
            "Kiến nghị của thôn 5",
            "Đề nghị bê tông hóa đường giao thông nông thôn.",
        ],
        ["Nông thôn mới", "Giao thông đi lại khó khăn, đường đất."],
    ),
];

/// Two cases titled with the same phrase: the older one is about it, the newer names
/// it once in a long text about something else. (phrase, older title and text, newer
/// title and text.)
const RELEVANT: [(&str, [&str; 2], [&str; 2]); 4] = [
    (
        "hỗ trợ sinh kế",
        [
            "Hỗ trợ sinh kế cho hộ tái định cư",
            "Hỗ trợ sinh kế: giống cây, con giống; hỗ trợ sinh kế bằng học nghề.",
        ],
        [
            "Hỗ trợ sinh kế và nhiều nội dung khác",
            "Báo cáo tổng hợp công tác quý: giao thông, y tế, giáo dục, văn hóa, thể thao, quốc phòng, an ninh, tài chính, ngân sách, đầu tư công, cải cách hành chính, chuyển đổi số, và các nội dung khác của huyện.",
        ],
    ),
    (
        "phản ánh",
        [
            "Người dân phản ánh mất trật tự",
            "Người dân phản ánh nhiều lần; phản ánh qua đường dây nóng.",
        ],
        [
            "Phản ánh và báo cáo tổng hợp",
            "Tổng hợp chung tình hình kinh tế, xã hội, quốc phòng, an ninh, xây dựng Đảng, chính quyền, mặt trận và các đoàn thể trong tháng của toàn tỉnh.",
        ],
    ),
    (
        "cải cách hành chính",
        [
            "Cải cách hành chính tại bộ phận một cửa",
            "Cải cách hành chính: giảm thời gian giải quyết hồ sơ; cải cách hành chính gắn với số hóa.",
        ],
        [
            "Cải cách hành chính và công tác khác",
            "Nội dung hội nghị gồm nhiều chuyên đề về kinh tế, văn hóa, xã hội, an ninh, quốc phòng, tổ chức bộ máy, cán bộ, đảng viên, kiểm tra, giám sát.",
        ],
    ),
    (
        "chuyển đổi số",
        [
            "Chuyển đổi số trong cơ quan Đảng",
            "Chuyển đổi số: chữ ký số, hồ sơ điện tử; chuyển đổi số toàn diện.",
        ],
        [
            "Chuyển đổi số và các việc khác",
            "Giao ban tuần bàn nhiều việc: lịch tiếp dân, phân công trực, chuẩn bị hội nghị, kinh phí, xe công, hội trường, khánh tiết.",
        ],
    ),
];

/// Cases about something else entirely.
const OTHER: [&str; 8] = [
    "Lịch tiếp công dân tháng 11",
    "Chuẩn bị Đại hội Đoàn cấp huyện",
    "Mít tinh kỷ niệm ngày Nhà giáo Việt Nam 20/11",
    "Kiểm tra công tác văn thư lưu trữ",
    "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc",
    "Cấp phát sách giáo khoa cho học sinh",
    "Hướng dẫn quyết toán kinh phí năm 2026",
    "Phân công trực Tết Nguyên đán",
];

fn nfd(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd().collect()
}

struct Judged {
    cases: Vec<(String, String)>,
    /// (query, index of the expected best case in `cases`); `cases` is oldest first.
    queries: Vec<(String, usize)>,
}

fn judged() -> Judged {
    let mut cases: Vec<(String, String)> = Vec::new();
    let mut queries = Vec::new();
    let mut add = |title: &str, body: &str| {
        cases.push((title.to_owned(), body.to_owned()));
        cases.len() - 1
    };
    for (i, (typed, title, other_title, other_body, other)) in PAIRS.iter().enumerate() {
        let target = add(title, "");
        let newer = add(other_title, other_body);
        queries.push((typed.to_string(), target));
        queries.push((other.to_string(), newer));
        match i % 4 {
            0 => queries.push((typed.to_uppercase(), target)),
            1 => queries.push((nfd(typed), target)),
            2 => queries.push((format!("\"{typed}\""), target)),
            _ => {}
        }
    }
    for (i, (phrase, title, body, [in_text_title, in_text], [apart_title, apart])) in
        TOPICS.iter().enumerate()
    {
        let target = add(title, body);
        add(in_text_title, in_text);
        add(apart_title, apart);
        queries.push((phrase.to_string(), target));
        queries.push((vntext::fold(phrase), target));
        match i % 3 {
            0 => queries.push((phrase.to_uppercase(), target)),
            1 => queries.push((nfd(phrase), target)),
            _ => queries.push((format!("\"{}\"", vntext::fold(phrase)), target)),
        }
    }
    for (phrase, [title, body], [newer_title, newer_body]) in RELEVANT {
        let target = add(title, body);
        add(newer_title, newer_body);
        queries.push((phrase.to_owned(), target));
        queries.push((vntext::fold(phrase), target));
    }
    for title in OTHER {
        add(title, "Nội dung theo kế hoạch của Ban.");
    }
    Judged { cases, queries }
}

#[test]
fn the_judged_set_finds_every_expected_case_and_ranks_it_first() {
    let set = judged();
    assert!(set.cases.len() >= 100, "{} cases", set.cases.len());
    assert!(set.queries.len() >= 60, "{} queries", set.queries.len());
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::create(&dir.path().join("index-1.sqlite")).expect("index");
    // Newest first, as the index numbers them: case i was made at day i.
    let docs: Vec<Doc> = set
        .cases
        .iter()
        .enumerate()
        .rev()
        .map(|(i, (title, body))| Doc {
            source: Source::Case,
            ref_id: i as i64,
            case_id: i as i64,
            case_number: format!("VV-2026-{:04}", i + 1),
            label: title.clone(),
            body: body.clone(),
            at: i as i64 * 86_400_000,
            orgs: vec![1],
            kind: "incident".into(),
            state: "reported".into(),
            field_id: None,
            agency_id: 1,
            year: 2026,
        })
        .collect();
    store.replace(&[], docs, &[]).expect("write");
    let (mut first, mut in_ten) = (0, 0);
    let mut misses = Vec::new();
    for (query, expected) in &set.queries {
        let found = store
            .search(&parse(query), &Scope::Everything, &Filters::default(), 1)
            .expect("search");
        let ids: Vec<usize> = found.hits.iter().map(|h| h.case_id as usize).collect();
        match ids.iter().position(|id| id == expected) {
            Some(0) => {
                first += 1;
                in_ten += 1;
            }
            Some(p) if p < 10 => {
                in_ten += 1;
                misses.push(format!("{query:?}: expected case at {}", p + 1));
            }
            _ => misses.push(format!("{query:?}: expected case not in the first 10")),
        }
    }
    let n = set.queries.len();
    let share = 100.0 * first as f64 / n as f64;
    println!(
        "judged relevance set: {} cases, {n} queries; expected case first for {first} \
         ({share:.1} %), recall@10 {in_ten}/{n}",
        set.cases.len()
    );
    for m in &misses {
        println!("  {m}");
    }
    assert_eq!(in_ten, n, "recall@10: {misses:?}");
    assert!(share >= 95.0, "first for {share:.1} %: {misses:?}");
}
