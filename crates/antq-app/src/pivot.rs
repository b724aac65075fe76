//! Pivot tables over every registry (C13): rows and columns chosen from place, year, month and
//! each registry's own codes, a count or a sum, in the actor's scope; every cell links to the
//! list behind it where that list can be filtered the same way; exported to XLSX with merged
//! headers.

use std::collections::{BTreeSet, HashMap};

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::table::{StatColumn, StatRow, StatTable};
use antq_store::pivot::{PLACE_TIME, PivotSpec, SOURCES, cells, source};
use chrono::Datelike;

use crate::lineage::MapOf;
use crate::{Actor, AppCtx, AppError, AppResult};

/// A pivot as a caller asks for it.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct PivotQuery {
    /// Registry: models, ratings, antt, force_teams, force_members, reports, activities,
    /// commendations, cameras (default models).
    pub source: Option<String>,
    /// Dimension of the rows (default: province for the country, commune otherwise; with an
    /// `as_of` before 1 July 2025, the former province, or district within a province).
    /// `by` is the same.
    #[serde(alias = "by")]
    pub rows: Option<String>,
    /// Dimension of the columns (none: one column).
    pub cols: Option<String>,
    /// Value: `count` (default) or a sum the registry has (members, participants, cash, cost).
    pub value: Option<String>,
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// First year (with neither year: every year).
    pub from_year: Option<i32>,
    /// Last year.
    pub to_year: Option<i32>,
    /// The map of this day (YYYY-MM-DD): before 1 July 2025, `province` and `commune` mean the
    /// former province and commune where the record was made; on a day of a later map that has
    /// since ended, the province and commune each record had in that map.
    pub as_of: Option<String>,
}

/// A pivot: the table, the columns' dimension, each row's total, and the link behind each
/// cell (the row's total last).
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Pivot {
    /// Registry code.
    pub source: String,
    /// Dimension of the rows.
    pub rows: String,
    /// Dimension of the columns.
    pub cols: Option<String>,
    /// Value code.
    pub value: String,
    /// First and last year (none: every year).
    pub years: Option<(i32, i32)>,
    /// The table (columns are the column keys; totals per column).
    pub table: StatTable,
    /// Header above the column keys.
    pub col_header: String,
    /// Each row's total.
    pub row_totals: Vec<i64>,
    /// The list behind each cell, per row then column, the row total last.
    pub links: Vec<Vec<Option<String>>>,
}

fn invalid(field: &str, m: String) -> AppError {
    AppError::Invalid(FieldErrors::single(field, m))
}

/// The dimensions of a source: code and name.
pub fn dims(s: &Source) -> Vec<(&'static str, &'static str)> {
    PLACE_TIME.iter().copied().filter(|(c, _)| s.has_dim(c)).chain(s.dims.iter().map(|(c, l, _)| (*c, *l))).collect()
}

pub use antq_store::pivot::Source;

/// The source of a code, the first when unknown (for forms).
pub fn source_or_first(code: &str) -> &'static Source {
    source(code).unwrap_or(&SOURCES[0])
}

/// The values a source can sum: code, name.
pub fn values(s: &Source) -> Vec<(&'static str, &'static str)> {
    s.values.iter().map(|(c, l, _)| (*c, *l)).collect()
}

/// Every source: code, name.
pub fn sources() -> Vec<(&'static str, &'static str)> {
    SOURCES.iter().map(|s| (s.code, s.label)).collect()
}

