//! Letters of complaint as a province receives them, for the escalation benchmark's
//! generator (`complaint/bench.rs`): senders with Vietnamese names drawn with their
//! real skew (a third of people are Nguyễn, most men's middle name is Văn and women's
//! Thị, a few given names are very common), addresses in the demo province's communes
//! and wards, and matters from the fields that bring most letters (land, compensation,
//! pollution, welfare), each with its details (plot and map sheet numbers, projects,
//! businesses) and a retelling in other words, as a second letter to a higher level
//! would put it.
//!
//! Everything is a function of the seed and the letter's index, so a query can retell
//! letter *i* without reading it back.

use crate::case::bench::{Rng, Zipf};

/// Surnames with their share of the population, in per mille (Nguyễn about 38 %).
const SURNAMES: &[(&str, f64)] = &[
    ("Nguyễn", 380.0),
    ("Trần", 110.0),
    ("Lê", 95.0),
    ("Phạm", 71.0),
    ("Hoàng", 51.0),
    ("Phan", 45.0),
    ("Vũ", 39.0),
    ("Võ", 35.0),
    ("Đặng", 21.0),
    ("Bùi", 20.0),
    ("Đỗ", 14.0),
    ("Hồ", 13.0),
    ("Ngô", 13.0),
    ("Dương", 10.0),
    ("Đinh", 8.0),
    ("Lý", 5.0),
    ("Trương", 6.0),
    ("Lâm", 5.0),
    ("Mai", 4.0),
    ("Hà", 4.0),
    ("Trịnh", 3.0),
    ("Cao", 3.0),
    ("Lương", 3.0),
    ("Đoàn", 3.0),
    ("Tạ", 3.0),
    ("Phùng", 2.0),
    ("Chu", 2.0),
    ("Châu", 2.0),
    ("Kiều", 1.0),
    ("A", 4.0),
    ("Y", 4.0),
    ("Rơ Châm", 2.0),
    ("Siu", 2.0),
];

const MIDDLE_MALE: &[(&str, f64)] = &[
    ("Văn", 35.0),
    ("Đức", 8.0),
    ("Minh", 8.0),
    ("Quốc", 5.0),
    ("Hữu", 6.0),
    ("Công", 5.0),
    ("Thanh", 5.0),
    ("Xuân", 4.0),
    ("Quang", 5.0),
    ("Đình", 6.0),
    ("Ngọc", 4.0),
    ("Anh", 3.0),
    ("Tuấn", 3.0),
];

const MIDDLE_FEMALE: &[(&str, f64)] = &[
    ("Thị", 50.0),
    ("Ngọc", 8.0),
    ("Thu", 6.0),
    ("Thanh", 6.0),
    ("Kim", 5.0),
    ("Hồng", 5.0),
    ("Minh", 4.0),
    ("Mỹ", 3.0),
    ("Bích", 3.0),
    ("Phương", 3.0),
];

/// Given names, most common first (drawn with a Zipf skew).
const GIVEN_MALE: &[&str] = &[
    "Hùng", "Dũng", "Minh", "Tuấn", "Nam", "Hải", "Long", "Sơn", "Thắng", "Bình", "An", "Phúc",
    "Quang", "Cường", "Đức", "Hưng", "Khoa", "Lâm", "Lực", "Nghĩa", "Phong", "Quân", "Tài",
    "Thành", "Thịnh", "Toàn", "Trung", "Tú", "Việt", "Vinh", "Hòa", "Hiếu", "Hoàng", "Kiên", "Lộc",
    "Mạnh", "Nhân", "Tâm", "Thuận", "Tiến", "Tín", "Trí", "Tùng", "Vũ", "Bảo", "Chiến", "Duy",
    "Giang", "Hậu", "Khánh", "Thút", "Sang", "Blui",
];

const GIVEN_FEMALE: &[&str] = &[
    "Hoa", "Lan", "Hương", "Mai", "Linh", "Hà", "Thủy", "Hạnh", "Hằng", "Nga", "Ngọc", "Nhung",
    "Phương", "Thảo", "Trang", "Yến", "Dung", "Hiền", "Huyền", "Loan", "Lý", "My", "Nhi", "Oanh",
    "Quyên", "Tâm", "Thu", "Thúy", "Trinh", "Uyên", "Vân", "Xuân", "Anh", "Bích", "Chi", "Diệp",
    "Giang", "Hồng", "Liên", "Ly", "H'Lim",
];

