//! The history of the administrative map for people (C1, issue 16): what a current unit came
//! from, what a former unit became, and former names found by search.

use std::collections::HashMap;

use antq_domain::access::Permission;
use antq_domain::page::{Page, PageRequest};
use antq_domain::succession::{FORMER_2025, FormerLevel, FormerUnit, Generation, Succession};
use antq_domain::unit::{Unit, UnitLevel};
use antq_store::former_units::{self, End, FormerQuery};

/// The registers whose rows keep a former place.
pub use antq_store::former_places::Placed;

use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppResult};

/// The unit at the other end of a step, named.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Step {
    /// The step.
    pub succession: Succession,
    /// Full name of the unit at the other end.
    pub name: String,
    /// Where it is (its district and province of the time, or its current province).
    pub place: String,
    /// Its page.
    pub href: String,
}

/// A former unit with where it was and what it became.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FormerView {
    /// The unit.
    pub unit: FormerUnit,
    /// Full name.
    pub name: String,
    /// Its district and province of the time, written out.
    pub place: String,
    /// Its map.
    pub generation: Generation,
    /// What it became.
    pub became: Vec<Step>,
}

/// The href of a former unit's page.
pub fn former_href(generation: &str, level: FormerLevel, code: &str) -> String {
    format!("/units/former/{generation}/{}/{code}", level.code())
}

/// Former units of one generation by `(level, code)`.
async fn former_map(
    ctx: &AppCtx,
    generation: &str,
    keys: Vec<(FormerLevel, String)>,
) -> AppResult<HashMap<(FormerLevel, String), FormerUnit>> {
    let units = former_units::many(&ctx.db, generation, &keys).await?;
    Ok(units.into_iter().map(|u| ((u.level, u.code.clone()), u)).collect())
}

/// "huyện Diên Khánh, tỉnh Khánh Hòa" for each former unit given (all of one generation).
async fn former_places(ctx: &AppCtx, units: &[&FormerUnit]) -> AppResult<Vec<String>> {
    let Some(first) = units.first() else { return Ok(Vec::new()) };
    let mut keys = Vec::new();
    for u in units {
        if u.level != FormerLevel::Province {
            keys.push((FormerLevel::Province, u.province_code.clone()));
        }
        if let Some(d) = &u.district_code {
            keys.push((FormerLevel::District, d.clone()));
        }
    }
    keys.sort();
    keys.dedup();
    let names = former_map(ctx, &first.generation, keys).await?;
    // The kind in lower case inside a place: "huyện Diên Khánh".
    let name = |level, code: &str| {
        names.get(&(level, code.to_string())).map(|u| format!("{} {}", u.kind.label().to_lowercase(), u.name))
    };
    Ok(units
        .iter()
        .map(|u| {
            let district = u.district_code.as_deref().and_then(|d| name(FormerLevel::District, d));
            let province = (u.level != FormerLevel::Province).then(|| name(FormerLevel::Province, &u.province_code));
            district.into_iter().chain(province.flatten()).collect::<Vec<_>>().join(", ")
        })
        .collect())
}

/// Steps into current units, named by today's units with their province.
async fn current_steps(ctx: &AppCtx, steps: Vec<Succession>) -> AppResult<Vec<Step>> {
    let mut codes: Vec<String> = steps.iter().map(|s| s.to_code.clone()).collect();
    codes.sort();
    codes.dedup();
    let units: HashMap<String, Unit> =
        antq_store::units::many(&ctx.db, &codes).await?.into_iter().map(|u| (u.code.clone(), u)).collect();
    let provinces = crate::units::names(ctx, units.values().filter_map(|u| u.parent_code.clone())).await?;
    Ok(steps
        .into_iter()
        .map(|s| {
            let u = units.get(&s.to_code);
            Step {
                name: u.map(Unit::full_name).unwrap_or_else(|| s.to_code.clone()),
                place: u
                    .and_then(|u| u.parent_code.as_ref())
                    .and_then(|p| provinces.get(p))
                    .cloned()
                    .unwrap_or_default(),
                href: format!("/units/{}", s.to_code),
                succession: s,
            }
        })
        .collect())
}

