//! Statistics of the model registry.

use antq_domain::access::Permission;
use antq_domain::succession::FormerLevel;
use antq_store::stats;

pub use antq_store::stats::ModelCounts;

pub use antq_store::stats::ModelGroup;

use crate::{Actor, AppCtx, AppResult};

/// A row of the model statistics with a readable label for its key.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LabelledCounts {
    /// Group key.
    pub key: String,
    /// Label (unit name, type name or state label).
    pub label: String,
    /// Models.
    pub models: i64,
    /// Sites.
    pub sites: i64,
    /// Teams.
    pub teams: i64,
}

/// Models, sites and teams in the actor's scope grouped by `by`, with totals last.
pub async fn models(ctx: &AppCtx, actor: &Actor, by: ModelGroup) -> AppResult<Vec<LabelledCounts>> {
    actor.require(Permission::ReadRegistry)?;
    let rows: Vec<ModelCounts> =
        stats::model_counts(&ctx.db, by, actor.scope.province(), actor.scope.commune()).await?;
    let labels: std::collections::HashMap<String, String> = match by {
        ModelGroup::Province | ModelGroup::Commune => {
            crate::units::names(ctx, rows.iter().map(|r| r.key.clone())).await?
        }
        ModelGroup::Type => {
            crate::model_types::list(ctx, actor).await?.into_iter().map(|t| (t.id.0.to_string(), t.name)).collect()
        }
        ModelGroup::State => {
            antq_domain::model::ModelState::ALL.iter().map(|s| (s.code().to_string(), s.label().to_string())).collect()
        }
        ModelGroup::Former(l) => {
            crate::lineage::former_labels(ctx, l, &rows.iter().map(|r| r.key.clone()).collect::<Vec<_>>()).await?
        }
    };
    let mut out: Vec<LabelledCounts> = rows
        .into_iter()
        .map(|r| LabelledCounts {
            label: labels
                .get(&r.key)
                .cloned()
                .unwrap_or_else(|| if r.key.is_empty() { "Cấp tỉnh".into() } else { r.key.clone() }),
            key: r.key,
            models: r.models,
            sites: r.sites,
            teams: r.teams,
        })
        .collect();
    out.sort_by_cached_key(|r| antq_domain::text::fold(&r.label));
    Ok(out)
}

/// Models, sites and teams of one place (a province, or a commune with its province).
pub async fn place_totals(
    ctx: &AppCtx,
    actor: &Actor,
    province: Option<&str>,
    commune: Option<&str>,
) -> AppResult<ModelCounts> {
    let (province, commune) = actor.narrow(province.map(Into::into), commune.map(Into::into))?;
    actor.require(Permission::ReadRegistry)?;
    let rows = stats::model_counts(&ctx.db, ModelGroup::Province, province.as_deref(), commune.as_deref()).await?;
    Ok(rows.into_iter().fold(ModelCounts::default(), |mut t, r| {
        t.models += r.models;
        t.sites += r.sites;
        t.teams += r.teams;
        t
    }))
}

/// How the ratings pivot is grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RatingsBy {
    /// By place: provinces for national users, communes (and the province's own models) for
    /// province and commune users.
    Place,
    /// By model type.
    Type,
    /// By the place as recorded before 1 July 2025: former provinces for national users,
    /// former districts for the others.
    FormerPlace,
    /// By a former level (`legacy_province`, `legacy_district`, `legacy_commune`).
    Legacy(FormerLevel),
}

impl RatingsBy {
    /// Every code a caller may give.
    pub const CODES: &'static [&'static str] =
        &["place", "type", "legacy_province", "legacy_district", "legacy_commune"];

    /// Parses `place`, `type` or `legacy_province|district|commune` (default place).
    pub fn parse(s: Option<&str>) -> Option<RatingsBy> {
        match s.map(str::trim).unwrap_or("") {
            "" | "place" | "province" | "commune" => Some(RatingsBy::Place),
            "type" => Some(RatingsBy::Type),
            "legacy_province" => Some(RatingsBy::Legacy(FormerLevel::Province)),
            "legacy_district" => Some(RatingsBy::Legacy(FormerLevel::District)),
            "legacy_commune" => Some(RatingsBy::Legacy(FormerLevel::Commune)),
            _ => None,
        }
    }

    /// The grouping in the map of a day: before 1 July 2025 a place is the former one.
    pub fn as_of(self, before_change: bool) -> RatingsBy {
        match (self, before_change) {
            (RatingsBy::Place, true) => RatingsBy::FormerPlace,
            (by, _) => by,
        }
    }

    /// The code of the grouping (`FormerPlace` by the level it stands for in `national`).
    pub fn code(self, national: bool) -> &'static str {
        match self {
            RatingsBy::Place => "place",
            RatingsBy::Type => "type",
            RatingsBy::FormerPlace if national => "legacy_province",
            RatingsBy::FormerPlace => "legacy_district",
            RatingsBy::Legacy(FormerLevel::Province) => "legacy_province",
            RatingsBy::Legacy(FormerLevel::District) => "legacy_district",
            RatingsBy::Legacy(FormerLevel::Commune) => "legacy_commune",
        }
    }
}

