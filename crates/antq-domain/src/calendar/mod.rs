//! Working days. A working day is Monday to Friday, less the public holidays of Điều 112
//! Bộ luật Lao động 2019 and their days in lieu (computed here for any year, the lunar ones
//! by [`lunar`]), corrected by the Government's yearly notices — a holiday moved, a Saturday
//! worked in exchange — which are recorded as [`DayChange`]s with their legal basis.

pub mod lunar;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{Datelike, NaiveDate, Weekday};

use crate::labelled_enum;
use crate::rules::required_date;
use crate::validate::{FieldErrors, Validated, choice, required_text};

/// The legal basis of the computed public holidays.
pub const HOLIDAY_BASIS: &str = "Điều 112 Bộ luật Lao động 2019";

labelled_enum!(
    /// Whether a day is worked.
    DayKind {
        Off = "nghi", "Ngày nghỉ";
        Working = "lam_viec", "Ngày làm việc";
    }
);

/// A public holiday or a day in lieu, as the Labour Code sets it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holiday {
    /// The day.
    pub day: NaiveDate,
    /// Its name (Vietnamese).
    pub name: String,
}

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The public holidays of `year` (Điều 112 khoản 1) and the days in lieu of those falling
/// on a Saturday or Sunday (khoản 3: the next working days), in order. Where the law lets
/// the Government choose — which five days of Tết, which day next to 2 September — this
/// takes the last day of the lunar year with the first four of the new one, and the 1st of
/// September unless the 3rd joins the weekend or the 1st lies in it; the yearly notice is
/// recorded as changes when it differs.
pub fn statutory_holidays(year: i32) -> Vec<Holiday> {
    let mut days: Vec<(Option<NaiveDate>, &str)> = vec![(ymd(year, 1, 1), "Tết Dương lịch")];
    if let Some(tet) = lunar::to_solar(1, 1, year) {
        for i in -1..4 {
            days.push((Some(tet + chrono::Duration::days(i)), "Tết Âm lịch"));
        }
    }
    days.push((lunar::to_solar(10, 3, year), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"));
    days.push((ymd(year, 4, 30), "Ngày Chiến thắng (30/4)"));
    days.push((ymd(year, 5, 1), "Ngày Quốc tế lao động (1/5)"));
    days.push((ymd(year, 9, 2), "Quốc khánh (2/9)"));
    let next = ymd(year, 9, 3).filter(|d| matches!(d.weekday(), Weekday::Fri | Weekday::Mon));
    let adjacent = next.or_else(|| ymd(year, 9, 1).filter(|d| !weekend(*d))).or(ymd(year, 9, 3));
    days.push((adjacent, "Quốc khánh (ngày liền kề)"));

    let mut holidays: Vec<Holiday> =
        days.into_iter().filter_map(|(d, name)| Some(Holiday { day: d?, name: name.to_string() })).collect();
    holidays.sort_by_key(|h| h.day);
    let mut taken: std::collections::BTreeSet<NaiveDate> = holidays.iter().map(|h| h.day).collect();
    let mut lieu = Vec::new();
    for h in holidays.iter().filter(|h| weekend(h.day)) {
        let mut d = h.day;
        while weekend(d) || taken.contains(&d) {
            d = d.succ_opt().unwrap_or(d);
        }
        taken.insert(d);
        lieu.push(Holiday { day: d, name: format!("Nghỉ bù {}", h.name) });
    }
    holidays.extend(lieu);
    holidays.sort_by_key(|h| h.day);
    holidays
}

/// A year's holidays by day, with their names.
type Holidays = BTreeMap<NaiveDate, String>;

/// The computed holidays of a year, kept once computed (the lunar arithmetic is not free and
/// deadlines ask for the same few years again and again).
fn holidays_of(year: i32) -> Arc<Holidays> {
    static CACHE: LazyLock<Mutex<HashMap<i32, Arc<Holidays>>>> = LazyLock::new(Default::default);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(year)
        .or_insert_with(|| Arc::new(statutory_holidays(year).into_iter().map(|h| (h.day, h.name)).collect()))
        .clone()
}

/// A recorded exception to the computed calendar.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct DayChange {
    /// The day.
    pub day: NaiveDate,
    /// Worked or not.
    pub kind: DayKind,
    /// What it is ("Nghỉ Tết Âm lịch theo Thông báo …", "Làm bù cho ngày 2/1").
    pub name: String,
    /// The notice or decision.
    pub legal_basis: String,
}

/// The calendar in force: the computed holidays with the recorded changes on top.
#[derive(Clone, Debug, Default)]
pub struct WorkCalendar {
    changes: BTreeMap<NaiveDate, DayKind>,
}

impl WorkCalendar {
    /// The computed calendar corrected by `changes`.
    pub fn new<'a>(changes: impl IntoIterator<Item = &'a DayChange>) -> WorkCalendar {
        WorkCalendar { changes: changes.into_iter().map(|c| (c.day, c.kind)).collect() }
    }

    /// What the law alone makes of a day.
    pub fn default_kind(d: NaiveDate) -> DayKind {
        if weekend(d) || holidays_of(d.year()).contains_key(&d) { DayKind::Off } else { DayKind::Working }
    }

    /// Whether `d` is a working day.
    pub fn is_working(&self, d: NaiveDate) -> bool {
        self.changes.get(&d).copied().unwrap_or_else(|| Self::default_kind(d)) == DayKind::Working
    }

    /// `d` if it is a working day, otherwise the first working day after it.
    pub fn working_on_or_after(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d;
        while !self.is_working(d) {
            let Some(next) = d.succ_opt() else { return d };
            d = next;
        }
        d
    }

    /// The `n`-th working day after `from`.
    pub fn add_working_days(&self, from: NaiveDate, n: i64) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            let Some(next) = d.succ_opt() else { return d };
            d = next;
            if self.is_working(d) {
                left -= 1;
            }
        }
        d
    }
}