/// Labels of a dimension's keys.
async fn labels(
    ctx: &AppCtx,
    s: &Source,
    dim: &str,
    keys: &BTreeSet<String>,
    maps: &[String],
) -> AppResult<HashMap<String, String>> {
    use antq_domain::{antt, camera, commendation, force, model, rating, report};
    let keys_v: Vec<String> = keys.iter().filter(|k| !k.is_empty()).cloned().collect();
    let mut out: HashMap<String, String> = match (s.code, dim) {
        (_, "province" | "commune") => antq_store::units::names(&ctx.db, &keys_v).await?,
        (_, "map_province" | "map_commune") => {
            crate::lineage::map_labels(ctx, maps, dim == "map_province", &keys_v).await?
        }
        (_, "legacy_province" | "legacy_district" | "legacy_commune") => {
            use antq_domain::succession::FormerLevel;
            let level = match dim {
                "legacy_province" => FormerLevel::Province,
                "legacy_district" => FormerLevel::District,
                _ => FormerLevel::Commune,
            };
            crate::lineage::former_labels(ctx, level, &keys_v).await?
        }
        ("models" | "ratings", "type") => antq_store::model_types::list(&ctx.db, None)
            .await?
            .into_iter()
            .map(|t| (t.id.0.to_string(), t.name))
            .collect(),
        ("activities", "kind") => antq_store::activities::kinds(&ctx.db, None)
            .await?
            .into_iter()
            .map(|k| (k.id.to_string(), k.name))
            .collect(),
        (_, "month") => {
            keys_v.iter().map(|k| (k.clone(), format!("{}/{}", &k[5.min(k.len())..], &k[..4.min(k.len())]))).collect()
        }
        _ => {
            let label: fn(&str) -> Option<&'static str> = match (s.code, dim) {
                ("models", "state") => |c| model::ModelState::from_code(c).map(|x| x.label()),
                ("models", "level") => |c| model::ModelLevel::from_code(c).map(|x| x.label()),
                ("ratings", "rating") => |c| rating::RatingLevel::from_code(c).map(|x| x.label()),
                ("ratings", "follow_up") => |c| rating::FollowUpDecision::from_code(c).map(|x| x.label()),
                ("antt", "subject") => |c| antt::AnttSubject::from_code(c).map(|x| x.label()),
                ("antt", "state") => |c| antt::AnttState::from_code(c).map(|x| x.label()),
                ("force_teams", "state") => |c| force::TeamState::from_code(c).map(|x| x.label()),
                ("force_members", "role") => |c| force::MemberRole::from_code(c).map(|x| x.label()),
                ("force_members", "state") => |c| force::MemberState::from_code(c).map(|x| x.label()),
                ("force_members", "sex") => |c| force::Sex::from_code(c).map(|x| x.label()),
                ("reports", "channel") => |c| report::Channel::from_code(c).map(|x| x.label()),
                ("reports", "category") => |c| report::Category::from_code(c).map(|x| x.label()),
                ("reports", "state") => |c| report::ReportState::from_code(c).map(|x| x.label()),
                ("activities", "organiser_kind") => {
                    |c| antq_domain::activity::OrganiserKind::from_code(c).map(|x| x.label())
                }
                ("commendations", "form") => |c| commendation::CommendationForm::from_code(c).map(|x| x.label()),
                ("commendations", "level") => |c| commendation::CommendationLevel::from_code(c).map(|x| x.label()),
                ("commendations", "recipient_kind") => |c| commendation::RecipientKind::from_code(c).map(|x| x.label()),
                ("cameras", "funding") => |c| camera::CameraFunding::from_code(c).map(|x| x.label()),
                ("cameras", "status") => |c| camera::CameraStatus::from_code(c).map(|x| x.label()),
                ("cameras", "kind") => |c| camera::CameraKind::from_code(c).map(|x| x.label()),
                _ => |_| None,
            };
            keys_v.iter().filter_map(|k| label(k).map(|l| (k.clone(), l.to_string()))).collect()
        }
    };
    out.entry(String::new()).or_insert_with(|| "(không ghi)".into());
    for k in keys {
        out.entry(k.clone()).or_insert_with(|| k.clone());
    }
    Ok(out)
}

