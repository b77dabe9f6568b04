//! Syllables that lost the space between them.
//!
//! Invisible characters (zero-width space, soft hyphen, word joiner, zero-width
//! joiners, BOM) are artefacts of copying from the web or a word processor: they vanish
//! and never split a word, so `l\u{200B}ương` is *lương*. Sometimes such a character
//! stood *between* two syllables, in place of their space: *phản\u{00AD}ánh* joins into
//! *phảnánh*. That run of letters cannot be one Vietnamese syllable — a syllable has one
//! vowel group and at most one tone mark, and this has two — so the tokenizer reads it
//! as the syllables it is made of, *phản* + *ánh*, and a search for "phản ánh" or
//! "phan anh" finds the document. The reading depends only on the joined letters, never
//! on where the invisible character was: inserting one anywhere changes no token.
//!
//! A run is read this way only when it holds a Vietnamese letter outside ASCII (a
//! quality or tone mark, *đ*), is not one syllable, holds no digit, and can be cut
//! entirely into well-formed syllables ([`valid`]: the spelling rules of initials,
//! vowel nuclei and finals, *c/k/q*, *g/gh*, *ng/ngh*, stop finals only with the rising
//! or heavy tone). Plain ASCII runs (codes, names, foreign words typed without marks)
//! are left whole, as are runs that cannot be cut (*Đắklắk*, *café*).
//!
//! Where several cuts are possible (*phản|ánh* or *phả|nánh*, *tố|cáo* or *tốc|áo*,
//! *bán|hàng* or *bánh|àng*), the spelling alone cannot decide, so the cut is chosen by
//! (1) the fewest syllables, (2) the most syllables that are common in Vietnamese
//! administrative text ([`COMMON`]), (3) the longest initial for the later syllable
//! (the usual Vietnamese syllabification: *đề|nghị*, not *đền|ghị*).

use crate::tone::{self, base_and_tone};

/// Longest run cut into syllables, in letters (a few syllables lost their spaces; a
/// longer run is a code or a foreign word).
const MAX_LETTERS: usize = 28;
/// Most letters in one syllable (*nghiêng*).
const MAX_SYLLABLE: usize = 7;

/// The rising (sắc) and heavy (nặng) tones: the only ones a stop final takes.
const STOP_TONES: [char; 2] = ['\u{0301}', '\u{0323}'];

/// Syllables frequent in Vietnamese administrative text, in canonical form. Used only
/// to choose between cuts that spelling allows equally.
const COMMON: &str = "a ai an anh ảnh án ánh áo âm ấn ấy ăn ẩn ở ông ốc ủy úy uống ước ưu \
    ý y yêu yếu ích im in inh ít \
    ba bà bác bài bản bán bàn bảo báo bạo bắt bằng bản bất bậc bệnh bị biên biến biết \
    biểu bình bộ bổ bố bồi bởi bưu bức bước \
    ca các cách cải cán cảnh cao cáo cấp cần cầu cấu chỉ chí chính chính chính chính \
    chủ chức chung chúng chuyên chuyển chương chưa có còn công cơ cơ cộng cụ cục cung \
    cùng cũng cư cứ cử cực cường của \
    dân dẫn danh dịch diễn dõi du dục dụng duy dự dựa dựng \
    đã đại đang đảng đào đảm đạo đạt đất đầu đầy đầu để đề đến đều địa điểm điều đình \
    định đoàn đó đổi đối đơn đồng đội động được đường \
    gia giá giải giám gian giao giáo giấy giới giúp giữ góp gửi \
    hà hạ hai hàng hành hạn hạnh hay hệ hiện hiệu hình hóa học hoạch hoạt hòa hoàn \
    hội hồ hộ hộp hơn hợp hướng hữu \
    kế kết khai khác khác khách khăn khẩn khi khiếu khoa khỏe không khu khuyến kiểm \
    kiến kiện kinh kỳ kỹ \
    là lại làm lãnh lao lập lệ liên liệu lợi lớn luật lực lượng lương lưu lý \
    mà mặt mới môi một mục mức \
    nam nào năm năng nay này nên nếu nghị nghiệp nghiên nghĩa ngành ngày ngân ngoài \
    người nguồn nguyên nhà nhằm nhận nhân nhất nhiệm nhiên nhiều nhóm như những nhưng \
    nội nông nơi nước \
    phải phạm phán phản phát phần phí phía phó phối phòng phố phục phúc phủ phương \
    quan quản quy quyết quyền quốc quả quá qua \
    ra rà rõ rộng \
    sách sản sát sau sinh số sở sơ sự sử sức \
    tác tại tài tạo tăng tập tâm tế thanh thành thái tham thẩm thân thấp thế thì thiết \
    thiện thị thông thời thu thuận thuế thủ thủy thức thực thương thường thư tích tiếp \
    tiến tiền tiêu tin tình tính tỉnh tịch tổ tố tốt tổng tới trái trách trạng trên \
    trình trong trọng trợ trung trưởng trường tuyên tư tự từ tục tuân tuyến \
    và vào văn vấn vẫn vệ về vi việc viên vốn vụ vùng vực vững vượt \
    xã xác xây xem xét xử xuất xúc";