const HONORIFICS_MALE: &[&str] = &["Ông", "ông", "Anh"];
const HONORIFICS_FEMALE: &[&str] = &["Bà", "bà", "Chị"];

/// The drawers, built once.
pub struct Names {
    surnames: Zipf,
    middle_male: Zipf,
    middle_female: Zipf,
    given_male: Zipf,
    given_female: Zipf,
}

impl Names {
    pub(super) fn new() -> Names {
        let weights = |list: &[(&str, f64)]| Zipf::weighted(list.iter().map(|(_, w)| *w));
        Names {
            surnames: weights(SURNAMES),
            middle_male: weights(MIDDLE_MALE),
            middle_female: weights(MIDDLE_FEMALE),
            given_male: Zipf::new(GIVEN_MALE.len(), 0.9),
            given_female: Zipf::new(GIVEN_FEMALE.len(), 0.9),
        }
    }
}

/// A locality of the province a sender lives in.
#[derive(Clone)]
pub struct Place {
    pub id: i64,
    pub name: String,
    /// A ward has residential groups (tổ), a commune villages (thôn).
    pub ward: bool,
}

/// A sender, as the letter gives them.
pub struct Sender {
    pub male: bool,
    /// Surname, middle and given name, with marks, without a form of address.
    pub name: String,
    pub place: usize,
    /// The group or village number in the locality.
    pub hamlet: usize,
    pub phone: Option<String>,
    pub identity: Option<String>,
}

impl Sender {
    pub fn draw(names: &Names, places: &[Place], rng: &mut Rng) -> Sender {
        let male = rng.chance(0.55);
        let surname = SURNAMES[names.surnames.sample(rng)].0;
        let (middle, given) = if male {
            (
                MIDDLE_MALE[names.middle_male.sample(rng)].0,
                GIVEN_MALE[names.given_male.sample(rng)],
            )
        } else {
            (
                MIDDLE_FEMALE[names.middle_female.sample(rng)].0,
                GIVEN_FEMALE[names.given_female.sample(rng)],
            )
        };
        Sender {
            male,
            name: format!("{surname} {middle} {given}"),
            place: rng.below(places.len()),
            hamlet: rng.between(1, 14),
            phone: rng
                .chance(0.6)
                .then(|| format!("09{:08}", rng.below(100_000_000))),
            identity: rng
                .chance(0.3)
                .then(|| format!("0{:02}{:09}", rng.between(1, 96), rng.below(1_000_000_000))),
        }
    }

    /// The name as a letter writes it: now and then after *Ông* or *Bà*.
    pub fn written_name(&self, rng: &mut Rng) -> String {
        if rng.chance(0.25) {
            let list = if self.male {
                HONORIFICS_MALE
            } else {
                HONORIFICS_FEMALE
            };
            format!("{} {}", list[rng.below(list.len())], self.name)
        } else {
            self.name.clone()
        }
    }

    pub fn address(&self, places: &[Place]) -> String {
        let place = &places[self.place];
        let group = if place.ward { "Tổ" } else { "Thôn" };
        format!("{group} {}, {}", self.hamlet, place.name)
    }
}

const PROJECTS: &[&str] = &[
    "đường tránh Quốc lộ 14",
    "thủy điện Thượng Kon Tum",
    "hồ chứa nước Đắk Uy",
    "khu công nghiệp Hòa Bình",
    "đường Trường Sơn Đông",
    "khu đô thị Bắc Duy Tân",
    "cụm công nghiệp Đăk Hà",
    "đường vành đai phía Tây",
];
const BUSINESSES: &[&str] = &[
    "công ty Tân Phát",
    "cơ sở Hoàng Gia",
    "công ty Minh Long",
    "doanh nghiệp Phú Thịnh",
    "hợp tác xã Đăk Tô",
    "công ty Trường Sơn",
    "cơ sở Thành Đạt",
];
const FACILITIES: &[&str] = &[
    "xưởng cưa gỗ",
    "trại chăn nuôi heo",
    "lò gạch thủ công",
    "nhà máy mủ cao su",
    "bãi tập kết rác",
    "xưởng sơ chế cà phê",
];
const NUISANCES: &[&str] = &["tiếng ồn", "khói bụi", "nước thải", "mùi hôi"];
const BENEFITS: &[&str] = &[
    "tiền hỗ trợ hộ nghèo",
    "trợ cấp người có công với cách mạng",
    "tiền bồi thường hoa màu",
    "trợ cấp bảo trợ xã hội",
    "tiền hỗ trợ tái định cư",
];
const SHOPS: &[&str] = &["quán ăn", "quán cà phê", "ki-ốt bán hàng", "bãi giữ xe"];
const BUILDINGS: &[&str] = &["nhà văn hóa", "đường bê tông", "cổng chào", "sân thể thao"];