/// The list page behind a cell: the registry's list filtered by every dimension of the cell,
/// when the list has a filter for each of them.
fn link(
    s: &Source,
    dims: &[(&str, &str)],
    place: (Option<&str>, Option<&str>),
    years: Option<(i32, i32)>,
) -> Option<String> {
    let (path, params): (&str, &[(&str, &str)]) = match s.code {
        "models" => ("/models", &[("type", "type_id"), ("state", "state"), ("level", "level")]),
        "cameras" => ("/cameras", &[("funding", "funding"), ("status", "status"), ("kind", "kind")]),
        "activities" => ("/activities", &[("kind", "kind_id"), ("organiser_kind", "organiser_kind")]),
        "commendations" => ("/commendations", &[("form", "form"), ("recipient_kind", "recipient_kind")]),
        _ => return None,
    };
    let mut q: Vec<(&str, String)> = Vec::new();
    let (mut province, mut commune) = (place.0.map(String::from), place.1.map(String::from));
    let mut years = years;
    let mut month = None;
    for (dim, key) in dims {
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return None;
        }
        match *dim {
            "province" => province = Some(key.to_string()),
            "commune" => commune = Some(key.to_string()),
            "year" => {
                let y: i32 = key.parse().ok()?;
                years = Some((y, y));
            }
            "month" => month = Some(key.to_string()),
            d => q.push((params.iter().find(|(p, _)| *p == d)?.1, key.to_string())),
        }
    }
    if let Some(p) = province {
        q.push(("province", p));
    }
    if let Some(c) = commune {
        q.push(("commune", c));
    }
    // The list's own period filter: activities by day, commendations by year; models and
    // cameras have none, so their cells link only when the pivot spans every year.
    match (s.code, month, years) {
        (_, None, None) => {}
        ("activities", Some(m), _) => {
            let from = chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok()?;
            let to = from.checked_add_months(chrono::Months::new(1))?.pred_opt()?;
            q.push(("from", from.to_string()));
            q.push(("to", to.to_string()));
        }
        ("activities", None, Some((a, b))) => {
            q.push(("from", format!("{a}-01-01")));
            q.push(("to", format!("{b}-12-31")));
        }
        ("commendations", None, Some((a, b))) if a == b => q.push(("year", a.to_string())),
        _ => return None,
    }
    let qs: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
    Some(format!("{path}?{}", qs.join("&")))
}

