//! Pages of the base-level security force (C8): teams, members, alerts, the HD 01 rating,
//! training, allowances, the Kỷ niệm chương report and the statistics. Each form posts to
//! its own path and works without JavaScript; htmx only narrows lists.

mod courses;
mod members;
mod ratings;
mod reports;
mod teams;

use antq_domain::force::clock::Deadline;

use crate::i18n::Tr;
use crate::routes::Routes;

/// Routes of the force pages.
pub fn routes() -> Routes {
    Routes::new(false)
        .merge(teams::routes())
        .merge(members::routes())
        .merge(ratings::routes())
        .merge(courses::routes())
        .merge(reports::routes())
}

/// A deadline as shown: `(what, due day, "còn 3 ngày" / "quá hạn 2 ngày", overdue)`.
pub struct Clock {
    /// What is due.
    pub what: String,
    /// Due day.
    pub due: String,
    /// Time left or past.
    pub left: String,
    /// Past due.
    pub overdue: bool,
}

impl Clock {
    /// The display of a deadline.
    pub fn of(d: &Deadline, tr: Tr) -> Clock {
        let left = if d.days_left >= 0 {
            format!("{} {} {}", tr.t("movement.days_left"), d.days_left, tr.t("movement.days"))
        } else {
            format!("{} {} {}", tr.t("movement.overdue"), -d.days_left, tr.t("movement.days"))
        };
        Clock { what: d.what.clone(), due: tr.date(&d.due_on), left, overdue: d.overdue() }
    }
}

/// The sub-navigation of the force pages.
pub struct ForceNav {
    /// Active tab.
    pub tab: &'static str,
}