/// Approved model ratings of `year` in the actor's scope by place or type × rating, with the
/// previous year's counts and the change.
#[tracing::instrument(skip_all, fields(year))]
pub async fn ratings(
    ctx: &AppCtx,
    actor: &Actor,
    year: i32,
    by: RatingsBy,
) -> AppResult<antq_domain::rating::RatingsPivot> {
    use antq_store::ratings::{PivotBy, pivot};
    actor.require(Permission::ReadRegistry)?;
    let (province, commune) = (actor.scope.province(), actor.scope.commune());
    let (store_by, name) = match (by, province) {
        (RatingsBy::Type, _) => (PivotBy::Type, "type"),
        (RatingsBy::Place, None) => (PivotBy::Province, "province"),
        (RatingsBy::Place, Some(_)) => (PivotBy::Unit, "commune"),
        (RatingsBy::FormerPlace, None) => (PivotBy::Former(FormerLevel::Province), "legacy_province"),
        (RatingsBy::FormerPlace, Some(_)) => (PivotBy::Former(FormerLevel::District), "legacy_district"),
        (RatingsBy::Legacy(l), _) => (PivotBy::Former(l), by.code(true)),
    };
    let current = pivot(&ctx.db, year, store_by, province, commune).await?;
    let previous = pivot(&ctx.db, year - 1, store_by, province, commune).await?;
    let keys = current.iter().chain(&previous).map(|r| r.0.clone());
    let labels: std::collections::HashMap<String, String> = match store_by {
        PivotBy::Type => {
            crate::model_types::list(ctx, actor).await?.into_iter().map(|t| (t.id.0.to_string(), t.name)).collect()
        }
        PivotBy::Former(l) => crate::lineage::former_labels(ctx, l, &keys.collect::<Vec<_>>()).await?,
        _ => crate::units::names(ctx, keys).await?,
    };
    let province_level = |k: &str| province == Some(k);
    let (rows, total) = antq_domain::rating::pivot_rows(&current, &previous, |k| {
        let name = labels.get(k).cloned().unwrap_or_else(|| k.to_string());
        if store_by == PivotBy::Unit && province_level(k) { format!("{name} (mô hình cấp tỉnh)") } else { name }
    });
    Ok(antq_domain::rating::RatingsPivot {
        year,
        by: name.into(),
        columns: antq_domain::rating::RatingLevel::ALL.to_vec(),
        rows,
        total,
    })
}

static PIVOT_COLUMNS: &[antq_interchange::Column] = &[
    antq_interchange::Column::plain("key", "Mã"),
    antq_interchange::Column::plain("label", "Đơn vị / loại mô hình"),
    antq_interchange::Column::plain("tot", "Tốt"),
    antq_interchange::Column::plain("kha", "Khá"),
    antq_interchange::Column::plain("trung_binh", "Trung bình"),
    antq_interchange::Column::plain("can_thanh_loai", "Cần thanh loại"),
    antq_interchange::Column::plain("chua_danh_gia", "Chưa đánh giá"),
    antq_interchange::Column::plain("total", "Tổng"),
    antq_interchange::Column::plain("previous_total", "Tổng năm trước"),
    antq_interchange::Column::plain("total_change", "Tăng (+) / giảm (−)"),
];

