//! The legal clocks of a report: 24 h (48 h in remote and island communes) to transfer
//! (TTLT 01/2017), 20 days to resolve, extension to at most 2 months and one procuracy
//! extension of at most 2 more months (BLTTHS 2015 Điều 147), a new period after resumption
//! (Điều 149). The numbers are rules ([`ClockRules`], read from `rule_values`); this module
//! only does the arithmetic.
//!
//! Counting follows BLTTHS 2015 Điều 134 khoản 1: a period in days does not count the day of
//! receipt and ends at 24:00 of its last day, whatever day that is; a period in months ends on
//! the same day of the month, or the month's last day when it has no such day, and "nếu thời
//! hạn hết vào ngày nghỉ thì ngày làm việc đầu tiên tiếp theo được tính là ngày cuối cùng của
//! thời hạn" — a sentence of the months' rule, so only the month-counted caps (the 2 months and
//! the procuracy's 2 more) are carried to the next working day of the [`WorkCalendar`]. Hours
//! (the 24 h / 48 h transfer) are hours. Days are Vietnam days (UTC+7).

use chrono::{DateTime, Duration, Months, NaiveDate, Utc};

use crate::calendar::WorkCalendar;

/// Vietnam is UTC+7 all year.
const VN_OFFSET: Duration = Duration::hours(7);

/// The day an instant falls on in Vietnam.
pub fn vn_date(t: DateTime<Utc>) -> NaiveDate {
    (t + VN_OFFSET).date_naive()
}

/// 24:00 of `d` in Vietnam (the instant a day-counted period ends).
pub fn end_of_day(d: NaiveDate) -> DateTime<Utc> {
    let next = d.succ_opt().unwrap_or(NaiveDate::MAX);
    next.and_hms_opt(0, 0, 0).map(|t| t.and_utc() - VN_OFFSET).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `n` days after `d` (the day `d` itself not counted).
pub fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(n)).unwrap_or(NaiveDate::MAX)
}

/// The same day `n` months after `d`, or that month's last day.
pub fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX)
}

/// The periods that apply to a report, as the rules give them in its province on the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ClockRules {
    /// Hours a commune has to transfer (or take on) a report.
    pub transfer_hours: i64,
    /// The same in remote and island communes.
    pub transfer_hours_remote: i64,
    /// Days to resolve, from receipt by the resolving unit.
    pub resolve_days: i64,
    /// The resolution may be extended to at most this many months from its start.
    pub extension_months: u32,
    /// The procuracy may extend once by at most this many months beyond that.
    pub procuracy_months: u32,
    /// Days to resolve after a resumption.
    pub resume_days: i64,
}

/// The running resolution period of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// First day (receipt by the resolving unit, or the resumption decision).
    pub start: NaiveDate,
    /// The current last day.
    pub due: NaiveDate,
    /// The procuracy has already extended this period.
    pub procuracy_used: bool,
}

impl ClockRules {
    /// When a commune must have transferred a report received at `received`.
    pub fn transfer_due(&self, received: DateTime<Utc>, remote: bool) -> DateTime<Utc> {
        received + Duration::hours(if remote { self.transfer_hours_remote } else { self.transfer_hours })
    }

    /// The last day of a resolution period starting on `start`.
    pub fn resolve_due(&self, start: NaiveDate) -> NaiveDate {
        add_days(start, self.resolve_days)
    }

    /// The last day of the period after a resumption on `start`.
    pub fn resume_due(&self, start: NaiveDate) -> NaiveDate {
        add_days(start, self.resume_days)
    }

    /// The latest day an extension by the investigating body can reach: `extension_months`
    /// after `start`, carried past days off.
    pub fn extension_cap(&self, start: NaiveDate, cal: &WorkCalendar) -> NaiveDate {
        cal.working_on_or_after(add_months(start, self.extension_months))
    }

    /// The latest day the procuracy's one extension can reach: `procuracy_months` after the
    /// end of the extension months (counted from the month date itself), carried past days off.
    pub fn procuracy_cap(&self, start: NaiveDate, cal: &WorkCalendar) -> NaiveDate {
        cal.working_on_or_after(add_months(add_months(start, self.extension_months), self.procuracy_months))
    }

