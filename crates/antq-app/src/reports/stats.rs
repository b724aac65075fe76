//! Report statistics (every role with `read_report_counts`, in scope): counts only, never
//! content. Grouped by place (provinces nationally, communes of a province), type, channel,
//! category or month of receipt.

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::model::parse_date;
use antq_domain::report::stats::{ReportStats, ReportStatsBy, ReportStatsRow};
use antq_domain::report::{Category, Channel, ReportKind};
use antq_store::reports::{self, StatsFilter};
use chrono::{Datelike, NaiveDate};

use crate::{Actor, AppCtx, AppResult};

/// The statistics asked for.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct StatsQuery {
    /// First day of receipt (default: 1 January of this year).
    pub from: Option<String>,
    /// Last day (default: today).
    pub to: Option<String>,
    /// place (default), kind, channel, category, month.
    pub by: Option<String>,
    /// Province (national scope).
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
}

fn blank(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

impl StatsQuery {
    fn checked(&self, today: NaiveDate) -> AppResult<(NaiveDate, NaiveDate, ReportStatsBy)> {
        let mut e = FieldErrors::new();
        let mut day = |field: &str, v: &Option<String>, default: NaiveDate| match blank(v) {
            None => default,
            Some(s) => parse_date(&s).unwrap_or_else(|| {
                e.add(field, format!("Ngày «{s}» không đúng định dạng (dd/mm/yyyy hoặc YYYY-MM-DD)."));
                default
            }),
        };
        let from = day("from", &self.from, NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
        let to = day("to", &self.to, today);
        if from > to {
            e.add("to", "Ngày cuối phải sau ngày đầu.");
        }
        let by = match blank(&self.by) {
            None => ReportStatsBy::Place,
            Some(b) => ReportStatsBy::parse_loose(&b).unwrap_or_else(|| {
                e.add(
                    "by",
                    format!("Không thống kê theo «{b}». Chọn một trong: place, kind, channel, category, month."),
                );
                ReportStatsBy::Place
            }),
        };
        e.into_result((from, to, by)).map_err(Into::into)
    }
}

/// The statistics in the actor's scope.
#[tracing::instrument(skip_all)]
pub async fn stats(ctx: &AppCtx, actor: &Actor, q: &StatsQuery) -> AppResult<ReportStats> {
    actor.require(Permission::ReadReportCounts)?;
    let (from, to, by) = q.checked(ctx.today())?;
    let (province, commune) = actor.narrow(blank(&q.province), blank(&q.commune))?;
    let f = StatsFilter { from, to, province: province.clone(), commune };
    let groups = reports::stats(&ctx.db, &f, by, ctx.now()).await?;
    let names = match by {
        ReportStatsBy::Place => {
            crate::units::names(ctx, groups.iter().map(|(k, _)| k.clone()).filter(|k| !k.is_empty())).await?
        }
        _ => Default::default(),
    };
    let label = |k: &str| -> String {
        match by {
            ReportStatsBy::Place if k.is_empty() => "Không rõ xã, phường (hàng chờ cấp tỉnh)".into(),
            ReportStatsBy::Place => names.get(k).cloned().unwrap_or_else(|| k.to_string()),
            ReportStatsBy::Kind => ReportKind::from_code(k).map_or(k, |v| v.label()).into(),
            ReportStatsBy::Channel => Channel::from_code(k).map_or(k, |v| v.label()).into(),
            ReportStatsBy::Category => Category::from_code(k).map_or(k, |v| v.label()).into(),
            ReportStatsBy::Month => k.split_once('-').map(|(y, m)| format!("{m}/{y}")).unwrap_or_else(|| k.into()),
        }
    };
    Ok(ReportStats::build(from, to, by, groups, label))
}

static COLUMNS: &[antq_interchange::Column] = &[
    antq_interchange::Column::plain("key", "Mã"),
    antq_interchange::Column::plain("label", "Nhóm"),
    antq_interchange::Column::plain("received", "Tiếp nhận"),
    antq_interchange::Column::plain("anonymous", "Ẩn danh"),
    antq_interchange::Column::plain("anonymous_pct", "Tỷ lệ ẩn danh (%)"),
    antq_interchange::Column::plain("valuable", "Tin có giá trị"),
    antq_interchange::Column::plain("open", "Đang giải quyết"),
    antq_interchange::Column::plain("on_time", "Giải quyết đúng hạn"),
    antq_interchange::Column::plain("overdue", "Quá hạn (trễ hạn và đang quá hạn)"),
    antq_interchange::Column::plain("khoi_to", "Khởi tố"),
    antq_interchange::Column::plain("khong_khoi_to", "Không khởi tố"),
    antq_interchange::Column::plain("tam_dinh_chi", "Tạm đình chỉ"),
    antq_interchange::Column::plain("chuyen", "Chuyển cơ quan có thẩm quyền"),
    antq_interchange::Column::plain("khong_phai", "Không phải nguồn tin về tội phạm"),
    antq_interchange::Column::plain("transferred", "Đã chuyển đơn vị"),
    antq_interchange::Column::plain("transfer_late", "Chuyển quá 24/48 giờ"),
    antq_interchange::Column::plain("avg_transfer_hours", "Thời gian chuyển trung bình (giờ)"),
    antq_interchange::Column::plain("avg_resolve_days", "Thời gian giải quyết trung bình (ngày)"),
];

fn cells(r: &ReportStatsRow) -> Vec<String> {
    let c = &r.counts;
    let opt = |v: Option<f64>| v.map(|x| format!("{x:.1}")).unwrap_or_default();
    vec![
        r.key.clone(),
        r.label.clone(),
        c.received.to_string(),
        c.anonymous.to_string(),
        format!("{:.1}", r.anonymous_pct),
        c.valuable.to_string(),
        c.open.to_string(),
        r.on_time.to_string(),
        r.overdue.to_string(),
        c.khoi_to.to_string(),
        c.khong_khoi_to.to_string(),
        c.tam_dinh_chi.to_string(),
        c.chuyen_tham_quyen.to_string(),
        c.khong_phai_nguon_tin.to_string(),
        c.transferred.to_string(),
        c.transfer_late.to_string(),
        opt(r.avg_transfer_hours),
        opt(r.avg_resolve_days),
    ]
}

/// The statistics as a CSV or XLSX file, the total last.
pub async fn export(
    ctx: &AppCtx,
    actor: &Actor,
    q: &StatsQuery,
    format: antq_interchange::Format,
) -> AppResult<Vec<u8>> {
    let s = stats(ctx, actor, q).await?;
    let rows: Vec<Vec<String>> = s.rows.iter().chain([&s.total]).map(cells).collect();
    let sheet = format!("Tố giác, tin báo {}–{}", s.from.format("%d.%m.%Y"), s.to.format("%d.%m.%Y"));
    Ok(antq_interchange::write(format, &sheet, COLUMNS, &rows))
}