/// The ratings pivot as a CSV or XLSX file, totals last.
pub async fn ratings_export(
    ctx: &AppCtx,
    actor: &Actor,
    year: i32,
    by: RatingsBy,
    format: antq_interchange::Format,
) -> AppResult<Vec<u8>> {
    let p = ratings(ctx, actor, year, by).await?;
    let rows: Vec<Vec<String>> = p
        .rows
        .iter()
        .chain(std::iter::once(&p.total))
        .map(|r| {
            let mut v = vec![r.key.clone(), r.label.clone()];
            v.extend(r.counts.iter().map(i64::to_string));
            v.extend([r.total.to_string(), r.previous_total.to_string(), r.total_change.to_string()]);
            v
        })
        .collect();
    Ok(antq_interchange::write(format, &format!("Xếp loại mô hình {year}"), PIVOT_COLUMNS, &rows))
}

/// Recognition ("An toàn về ANTT") of `year` in the actor's scope: subjects, registered and
/// recognised by place (provinces nationally, communes within a province) and subject type.
#[tracing::instrument(skip_all, fields(year))]
pub async fn recognition(ctx: &AppCtx, actor: &Actor, year: i32) -> AppResult<antq_domain::antt::RecognitionStats> {
    actor.require(Permission::ReadRegistry)?;
    let (province, commune) = (actor.scope.province(), actor.scope.commune());
    let totals = antq_store::antt::subject_totals(&ctx.db, year, province, commune).await?;
    let counts = antq_store::antt::recognition_counts(&ctx.db, year, province, commune).await?;
    let labels =
        crate::units::names(ctx, totals.iter().map(|t| t.0.clone()).chain(counts.iter().map(|c| c.0.clone()))).await?;
    let (rows, totals) = antq_domain::antt::recognition_rows(&totals, &counts, |k| {
        labels.get(k).cloned().unwrap_or_else(|| k.to_string())
    });
    Ok(antq_domain::antt::RecognitionStats {
        year,
        by: if province.is_some() { "commune" } else { "province" }.into(),
        rows,
        totals,
    })
}

static RECOGNITION_COLUMNS: &[antq_interchange::Column] = &[
    antq_interchange::Column::plain("key", "Mã"),
    antq_interchange::Column::plain("label", "Địa bàn"),
    antq_interchange::Column::plain("subject", "Đối tượng"),
    antq_interchange::Column::plain("total", "Tổng số"),
    antq_interchange::Column::plain("registered", "Đã đăng ký"),
    antq_interchange::Column::plain("recognised", "Được công nhận"),
    antq_interchange::Column::plain("registered_pct", "Tỷ lệ đăng ký (%)"),
    antq_interchange::Column::plain("recognised_pct", "Tỷ lệ công nhận / tổng số (%)"),
];

/// The recognition table as a CSV or XLSX file, totals last.
pub async fn recognition_export(
    ctx: &AppCtx,
    actor: &Actor,
    year: i32,
    format: antq_interchange::Format,
) -> AppResult<Vec<u8>> {
    let s = recognition(ctx, actor, year).await?;
    let rows: Vec<Vec<String>> = s
        .rows
        .iter()
        .chain(&s.totals)
        .map(|r| {
            vec![
                r.key.clone(),
                r.label.clone(),
                r.subject.label().to_string(),
                r.total.to_string(),
                r.registered.to_string(),
                r.recognised.to_string(),
                format!("{:.1}", r.registered_pct),
                format!("{:.1}", r.recognised_pct),
            ]
        })
        .collect();
    Ok(antq_interchange::write(format, &format!("An toàn ANTT {year}"), RECOGNITION_COLUMNS, &rows))
}

/// Decided movement classes of `year` in the actor's scope by place and subject type.
pub async fn classification(
    ctx: &AppCtx,
    actor: &Actor,
    year: i32,
) -> AppResult<antq_domain::movement::ClassificationStats> {
    actor.require(Permission::ReadRegistry)?;
    let counts =
        antq_store::movement::distribution(&ctx.db, year, actor.scope.province(), actor.scope.commune()).await?;
    let labels = crate::units::names(ctx, counts.iter().map(|c| c.0.clone())).await?;
    let (rows, totals) =
        antq_domain::movement::class_rows(&counts, |k| labels.get(k).cloned().unwrap_or_else(|| k.to_string()));
    Ok(antq_domain::movement::ClassificationStats {
        year,
        columns: antq_domain::movement::MovementClass::ALL.to_vec(),
        rows,
        totals,
    })
}