/// Steps whose other end (`other`) is a former unit, named with its place of the time.
async fn former_steps(
    ctx: &AppCtx,
    steps: Vec<Succession>,
    other: impl Fn(&Succession) -> (String, FormerLevel, String),
) -> AppResult<Vec<Step>> {
    let mut by_gen: HashMap<String, Vec<(FormerLevel, String)>> = HashMap::new();
    for s in &steps {
        let (g, l, c) = other(s);
        by_gen.entry(g).or_default().push((l, c));
    }
    let mut named: HashMap<(String, FormerLevel, String), (String, String)> = HashMap::new();
    for (g, keys) in by_gen {
        let units = former_map(ctx, &g, keys).await?;
        let list: Vec<&FormerUnit> = units.values().collect();
        let places = former_places(ctx, &list).await?;
        for (u, place) in list.into_iter().zip(places) {
            named.insert((g.clone(), u.level, u.code.clone()), (u.full_name(), place));
        }
    }
    Ok(steps
        .into_iter()
        .map(|s| {
            let (g, l, c) = other(&s);
            let href = former_href(&g, l, &c);
            let (name, place) = named.remove(&(g, l, c.clone())).unwrap_or((c, String::new()));
            Step { succession: s, name, place, href }
        })
        .collect())
}

/// The generation of an id.
async fn generation(ctx: &AppCtx, id: &str) -> AppResult<Generation> {
    former_units::generations(&ctx.db)
        .await?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or(crate::AppError::NotFound("bản đồ hành chính"))
}

/// What a set of former units of one generation became, as steps per unit.
async fn became_many(ctx: &AppCtx, generation: &str, units: &[&FormerUnit]) -> AppResult<Vec<Vec<Step>>> {
    let keys: Vec<(FormerLevel, String)> = units.iter().map(|u| (u.level, u.code.clone())).collect();
    let all = former_units::steps_from_many(&ctx.db, generation, &keys).await?;
    // A successor is a former unit where its map keeps it (it ended later), a current one otherwise.
    let mut targets: HashMap<String, Vec<(FormerLevel, String)>> = HashMap::new();
    for s in &all {
        targets.entry(s.to_generation.clone()).or_default().push((s.to_level, s.to_code.clone()));
    }
    let mut kept = std::collections::HashSet::new();
    for (g, keys) in targets {
        for u in former_units::many(&ctx.db, &g, &keys).await? {
            kept.insert((g.clone(), u.level, u.code));
        }
    }
    let (later, current): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|s| kept.contains(&(s.to_generation.clone(), s.to_level, s.to_code.clone())));
    let mut steps = current_steps(ctx, current).await?;
    steps.extend(former_steps(ctx, later, |s| (s.to_generation.clone(), s.to_level, s.to_code.clone())).await?);
    let mut by: HashMap<(FormerLevel, String), Vec<Step>> = HashMap::new();
    for s in steps {
        by.entry((s.succession.from_level, s.succession.from_code.clone())).or_default().push(s);
    }
    Ok(keys
        .into_iter()
        .map(|k| {
            let mut v = by.remove(&k).unwrap_or_default();
            v.sort_by_key(|s| (!s.succession.is_default, s.succession.to_code.clone()));
            v
        })
        .collect())
}

/// A former unit with its place and what it became.
#[tracing::instrument(skip_all)]
pub async fn former(
    ctx: &AppCtx,
    actor: &Actor,
    generation_id: &str,
    level: FormerLevel,
    code: &str,
) -> AppResult<FormerView> {
    actor.require(Permission::ReadRegistry)?;
    let g = generation(ctx, generation_id).await?;
    let unit = former_units::get(&ctx.db, generation_id, level, code).await.not_found_as("đơn vị hành chính cũ")?;
    let became = became_many(ctx, generation_id, &[&unit]).await?.pop().unwrap_or_default();
    let place = former_places(ctx, &[&unit]).await?.pop().unwrap_or_default();
    Ok(FormerView { name: unit.full_name(), place, generation: g, became, unit })
}

/// What a current unit came from (every former unit, whole or in part).
#[tracing::instrument(skip_all)]
pub async fn came_from(ctx: &AppCtx, actor: &Actor, code: &str) -> AppResult<Vec<Step>> {
    let unit = crate::units::get(ctx, actor, code).await?;
    let level = if unit.level == UnitLevel::Province { FormerLevel::Province } else { FormerLevel::Commune };
    // Into a unit of any later map: the units that made it, and itself before a rename.
    let mut steps = Vec::new();
    for g in former_units::generations(&ctx.db).await?.into_iter().filter(|g| g.id != FORMER_2025) {
        steps.extend(former_units::steps(&ctx.db, End::To, &g.id, level, &unit.code).await?);
    }
    former_steps(ctx, steps, |s| (s.generation.clone(), s.from_level, s.from_code.clone())).await
}

