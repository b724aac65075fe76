//! Statistics by the place recorded before 1 July 2025 (C1, issue 16): any module's figures
//! (the official report's measures) grouped by former province, district or commune, for the
//! movement as a whole (`/stats/former`) and for each module's own statistics (`by=legacy_*`).
//! A row `""` holds what was recorded in the current map, so totals equal the current map's.

use std::collections::{BTreeMap, HashMap};

use antq_domain::access::Permission;
use antq_domain::succession::FormerLevel;
use antq_domain::table::{StatColumn, StatRow, StatTable, column};
use antq_store::official::{Measure, Window, by_former};
use chrono::NaiveDate;

use crate::areas::non_empty;
use crate::{Actor, AppCtx, AppResult};

/// One column: value `index` of a measure.
#[derive(Clone, Copy, Debug)]
pub struct FormerColumn {
    /// The measure read.
    pub measure: Measure,
    /// Which of its values.
    pub index: usize,
    /// Column code.
    pub code: &'static str,
    /// Vietnamese header.
    pub label: &'static str,
}

const fn c(measure: Measure, index: usize, code: &'static str, label: &'static str) -> FormerColumn {
    FormerColumn { measure, index, code, label }
}

/// The movement's headline figures of a year, one per module whose records keep a former place.
pub const MOVEMENT: &[FormerColumn] = &[
    c(Measure::ModelsWorking, 0, "models", "Mô hình đang hoạt động (cuối kỳ)"),
    c(Measure::Ratings, 0, "ratings", "Lượt xếp loại mô hình"),
    c(Measure::Antt, 0, "antt", "Hồ sơ «An toàn về ANTT»"),
    c(Measure::ForceTeams, 0, "force_teams", "Tổ bảo vệ ANTT (cuối kỳ)"),
    c(Measure::ForceMembers, 0, "force_members", "Thành viên Tổ bảo vệ ANTT (cuối kỳ)"),
    c(Measure::Reports, 0, "reports", "Tin báo, tố giác tiếp nhận"),
    c(Measure::Activities, 0, "activities", "Hoạt động phong trào"),
    c(Measure::Activities, 1, "participants", "Lượt người tham gia"),
    c(Measure::Commendations, 0, "commendations", "Khen thưởng"),
    c(Measure::CamerasInstalled, 0, "cameras", "Camera lắp đặt trong kỳ"),
];

/// The `by` codes of the former levels with their locale keys, for the statistics pages.
pub const BY: &[(&str, &str)] = &[
    ("legacy_province", "stats.by_legacy_province"),
    ("legacy_district", "stats.by_legacy_district"),
    ("legacy_commune", "stats.by_legacy_commune"),
];

/// The former level a `by` names: `legacy_province|district|commune`, or `place` read as of a
/// day before 1 July 2025 (the former provinces nationally, districts within a province).
pub fn level_of(by: Option<&str>, as_of: Option<&str>, national: bool) -> AppResult<Option<FormerLevel>> {
    let before = crate::lineage::before_change(as_of)?;
    Ok(match by.map(str::trim).unwrap_or("") {
        "legacy_province" => Some(FormerLevel::Province),
        "legacy_district" => Some(FormerLevel::District),
        "legacy_commune" => Some(FormerLevel::Commune),
        "" | "place" if before && national => Some(FormerLevel::Province),
        "" | "place" if before => Some(FormerLevel::District),
        _ => None,
    })
}

/// The header of a level's rows.
pub fn row_header(level: FormerLevel) -> &'static str {
    match level {
        FormerLevel::Province => "Tỉnh, thành phố (trước 01/7/2025)",
        FormerLevel::District => "Huyện, quận, thị xã, thành phố (trước 01/7/2025)",
        FormerLevel::Commune => "Xã, phường, thị trấn (trước 01/7/2025)",
    }
}

