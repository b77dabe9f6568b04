//! Whether two letters are about the same matter, from their text alone: a second
//! letter to a higher level retells the first in other words, often with fewer
//! diacritics or another tone placement, while the same person's letter about another
//! matter shares the vocabulary of its field (*bồi thường, thửa đất, tờ bản đồ*).
//!
//! The measure: the cosine between two weighted sets of features, each text's folded
//! syllables (so *thuỷ/thủy* and *dat/đất* are equal) and the pairs of syllables that
//! follow each other, leaving out the function words and the words every letter has
//! (*đơn, đề nghị, giải quyết, Ủy ban nhân dân*). What tells one matter from another
//! weighs more: numbers (a plot, a map sheet, a road: 2), names of places, projects
//! and businesses written with a capital inside a sentence (1.5); the words of the
//! field that many letters share weigh less (0.3); a pair weighs as its lighter word.
//! Stop words and field words are recognised as written, with their marks, so that
//! *cưa* (a sawmill) is not taken for *của*. Text typed without marks cannot tell them
//! apart (*chua*: *chưa*, or *chứa* in *hồ chứa nước*); when either letter is such
//! text, both are read by their bare spellings alone, so the two lose the same words.
//!
//! [`SAME_MATTER`] was chosen on the pairs in `tests.rs`, written for this: retellings,
//! text without diacritics, the other tone placement, against the same complainant's
//! letters about other matters. There, every retelling scores 0.46 or more and every
//! other matter 0.30 or less; the threshold sits between.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// At or above this, two letters are about the same matter.
pub const SAME_MATTER: f64 = 0.38;

/// How much of a letter is read: its title and the start of its text say what it is
/// about, and the bound keeps a comparison cheap whatever was pasted in.
pub const MAX_CHARS: usize = 4000;

/// Function words, and words that every letter has: they say nothing of the matter.
const STOP: &str = "và của là các những một này đó đấy kia thì mà để cho với tại ở trong \
    ngoài trên dưới từ đến về theo như nhưng hoặc hay nếu khi đã đang sẽ được bị không có \
    chưa còn cũng vẫn rất lại ra vào lên xuống nữa việc sự người mình tôi chúng ông bà anh \
    chị em gì nào sao vì nên bởi sau trước thêm mọi tất cả nhiều ít hiện nay đây đơn thư \
    kính gửi khiếu nại tố cáo kiến nghị phản ánh giải quyết xem xét cán bộ cơ quan chính \
    quyền ủy ban nhân dân ubnd xã phường tỉnh huyện trân trọng cảm ơn nội dung tiếp tục làm \
    rõ đề yêu cầu điều dứt điểm chỉ đạo";

/// Words of the field that many letters about different matters share.
const COMMON: &str = "đất đai bồi thường dự án tranh chấp thửa tờ bản đồ số thu hồi hỗ trợ \
    chi trả chậm mức giá ô nhiễm môi trường xây dựng giấy chứng nhận quyền sử dụng thôn tổ \
    khu gây ảnh hưởng dân cư tiếng ồn hoạt động tiền quá thấp cao xử lý vi phạm trái phép \
    lấn chiếm hộ gia đình";

const COMMON_WEIGHT: f32 = 0.3;
const NUMBER_WEIGHT: f32 = 2.0;
const NAME_WEIGHT: f32 = 1.5;

/// A word list as written (canonical: NFC, one tone placement, lower case), and the
/// bare spellings of its words for text typed without marks.
struct Words {
    marked: HashSet<String>,
    bare: HashSet<String>,
}

impl Words {
    fn of(list: &str) -> Words {
        let marked: HashSet<String> = list.split_whitespace().map(vntext::canonical).collect();
        let bare = marked.iter().map(|w| vntext::fold(w)).collect();
        Words { marked, bare }
    }

    /// `text` is the canonical form, `folded` the bare one: a word with marks is
    /// looked up as written, one without by its bare spelling.
    fn contain(&self, text: &str, folded: &str) -> bool {
        self.marked.contains(text) || (text == folded && self.bare.contains(folded))
    }
}

fn stop() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| Words::of(STOP))
}

fn common() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| Words::of(COMMON))
}

/// A letter's text as the comparison sees it, twice: read with its marks, and read
/// as if typed without any. Two texts both written with marks compare in the first
/// form; when either was typed without them, both compare in the second, so neither
/// side keeps a word the other had to leave out.
#[derive(Debug, Clone, Default)]
pub struct Matter {
    marked: Features,
    bare: Features,
    /// Written with marks (a quarter of its syllables or more carry one).
    has_marks: bool,
}

/// Weighted features and their norm.
#[derive(Debug, Clone, Default)]
struct Features {
    weights: HashMap<String, f32>,
    norm: f32,
}

