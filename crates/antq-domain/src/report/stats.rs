//! Report statistics: received by type, channel, category, place and month; handled on time
//! or late; outcomes; valuable tips; the anonymous share; average times to transfer and to
//! resolve. The store sums; this module turns sums into rates and averages.

use chrono::NaiveDate;

use crate::labelled_enum;

labelled_enum!(
    /// What the rows of the report statistics are.
    ReportStatsBy {
        Place = "place", "Địa bàn";
        Kind = "kind", "Loại tin";
        Channel = "channel", "Kênh tiếp nhận";
        Category = "category", "Lĩnh vực";
        Month = "month", "Tháng tiếp nhận";
    }
);

/// Sums of one group, as the store counts them (reports received in the period).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ReportCounts {
    /// Received.
    pub received: i64,
    /// Of which anonymous.
    pub anonymous: i64,
    /// Marked "tin có giá trị".
    pub valuable: i64,
    /// Still being handled.
    pub open: i64,
    /// Still being handled and past the running deadline.
    pub open_overdue: i64,
    /// Closed by the deadline.
    pub closed_on_time: i64,
    /// Closed after the deadline.
    pub closed_late: i64,
    /// Decided: prosecution.
    pub khoi_to: i64,
    /// Decided: no prosecution.
    pub khong_khoi_to: i64,
    /// Suspended now.
    pub tam_dinh_chi: i64,
    /// Referred to another competent agency.
    pub chuyen_tham_quyen: i64,
    /// Not a crime information source.
    pub khong_phai_nguon_tin: i64,
    /// Transferred at least once.
    pub transferred: i64,
    /// Sum of the seconds to the first transfer.
    pub transfer_secs: i64,
    /// The commune's first move within the 24 h / 48 h.
    pub transfer_on_time: i64,
    /// After them.
    pub transfer_late: i64,
    /// Sum of the seconds from receipt to a decision to prosecute or not.
    pub resolve_secs: i64,
}

impl ReportCounts {
    /// Adds another group's sums.
    pub fn add(&mut self, o: &ReportCounts) {
        self.received += o.received;
        self.anonymous += o.anonymous;
        self.valuable += o.valuable;
        self.open += o.open;
        self.open_overdue += o.open_overdue;
        self.closed_on_time += o.closed_on_time;
        self.closed_late += o.closed_late;
        self.khoi_to += o.khoi_to;
        self.khong_khoi_to += o.khong_khoi_to;
        self.tam_dinh_chi += o.tam_dinh_chi;
        self.chuyen_tham_quyen += o.chuyen_tham_quyen;
        self.khong_phai_nguon_tin += o.khong_phai_nguon_tin;
        self.transferred += o.transferred;
        self.transfer_secs += o.transfer_secs;
        self.transfer_on_time += o.transfer_on_time;
        self.transfer_late += o.transfer_late;
        self.resolve_secs += o.resolve_secs;
    }
}

/// One row of the statistics.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct ReportStatsRow {
    /// Group key (unit code, type code, month …; empty: unknown place).
    pub key: String,
    /// Group label.
    pub label: String,
    /// The sums.
    pub counts: ReportCounts,
    /// Handled on time: closed by the deadline.
    pub on_time: i64,
    /// Overdue: closed late, or open past the deadline.
    pub overdue: i64,
    /// Share of anonymous reports, %.
    pub anonymous_pct: f64,
    /// Average hours from receipt to the first transfer.
    pub avg_transfer_hours: Option<f64>,
    /// Average days from receipt to a decision to prosecute or not.
    pub avg_resolve_days: Option<f64>,
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl ReportStatsRow {
    /// The row of a group's sums.
    pub fn new(key: String, label: String, c: ReportCounts) -> Self {
        let decided = c.khoi_to + c.khong_khoi_to;
        ReportStatsRow {
            key,
            label,
            on_time: c.closed_on_time,
            overdue: c.closed_late + c.open_overdue,
            anonymous_pct: if c.received == 0 {
                0.0
            } else {
                one_decimal(c.anonymous as f64 * 100.0 / c.received as f64)
            },
            avg_transfer_hours: (c.transferred > 0)
                .then(|| one_decimal(c.transfer_secs as f64 / 3600.0 / c.transferred as f64)),
            avg_resolve_days: (decided > 0).then(|| one_decimal(c.resolve_secs as f64 / 86400.0 / decided as f64)),
            counts: c,
        }
    }
}

/// The statistics of a period.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct ReportStats {
    /// First day (received on or after).
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// What the rows are.
    pub by: ReportStatsBy,
    /// One row per group.
    pub rows: Vec<ReportStatsRow>,
    /// The whole scope.
    pub total: ReportStatsRow,
}

impl ReportStats {
    /// Rows from `(key, sums)` with their labels, and the total.
    pub fn build(
        from: NaiveDate,
        to: NaiveDate,
        by: ReportStatsBy,
        groups: Vec<(String, ReportCounts)>,
        label: impl Fn(&str) -> String,
    ) -> Self {
        let mut total = ReportCounts::default();
        let rows = groups
            .into_iter()
            .map(|(k, c)| {
                total.add(&c);
                ReportStatsRow::new(k.clone(), label(&k), c)
            })
            .collect();
        ReportStats { from, to, by, rows, total: ReportStatsRow::new(String::new(), "Tổng cộng".into(), total) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_averages() {
        let a = ReportCounts {
            received: 4,
            anonymous: 1,
            closed_on_time: 2,
            closed_late: 1,
            open: 1,
            open_overdue: 1,
            khoi_to: 1,
            khong_khoi_to: 1,
            transferred: 2,
            transfer_secs: 3 * 3600,
            resolve_secs: 30 * 86400,
            ..Default::default()
        };
        let b = ReportCounts { received: 1, anonymous: 1, ..Default::default() };
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let s =
            ReportStats::build(d, d, ReportStatsBy::Kind, vec![("to_giac".into(), a), ("tin_bao".into(), b)], |k| {
                k.to_uppercase()
            });
        let r = &s.rows[0];
        assert_eq!((r.label.as_str(), r.on_time, r.overdue, r.anonymous_pct), ("TO_GIAC", 2, 2, 25.0));
        assert_eq!((r.avg_transfer_hours, r.avg_resolve_days), (Some(1.5), Some(15.0)));
        assert_eq!(s.rows[1].avg_transfer_hours, None);
        assert_eq!((s.total.counts.received, s.total.anonymous_pct), (5, 40.0));
    }
}