/// A former unit found by search, with where it was and what it is now.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FormerHit {
    /// The unit.
    pub unit: FormerUnit,
    /// Full name.
    pub name: String,
    /// Its district and province of the time.
    pub place: String,
    /// Its page.
    pub href: String,
    /// What it became (the default first).
    pub now: Vec<Step>,
}

/// Filters of [`search`].
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct FormerSearch {
    /// Text in the former name (with or without diacritics) or the code.
    pub q: Option<String>,
    /// `province`, `district` or `commune`.
    pub level: Option<String>,
    /// The former province's code.
    pub province: Option<String>,
    /// The former district's code.
    pub district: Option<String>,
    /// Map (default: every former map).
    pub generation: Option<String>,
}

/// One page of former units matching the filters, each with what it became.
#[tracing::instrument(skip_all)]
pub async fn search(ctx: &AppCtx, actor: &Actor, f: &FormerSearch, page: PageRequest) -> AppResult<Page<FormerHit>> {
    actor.require(Permission::ReadRegistry)?;
    let blank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(String::from);
    let level = match blank(&f.level) {
        None => None,
        Some(l) => Some(FormerLevel::from_code(&l).ok_or_else(|| {
            antq_domain::FieldErrors::single("level", "Cấp phải là province, district hoặc commune.")
        })?),
    };
    let q = FormerQuery {
        q: blank(&f.q),
        generation: blank(&f.generation),
        level,
        province: blank(&f.province),
        district: blank(&f.district),
    };
    let found = former_units::search(&ctx.db, &q, page).await?;
    let mut by_gen: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, u) in found.items.iter().enumerate() {
        match by_gen.iter_mut().find(|(g, _)| *g == u.generation) {
            Some((_, v)) => v.push(i),
            None => by_gen.push((u.generation.clone(), vec![i])),
        }
    }
    let mut places = vec![String::new(); found.items.len()];
    let mut now: Vec<Vec<Step>> = (0..found.items.len()).map(|_| Vec::new()).collect();
    for (g, idx) in by_gen {
        let units: Vec<&FormerUnit> = idx.iter().map(|i| &found.items[*i]).collect();
        for ((i, p), n) in idx.iter().zip(former_places(ctx, &units).await?).zip(became_many(ctx, &g, &units).await?) {
            places[*i] = p;
            now[*i] = n;
        }
    }
    let items = found
        .items
        .into_iter()
        .zip(places.into_iter().zip(now))
        .map(|(unit, (place, now))| FormerHit {
            name: unit.full_name(),
            href: former_href(&unit.generation, unit.level, &unit.code),
            place,
            now,
            unit,
        })
        .collect();
    Ok(Page { items, total: found.total, page: found.page, per_page: found.per_page })
}

/// The maps, oldest first.
pub async fn generations(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<Generation>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(former_units::generations(&ctx.db).await?)
}

