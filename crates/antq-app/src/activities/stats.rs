//! Activity statistics by place, kind or month of a year's months, and the items handed in by
//! category, read from the totals the register keeps; every place of the scope is a row, so a
//! commune that held nothing shows as a row of zeros.

use std::collections::HashMap;

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::activity::{Measures, WeaponCategory};
use antq_domain::table::{StatColumn, StatRow, StatTable, column};
use antq_store::activities::{self as store, Group, TotalsQuery};
use chrono::{Datelike, NaiveDate};

use crate::areas::non_empty;
use crate::{Actor, AppCtx, AppResult};

/// The statistics asked for.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ActivityStatsQuery {
    /// Year (default: this year).
    pub year: Option<i32>,
    /// First month (default 1).
    pub from_month: Option<u32>,
    /// Last month (default 12).
    pub to_month: Option<u32>,
    /// Province (national scope).
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Only this kind.
    pub kind_id: Option<i64>,
    /// Rows: `place` (default), `kind`, `month`, `place_kind` (places × kinds) or `weapons`
    /// (places × items handed in); or the place recorded before 1 July 2025:
    /// `legacy_province`, `legacy_district`, `legacy_commune`.
    pub by: Option<String>,
    /// The map of a day (YYYY-MM-DD): before 1 July 2025, `place` is the former province
    /// (nationally) or district.
    pub as_of: Option<String>,
}

/// What the rows and columns are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatsBy {
    /// Places × measures.
    Place,
    /// Kinds × measures.
    Kind,
    /// Months × measures.
    Month,
    /// Places × kinds (activities held).
    PlaceKind,
    /// Places × items handed in.
    Weapons,
}

impl StatsBy {
    /// Every choice with its code.
    pub const ALL: &'static [(StatsBy, &'static str, &'static str)] = &[
        (StatsBy::Place, "place", "Theo địa bàn"),
        (StatsBy::Kind, "kind", "Theo loại hoạt động"),
        (StatsBy::Month, "month", "Theo tháng"),
        (StatsBy::PlaceKind, "place_kind", "Địa bàn × loại hoạt động"),
        (StatsBy::Weapons, "weapons", "Vũ khí, vật liệu nổ, công cụ hỗ trợ thu hồi"),
    ];
}

/// The checked query.
struct Checked {
    year: i32,
    from_month: u32,
    to_month: u32,
    province: Option<String>,
    commune: Option<String>,
    by: StatsBy,
}

impl ActivityStatsQuery {
    fn checked(&self, actor: &Actor, today: NaiveDate) -> AppResult<Checked> {
        let (province, commune) = actor.narrow(non_empty(&self.province), non_empty(&self.commune))?;
        let mut e = FieldErrors::new();
        let year = self.year.unwrap_or(today.year());
        if !(2000..=2100).contains(&year) {
            e.add("year", "Năm phải từ 2000 đến 2100.");
        }
        let from_month = self.from_month.unwrap_or(1);
        let to_month = self.to_month.unwrap_or(12);
        if !(1..=12).contains(&from_month) || !(1..=12).contains(&to_month) {
            e.add("from_month", "Tháng phải từ 1 đến 12.");
        } else if from_month > to_month {
            e.add("to_month", "Tháng cuối không được trước tháng đầu.");
        }
        let by = match non_empty(&self.by) {
            None => StatsBy::Place,
            Some(b) => StatsBy::ALL.iter().find(|(_, c, _)| *c == b).map(|x| x.0).unwrap_or_else(|| {
                e.add("by", format!("Không thống kê theo «{b}». Chọn: place, kind, month, place_kind, weapons, legacy_province, legacy_district, legacy_commune."));
                StatsBy::Place
            }),
        };
        e.into_result(Checked { year, from_month, to_month, province, commune, by }).map_err(Into::into)
    }
}

/// The rows every place of the scope gets: the provinces nationally, a province's communes
/// (and the province's own activities, code `""`), or the one commune.
pub(crate) async fn scope_places(
    ctx: &AppCtx,
    province: Option<&str>,
    commune: Option<&str>,
) -> AppResult<Vec<(String, String)>> {
    Ok(match (province, commune) {
        (None, _) => crate::units::provinces(ctx).await?.into_iter().map(|u| (u.code.clone(), u.full_name())).collect(),
        (Some(p), None) => {
            let mut v = vec![(String::new(), "Cấp tỉnh (Công an tỉnh, các sở, ngành)".to_string())];
            v.extend(crate::units::communes_of(ctx, p).await?.into_iter().map(|u| (u.code.clone(), u.full_name())));
            v
        }
        (Some(_), Some(c)) => {
            let names = crate::units::names(ctx, std::iter::once(c.to_string())).await?;
            vec![(c.to_string(), names.get(c).cloned().unwrap_or_else(|| c.to_string()))]
        }
    })
}