/// The window of a whole year, or of months `from..=to` of it.
pub fn window(year: i32, months: (u32, u32)) -> Window {
    let from = NaiveDate::from_ymd_opt(year, months.0, 1).unwrap_or(NaiveDate::MIN);
    let to = NaiveDate::from_ymd_opt(year + i32::from(months.1 == 12), months.1 % 12 + 1, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX);
    Window { from, to, year }
}

/// `columns` read over `w` within a current place (the country, a province or a commune), by
/// former units of `level`; rows by name, the current map's row last.
#[tracing::instrument(skip_all)]
pub async fn table(
    ctx: &AppCtx,
    title: String,
    columns: &[FormerColumn],
    level: FormerLevel,
    place: (Option<&str>, Option<&str>),
    w: Window,
) -> AppResult<StatTable> {
    let mut read: HashMap<Measure, Vec<(String, Vec<i64>)>> = HashMap::new();
    for col in columns {
        if !read.contains_key(&col.measure)
            && let Some(rows) = by_former(&ctx.db, col.measure, level, place, w).await?
        {
            read.insert(col.measure, rows);
        }
    }
    let mut cells: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (i, col) in columns.iter().enumerate() {
        for (key, values) in read.get(&col.measure).into_iter().flatten() {
            cells.entry(key.clone()).or_insert_with(|| vec![0; columns.len()])[i] += values[col.index];
        }
    }
    let keys: Vec<String> = cells.keys().cloned().collect();
    let labels = crate::lineage::former_labels(ctx, level, &keys).await?;
    let mut rows: Vec<StatRow> = cells
        .into_iter()
        .map(|(code, values)| StatRow {
            label: labels.get(&code).cloned().unwrap_or_else(|| code.clone()),
            code,
            values,
        })
        .collect();
    rows.sort_by_cached_key(|r| (r.code.is_empty(), antq_domain::text::fold(&r.label)));
    let cols: Vec<StatColumn> = columns.iter().map(|c| column(c.code, c.label)).collect();
    Ok(StatTable::new(title, row_header(level), cols, rows))
}

/// What the movement table is asked for.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct FormerStatsQuery {
    /// Year (default: 2024, the last whole year of the former map).
    pub year: Option<i32>,
    /// `legacy_province`, `legacy_district` or `legacy_commune` (default: former provinces
    /// nationally, former districts within a province).
    pub by: Option<String>,
    /// Current province (national scope).
    pub province: Option<String>,
    /// Current commune.
    pub commune: Option<String>,
}

/// The movement's headline figures of a year by former unit, in the actor's scope.
#[tracing::instrument(skip_all)]
pub async fn movement(ctx: &AppCtx, actor: &Actor, q: &FormerStatsQuery) -> AppResult<StatTable> {
    actor.require(Permission::ReadRegistry)?;
    let (province, commune) = actor.narrow(non_empty(&q.province), non_empty(&q.commune))?;
    let mut e = antq_domain::FieldErrors::new();
    let year = q.year.unwrap_or(2024);
    if !(2000..=2100).contains(&year) {
        e.add("year", "Năm phải từ 2000 đến 2100.");
    }
    // Always a map of the former day: `place` (or nothing) is the former province or district.
    let level = level_of(q.by.as_deref(), Some("2025-06-30"), province.is_none())?.unwrap_or_else(|| {
        e.add("by", "Chọn legacy_province, legacy_district hoặc legacy_commune.");
        FormerLevel::District
    });
    let level = e.into_result(level)?;
    // Reports are counted only for those who may read their counts.
    let may_count = actor.require(Permission::ReadReportCounts).is_ok();
    let columns: Vec<FormerColumn> =
        MOVEMENT.iter().copied().filter(|c| may_count || c.measure != Measure::Reports).collect();
    let title = format!("Phong trào năm {year} theo {}", row_header(level).to_lowercase());
    table(ctx, title, &columns, level, (province.as_deref(), commune.as_deref()), window(year, (1, 12))).await
}