/// The whole succession of a generation (default: the map that ended on 30 June 2025) as a
/// table with the names at both ends, as XLSX or CSV.
#[tracing::instrument(skip_all)]
pub async fn succession_file(
    ctx: &AppCtx,
    actor: &Actor,
    generation_id: Option<&str>,
    format: antq_interchange::Format,
) -> AppResult<Vec<u8>> {
    actor.require(Permission::ReadRegistry)?;
    let g = generation(ctx, generation_id.map(str::trim).filter(|g| !g.is_empty()).unwrap_or(FORMER_2025)).await?;
    let units: HashMap<(FormerLevel, String), FormerUnit> =
        former_units::all(&ctx.db, &g.id).await?.into_iter().map(|u| ((u.level, u.code.clone()), u)).collect();
    let steps = former_units::all_steps(&ctx.db, &g.id).await?;
    let current = crate::units::names(ctx, steps.iter().map(|s| s.to_code.clone())).await?;
    let name = |l: FormerLevel, c: &Option<String>| {
        c.as_ref().and_then(|c| units.get(&(l, c.clone()))).map(FormerUnit::full_name).unwrap_or_default()
    };
    let headers = [
        "Cấp cũ",
        "Mã cũ",
        "Tên cũ",
        "Huyện (cũ)",
        "Tỉnh (cũ)",
        "Mã mới",
        "Tên mới",
        "Hình thức",
        "Tỷ lệ (‰)",
        "Mặc định",
        "Căn cứ",
        "Hiệu lực từ",
    ];
    let body: Vec<Vec<String>> = steps
        .iter()
        .map(|s| {
            let u = units.get(&(s.from_level, s.from_code.clone()));
            vec![
                s.from_level.label().to_string(),
                s.from_code.clone(),
                u.map(FormerUnit::full_name).unwrap_or_default(),
                name(FormerLevel::District, &u.and_then(|u| u.district_code.clone())),
                if s.from_level == FormerLevel::Province {
                    String::new()
                } else {
                    name(FormerLevel::Province, &u.map(|u| u.province_code.clone()))
                },
                s.to_code.clone(),
                current.get(&s.to_code).cloned().unwrap_or_default(),
                s.relation.label().to_string(),
                s.weight_milli.to_string(),
                if s.is_default { "x".into() } else { String::new() },
                s.legal_basis.clone(),
                antq_domain::official::dmy(s.effective_on),
            ]
        })
        .collect();
    Ok(antq_interchange::write_headed(format, "Kế thừa ĐVHC", &headers, &body))
}

/// A record's former place written out ("Xã Vĩnh Lương, thành phố Nha Trang, tỉnh Khánh
/// Hòa") with the page of its most precise unit.
pub async fn describe(ctx: &AppCtx, p: &antq_domain::succession::FormerPlace) -> AppResult<(String, String)> {
    let (level, code) = match (&p.commune_code, &p.district_code) {
        (Some(c), _) => (FormerLevel::Commune, c.clone()),
        (None, Some(d)) => (FormerLevel::District, d.clone()),
        (None, None) => (FormerLevel::Province, p.province_code.clone()),
    };
    let u = former_units::get(&ctx.db, FORMER_2025, level, &code).await.not_found_as("đơn vị hành chính cũ")?;
    let place = former_places(ctx, &[&u]).await?.pop().unwrap_or_default();
    let name = if place.is_empty() { u.full_name() } else { format!("{}, {place}", u.full_name()) };
    Ok((name, former_href(FORMER_2025, level, &code)))
}

/// The day of an `as_of` (YYYY-MM-DD, optional; blank is none).
fn as_of_day(as_of: Option<&str>) -> AppResult<Option<chrono::NaiveDate>> {
    match as_of.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(None),
        Some(d) => Ok(Some(chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
            antq_domain::FieldErrors::single("as_of", format!("Ngày «{d}» không đúng dạng YYYY-MM-DD."))
        })?)),
    }
}

/// Whether `as_of` (YYYY-MM-DD, optional) is a day of the map that ended on 30 June 2025:
/// statistics of such a day group places as they were recorded then.
pub fn before_change(as_of: Option<&str>) -> AppResult<bool> {
    Ok(as_of_day(as_of)?.is_some_and(|d| d < antq_domain::succession::change_2025()))
}

/// The map of a day, as statistics read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MapOf {
    /// Today's map: no day, or a day of the current map.
    Current,
    /// The map that ended on 30 June 2025: the former place kept on each record.
    Former2025,
    /// A map after 1 July 2025 that has since ended, on `day`: `maps` holds its id and then
    /// each later map that ended, oldest first (a record's place is the one kept by the first
    /// of them that re-keyed it).
    Later {
        /// The map of the day, then the later ended ones.
        maps: Vec<String>,
        /// The day asked for.
        day: chrono::NaiveDate,
    },
}