/// How the letters of `word` (lower case, canonical, letters only) are cut into
/// syllables, as the lengths of the pieces in letters; `None` when it is one
/// syllable, holds no Vietnamese mark, or cannot be cut.
pub(crate) fn cut(word: &str) -> Option<Vec<usize>> {
    if word.is_ascii() || !word.chars().all(char::is_alphabetic) || tone::is_syllable(word) {
        return None;
    }
    let letters: Vec<(char, Option<char>)> =
        word.chars().map(base_and_tone).collect::<Option<_>>()?;
    let n = letters.len();
    if n > MAX_LETTERS {
        return None;
    }
    // best[i]: the best cut of letters[i..] as (syllables, uncommon syllables, first
    // piece's length); compared in that order, so the first piece is as short as
    // allowed, leaving the longest initial to the next.
    let mut best: Vec<Option<(usize, usize, usize)>> = vec![None; n + 1];
    best[n] = Some((0, 0, 0));
    for i in (0..n).rev() {
        for len in 1..=MAX_SYLLABLE.min(n - i) {
            let Some((count, uncommon, _)) = best[i + len] else {
                continue;
            };
            let piece = &letters[i..i + len];
            if !valid(piece) {
                continue;
            }
            let key = (count + 1, uncommon + usize::from(!is_common(piece)), len);
            if best[i].is_none_or(|b| key < b) {
                best[i] = Some(key);
            }
        }
    }
    best[0]?;
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let (_, _, len) = best[i]?;
        out.push(len);
        i += len;
    }
    (out.len() > 1).then_some(out)
}

fn is_common(piece: &[(char, Option<char>)]) -> bool {
    let word: String = crate::canonical(&spelled(piece));
    COMMON.split_whitespace().any(|w| w == word)
}

/// The piece as text: each base letter with its tone mark, NFC.
fn spelled(piece: &[(char, Option<char>)]) -> String {
    use unicode_normalization::UnicodeNormalization;
    piece
        .iter()
        .flat_map(|(b, t)| std::iter::once(*b).chain(*t))
        .nfc()
        .collect()
}