    /// Checks an extension of `p` to `until` (by the procuracy when `procuracy`).
    pub fn check_extension(
        &self,
        p: &Period,
        until: NaiveDate,
        procuracy: bool,
        cal: &WorkCalendar,
    ) -> Result<(), String> {
        let f = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
        if until <= p.due {
            return Err(format!("Ngày gia hạn phải sau hạn hiện tại ({}).", f(p.due)));
        }
        if procuracy {
            if p.procuracy_used {
                return Err("Viện kiểm sát chỉ gia hạn một lần (BLTTHS Điều 147).".into());
            }
            let cap = self.procuracy_cap(p.start, cal);
            if until > cap {
                return Err(format!(
                    "Viện kiểm sát gia hạn không quá {} tháng sau thời hạn {} tháng, tức đến {} (BLTTHS Điều 147).",
                    self.procuracy_months,
                    self.extension_months,
                    f(cap)
                ));
            }
        } else {
            let cap = self.extension_cap(p.start, cal);
            if until > cap {
                return Err(format!(
                    "Thời hạn giải quyết kéo dài không quá {} tháng kể từ ngày {}, tức đến {}; quá thời hạn này phải \
                     đề nghị Viện kiểm sát gia hạn (BLTTHS Điều 147).",
                    self.extension_months,
                    f(p.start),
                    f(cap)
                ));
            }
        }
        Ok(())
    }
}

/// Time left before a deadline, or past it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Countdown {
    /// The deadline has passed.
    pub overdue: bool,
    /// Whole days.
    pub days: i64,
    /// Hours beyond the days.
    pub hours: i64,
    /// Minutes beyond the hours.
    pub minutes: i64,
}

impl Countdown {
    /// From `now` to `due`.
    pub fn between(now: DateTime<Utc>, due: DateTime<Utc>) -> Countdown {
        let d = due - now;
        let overdue = d < Duration::zero();
        let m = d.num_minutes().abs();
        Countdown { overdue, days: m / 1440, hours: m % 1440 / 60, minutes: m % 60 }
    }

    /// Days, hours and minutes as Vietnamese words (the two largest non-zero units).
    pub fn amount_vi(&self) -> String {
        let parts: Vec<String> = [(self.days, "ngày"), (self.hours, "giờ"), (self.minutes, "phút")]
            .into_iter()
            .skip_while(|(n, _)| *n == 0)
            .take(2)
            .filter(|(n, _)| *n > 0)
            .map(|(n, u)| format!("{n} {u}"))
            .collect();
        if parts.is_empty() { "0 phút".into() } else { parts.join(" ") }
    }