/// One day of a year that is not an ordinary weekday or weekend, for the calendar page.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CalendarDay {
    /// The day.
    pub day: NaiveDate,
    /// Worked or not, after the changes.
    pub kind: DayKind,
    /// The holiday's or the change's name.
    pub name: String,
    /// The law, or the recorded notice.
    pub legal_basis: String,
    /// `true` when recorded (a change), `false` when computed from the law.
    pub recorded: bool,
    /// What the law alone would make of the day (shown next to a change).
    pub default_kind: DayKind,
}

/// The holidays of `year` and the recorded changes falling in it, in order.
pub fn year_days(year: i32, changes: &[DayChange]) -> Vec<CalendarDay> {
    let mut days: BTreeMap<NaiveDate, CalendarDay> = holidays_of(year)
        .iter()
        .map(|(d, name)| {
            let day = CalendarDay {
                day: *d,
                kind: DayKind::Off,
                name: name.clone(),
                legal_basis: HOLIDAY_BASIS.to_string(),
                recorded: false,
                default_kind: DayKind::Off,
            };
            (*d, day)
        })
        .collect();
    for c in changes.iter().filter(|c| c.day.year() == year) {
        let day = CalendarDay {
            day: c.day,
            kind: c.kind,
            name: c.name.clone(),
            legal_basis: c.legal_basis.clone(),
            recorded: true,
            default_kind: WorkCalendar::default_kind(c.day),
        };
        days.insert(c.day, day);
    }
    days.into_values().collect()
}

/// A change as entered.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DayChangeInput {
    /// The day (YYYY-MM-DD or dd/mm/yyyy).
    pub day: Option<String>,
    /// `nghi` (a day off) or `lam_viec` (a day worked).
    pub kind: Option<String>,
    /// What it is.
    pub name: Option<String>,
    /// The Government's notice or decision.
    pub legal_basis: Option<String>,
}