/// True when `piece` (lower-case base letters with their tone marks) is a syllable
/// Vietnamese spelling allows: one tone at most, an initial, a nucleus and a final
/// that exist ([`tone::parse`]), and the rules that tie them together.
pub(crate) fn valid(piece: &[(char, Option<char>)]) -> bool {
    let mut tones = piece.iter().filter_map(|(_, t)| *t);
    let tone = tones.next();
    if tones.next().is_some() {
        return false;
    }
    let letters: Vec<char> = piece.iter().map(|(b, _)| *b).collect();
    let Some(s) = tone::parse(&letters) else {
        return false;
    };
    let initial: String = letters[..s.nucleus_start].iter().collect();
    let nucleus: String = letters[s.nucleus_start..s.nucleus_start + s.nucleus_len]
        .iter()
        .collect();
    let last: String = letters[s.nucleus_start + s.nucleus_len..].iter().collect();
    let first_vowel = nucleus.chars().next().unwrap_or('a');
    let front = matches!(first_vowel, 'i' | 'e' | 'ê' | 'y');
    let spelling_ok = match initial.as_str() {
        "k" | "gh" | "ngh" => front,
        // "gì", "gìn": g + i (gi before another vowel is an initial of its own).
        "g" => !front || nucleus == "i",
        "c" | "ng" => !front,
        _ => true,
    };
    if !spelling_ok {
        return false;
    }
    const NEEDS_FINAL: [&str; 10] = ["ă", "â", "iê", "yê", "uô", "ươ", "oă", "uâ", "uyê", "oo"];
    const TAKES_FINAL: [&str; 22] = [
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "iê", "yê", "uô", "ươ", "oa",
        "oă", "oe", "uâ", "uê", "uy",
    ];
    match last.as_str() {
        "" => !NEEDS_FINAL.contains(&nucleus.as_str()),
        f => {
            let closes =
                TAKES_FINAL.contains(&nucleus.as_str()) || nucleus == "uyê" || nucleus == "oo";
            let stop = matches!(f, "c" | "ch" | "p" | "t");
            let tone_ok = !stop || tone.is_some_and(|t| STOP_TONES.contains(&t));
            let palatal_ok = match f {
                "ch" | "nh" => matches!(nucleus.chars().last(), Some('a' | 'ê' | 'i' | 'y')),
                "c" | "ng" => !matches!(nucleus.chars().last(), Some('ê' | 'i')),
                _ => true,
            };
            closes && tone_ok && palatal_ok
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(word: &str) -> Vec<String> {
        let chars: Vec<char> = word.chars().collect();
        match cut(word) {
            None => vec![word.to_owned()],
            Some(lens) => {
                let mut at = 0;
                lens.iter()
                    .map(|l| {
                        let p: String = chars[at..at + l].iter().collect();
                        at += l;
                        p
                    })
                    .collect()
            }
        }
    }

    #[test]
    fn joined_syllables_are_read_apart() {
        assert_eq!(pieces("phảnánh"), ["phản", "ánh"]);
        assert_eq!(pieces("bánhàng"), ["bán", "hàng"]);
        assert_eq!(pieces("tốcáo"), ["tố", "cáo"]);
        assert_eq!(pieces("đềnghị"), ["đề", "nghị"]);
        assert_eq!(pieces("tổchức"), ["tổ", "chức"]);
        assert_eq!(pieces("báocáo"), ["báo", "cáo"]);
        assert_eq!(pieces("tiềnlương"), ["tiền", "lương"]);
        assert_eq!(pieces("lươngy"), ["lương", "y"]);
        assert_eq!(pieces("bệnhán"), ["bệnh", "án"]);
        assert_eq!(pieces("chínhủy"), ["chính", "ủy"]);
        assert_eq!(pieces("quyếtđịnh"), ["quyết", "định"]);
        assert_eq!(pieces("ủybannhândân"), ["ủy", "ban", "nhân", "dân"]);
    }

    #[test]
    fn syllables_codes_and_foreign_words_stay_whole() {
        for w in [
            "nghiêng",
            "khuỷu",
            "quốc",
            "gì",
            "ubnd",
            "covid",
            "kontum",
            "café",
            "đắklắk",
        ] {
            assert_eq!(pieces(w), [w], "{w}");
        }
    }

    #[test]
    fn spelling_rules_refuse_what_vietnamese_never_writes() {
        let v = |w: &str| {
            let l: Option<Vec<(char, Option<char>)>> = w.chars().map(base_and_tone).collect();
            l.is_some_and(|l| valid(&l))
        };
        for w in [
            "tổc", "tổch", "báoc", "ki", "ghà", "ca", "kê", "ngi", "nghi", "gì", "bánh", "ếch",
            "ăn",
        ] {
            let expected = !matches!(w, "tổc" | "tổch" | "báoc" | "ghà" | "ngi");
            assert_eq!(v(w), expected, "{w}");
        }
        assert!(
            !v("tổc"),
            "a stop final takes only the rising or heavy tone"
        );
        assert!(!v("ă"), "ă needs a final");
    }
}
