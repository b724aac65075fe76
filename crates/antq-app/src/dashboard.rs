//! The dashboard's charts and the map's figures (C13): what the movement counts in the
//! actor's scope, read from the same measures as the official report, each chart as a table
//! of labelled series (the page draws it and shows the table beside it).

use std::collections::HashMap;

use antq_domain::access::Permission;
use antq_domain::camera::CameraPoint;
use antq_domain::official::{Amount, share};
use antq_domain::rating::RatingLevel;
use antq_store::official::{Measure, Window, by_place, measure};
use chrono::{Datelike, Months, NaiveDate};

use crate::{Actor, AppCtx, AppError, AppResult};

/// One series of a chart.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Series {
    /// Its name.
    pub label: String,
    /// One value per label of the chart.
    pub values: Vec<i64>,
}

/// A chart: labels along one axis, one or more series.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Chart {
    /// Stable id (`models_by_type` …).
    pub id: String,
    /// Title.
    pub title: String,
    /// `bar`, `stacked` or `line`.
    pub kind: String,
    /// What the values are.
    pub amount: Amount,
    /// The labels.
    pub labels: Vec<String>,
    /// The series.
    pub series: Vec<Series>,
}

impl Chart {
    /// Whether the values are thousandths of a percent.
    pub fn percent(&self) -> bool {
        self.amount == Amount::PercentMilli
    }

    /// The table: each label with every series' value, raw and as written.
    pub fn rows(&self) -> Vec<(String, Vec<(i64, String)>)> {
        self.labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let cells = self.series.iter().map(|s| (s.values[i], self.amount.text(s.values[i]))).collect();
                (l.clone(), cells)
            })
            .collect()
    }
}

fn year_window(ctx: &AppCtx, year: i32) -> Window {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January");
    let to = NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December").min(ctx.today());
    Window { from, to, year }
}

/// The charts of a scope at an instant.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Charts {
    /// When they were read from the registers.
    pub computed_at: chrono::DateTime<chrono::Utc>,
    /// The charts, in the page's order.
    pub charts: Vec<Chart>,
}

/// What a scope's charts depend on: its place, whether it reads report counts, the day.
type ChartKey = (Option<String>, Option<String>, bool, NaiveDate);

/// The charts of each scope, kept for [`crate::Settings::chart_cache`]: every user's home
/// page draws them, and the country's read some hundreds of thousands of rows.
#[derive(Debug, Default)]
pub struct ChartCache(std::sync::Mutex<HashMap<ChartKey, (std::time::Instant, Charts)>>);

/// The charts of the dashboard for the actor's scope, as read at most
/// [`crate::Settings::chart_cache`] ago.
#[tracing::instrument(skip_all)]
pub async fn charts(ctx: &AppCtx, actor: &Actor) -> AppResult<Charts> {
    actor.require(Permission::ReadRegistry)?;
    let (province, commune) = actor.narrow(None, None)?;
    let key = (province.clone(), commune.clone(), actor.role.grants(Permission::ReadReportCounts), ctx.today());
    let keep = ctx.settings.chart_cache;
    if let Some((at, c)) = ctx.charts.0.lock().ok().and_then(|m| m.get(&key).cloned())
        && at.elapsed() < keep
    {
        return Ok(c);
    }
    let c = Charts {
        computed_at: ctx.now(),
        charts: read_charts(ctx, actor, province.as_deref(), commune.as_deref()).await?,
    };
    if let Ok(mut m) = ctx.charts.0.lock() {
        m.retain(|_, (at, _)| at.elapsed() < keep);
        m.insert(key, (std::time::Instant::now(), c.clone()));
    }
    Ok(c)
}

