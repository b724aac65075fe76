//! The day clocks of TT 14/2024/TT-BCA: 5 days from the selection minutes to the commune
//! police's proposal (Mẫu 05), 5 days from the proposal to the chairman's decision (Mẫu 08),
//! and 5 working days to dissolve a team or end a membership (working days by the
//! [`WorkCalendar`](crate::calendar::WorkCalendar): weekends, public holidays and the
//! Government's changes).

use chrono::NaiveDate;

/// The day counts in force (rules `force_proposal_days`, `force_decision_days`,
/// `force_dissolve_working_days`, `force_terminate_working_days`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = ForceClockRules)]
pub struct ClockRules {
    /// Days from the selection minutes to the proposal.
    pub proposal_days: i64,
    /// Days from the proposal to the decision.
    pub decision_days: i64,
    /// Working days to decide a dissolution.
    pub dissolve_working_days: i64,
    /// Working days to decide a termination.
    pub terminate_working_days: i64,
}

impl Default for ClockRules {
    /// The values of TT 14/2024 (used by tests; the application reads the rules).
    fn default() -> Self {
        ClockRules { proposal_days: 5, decision_days: 5, dissolve_working_days: 5, terminate_working_days: 5 }
    }
}

/// What is due, by when.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Deadline {
    /// What must be done (Vietnamese).
    pub what: String,
    /// Last day.
    pub due_on: NaiveDate,
    /// Days from today to the last day (negative when overdue).
    pub days_left: i64,
}

impl Deadline {
    /// A deadline seen on `today`.
    pub fn new(what: impl Into<String>, due_on: NaiveDate, today: NaiveDate) -> Deadline {
        Deadline { what: what.into(), due_on, days_left: (due_on - today).num_days() }
    }

    /// The last day has passed.
    pub fn overdue(&self) -> bool {
        self.days_left < 0
    }
}

/// `from` plus `n` calendar days.
pub fn add_days(from: NaiveDate, n: i64) -> NaiveDate {
    from + chrono::Duration::days(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn calendar_days_cross_month_and_leap_day() {
        assert_eq!(add_days(d(2028, 2, 26), 5), d(2028, 3, 2));
        assert_eq!(add_days(d(2027, 2, 26), 5), d(2027, 3, 3));
        assert_eq!(add_days(d(2026, 12, 29), 5), d(2027, 1, 3));
    }

    #[test]
    fn deadlines_count_days_left() {
        let dl = Deadline::new("x", d(2026, 12, 10), d(2026, 12, 12));
        assert_eq!(dl.days_left, -2);
        assert!(dl.overdue());
        assert!(!Deadline::new("x", d(2026, 12, 10), d(2026, 12, 10)).overdue());
    }
}