/// The map of `as_of` (YYYY-MM-DD, optional).
pub async fn map_of(ctx: &AppCtx, as_of: Option<&str>) -> AppResult<MapOf> {
    let Some(day) = as_of_day(as_of)? else { return Ok(MapOf::Current) };
    if day < antq_domain::succession::change_2025() {
        return Ok(MapOf::Former2025);
    }
    // Oldest first: the store orders the maps by their last day, the current one last.
    let ended: Vec<(String, chrono::NaiveDate)> = former_units::generations(&ctx.db)
        .await?
        .into_iter()
        .filter(|g| g.id != FORMER_2025)
        .filter_map(|g| Some((g.id, g.valid_to?)))
        .collect();
    Ok(match ended.iter().position(|(_, last)| day <= *last) {
        None => MapOf::Current,
        Some(i) => MapOf::Later { maps: ended[i..].iter().map(|(g, _)| g.clone()).collect(), day },
    })
}

/// Names of units of a later ended map by code (provinces or communes): the units as that map
/// had them, then as the later maps had them, then as they are now.
pub async fn map_labels(
    ctx: &AppCtx,
    maps: &[String],
    province: bool,
    codes: &[String],
) -> AppResult<HashMap<String, String>> {
    let level = if province { FormerLevel::Province } else { FormerLevel::Commune };
    let mut out = HashMap::new();
    for g in maps {
        let wanted: Vec<(FormerLevel, String)> =
            codes.iter().filter(|c| !c.is_empty() && !out.contains_key(*c)).map(|c| (level, c.clone())).collect();
        for u in former_units::many(&ctx.db, g, &wanted).await? {
            out.insert(u.code.clone(), u.full_name());
        }
    }
    let rest: Vec<String> = codes.iter().filter(|c| !out.contains_key(*c)).cloned().collect();
    out.extend(antq_store::units::names(&ctx.db, &rest).await?);
    Ok(out)
}

/// Names of former units of one level by code, with the empty key (a record made in the
/// current map, which has no former place) named too.
pub async fn former_labels(ctx: &AppCtx, level: FormerLevel, codes: &[String]) -> AppResult<HashMap<String, String>> {
    let wanted: Vec<(FormerLevel, String)> =
        codes.iter().filter(|c| !c.is_empty()).map(|c| (level, c.clone())).collect();
    let mut m: HashMap<String, String> = former_units::many(&ctx.db, FORMER_2025, &wanted)
        .await?
        .into_iter()
        .map(|u| (u.code.clone(), u.full_name()))
        .collect();
    m.insert(String::new(), "(ghi theo địa giới mới, không có nơi cũ)".into());
    Ok(m)
}

/// Where a record was recorded before 1 July 2025, written out with its unit's page.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Recorded {
    /// The codes.
    pub place: antq_domain::succession::FormerPlace,
    /// "Xã Vĩnh Lương, thành phố Nha Trang, tỉnh Khánh Hòa".
    pub name: String,
    /// The page of its most precise unit.
    pub href: String,
}

/// The former place of one record of a register, if it has one.
pub async fn recorded(ctx: &AppCtx, what: antq_store::former_places::Placed, id: i64) -> AppResult<Option<Recorded>> {
    match antq_store::former_places::of(&ctx.db, what, &[id]).await?.remove(&id) {
        None => Ok(None),
        Some(place) => {
            let (name, href) = describe(ctx, &place).await?;
            Ok(Some(Recorded { place, name, href }))
        }
    }
}

/// The resolver of the map that ended on 30 June 2025 into the current map (through every
/// later change), for imports and forms: built once per current map from the whole former map.
pub async fn resolver(ctx: &AppCtx) -> AppResult<std::sync::Arc<antq_domain::succession::Resolver>> {
    let current = antq_store::unit_changes::current_generation(&ctx.db).await?;
    if let Some((g, r)) = ctx.former.read().await.as_ref()
        && *g == current
    {
        return Ok(r.clone());
    }
    let mut slot = ctx.former.write().await;
    if let Some((g, r)) = slot.as_ref()
        && *g == current
    {
        return Ok(r.clone());
    }
    let units = former_units::all(&ctx.db, FORMER_2025).await?;
    let first = former_units::all_steps(&ctx.db, FORMER_2025).await?;
    let mut later = Vec::new();
    for g in former_units::generations(&ctx.db).await? {
        if g.id != FORMER_2025 && g.valid_to.is_some() {
            later.extend(former_units::all_steps(&ctx.db, &g.id).await?);
        }
    }
    let steps = antq_domain::succession::compose(&first, &later);
    let r = std::sync::Arc::new(antq_domain::succession::Resolver::new(units, &steps));
    *slot = Some((current, r.clone()));
    Ok(r)
}