impl DayChangeInput {
    /// Validates a change; one that would leave the day as the law makes it is refused, as
    /// it would change nothing.
    pub fn validate(&self) -> Validated<DayChange> {
        let mut e = FieldErrors::new();
        let day = required_date(&mut e, "day", "Ngày", self.day.as_deref());
        let kind = choice(&mut e, "kind", "loại ngày", self.kind.as_deref(), DayKind::Off);
        let name = required_text(&mut e, "name", "Tên ngày", self.name.as_deref().unwrap_or(""), 200);
        let legal_basis = required_text(
            &mut e,
            "legal_basis",
            "Căn cứ (thông báo, quyết định)",
            self.legal_basis.as_deref().unwrap_or(""),
            300,
        );
        if let Some(d) = day
            && e.get("kind").is_none()
            && WorkCalendar::default_kind(d) == kind
        {
            e.add(
                "kind",
                format!(
                    "Ngày {} đã là {} theo lịch mặc định; không cần ghi thay đổi.",
                    d.format("%d/%m/%Y"),
                    kind.label().to_lowercase()
                ),
            );
        }
        let day = day.unwrap_or_default();
        e.into_result(DayChange { day, kind, name, legal_basis })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn days(year: i32) -> Vec<NaiveDate> {
        statutory_holidays(year).into_iter().map(|h| h.day).collect()
    }

    #[test]
    fn the_labour_code_holidays_of_2026() {
        // Tết Bính Ngọ is Tuesday 17 February; Giỗ Tổ falls on Sunday 26 April (in lieu: Monday
        // 27); 2 September is a Wednesday (with the 1st).
        let expected = [
            d(2026, 1, 1),
            d(2026, 2, 16),
            d(2026, 2, 17),
            d(2026, 2, 18),
            d(2026, 2, 19),
            d(2026, 2, 20),
            d(2026, 4, 26),
            d(2026, 4, 27),
            d(2026, 4, 30),
            d(2026, 5, 1),
            d(2026, 9, 1),
            d(2026, 9, 2),
        ];
        assert_eq!(days(2026), expected);
        let lieu = statutory_holidays(2026).into_iter().find(|h| h.day == d(2026, 4, 27)).unwrap();
        assert_eq!(lieu.name, "Nghỉ bù Giỗ Tổ Hùng Vương (10/3 âm lịch)");
    }

    #[test]
    fn days_in_lieu_follow_the_block_of_holidays() {
        // 2023: Giỗ Tổ on Saturday 29 April, 30 April a Sunday, 1 May a Monday: in lieu
        // Tuesday 2 and Wednesday 3 May. 2 September a Saturday: the 1st, and Monday the 4th.
        let d2023 = days(2023);
        for day in [d(2023, 4, 29), d(2023, 4, 30), d(2023, 5, 1), d(2023, 5, 2), d(2023, 5, 3)] {
            assert!(d2023.contains(&day), "{day}");
        }
        assert!(d2023.contains(&d(2023, 9, 1)) && d2023.contains(&d(2023, 9, 4)));
        assert!(!d2023.contains(&d(2023, 5, 4)));
        // 2027: 1 January a Friday, no day in lieu; 2 September a Thursday, with Friday the 3rd.
        let d2027 = days(2027);
        assert!(d2027.contains(&d(2027, 9, 3)) && !d2027.contains(&d(2027, 9, 1)));
    }

    #[test]
    fn working_days_skip_weekends_holidays_and_follow_changes() {
        let law = WorkCalendar::default();
        // Thursday 3 December 2026 + 5 working days: Thursday 10 December.
        assert_eq!(law.add_working_days(d(2026, 12, 3), 5), d(2026, 12, 10));
        assert_eq!(law.add_working_days(d(2026, 12, 5), 5), d(2026, 12, 11));
        assert_eq!(law.add_working_days(d(2026, 12, 4), 0), d(2026, 12, 4));
        // Friday 13 February 2026: Tết takes 16–20 February, so the 5th working day is 27.
        assert_eq!(law.add_working_days(d(2026, 2, 13), 5), d(2026, 2, 27));
        // Across the year's end: 31 December 2026 (Thursday) → 1 January off → 8 January.
        assert_eq!(law.add_working_days(d(2026, 12, 31), 5), d(2027, 1, 8));
        // A notice: Friday 2 January 2026 off, Saturday 10 January worked in exchange.
        let changes = [
            DayChange { day: d(2026, 1, 2), kind: DayKind::Off, name: "Nghỉ".into(), legal_basis: "TB".into() },
            DayChange {
                day: d(2026, 1, 10), kind: DayKind::Working, name: "Làm bù".into(), legal_basis: "TB".into()
            },
        ];
        let cal = WorkCalendar::new(&changes);
        assert!(!cal.is_working(d(2026, 1, 2)) && cal.is_working(d(2026, 1, 10)));
        assert_eq!(law.add_working_days(d(2025, 12, 31), 5), d(2026, 1, 8));
        assert_eq!(cal.add_working_days(d(2025, 12, 31), 5), d(2026, 1, 9));
        assert_eq!(cal.add_working_days(d(2025, 12, 31), 6), d(2026, 1, 10));
    }

    #[test]
    fn the_year_page_merges_changes() {
        let moved =
            DayChange { day: d(2026, 9, 1), kind: DayKind::Working, name: "Đổi".into(), legal_basis: "TB".into() };
        let year = year_days(2026, std::slice::from_ref(&moved));
        let first = year.iter().find(|y| y.day == d(2026, 9, 1)).unwrap();
        assert!(first.recorded && first.kind == DayKind::Working && first.default_kind == DayKind::Off);
        assert!(year.iter().any(|y| y.day == d(2026, 1, 1) && !y.recorded));
    }

    #[test]
    fn changes_that_change_nothing_are_refused() {
        let input = |day: &str, kind: &str| DayChangeInput {
            day: Some(day.into()),
            kind: Some(kind.into()),
            name: Some("Nghỉ".into()),
            legal_basis: Some("Thông báo 1/TB-BNV".into()),
        };
        assert!(input("2026-01-02", "nghi").validate().is_ok());
        assert!(input("10/01/2026", "lam_viec").validate().is_ok());
        assert!(
            input("2026-01-01", "nghi").validate().unwrap_err().get("kind").unwrap().contains("theo lịch mặc định")
        );
        assert!(input("2026-01-03", "nghi").validate().is_err(), "a Saturday is already off");
        assert!(input("2026-13-01", "nghi").validate().unwrap_err().get("day").is_some());
        assert!(input("2026-01-02", "x").validate().unwrap_err().get("kind").is_some());
        let empty = DayChangeInput::default().validate().unwrap_err();
        assert!(empty.get("day").is_some() && empty.get("name").is_some() && empty.get("legal_basis").is_some());
    }
}