/// A matter: which kind of grievance, and its details.
pub struct Matter {
    topic: usize,
    a: usize,
    b: usize,
    c: usize,
    hamlet: usize,
}

/// How many kinds of matter [`Matter::draw`] picks from.
const TOPICS: usize = 7;

impl Matter {
    pub fn draw(rng: &mut Rng) -> Matter {
        Matter {
            topic: rng.below(TOPICS),
            a: rng.between(1, 999),
            b: rng.between(1, 60),
            c: rng.below(1000),
            hamlet: rng.between(1, 14),
        }
    }

    fn pick<'a>(&self, list: &[&'a str], salt: usize) -> &'a str {
        list[(self.c + salt) % list.len()]
    }

    /// The letter as first sent.
    pub fn first(&self) -> String {
        let (a, b, h) = (self.a, self.b, self.hamlet);
        match self.topic {
            0 => format!(
                "Tranh chấp ranh giới thửa đất số {a}, tờ bản đồ số {b} với hộ liền kề ở thôn {h}"
            ),
            1 => format!(
                "Không đồng ý với mức bồi thường đất ở khi giải phóng mặt bằng dự án {}",
                self.pick(PROJECTS, 0)
            ),
            2 => format!(
                "Cấp giấy chứng nhận quyền sử dụng đất cho thửa {a} tờ bản đồ {b} bị chậm quá hạn"
            ),
            3 => format!(
                "Ô nhiễm {} từ {} của {} gần khu dân cư thôn {h}",
                self.pick(NUISANCES, 1),
                self.pick(FACILITIES, 2),
                self.pick(BUSINESSES, 3)
            ),
            4 => format!(
                "Chậm chi trả {} cho gia đình tôi từ tháng {}/{}",
                self.pick(BENEFITS, 0),
                1 + a % 12,
                2021 + b % 5
            ),
            5 => format!(
                "Lấn chiếm hành lang an toàn đường bộ để xây dựng {} trước cổng chợ thôn {h}",
                self.pick(SHOPS, 0)
            ),
            _ => format!(
                "Thu tiền đóng góp xây dựng {} thôn {h} không công khai",
                self.pick(BUILDINGS, 0)
            ),
        }
    }

    /// The same matter retold to a higher level.
    pub fn retold(&self) -> String {
        let (a, b, h) = (self.a, self.b, self.hamlet);
        match self.topic {
            0 => format!(
                "Đề nghị giải quyết việc hộ liền kề lấn chiếm ranh giới thửa đất số {a} tờ bản đồ {b} của gia đình tôi ở thôn {h}, xã chưa giải quyết"
            ),
            1 => format!(
                "Mức giá bồi thường đất ở thuộc dự án {} quá thấp, đề nghị xem xét lại",
                self.pick(PROJECTS, 0)
            ),
            2 => format!(
                "Đã nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất thửa số {a}, tờ bản đồ số {b} từ lâu nhưng đến nay vẫn chưa được cấp"
            ),
            3 => format!(
                "Tiếp tục phản ánh {} của {} gây {} cho khu dân cư thôn {h}, xã đã kiểm tra nhưng chưa xử lý",
                self.pick(FACILITIES, 2),
                self.pick(BUSINESSES, 3),
                self.pick(NUISANCES, 1)
            ),
            4 => format!(
                "Đến nay gia đình vẫn chưa nhận được {} từ tháng {}/{}, đề nghị tỉnh chỉ đạo giải quyết",
                self.pick(BENEFITS, 0),
                1 + a % 12,
                2021 + b % 5
            ),
            5 => format!(
                "Việc xây {} lấn chiếm hành lang đường bộ trước cổng chợ thôn {h} đến nay vẫn tồn tại",
                self.pick(SHOPS, 0)
            ),
            _ => format!(
                "Tố cáo trưởng thôn {h} thu tiền đóng góp xây {} không công khai, không rõ ràng",
                self.pick(BUILDINGS, 0)
            ),
        }
    }
}

/// `text` as typed on a keyboard without Vietnamese input: no marks, `đ` as `d`,
/// capitals kept.
pub fn without_marks(text: &str) -> String {
    text.chars()
        .map(|c| {
            let folded = vntext::fold_char(c);
            if c.is_uppercase() {
                folded.to_ascii_uppercase()
            } else {
                folded
            }
        })
        .collect()
}