    /// "còn 3 ngày 4 giờ" or "quá hạn 2 giờ".
    pub fn text_vi(&self) -> String {
        format!("{} {}", if self.overdue { "quá hạn" } else { "còn" }, self.amount_vi())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The seeded values (BLTTHS Điều 147, TTLT 01/2017); provinces may replace them.
    const RULES: ClockRules = ClockRules {
        transfer_hours: 24,
        transfer_hours_remote: 48,
        resolve_days: 20,
        extension_months: 2,
        procuracy_months: 2,
        resume_days: 20,
    };

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn days_across_month_ends_and_leap_years() {
        assert_eq!(RULES.resolve_due(d(2026, 3, 1)), d(2026, 3, 21), "the day of receipt is not counted");
        assert_eq!(RULES.resolve_due(d(2024, 2, 15)), d(2024, 3, 6), "29 days in February 2024");
        assert_eq!(RULES.resolve_due(d(2025, 2, 15)), d(2025, 3, 7), "28 days in February 2025");
        assert_eq!(RULES.resolve_due(d(2026, 12, 20)), d(2027, 1, 9), "across the year end");
        assert_eq!(RULES.resolve_due(d(2028, 2, 9)), d(2028, 2, 29));
    }

    /// The Labour Code's calendar without recorded changes.
    fn cal() -> WorkCalendar {
        WorkCalendar::new(&Vec::new())
    }

    #[test]
    fn months_end_on_the_same_day_or_the_last_day() {
        let cal = cal();
        assert_eq!(RULES.extension_cap(d(2026, 1, 12), &cal), d(2026, 3, 12));
        assert_eq!(RULES.extension_cap(d(2024, 12, 31), &cal), d(2025, 2, 28), "no 31/02");
        assert_eq!(RULES.extension_cap(d(2023, 12, 31), &cal), d(2024, 2, 29), "leap year");
        assert_eq!(RULES.extension_cap(d(2026, 7, 31), &cal), d(2026, 9, 30));
        assert_eq!(RULES.procuracy_cap(d(2025, 12, 31), &cal), d(2026, 4, 28), "two months after 28/02");
        assert_eq!(RULES.procuracy_cap(d(2026, 1, 15), &cal), d(2026, 5, 15));
    }

    #[test]
    fn month_caps_ending_on_a_day_off_end_on_the_next_working_day() {
        let cal = cal();
        // A Sunday, a Saturday, and 2 September (Quốc khánh, a Wednesday in 2026).
        assert_eq!(RULES.extension_cap(d(2026, 1, 15), &cal), d(2026, 3, 16));
        assert_eq!(RULES.extension_cap(d(2025, 12, 31), &cal), d(2026, 3, 2), "28/02/2026 is a Saturday");
        assert_eq!(RULES.extension_cap(d(2026, 7, 2), &cal), d(2026, 9, 3));
        // Tết Bính Ngọ: mùng 1 is 17/02/2026; the statutory break and its weekend run to 22/02.
        let tet = d(2026, 2, 17);
        assert!(!cal.is_working(tet));
        let after = RULES.extension_cap(d(2025, 12, 17), &cal);
        assert!(
            after > tet
                && cal.is_working(after)
                && tet.iter_days().take_while(|x| *x < after).all(|x| !cal.is_working(x)),
            "{after}"
        );
        assert_eq!(after, d(2026, 2, 23));
        // The procuracy's 2 months run from the month date itself, then carry: 17/04/2026 is a Friday.
        assert_eq!(RULES.procuracy_cap(d(2025, 12, 17), &cal), d(2026, 4, 17));
        // A Government change is followed: a Saturday worked in lieu ends the period that day.
        let worked = crate::calendar::DayChange {
            day: d(2026, 2, 28),
            kind: crate::calendar::DayKind::Working,
            name: "Làm bù".into(),
            legal_basis: "Thông báo".into(),
        };
        assert_eq!(RULES.extension_cap(d(2025, 12, 31), &WorkCalendar::new(&vec![worked])), d(2026, 2, 28));
        // Periods in days are not carried (24:00 of the last day, BLTTHS Điều 134): 20 days
        // after 28/01/2026 is mùng 1 Tết.
        assert_eq!(RULES.resolve_due(d(2026, 1, 28)), tet);
    }

    #[test]
    fn days_end_at_midnight_in_vietnam() {
        assert_eq!(end_of_day(d(2026, 3, 21)), at("2026-03-21T17:00:00Z"));
        assert_eq!(vn_date(at("2026-03-21T16:59:59Z")), d(2026, 3, 21));
        assert_eq!(vn_date(at("2026-03-21T17:00:00Z")), d(2026, 3, 22));
        assert_eq!(end_of_day(d(2024, 2, 29)), at("2024-02-29T17:00:00Z"));
    }

    #[test]
    fn transfer_hours_remote_and_not() {
        let t = at("2026-01-31T20:30:00Z");
        assert_eq!(RULES.transfer_due(t, false), at("2026-02-01T20:30:00Z"));
        assert_eq!(RULES.transfer_due(t, true), at("2026-02-02T20:30:00Z"));
    }

    #[test]
    fn extensions_within_the_caps() {
        let cal = cal();
        let p = Period { start: d(2026, 1, 12), due: d(2026, 2, 1), procuracy_used: false };
        assert!(RULES.check_extension(&p, d(2026, 2, 1), false, &cal).unwrap_err().contains("01/02/2026"));
        assert!(RULES.check_extension(&p, d(2026, 3, 12), false, &cal).is_ok());
        let e = RULES.check_extension(&p, d(2026, 3, 13), false, &cal).unwrap_err();
        assert!(e.contains("12/03/2026") && e.contains("Viện kiểm sát"), "{e}");
        assert!(RULES.check_extension(&p, d(2026, 5, 12), true, &cal).is_ok());
        assert!(RULES.check_extension(&p, d(2026, 5, 13), true, &cal).unwrap_err().contains("12/05/2026"));
        let used = Period { procuracy_used: true, due: d(2026, 4, 1), ..p };
        assert!(RULES.check_extension(&used, d(2026, 4, 20), true, &cal).unwrap_err().contains("một lần"));
        assert!(RULES.check_extension(&used, d(2026, 4, 20), false, &cal).is_err(), "beyond the 2 months");
    }

    #[test]
    fn countdowns() {
        let now = at("2026-03-01T00:00:00Z");
        let c = Countdown::between(now, now + Duration::hours(27) + Duration::minutes(5));
        assert_eq!((c.overdue, c.days, c.hours, c.minutes), (false, 1, 3, 5));
        assert_eq!(c.text_vi(), "còn 1 ngày 3 giờ");
        let late = Countdown::between(now, now - Duration::minutes(90));
        assert_eq!(late.text_vi(), "quá hạn 1 giờ 30 phút");
        assert_eq!(Countdown::between(now, now + Duration::days(2)).text_vi(), "còn 2 ngày");
        assert_eq!(Countdown::between(now, now).text_vi(), "còn 0 phút");
    }
}
