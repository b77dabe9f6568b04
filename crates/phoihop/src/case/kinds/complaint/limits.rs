//! The legal time limits of letters (thời hạn giải quyết), as data: for each type of
//! letter, the clocks that apply, how many days each gives, whether they are calendar
//! or working days, and the article of law behind it. [`DEFAULTS`] is what the law
//! says (reference: documents-and-deadlines.md §3); an installation may change any of
//! them ([`super::limit_settings`]), and [`Limits`] is what is in force.
//!
//! Counting follows the Civil Code 2015 (arts. 147–148): the day the letter is
//! received (or the step is taken) is not counted, and a calendar-day limit that ends
//! on a weekend or a holiday ends on the next working day
//! ([`WorkingDayCalendar::add_calendar_days`]). An extension (a denunciation's) runs
//! from the end of the limit it extends.

use time::Date;

use super::LetterType;
use super::LetterType::{Complaint, Denunciation, Recommendation, Report};
use crate::calendar::WorkingDayCalendar;
use crate::error::{Error, Result};
use crate::i18n::Msg;

/// How a limit's days are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// Every day counts; the end moves to the next working day when it is a day off.
    Calendar,
    /// Only working days count (ngày làm việc).
    Working,
}

impl Counting {
    pub const ALL: [Counting; 2] = [Counting::Calendar, Counting::Working];

    /// Stable code, stored in `complaint_limits.counting`.
    pub fn code(self) -> &'static str {
        match self {
            Counting::Calendar => "calendar",
            Counting::Working => "working",
        }
    }

    pub fn parse(code: &str) -> Option<Counting> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            Counting::Calendar => "ngày",
            Counting::Working => "ngày làm việc",
        }
    }
}

use Counting::{Calendar, Working};