/// The charts read from the registers now.
async fn read_charts(
    ctx: &AppCtx,
    actor: &Actor,
    province: Option<&str>,
    commune: Option<&str>,
) -> AppResult<Vec<Chart>> {
    let place = (province, commune);
    let today = ctx.today();
    let now = year_window(ctx, today.year());
    let mut out = Vec::new();

    // Models working by type.
    let types = antq_store::model_types::list(&ctx.db, place.0).await?;
    let working: HashMap<String, i64> =
        measure(&ctx.db, Measure::ModelsWorking, place, now).await?.into_iter().map(|(k, v)| (k, v[0])).collect();
    let types: Vec<_> = types.into_iter().filter(|t| working.contains_key(&t.id.0.to_string())).collect();
    out.push(Chart {
        id: "models_by_type".into(),
        title: "Mô hình đang hoạt động theo loại".into(),
        kind: "bar".into(),
        amount: Amount::Count,
        labels: types.iter().map(|t| t.name.clone()).collect(),
        series: vec![Series {
            label: "Mô hình".into(),
            values: types.iter().map(|t| working.get(&t.id.0.to_string()).copied().unwrap_or(0)).collect(),
        }],
    });

    // Ratings of the last five evaluation years.
    let years: Vec<i32> = (today.year() - 5..today.year()).collect();
    let mut by_year = Vec::new();
    for y in &years {
        let rows: HashMap<String, i64> = measure(&ctx.db, Measure::Ratings, place, year_window(ctx, *y))
            .await?
            .into_iter()
            .map(|(k, v)| (k, v[0]))
            .collect();
        by_year.push(rows);
    }
    out.push(Chart {
        id: "ratings_by_year".into(),
        title: "Kết quả xếp loại mô hình theo năm".into(),
        kind: "stacked".into(),
        amount: Amount::Count,
        labels: years.iter().map(i32::to_string).collect(),
        series: RatingLevel::ALL
            .iter()
            .filter(|r| **r != RatingLevel::ChuaDanhGia)
            .map(|r| Series {
                label: r.label().into(),
                values: by_year.iter().map(|m| m.get(r.code()).copied().unwrap_or(0)).collect(),
            })
            .collect(),
    });

    // Crime reports received and handled, month by month over the last twelve months.
    if actor.role.grants(Permission::ReadReportCounts) {
        let first = today.with_day(1).expect("first of the month");
        let months: Vec<NaiveDate> =
            (0..12).rev().map(|back| first.checked_sub_months(Months::new(back)).expect("a month back")).collect();
        let w = Window { from: months[0], to: today, year: today.year() };
        let by_month: HashMap<String, Vec<i64>> =
            measure(&ctx.db, Measure::ReportsMonthly, place, w).await?.into_iter().collect();
        let value = |m: &NaiveDate, i: usize| by_month.get(&m.format("%Y-%m").to_string()).map_or(0, |v| v[i]);
        let labels = months.iter().map(|m| m.format("%m/%Y").to_string()).collect();
        let received = months.iter().map(|m| value(m, 0)).collect();
        let handled = months.iter().map(|m| value(m, 1)).collect();
        out.push(Chart {
            id: "reports_by_month".into(),
            title: "Tin báo, tố giác tiếp nhận và đã giải quyết theo tháng".into(),
            kind: "line".into(),
            amount: Amount::Count,
            labels,
            series: vec![
                Series { label: "Tiếp nhận".into(), values: received },
                Series { label: "Đã giải quyết".into(), values: handled },
            ],
        });
    }

    // Force coverage by place: provinces for the country, communes for a province.
    if commune.is_none() {
        let areas: HashMap<String, i64> =
            by_place(&ctx.db, Measure::Areas, place.0, now).await?.into_iter().map(|(k, v)| (k, v[0])).collect();
        let covered: HashMap<String, i64> =
            by_place(&ctx.db, Measure::ForceCovered, place.0, now).await?.into_iter().map(|(k, v)| (k, v[0])).collect();
        let mut codes: Vec<&String> = areas.keys().collect();
        codes.sort();
        let names = antq_store::units::names(&ctx.db, &codes.iter().map(|c| (*c).clone()).collect::<Vec<_>>()).await?;
        out.push(Chart {
            id: "force_coverage".into(),
            title: "Tỷ lệ thôn, tổ dân phố có Tổ bảo vệ ANTT".into(),
            kind: "bar".into(),
            amount: Amount::PercentMilli,
            labels: codes.iter().map(|c| names.get(*c).cloned().unwrap_or_else(|| (*c).clone())).collect(),
            series: vec![Series {
                label: "Tỷ lệ".into(),
                values: codes.iter().map(|c| share(covered.get(*c).copied().unwrap_or(0), areas[*c])).collect(),
            }],
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// The map

/// The figures a map can colour by: code, label, measure, value index.
pub const KPIS: &[(&str, &str)] = &[
    ("models", "Mô hình đang hoạt động"),
    ("force_teams", "Tổ bảo vệ ANTT"),
    ("force_coverage", "Tỷ lệ thôn, tổ dân phố có Tổ bảo vệ ANTT"),
    ("force_members", "Thành viên Tổ bảo vệ ANTT"),
    ("reports", "Tin báo, tố giác tiếp nhận trong năm"),
    ("activities", "Hoạt động phong trào trong năm"),
    ("participants", "Lượt người tham gia hoạt động trong năm"),
    ("commendations", "Khen thưởng trong năm"),
    ("cameras", "Camera an ninh đang hoạt động"),
];

/// What the map shows.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct MapQuery {
    /// One of [`KPIS`] (default `models`).
    pub kpi: Option<String>,
    /// Year of the yearly figures (default this year).
    pub year: Option<i32>,
    /// A province: its communes as points; the 34 provinces when empty.
    pub province: Option<String>,
}

/// A place on the map with its value.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MapPlace {
    /// Unit code.
    pub code: String,
    /// Full name.
    pub name: String,
    /// Centroid latitude (communes).
    pub lat: Option<f64>,
    /// Centroid longitude.
    pub lon: Option<f64>,
    /// The value.
    pub value: i64,
    /// The value as written.
    pub text: String,
}

/// A map: one value per province, or per commune of a province with its cameras.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MapData {
    /// The figure.
    pub kpi: String,
    /// Its label.
    pub label: String,
    /// Year.
    pub year: i32,
    /// Count or percent.
    pub amount: Amount,
    /// The province drilled into.
    pub province: Option<String>,
    /// Its name.
    pub province_name: Option<String>,
    /// The places, every one of the level (zero when nothing is recorded).
    pub places: Vec<MapPlace>,
    /// Cameras with coordinates (a province, at most 5,000).
    pub cameras: Vec<CameraPoint>,
    /// Cameras with coordinates in all.
    pub cameras_total: i64,
}

/// The map of a figure for the actor's scope.
#[tracing::instrument(skip_all)]
pub async fn map(ctx: &AppCtx, actor: &Actor, q: &MapQuery) -> AppResult<MapData> {
    actor.require(Permission::ReadRegistry)?;
    let kpi = q.kpi.as_deref().map(str::trim).filter(|k| !k.is_empty()).unwrap_or("models");
    let Some((_, label)) = KPIS.iter().find(|(c, _)| *c == kpi) else {
        let known: Vec<&str> = KPIS.iter().map(|(c, _)| *c).collect();
        return Err(AppError::Invalid(antq_domain::FieldErrors::single(
            "kpi",
            format!("Chỉ tiêu «{kpi}» không có; chọn một trong: {}.", known.join(", ")),
        )));
    };
    if kpi == "reports" {
        actor.require(Permission::ReadReportCounts)?;
    }
    let year = q.year.unwrap_or(ctx.today().year());
    if !(2000..=2100).contains(&year) {
        return Err(AppError::Invalid(antq_domain::FieldErrors::single("year", "Năm phải từ 2000 đến 2100.")));
    }
    let w = year_window(ctx, year);
    let wanted = q.province.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(String::from);
    let (province, own_commune) = actor.narrow(wanted, None)?;
    let values = kpi_values(ctx, kpi, province.as_deref(), w).await?;
    let units = match &province {
        None => crate::units::provinces(ctx).await?,
        Some(p) => crate::units::communes_of(ctx, p).await?,
    };
    let amount = if kpi == "force_coverage" { Amount::PercentMilli } else { Amount::Count };
    let places = units
        .into_iter()
        .filter(|u| own_commune.as_ref().is_none_or(|c| *c == u.code))
        .map(|u| {
            let value = values.get(&u.code).copied().unwrap_or(0);
            MapPlace { name: u.full_name(), code: u.code, lat: u.lat, lon: u.lon, value, text: amount.text(value) }
        })
        .collect();
    let (cameras, cameras_total) = match &province {
        Some(p) => antq_store::cameras::points(&ctx.db, p, own_commune.as_deref(), 5_000).await?,
        None => (Vec::new(), 0),
    };
    let province_name = match &province {
        Some(p) => Some(antq_store::units::get(&ctx.db, p).await?.full_name()),
        None => None,
    };
    Ok(MapData {
        kpi: kpi.into(),
        label: (*label).into(),
        year,
        amount,
        province,
        province_name,
        places,
        cameras,
        cameras_total,
    })
}

/// A figure by place: by province (no province) or by commune.
async fn kpi_values(ctx: &AppCtx, kpi: &str, province: Option<&str>, w: Window) -> AppResult<HashMap<String, i64>> {
    let one = |m: Measure, i: usize| async move {
        Ok::<_, AppError>(
            by_place(&ctx.db, m, province, w).await?.into_iter().map(|(k, v)| (k, v[i])).collect::<HashMap<_, _>>(),
        )
    };
    Ok(match kpi {
        "force_teams" => one(Measure::ForceTeams, 0).await?,
        "force_coverage" => {
            let covered = one(Measure::ForceCovered, 0).await?;
            one(Measure::Areas, 0)
                .await?
                .into_iter()
                .map(|(k, a)| {
                    let c = covered.get(&k).copied().unwrap_or(0);
                    (k, share(c, a))
                })
                .collect()
        }
        "force_members" => one(Measure::ForceMembers, 0).await?,
        "reports" => one(Measure::Reports, 0).await?,
        "activities" => one(Measure::Activities, 0).await?,
        "participants" => one(Measure::Activities, 1).await?,
        "commendations" => one(Measure::Commendations, 0).await?,
        "cameras" => one(Measure::CamerasWorking, 0).await?,
        _ => one(Measure::ModelsWorking, 0).await?,
    })
}