impl Features {
    fn of(words: &[(&str, f32)]) -> Features {
        let mut weights = HashMap::new();
        let mut keep = |key: String, weight: f32| {
            let w = weights.entry(key).or_insert(0.0_f32);
            *w = w.max(weight);
        };
        for (word, weight) in words {
            keep(format!("1 {word}"), *weight);
        }
        for pair in words.windows(2) {
            keep(
                format!("2 {} {}", pair[0].0, pair[1].0),
                pair[0].1.min(pair[1].1),
            );
        }
        let norm = weights.values().map(|w| w * w).sum::<f32>().sqrt();
        Features { weights, norm }
    }

    fn cosine(&self, other: &Features) -> f64 {
        if self.norm == 0.0 || other.norm == 0.0 {
            return 0.0;
        }
        let (small, large) = if self.weights.len() <= other.weights.len() {
            (self, other)
        } else {
            (other, self)
        };
        let dot: f32 = small
            .weights
            .iter()
            .filter_map(|(k, w)| large.weights.get(k).map(|v| w * v))
            .sum();
        if dot <= 0.0 {
            return 0.0; // an empty sum is -0.0
        }
        f64::from(dot / (self.norm * other.norm))
    }
}

impl Matter {
    /// The matter of `text` (a letter's title, then its content).
    pub fn new(text: &str) -> Matter {
        let text = match text.char_indices().nth(MAX_CHARS) {
            Some((end, _)) => &text[..end],
            None => text,
        };
        let shouting = !text.chars().any(char::is_lowercase);
        let (mut marked, mut bare) = (Vec::new(), Vec::new());
        let (mut syllables, mut with_marks) = (0, 0);
        let tokens: Vec<vntext::Token> = vntext::tokens(text).collect();
        for token in &tokens {
            let name = !shouting && starts_a_name(text, token.start);
            for (canonical, folded) in pieces(&token.text, &token.folded) {
                let number = folded.bytes().all(|b| b.is_ascii_digit());
                if !number {
                    syllables += 1;
                    with_marks += usize::from(canonical != folded);
                }
                let weight = |stop_word: bool, common_word: bool| match () {
                    _ if stop_word => None,
                    _ if number => Some(NUMBER_WEIGHT),
                    _ if common_word => Some(COMMON_WEIGHT),
                    _ if name => Some(NAME_WEIGHT),
                    _ => Some(1.0),
                };
                if let Some(w) = weight(
                    stop().marked.contains(canonical),
                    common().contain(canonical, folded),
                ) {
                    marked.push((folded, w));
                }
                if let Some(w) =
                    weight(stop().bare.contains(folded), common().bare.contains(folded))
                {
                    bare.push((folded, w));
                }
            }
        }
        Matter {
            marked: Features::of(&marked),
            bare: Features::of(&bare),
            has_marks: with_marks * 4 >= syllables && with_marks > 0,
        }
    }

    /// From 0 (nothing in common) to 1 (the same words): see the module's comment.
    pub fn similarity(&self, other: &Matter) -> f64 {
        if self.has_marks && other.has_marks {
            self.marked.cosine(&other.marked)
        } else {
            self.bare.cosine(&other.bare)
        }
    }

    /// True when `other` is about the same matter.
    pub fn same_as(&self, other: &Matter) -> bool {
        self.similarity(other) >= SAME_MATTER
    }
}

/// True when the token at byte `start` of `text` begins with a capital inside a
/// sentence: a name of a place, a project, a business (*suối Đăk Bla*).
fn starts_a_name(text: &str, start: usize) -> bool {
    let capital = text[start..].chars().next().is_some_and(char::is_uppercase);
    let before = text[..start].trim_end();
    capital
        && before
            .chars()
            .next_back()
            .is_some_and(|c| !matches!(c, '.' | '!' | '?' | ':' | ';' | '\n' | '"' | '“' | '('))
}

/// A token cut where letters and digits meet (`500m2` → `500`, `m2`…): the same
/// number is the same feature whether or not a unit is stuck to it. Yields the
/// canonical and folded form of each piece.
fn pieces<'a>(canonical: &'a str, folded: &'a str) -> Vec<(&'a str, &'a str)> {
    let digit_runs = |s: &str| -> Vec<(usize, usize)> {
        let mut runs = Vec::new();
        let mut start = 0;
        let mut previous: Option<bool> = None;
        for (i, c) in s.char_indices() {
            let digit = c.is_ascii_digit();
            if previous.is_some_and(|p| p != digit) {
                runs.push((start, i));
                start = i;
            }
            previous = Some(digit);
        }
        runs.push((start, s.len()));
        runs
    };
    let (a, b) = (digit_runs(canonical), digit_runs(folded));
    if a.len() != b.len() {
        return vec![(canonical, folded)];
    }
    a.into_iter()
        .zip(b)
        .map(|((s1, e1), (s2, e2))| (&canonical[s1..e1], &folded[s2..e2]))
        .collect()
}