/// A limit as the law gives it.
#[derive(Debug)]
pub struct LimitSpec {
    /// Stable code (`complaint_first_round`), the key of `complaint_limits`.
    pub code: &'static str,
    pub letter_type: LetterType,
    pub label: Msg,
    /// The article of law it comes from, or why the default was chosen.
    pub basis: Msg,
    pub days: u32,
    pub counting: Counting,
    /// When it may be extended: the limit each extension adds, and how many times.
    pub extension: Option<(&'static str, u8)>,
}

const KN_ACCEPT: Msg = "Luật Khiếu nại 2011, Điều 27 và 36";
const KN_FIRST: Msg = "Luật Khiếu nại 2011, Điều 28";
const KN_SECOND: Msg = "Luật Khiếu nại 2011, Điều 37";
const TC_INTAKE: Msg = "Luật Tố cáo 2018, Điều 24";
const TC_RESOLUTION: Msg = "Luật Tố cáo 2018, Điều 30";
const TIEP_CONG_DAN: Msg = "Luật Tiếp công dân 2013, Điều 28";
/// Kiến nghị and phản ánh have no resolution limit in law (Decree 20/2008 on
/// recommendations about administrative regulations names none that holds here): 30
/// days, the most common limit of the other two laws, so that no letter goes without a
/// clock and none is held to less than a complaint. Each installation sets its own.
const NO_LAW: Msg =
    "Không có thời hạn luật định; mặc định như thời hạn giải quyết khiếu nại lần đầu";

const fn limit(
    code: &'static str,
    letter_type: LetterType,
    label: Msg,
    basis: Msg,
    days: u32,
    counting: Counting,
) -> LimitSpec {
    LimitSpec {
        code,
        letter_type,
        label,
        basis,
        days,
        counting,
        extension: None,
    }
}

/// Every limit, with the law's value. Acceptance of a complaint counts calendar days:
/// the law says "10 ngày" (some procedure listings say working days; an installation
/// that follows them changes it). One line per limit: a table, kept as one.
#[rustfmt::skip]
pub const DEFAULTS: &[LimitSpec] = &[
    limit("complaint_acceptance", Complaint, "Thụ lý đơn khiếu nại", KN_ACCEPT, 10, Calendar),
    limit("complaint_first_round", Complaint, "Giải quyết khiếu nại lần đầu", KN_FIRST, 30, Calendar),
    limit("complaint_first_round_complex", Complaint, "Giải quyết khiếu nại lần đầu, vụ việc phức tạp", KN_FIRST, 45, Calendar),
    limit("complaint_first_round_remote", Complaint, "Giải quyết khiếu nại lần đầu ở vùng sâu, vùng xa", KN_FIRST, 45, Calendar),
    limit("complaint_first_round_remote_complex", Complaint, "Giải quyết khiếu nại lần đầu ở vùng sâu, vùng xa, vụ việc phức tạp", KN_FIRST, 60, Calendar),
    limit("complaint_second_round", Complaint, "Giải quyết khiếu nại lần hai", KN_SECOND, 45, Calendar),
    limit("complaint_second_round_complex", Complaint, "Giải quyết khiếu nại lần hai, vụ việc phức tạp", KN_SECOND, 60, Calendar),
    limit("complaint_second_round_remote", Complaint, "Giải quyết khiếu nại lần hai ở vùng sâu, vùng xa", KN_SECOND, 60, Calendar),
    limit("complaint_second_round_remote_complex", Complaint, "Giải quyết khiếu nại lần hai ở vùng sâu, vùng xa, vụ việc phức tạp", KN_SECOND, 70, Calendar),
    limit("denunciation_intake", Denunciation, "Xử lý ban đầu và thụ lý tố cáo", TC_INTAKE, 7, Working),
    LimitSpec {
        extension: Some(("denunciation_extension", 2)),
        ..limit("denunciation_resolution", Denunciation, "Giải quyết tố cáo", TC_RESOLUTION, 30, Calendar)
    },
    limit("denunciation_extension", Denunciation, "Gia hạn giải quyết tố cáo (mỗi lần)", TC_RESOLUTION, 30, Calendar),
    limit("recommendation_acceptance", Recommendation, "Tiếp nhận, xử lý kiến nghị", TIEP_CONG_DAN, 10, Working),
    limit("recommendation_resolution", Recommendation, "Giải quyết kiến nghị", NO_LAW, 30, Calendar),
    limit("report_acceptance", Report, "Tiếp nhận, xử lý phản ánh", TIEP_CONG_DAN, 10, Working),
    limit("report_resolution", Report, "Giải quyết phản ánh", NO_LAW, 30, Calendar),
];

/// The default of `code`, if such a limit exists.
pub fn spec(code: &str) -> Option<&'static LimitSpec> {
    DEFAULTS.iter().find(|s| s.code == code)
}

/// Which step of a letter's handling a clock times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// From receipt to accepting it for handling (thụ lý) or passing it on.
    Acceptance,
    /// From acceptance to the answer.
    Resolution,
}

/// What besides its type decides a letter's resolution limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Circumstances {
    /// A complaint's second round (lần hai).
    pub second_round: bool,
    /// A complex matter (vụ việc phức tạp).
    pub complex: bool,
    /// A remote area with poor transport (vùng sâu, vùng xa, đi lại khó khăn).
    pub remote: bool,
}

/// The code of the limit that times `stage` of a letter of `letter_type`. Complexity
/// does not change a denunciation's limit: it allows extensions ([`Limits::due`]).
pub fn code_for(letter_type: LetterType, stage: Stage, c: Circumstances) -> &'static str {
    match (letter_type, stage) {
        (Complaint, Stage::Acceptance) => "complaint_acceptance",
        (Complaint, Stage::Resolution) => match (c.second_round, c.remote, c.complex) {
            (false, false, false) => "complaint_first_round",
            (false, false, true) => "complaint_first_round_complex",
            (false, true, false) => "complaint_first_round_remote",
            (false, true, true) => "complaint_first_round_remote_complex",
            (true, false, false) => "complaint_second_round",
            (true, false, true) => "complaint_second_round_complex",
            (true, true, false) => "complaint_second_round_remote",
            (true, true, true) => "complaint_second_round_remote_complex",
        },
        (Denunciation, Stage::Acceptance) => "denunciation_intake",
        (Denunciation, Stage::Resolution) => "denunciation_resolution",
        (Recommendation, Stage::Acceptance) => "recommendation_acceptance",
        (Recommendation, Stage::Resolution) => "recommendation_resolution",
        (Report, Stage::Acceptance) => "report_acceptance",
        (Report, Stage::Resolution) => "report_resolution",
    }
}