/// The pivot of a query in the actor's scope.
#[tracing::instrument(skip_all)]
pub async fn pivot(ctx: &AppCtx, actor: &Actor, q: &PivotQuery) -> AppResult<Pivot> {
    actor.require(Permission::ReadRegistry)?;
    let code = q.source.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or("models");
    let s = source(code).ok_or_else(|| {
        let known: Vec<&str> = SOURCES.iter().map(|s| s.code).collect();
        invalid("source", format!("Không có sổ «{code}»; chọn một trong: {}.", known.join(", ")))
    })?;
    if s.code == "reports" {
        actor.require(Permission::ReadReportCounts)?;
    }
    let non_empty = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(String::from);
    let (province, commune) = actor.narrow(non_empty(&q.province), non_empty(&q.commune))?;
    let map = crate::lineage::map_of(ctx, q.as_of.as_deref()).await?;
    let maps: &[String] = match &map {
        MapOf::Later { maps, .. } => maps,
        _ => &[],
    };
    // The map of a day before the change: the place as recorded then; of a later map that
    // ended: the place each record had in it.
    let as_of = |d: String| match (&map, d.as_str()) {
        (MapOf::Former2025, "province") => "legacy_province".to_string(),
        (MapOf::Former2025, "commune") => "legacy_commune".to_string(),
        (MapOf::Later { .. }, "province") => "map_province".to_string(),
        (MapOf::Later { .. }, "commune") => "map_commune".to_string(),
        _ => d,
    };
    let default_rows = match (&map, province.is_none()) {
        (MapOf::Former2025, true) => "legacy_province",
        (MapOf::Former2025, false) => "legacy_district",
        (_, true) => "province",
        (_, false) => "commune",
    };
    let rows = as_of(non_empty(&q.rows).unwrap_or(default_rows.into()));
    let cols = non_empty(&q.cols).map(as_of);
    let known = dims(s);
    let names: Vec<String> = known.iter().map(|(c, l)| format!("{c} ({l})")).collect();
    for (field, d) in [("rows", Some(&rows)), ("cols", cols.as_ref())] {
        if let Some(d) = d
            && (!s.has_dim(d) || (d.starts_with("map_") && maps.is_empty()))
        {
            return Err(invalid(field, format!("Sổ «{}» không có chiều «{d}»; chọn: {}.", s.label, names.join(", "))));
        }
    }
    if cols.as_ref() == Some(&rows) {
        return Err(invalid("cols", "Hàng và cột phải là hai chiều khác nhau.".into()));
    }
    let value = non_empty(&q.value).unwrap_or("count".into());
    let Some((_, value_label, _)) = s.values.iter().find(|(c, _, _)| *c == value) else {
        let v: Vec<&str> = s.values.iter().map(|(c, _, _)| *c).collect();
        return Err(invalid("value", format!("Sổ «{}» có các giá trị: {}.", s.label, v.join(", "))));
    };
    let years = match (q.from_year, q.to_year) {
        (None, None) => None,
        (a, b) => {
            let this = ctx.today().year();
            let (a, b) = (a.unwrap_or(2000), b.unwrap_or(this));
            if !(2000..=2100).contains(&a) || !(2000..=2100).contains(&b) || a > b {
                return Err(invalid(
                    "from_year",
                    "Năm đầu và năm cuối phải từ 2000 đến 2100, năm đầu không sau năm cuối.".into(),
                ));
            }
            Some((a, b))
        }
    };
    let spec = PivotSpec {
        rows: &rows,
        cols: cols.as_deref(),
        value: &value,
        province: province.as_deref(),
        commune: commune.as_deref(),
        years,
        maps,
    };
    let data = cells(&ctx.db, s, &spec).await?.ok_or_else(|| invalid("rows", "Chiều không hợp lệ.".into()))?;
    let row_keys: BTreeSet<String> = data.iter().map(|(r, _, _)| r.clone()).collect();
    let col_keys: BTreeSet<String> = data.iter().map(|(_, c, _)| c.clone()).collect();
    let row_labels = labels(ctx, s, &rows, &row_keys, maps).await?;
    let col_labels = match &cols {
        Some(c) => labels(ctx, s, c, &col_keys, maps).await?,
        None => HashMap::from([(String::new(), value_label.to_string())]),
    };
    let cell: HashMap<(&str, &str), i64> = data.iter().map(|(r, c, v)| ((r.as_str(), c.as_str()), *v)).collect();
    let columns: Vec<StatColumn> =
        col_keys.iter().map(|c| StatColumn { code: c.clone(), label: col_labels[c].clone(), milli: false }).collect();
    let place = (province.as_deref(), commune.as_deref());
    let mut table_rows = Vec::new();
    let mut links = Vec::new();
    let mut row_totals = Vec::new();
    for r in &row_keys {
        let values: Vec<i64> =
            col_keys.iter().map(|c| cell.get(&(r.as_str(), c.as_str())).copied().unwrap_or(0)).collect();
        row_totals.push(values.iter().sum());
        let mut row_links: Vec<Option<String>> = col_keys
            .iter()
            .map(|c| {
                let mut ds = vec![(rows.as_str(), r.as_str())];
                if let Some(cd) = &cols {
                    ds.push((cd.as_str(), c.as_str()));
                }
                link(s, &ds, place, years)
            })
            .collect();
        row_links.push(link(s, &[(rows.as_str(), r.as_str())], place, years));
        links.push(row_links);
        table_rows.push(StatRow { code: r.clone(), label: row_labels[r].clone(), values });
    }
    let header = |d: &str| match (d, &map) {
        ("map_province" | "map_commune", MapOf::Later { day, .. }) => {
            let level = if d == "map_province" { "Tỉnh, thành phố" } else { "Xã, phường, đặc khu" };
            format!("{level} (theo địa giới ngày {})", antq_domain::official::dmy(*day))
        }
        _ => known.iter().find(|(c, _)| *c == d).map_or(d.to_string(), |(_, l)| l.to_string()),
    };
    let row_header = header(&rows);
    let col_header = cols.as_deref().map(header).unwrap_or_default();
    let title = match years {
        Some((a, b)) if a == b => format!("{} — {} (năm {a})", s.label, value_label),
        Some((a, b)) => format!("{} — {} ({a}–{b})", s.label, value_label),
        None => format!("{} — {}", s.label, value_label),
    };
    Ok(Pivot {
        source: s.code.into(),
        rows,
        cols,
        value,
        years,
        table: StatTable::new(title, &row_header, columns, table_rows),
        col_header,
        row_totals,
        links,
    })
}

/// The pivot as XLSX: the column dimension's header merged over its keys, the rows' header and
/// the total merged over the two header rows.
pub fn xlsx(p: &Pivot) -> Vec<u8> {
    antq_interchange::pivot_xlsx(&p.table, &p.col_header, &p.row_totals)
}