fn measure_columns(with_overdue: bool) -> Vec<StatColumn> {
    let mut cols: Vec<StatColumn> = Measures::COLUMNS.iter().map(|(c, l)| column(*c, *l)).collect();
    if with_overdue {
        cols.insert(4, column("overdue", "Ý kiến quá hạn chưa trả lời"));
    }
    cols
}

fn measure_values(m: &Measures, overdue: Option<i64>) -> Vec<i64> {
    let mut v = m.values().to_vec();
    if let Some(o) = overdue {
        v.insert(4, o);
    }
    v
}

/// The table asked for, in the actor's scope.
#[tracing::instrument(skip_all)]
pub async fn table(ctx: &AppCtx, actor: &Actor, q: &ActivityStatsQuery) -> AppResult<StatTable> {
    actor.require(Permission::ReadRegistry)?;
    let today = ctx.today();
    let national = actor.scope.province().is_none();
    let former = crate::former_stats::level_of(q.by.as_deref(), q.as_of.as_deref(), national)?;
    let q = &ActivityStatsQuery { by: if former.is_some() { None } else { q.by.clone() }, ..q.clone() };
    let c = q.checked(actor, today)?;
    if let Some(level) = former {
        use crate::former_stats::{FormerColumn, row_header, table, window};
        if q.kind_id.is_some() {
            return Err(FieldErrors::single(
                "kind_id",
                "Thống kê theo địa giới cũ tính mọi loại hoạt động; bỏ chọn loại.",
            )
            .into());
        }
        use antq_store::official::Measure;
        const COLUMNS: &[FormerColumn] = &[
            FormerColumn { measure: Measure::Activities, index: 0, code: "sessions", label: "Số hoạt động" },
            FormerColumn {
                measure: Measure::Activities, index: 1, code: "participants", label: "Lượt người tham gia"
            },
        ];
        let title = format!("Hoạt động phong trào năm {} theo {}", c.year, row_header(level).to_lowercase());
        let place = (c.province.as_deref(), c.commune.as_deref());
        return table(ctx, title, COLUMNS, level, place, window(c.year, (c.from_month, c.to_month))).await;
    }
    let tq = TotalsQuery {
        year: c.year,
        from_month: c.from_month,
        to_month: c.to_month,
        province: c.province.as_deref(),
        commune: c.commune.as_deref(),
        kind_id: q.kind_id,
    };
    let period = format!(
        "{} {}",
        if (c.from_month, c.to_month) == (1, 12) {
            "năm".to_string()
        } else {
            format!("tháng {}–{}", c.from_month, c.to_month)
        },
        c.year
    );
    let from = NaiveDate::from_ymd_opt(c.year, c.from_month, 1).unwrap_or(today);
    let to = NaiveDate::from_ymd_opt(c.year + i32::from(c.to_month == 12), c.to_month % 12 + 1, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(today);
    let kinds = store::kinds(&ctx.db, c.province.as_deref()).await?;
    let kind_name: HashMap<i64, String> = kinds.iter().map(|k| (k.id, k.name.clone())).collect();
    let overdue_of = || async {
        let rows =
            store::overdue_counts(&ctx.db, (c.province.as_deref(), c.commune.as_deref()), (from, to), today).await?;
        AppResult::Ok(rows.into_iter().filter(|(_, k, _)| q.kind_id.is_none_or(|want| want == *k)).collect::<Vec<_>>())
    };
    Ok(match c.by {
        StatsBy::Place => {
            let got: HashMap<String, Measures> =
                store::totals(&ctx.db, &tq, Group::Place).await?.into_iter().map(|(k, _, m)| (k, m)).collect();
            let mut overdue: HashMap<String, i64> = HashMap::new();
            for (place, _, n) in overdue_of().await? {
                *overdue.entry(place).or_default() += n;
            }
            let rows = scope_places(ctx, c.province.as_deref(), c.commune.as_deref())
                .await?
                .into_iter()
                .map(|(code, label)| {
                    let m = got.get(&code).copied().unwrap_or_default();
                    let values = measure_values(&m, Some(overdue.get(&code).copied().unwrap_or(0)));
                    StatRow { code, label, values }
                })
                .collect();
            StatTable::new(
                format!("Hoạt động phong trào {period} theo địa bàn"),
                "Địa bàn",
                measure_columns(true),
                rows,
            )
        }
        StatsBy::Kind => {
            let got: HashMap<i64, Measures> =
                store::totals(&ctx.db, &tq, Group::Kind).await?.into_iter().map(|(_, k, m)| (k, m)).collect();
            let mut overdue: HashMap<i64, i64> = HashMap::new();
            for (_, k, n) in overdue_of().await? {
                *overdue.entry(k).or_default() += n;
            }
            let rows = kinds
                .iter()
                .filter(|k| q.kind_id.is_none_or(|want| want == k.id))
                .filter(|k| k.active || got.contains_key(&k.id))
                .map(|k| StatRow {
                    code: k.id.to_string(),
                    label: k.name.clone(),
                    values: measure_values(
                        &got.get(&k.id).copied().unwrap_or_default(),
                        Some(overdue.get(&k.id).copied().unwrap_or(0)),
                    ),
                })
                .collect();
            StatTable::new(
                format!("Hoạt động phong trào {period} theo loại"),
                "Loại hoạt động",
                measure_columns(true),
                rows,
            )
        }
        StatsBy::Month => {
            let got: HashMap<String, Measures> =
                store::totals(&ctx.db, &tq, Group::Month).await?.into_iter().map(|(k, _, m)| (k, m)).collect();
            let rows = (c.from_month..=c.to_month)
                .map(|m| StatRow {
                    code: m.to_string(),
                    label: format!("Tháng {m}/{}", c.year),
                    values: measure_values(&got.get(&m.to_string()).copied().unwrap_or_default(), None),
                })
                .collect();
            StatTable::new(format!("Hoạt động phong trào {period} theo tháng"), "Tháng", measure_columns(false), rows)
        }
        StatsBy::PlaceKind => {
            let mut got: HashMap<(String, i64), i64> = HashMap::new();
            for (place, kind, m) in store::totals(&ctx.db, &tq, Group::PlaceKind).await? {
                got.insert((place, kind), m.sessions);
            }
            let shown: Vec<_> = kinds
                .iter()
                .filter(|k| q.kind_id.is_none_or(|want| want == k.id))
                .filter(|k| k.active || got.keys().any(|(_, id)| *id == k.id))
                .collect();
            let cols = shown.iter().map(|k| column(k.id.to_string(), kind_name[&k.id].clone())).collect();
            let rows = scope_places(ctx, c.province.as_deref(), c.commune.as_deref())
                .await?
                .into_iter()
                .map(|(code, label)| {
                    let values = shown.iter().map(|k| got.get(&(code.clone(), k.id)).copied().unwrap_or(0)).collect();
                    StatRow { code, label, values }
                })
                .collect();
            StatTable::new(format!("Số hoạt động {period} theo địa bàn và loại"), "Địa bàn", cols, rows)
        }
        StatsBy::Weapons => {
            let pairs = WeaponCategory::pairs();
            let cols = pairs
                .iter()
                .map(|(cat, unit)| StatColumn {
                    code: format!("{}.{}", cat.code(), unit.code()),
                    label: format!("{} ({})", cat.label(), unit.label()),
                    milli: true,
                })
                .collect();
            let mut got: HashMap<(String, String, String), i64> = HashMap::new();
            for w in store::weapon_totals(&ctx.db, &tq).await? {
                got.insert((w.place, w.category, w.unit), w.milli);
            }
            let rows = scope_places(ctx, c.province.as_deref(), c.commune.as_deref())
                .await?
                .into_iter()
                .map(|(code, label)| {
                    let values = pairs
                        .iter()
                        .map(|(cat, unit)| {
                            got.get(&(code.clone(), cat.code().to_string(), unit.code().to_string()))
                                .copied()
                                .unwrap_or(0)
                        })
                        .collect();
                    StatRow { code, label, values }
                })
                .collect();
            StatTable::new(format!("Vũ khí, vật liệu nổ, công cụ hỗ trợ thu hồi {period}"), "Địa bàn", cols, rows)
        }
    })
}

/// The table as an XLSX (or CSV) file.
pub async fn export(
    ctx: &AppCtx,
    actor: &Actor,
    q: &ActivityStatsQuery,
    format: antq_interchange::Format,
) -> AppResult<Vec<u8>> {
    let t = table(ctx, actor, q).await?;
    Ok(table_file(&t, format))
}

/// Any statistics table as a file.
pub fn table_file(t: &StatTable, format: antq_interchange::Format) -> Vec<u8> {
    let headers = t.headers();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    antq_interchange::write_headed(format, &t.title, &headers, &t.text_rows())
}