/// The installation's change to a limit: why, by whom, when.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub basis: String,
    pub by: Option<String>,
    pub at: i64,
}

/// A limit as in force here.
#[derive(Debug, Clone)]
pub struct Limit {
    pub spec: &'static LimitSpec,
    pub days: u32,
    pub counting: Counting,
    /// `None` while the law's default holds.
    pub changed: Option<Change>,
}

impl Limit {
    /// The law's value, unchanged.
    pub fn default_of(spec: &'static LimitSpec) -> Limit {
        Limit {
            spec,
            days: spec.days,
            counting: spec.counting,
            changed: None,
        }
    }

    /// The last day of this limit for a step taken on `from`; `None` outside the
    /// years the calendar covers.
    pub fn due(&self, calendar: &WorkingDayCalendar, from: Date) -> Option<Date> {
        match self.counting {
            Counting::Calendar => calendar.add_calendar_days(from, self.days),
            Counting::Working => calendar.add_working_days(from, self.days),
        }
    }
}

const NOT_EXTENDABLE: Msg = "Thời hạn này không được gia hạn.";
const TOO_MANY_EXTENSIONS: Msg = "Đã gia hạn đủ số lần luật cho phép.";
const OUT_OF_CALENDAR: Msg =
    "Không tính được hạn xử lý: ngày nằm ngoài các năm mà lịch làm việc hỗ trợ.";

/// Every limit in force: the defaults with the installation's changes.
#[derive(Debug, Clone)]
pub struct Limits(Vec<Limit>);

impl Limits {
    /// The defaults with `changes` applied (one per code; unknown codes, from a newer
    /// version's database, are left out).
    pub fn new(changes: impl IntoIterator<Item = (String, u32, Counting, Change)>) -> Limits {
        let mut all: Vec<Limit> = DEFAULTS.iter().map(Limit::default_of).collect();
        for (code, days, counting, change) in changes {
            if let Some(limit) = all.iter_mut().find(|l| l.spec.code == code) {
                limit.days = days;
                limit.counting = counting;
                limit.changed = Some(change);
            }
        }
        Limits(all)
    }

    pub fn all(&self) -> &[Limit] {
        &self.0
    }

    pub fn get(&self, code: &str) -> Option<&Limit> {
        self.0.iter().find(|l| l.spec.code == code)
    }

    /// The last day of limit `code` for a step taken on `from`, after `extensions`
    /// extensions granted (0 for none), each running from the end of the one before.
    pub fn due(
        &self,
        calendar: &WorkingDayCalendar,
        code: &str,
        from: Date,
        extensions: u8,
    ) -> Result<Date> {
        let limit = self.get(code).ok_or(Error::NotFound)?;
        let mut due = limit
            .due(calendar, from)
            .ok_or(Error::Refused(OUT_OF_CALENDAR))?;
        if extensions == 0 {
            return Ok(due);
        }
        let (extension, most) = limit.spec.extension.ok_or(Error::Refused(NOT_EXTENDABLE))?;
        if extensions > most {
            return Err(Error::Refused(TOO_MANY_EXTENSIONS));
        }
        let extension = self.get(extension).ok_or(Error::NotFound)?;
        for _ in 0..extensions {
            due = extension
                .due(calendar, due)
                .ok_or(Error::Refused(OUT_OF_CALENDAR))?;
        }
        Ok(due)
    }
}

/// Every message of this file, for the check that each has its English.
#[cfg(test)]
pub(super) fn messages() -> Vec<Msg> {
    let mut all = vec![NOT_EXTENDABLE, TOO_MANY_EXTENSIONS, OUT_OF_CALENDAR];
    all.extend(Counting::ALL.map(Counting::label));
    for spec in DEFAULTS {
        all.extend([spec.label, spec.basis]);
    }
    all
}
