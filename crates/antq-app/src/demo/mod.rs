//! `antq demo`: a realistic, deterministic dataset so a newcomer sees a living system, and
//! the national-size dataset the benchmarks run on.

mod activities;
mod cameras;
mod force;
mod reports;
mod targets;

use std::collections::HashMap;

use antq_domain::antt::AnttSubject;
use antq_domain::area::{AreaFields, AreaKind};
use antq_domain::establishment::{EstablishmentFields, EstablishmentKind};
use antq_domain::ids::{ModelId, SiteId};
use antq_domain::model::{
    HostOrg, Model, ModelFields, ModelLevel, ModelScope, ModelState, OriginKind, Site, SiteFields, SiteState,
    TeamFields,
};
use antq_domain::succession::FormerPlace;
use antq_domain::unit::{Unit, UnitKind, UnitLevel};
use antq_store::{areas, establishments, models, units};
use chrono::{Duration, NaiveDate};

use crate::{AppCtx, AppError, AppResult};

/// What to generate.
#[derive(Clone, Debug)]
pub enum Scope {
    /// Every commune of one province.
    Province(String),
    /// Every commune of the country.
    National,
}

/// Counts of what was generated.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Communes filled.
    pub communes: usize,
    /// Residential areas.
    pub areas: usize,
    /// Establishments.
    pub establishments: usize,
    /// Models.
    pub models: usize,
    /// Sites.
    pub sites: usize,
    /// Teams.
    pub teams: usize,
    /// Yearly model ratings.
    pub ratings: usize,
    /// "An toàn về ANTT" records of last year.
    pub recognitions: usize,
    /// Crime reports and tips.
    pub reports: usize,
    /// Tổ bảo vệ ANTT.
    pub force_teams: usize,
    /// Their members and applicants.
    pub force_members: usize,
    /// Movement activities of the last twelve months.
    pub activities: usize,
    /// Opinions raised at the conferences.
    pub opinions: usize,
    /// Commendations.
    pub commendations: usize,
    /// Camera points.
    pub cameras: usize,
    /// This year's targets of the provinces and communes.
    pub targets: usize,
}

/// SplitMix64: tiny, fast and stable across versions, so a seed always gives the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }

    fn pick_str(&mut self, v: &[&'static str]) -> &'static str {
        v[(self.next() % v.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
    "Lý",
];
const GIVEN: &[&str] = &[
    "Văn An",
    "Thị Bình",
    "Văn Cường",
    "Thị Dung",
    "Minh Đức",
    "Thị Hà",
    "Quang Hải",
    "Thị Hoa",
    "Văn Hùng",
    "Thị Lan",
    "Văn Long",
    "Thị Mai",
    "Văn Nam",
    "Thị Ngọc",
    "Văn Phúc",
    "Thị Quỳnh",
    "Văn Sơn",
    "Thị Thu",
    "Văn Tuấn",
    "Thị Yến",
];

/// Kind and name prefix of residential areas, by region and commune kind.
fn area_style(province: &str, commune_kind: UnitKind, rng: &mut Rng) -> (AreaKind, &'static str) {
    let p: u32 = province.parse().unwrap_or(0);
    match commune_kind {
        UnitKind::Phuong if p >= 75 => (AreaKind::KhuPho, "Khu phố"),
        UnitKind::Phuong => (AreaKind::ToDanPho, "Tổ dân phố"),
        _ if p >= 75 => (AreaKind::Ap, "Ấp"),
        _ if matches!(p, 4 | 8 | 11 | 12 | 14 | 15 | 19 | 20) && rng.chance(50) => (AreaKind::Ban, "Bản"),
        _ if matches!(p, 64 | 66 | 68) && rng.chance(40) => (AreaKind::Buon, "Buôn"),
        _ => (AreaKind::Thon, "Thôn"),
    }
}

/// Name patterns of models by type code; `{a}` is an area, `{c}` the commune, `{s}` a surname.
fn model_name(code: &str, rng: &mut Rng) -> &'static str {
    let options: &[&'static str] = match code {
        "phong_chong_toi_pham" => {
            &["Tổ tự quản phòng, chống tội phạm {a}", "Khu dân cư không có tội phạm {a}", "Tổ tuần tra nhân dân {a}"]
        }
        "phong_chong_ma_tuy" => {
            &["Khu dân cư không có ma túy {a}", "Câu lạc bộ phòng, chống ma túy {c}", "Tổ tư vấn cai nghiện {c}"]
        }
        "tai_hoa_nhap_cong_dong" => {
            &["Giúp đỡ người chấp hành xong án phạt tù tái hòa nhập {c}", "Mô hình \"5 giúp 1\" {a}"]
        }
        "trat_tu_atgt" => {
            &["Đoạn đường tự quản về ANTT {a}", "Cổng trường an toàn giao thông {c}", "Tổ đưa đón học sinh {a}"]
        }
        "tu_quan_dong_ho" => &["Dòng họ {s} tự quản về ANTT", "Dòng họ {s} không có người vi phạm pháp luật"],
        "tu_quan_ton_giao" => &["Xứ đạo bình yên {c}", "Chùa tự quản về ANTT {c}", "Giáo xứ an toàn {a}"],
        "phong_chay_chua_chay" => &["Tổ liên gia an toàn PCCC {a}", "Điểm chữa cháy công cộng {a}"],
        "camera_giam_sat" => &["Camera giám sát ANTT {a}", "Camera an ninh {c}"],
        "to_an_ninh_nhan_dan" => &["Tổ an ninh nhân dân {a}", "Tổ liên gia tự quản {a}", "Tiếng kẻng an ninh {a}"],
        "hoa_giai_co_so" => &["Tổ hòa giải {a}", "Tổ hòa giải tranh chấp đất đai {c}"],
        "cum_lien_ket_antt" => &["Cụm liên kết bảo đảm ANTT {c}", "Liên kết ANTT vùng giáp ranh {c}"],
        "cau_lac_bo" => &[
            "Câu lạc bộ pháp luật {c}",
            "Câu lạc bộ Cựu chiến binh với ANTT {c}",
            "Câu lạc bộ phụ nữ với pháp luật {a}",
        ],
        "ho_gia_dinh_1_2" => &["Hộ gia đình \"1+2\" {a}", "Hộ gia đình \"1+3\" {a}"],
        _ => &["Nông dân tham gia bảo vệ ANTT {c}", "Hộ kinh doanh an toàn {a}", "Chợ an toàn {c}"],
    };
    rng.pick_str(options)
}

fn host_for(code: &str, rng: &mut Rng) -> HostOrg {
    match code {
        "tu_quan_dong_ho" => HostOrg::DongHo,
        "tu_quan_ton_giao" => HostOrg::TonGiao,
        "cau_lac_bo" => *rng.pick(&[HostOrg::HoiCcb, HostOrg::HoiPhuNu, HostOrg::DoanThanhNien]),
        "hoa_giai_co_so" => HostOrg::Mttq,
        _ => *rng.pick(&[
            HostOrg::CongAn,
            HostOrg::CongAn,
            HostOrg::ChinhQuyen,
            HostOrg::Mttq,
            HostOrg::HoiCcb,
            HostOrg::HoiPhuNu,
            HostOrg::DoanThanhNien,
            HostOrg::HoiNongDan,
        ]),
    }
}

fn state_for(rng: &mut Rng) -> ModelState {
    match rng.range(0, 99) {
        0..=69 => ModelState::HoatDong,
        70..=79 => ModelState::CanCungCo,
        80..=84 => ModelState::DaRaMat,
        85..=89 => ModelState::XayDung,
        90..=94 => ModelState::DeXuat,
        _ => ModelState::DaThanhLoai,
    }
}

/// Lower-cases the first word only ("Tổ dân phố 3" → "tổ dân phố 3", "Ấp 2" → "ấp 2").
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

/// Per-commune sizes.
struct Sizes {
    areas: (i64, i64),
    establishments: (i64, i64),
    models: (i64, i64),
    sites: (i64, i64),
    teams: (i64, i64),
    /// Crime reports per commune, received within the last `report_days`.
    reports: (i64, i64),
    report_days: i64,
    /// Activities per commune in the last twelve months (besides its Ngày hội and conferences).
    activities: (i64, i64),
    /// Commendations per commune.
    commendations: (i64, i64),
    /// Camera points per commune that has any (one commune in ten has none).
    cameras: (i64, i64),
}

/// Generates the dataset. Refuses when the target already has residential areas, so running
/// it twice does not double the data.
#[tracing::instrument(skip_all)]
pub async fn generate(ctx: &AppCtx, scope: Scope, seed: u64, force_members: Option<usize>) -> AppResult<Summary> {
    let all = units::search(
        &ctx.db,
        &units::UnitQuery { level: Some(UnitLevel::Province), limit: 100, ..Default::default() },
    )
    .await?;
    let provinces: Vec<Unit> = match &scope {
        Scope::National => all,
        Scope::Province(code) => {
            let p: Vec<Unit> = all.into_iter().filter(|u| &u.code == code).collect();
            if p.is_empty() {
                return Err(antq_domain::FieldErrors::single(
                    "province",
                    format!("Không có tỉnh, thành phố mã «{code}»."),
                )
                .into());
            }
            p
        }
    };
    let province_filter = match &scope {
        Scope::Province(c) => Some(c.as_str()),
        Scope::National => None,
    };
    if !antq_store::keys::keys(&ctx.db, antq_store::keys::Keyed::Areas, province_filter, None).await?.is_empty() {
        return Err(AppError::Conflict(
            "Địa bàn này đã có dữ liệu; dữ liệu mẫu chỉ tạo trên cơ sở dữ liệu trống.".into(),
        ));
    }
    let sizes = match scope {
        Scope::Province(_) => Sizes {
            areas: (8, 24),
            establishments: (3, 8),
            models: (2, 7),
            sites: (0, 4),
            teams: (0, 3),
            reports: (10, 30),
            report_days: 730,
            activities: (30, 60),
            commendations: (2, 5),
            cameras: (5, 40),
        },
        Scope::National => {
            // About a million reports: some six years of a national duty-desk volume.
            Sizes {
                areas: (10, 28),
                establishments: (2, 6),
                models: (5, 11),
                sites: (1, 7),
                teams: (0, 2),
                reports: (250, 354),
                report_days: 6 * 365,
                // About a million activities: a commune holds six or so a week.
                activities: (280, 340),
                commendations: (2, 5),
                // About 500,000 cameras: some 170 in a commune that has them.
                cameras: (110, 225),
            }
        }
    };
    let types = antq_store::model_types::list(&ctx.db, None).await?;
    let former = predecessors(ctx).await?;
    let mut rng = Rng(seed);
    let mut sum = Summary::default();
    let mut evaluations = Vec::new();
    let mut province_communes = Vec::new();
    for province in &provinces {
        let communes = units::search(
            &ctx.db,
            &units::UnitQuery {
                level: Some(UnitLevel::Commune),
                parent: Some(province.code.clone()),
                limit: 1000,
                ..Default::default()
            },
        )
        .await?;
        evaluations.push((
            province.code.clone(),
            generate_province(ctx, province, &communes, &types, &sizes, &former, &mut rng, &mut sum).await?,
        ));
        province_communes.push((province, communes));
    }
    // Evaluations come in a second pass so the registries stay contiguous in the file.
    let (today, now) = (ctx.today(), ctx.now());
    for (province, e) in evaluations {
        let mut tx = ctx.db.begin().await?;
        for (commune, subjects) in &e.subjects {
            sum.recognitions += add_recognitions(&mut tx, (&province, commune), subjects, &mut rng, today, now).await?;
        }
        add_ratings(&mut tx, &province, &e.rated, &mut rng, today, now, &mut sum).await?;
        tx.commit().await?;
    }
    // The base-level force, one transaction per province.
    for (province, _) in &province_communes {
        let mut tx = ctx.db.begin().await?;
        let (teams, members) = force::add(ctx, &mut tx, province, &mut rng, force_members, now).await?;
        force::add_rates(&mut tx, &province.code, now).await?;
        tx.commit().await?;
        sum.force_teams += teams;
        sum.force_members += members;
    }
    // The movement's year: activities and commendations, one transaction per province.
    for (province, communes) in &province_communes {
        let mut tx = ctx.db.begin().await?;
        let (a, o, c) = activities::add(ctx, &mut tx, (province, communes), &sizes, &mut rng, now).await?;
        sum.cameras += cameras::add(ctx, &mut tx, (province, communes), &sizes, &mut rng, now).await?;
        tx.commit().await?;
        sum.activities += a;
        sum.opinions += o;
        sum.commendations += c;
    }
    // Crime reports last: the biggest table, in one transaction per province.
    let mut seq = seed.wrapping_mul(1 << 20);
    for (province, communes) in &province_communes {
        let mut tx = ctx.db.begin().await?;
        sum.reports += reports::add(ctx, &mut tx, (province, communes), &sizes, &mut rng, &mut seq).await?;
        tx.commit().await?;
    }
    // Targets read what the registers hold, so they come after everything else.
    for (province, communes) in &province_communes {
        let mut tx = ctx.db.begin().await?;
        sum.targets += targets::add(ctx, &mut tx, (province, communes), &mut rng).await?;
        tx.commit().await?;
    }
    ctx.db.after_bulk_load().await?;
    tracing::info!(models = sum.models, sites = sum.sites, "demo generated");
    Ok(sum)
}

/// The former communes each current commune was formed from (whole or in part).
async fn predecessors(ctx: &AppCtx) -> AppResult<HashMap<String, Vec<FormerPlace>>> {
    use antq_domain::succession::{FORMER_2025, FormerLevel};
    let units: HashMap<String, antq_domain::succession::FormerUnit> =
        antq_store::former_units::all(&ctx.db, FORMER_2025)
            .await?
            .into_iter()
            .filter(|u| u.level == FormerLevel::Commune)
            .map(|u| (u.code.clone(), u))
            .collect();
    let mut out: HashMap<String, Vec<FormerPlace>> = HashMap::new();
    for s in antq_store::former_units::all_steps(&ctx.db, FORMER_2025).await? {
        if let (FormerLevel::Commune, Some(u)) = (s.to_level, units.get(&s.from_code)) {
            out.entry(s.to_code).or_default().push(FormerPlace {
                province_code: u.province_code.clone(),
                district_code: u.district_code.clone(),
                commune_code: Some(u.code.clone()),
            });
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
async fn generate_province(
    ctx: &AppCtx,
    province: &Unit,
    communes: &[Unit],
    types: &[antq_domain::model::ModelType],
    sz: &Sizes,
    former: &HashMap<String, Vec<FormerPlace>>,
    rng: &mut Rng,
    sum: &mut Summary,
) -> AppResult<Evaluated> {
    let now = ctx.now();
    let today = ctx.today();
    let valid_from = antq_store::seed::units_valid_from();
    let mut tx = ctx.db.begin().await?;
    let mut rated: Vec<RatedModel> = Vec::new();
    let mut recognitions = Vec::new();
    for commune in communes {
        sum.communes += 1;
        let (kind, prefix) = area_style(&province.code, commune.kind, rng);
        let mut area_ids = Vec::new();
        for i in 1..=rng.range(sz.areas.0, sz.areas.1) {
            let households = rng.range(80, 650);
            let f = AreaFields {
                name: format!("{prefix} {i}"),
                kind,
                households: Some(households),
                population: Some(households * rng.range(3, 5)),
                special_zone: commune.kind == UnitKind::DacKhu || rng.range(0, 9) == 0,
                note: None,
            };
            let id = areas::insert(&mut tx, &province.code, &commune.code, &f, valid_from, now).await?;
            area_ids.push((id.0, f.name));
        }
        sum.areas += area_ids.len();
        let commune_name = format!("{} {}", commune.kind.label(), commune.name);
        // "xã Ninh Hòa", "thôn 3": the kind in lower case, proper names kept.
        let commune_lc = format!("{} {}", commune.kind.label().to_lowercase(), commune.name);
        let mut establishment_ids = Vec::new();
        let mut subjects: Vec<DemoSubject> =
            area_ids.iter().map(|(id, name)| (AnttSubject::KhuDanCu, Some(*id), None, name.clone())).collect();
        for i in 0..rng.range(sz.establishments.0, sz.establishments.1) {
            let (kind, name, sub) = match i % 4 {
                0 => (EstablishmentKind::CoQuan, format!("Ủy ban nhân dân {commune_name}"), "Cơ quan hành chính"),
                1 => (EstablishmentKind::CoSoGiaoDuc, format!("Trường THCS {}", commune.name), "Trường THCS"),
                2 => (
                    EstablishmentKind::DoanhNghiep,
                    format!("Công ty TNHH {} {}", rng.pick(SURNAMES), rng.range(1, 99)),
                    "Công ty TNHH",
                ),
                _ => (
                    EstablishmentKind::CoSoGiaoDuc,
                    format!("Trường Tiểu học {} số {}", commune.name, i),
                    "Trường Tiểu học",
                ),
            };
            let f = EstablishmentFields {
                primary_or_preschool: sub == "Trường Tiểu học",
                small_enterprise: kind == EstablishmentKind::DoanhNghiep && rng.chance(60),
                name,
                kind,
                sub_type: Some(sub.into()),
                address: Some(commune_name.clone()),
                armed_forces: false,
                note: None,
            };
            let id = establishments::insert(&mut tx, &province.code, &commune.code, &f, valid_from, now).await?;
            establishment_ids.push(id.0);
            if !f.primary_or_preschool && !f.small_enterprise {
                subjects.push((AnttSubject::of_establishment(f.kind), None, Some(id.0), f.name.clone()));
            }
        }
        sum.establishments += establishment_ids.len();
        for _ in 0..rng.range(sz.models.0, sz.models.1) {
            let t = rng.pick(types);
            let (area_id, area_name) = rng.pick(&area_ids).clone();
            let name = model_name(&t.code, rng)
                .replace("{a}", &lower_first(&area_name))
                .replace("{c}", &commune_lc)
                .replace("{s}", rng.pick_str(SURNAMES));
            let province_level = rng.chance(1);
            let level = if province_level {
                ModelLevel::Tinh
            } else if rng.chance(55) {
                ModelLevel::KhuDanCu
            } else {
                ModelLevel::Xa
            };
            let origin_kind = if level == ModelLevel::KhuDanCu { OriginKind::KhuDanCu } else { OriginKind::Xa };
            let registered = today - Duration::days(rng.range(60, 3000));
            let state = state_for(rng);
            let host_org = host_for(&t.code, rng);
            let f = ModelFields {
                name: if province_level { format!("{} (cấp tỉnh)", name) } else { name },
                type_id: t.id.0,
                level,
                origin_kind,
                origin_area_id: (origin_kind == OriginKind::KhuDanCu && !province_level).then_some(area_id),
                origin_establishment_id: None,
                origin_note: None,
                host_org,
                host_note: None,
                scope: if rng.chance(30) { ModelScope::ToanDien } else { ModelScope::ChuyenDe },
                field_note: None,
                registered_on: Some(registered),
                members: Some(rng.range(5, 60)),
                funding_state: rng.range(0, 20) * 1_000_000,
                funding_social: rng.range(0, 200) * 500_000,
                channels: rng.chance(40).then(|| format!("Nhóm Zalo \"{}\"", t.name)),
                description: None,
            };
            let f = ModelFields { field_note: (f.scope == ModelScope::ChuyenDe).then(|| t.name.clone()), ..f };
            let commune_code = (!province_level).then_some(commune.code.as_str());
            let since = registered + Duration::days(rng.range(10, 50));
            let id =
                models::insert(&mut tx, &province.code, commune_code, &f, state, Some(since.min(today)), now).await?;
            // A model begun before the 2025 map was recorded in one of the former communes.
            if registered < antq_domain::succession::change_2025()
                && let Some(places) = commune_code.and_then(|c| former.get(c))
            {
                let place = rng.pick(places);
                antq_store::former_places::set(&mut tx, antq_store::former_places::Placed::Models, &[(id.0, place)])
                    .await?;
            }
            models::insert_history(
                &mut tx,
                id,
                &province.code,
                commune_code,
                None,
                "demo",
                "create",
                &format!("Tạo dữ liệu mẫu «{}»", f.name),
                &[],
                now,
            )
            .await?;
            sum.models += 1;
            if state != ModelState::DeXuat && state != ModelState::XayDung {
                let stub = Model::stub(id, &province.code, commune_code);
                models::insert_event(&mut tx, &stub, "ra_mat", since.min(today), None, None, now).await?;
            }
            if state.is_active() {
                let unit = commune_code.unwrap_or(&province.code).to_string();
                rated.push(RatedModel {
                    id: id.0,
                    type_id: t.id.0,
                    unit,
                    commune: commune_code.map(Into::into),
                    since,
                });
            }
            sum.sites +=
                add_sites(&mut tx, id, province, communes, commune, &area_ids, sz, rng, registered, sum, now).await?;
        }
        recognitions.push((commune.clone(), subjects));
    }
    tx.commit().await?;
    Ok(Evaluated { rated, subjects: recognitions })
}

/// What a province's evaluations are generated from.
struct Evaluated {
    rated: Vec<RatedModel>,
    subjects: Vec<(Unit, Vec<DemoSubject>)>,
}

/// A subject of "An toàn về ANTT": type, area, establishment, name.
type DemoSubject = (AnttSubject, Option<i64>, Option<i64>, String);

/// Last year's "An toàn về ANTT": most units registered in quarter I, most of those
/// recognised; the commune recognised when at least 70 % of its units were.
async fn add_recognitions(
    tx: &mut antq_store::Tx,
    (province, commune): (&str, &Unit),
    subjects: &[DemoSubject],
    rng: &mut Rng,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<usize> {
    use antq_domain::antt::AnttState;
    use antq_store::antt::{DemoRecord, NewRecord, insert_many};
    use chrono::Datelike;
    let year = today.year() - 1;
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).unwrap_or(today);
    let commune_name = format!("{} {}", commune.kind.label(), commune.name);
    let mut rows = Vec::new();
    let mut recognised = 0;
    for (subject, area_id, establishment_id, name) in subjects {
        if !rng.chance(92) {
            continue;
        }
        let state = if rng.chance(85) { AnttState::Dat } else { AnttState::ChuaDat };
        recognised += usize::from(state == AnttState::Dat);
        let evaluated = if *subject == AnttSubject::KhuDanCu { day(10, 20) } else { day(11, 10) };
        rows.push(DemoRecord {
            new: NewRecord {
                year,
                subject: *subject,
                area_id: *area_id,
                establishment_id: *establishment_id,
                province_code: province,
                commune_code: &commune.code,
                subject_name: name,
                registered_on: day(2, rng.range(1, 28) as u32),
                households_pct: (*subject == AnttSubject::KhuDanCu).then_some(100),
                note: None,
            },
            state,
            evaluated_on: Some(evaluated),
            decided_on: Some(day(12, 5)),
        });
    }
    let commune_state = if !subjects.is_empty() && recognised * 100 >= subjects.len() * 70 {
        AnttState::Dat
    } else {
        AnttState::ChuaDat
    };
    rows.push(DemoRecord {
        new: NewRecord {
            year,
            subject: AnttSubject::Xa,
            area_id: None,
            establishment_id: None,
            province_code: province,
            commune_code: &commune.code,
            subject_name: &commune_name,
            registered_on: day(3, 1),
            households_pct: None,
            note: None,
        },
        state: commune_state,
        evaluated_on: Some(day(11, 12)),
        decided_on: Some(day(12, 20)),
    });
    insert_many(tx, &rows, "demo", now).await?;
    Ok(rows.len())
}

/// An active model of the demo, for its yearly ratings.
struct RatedModel {
    id: i64,
    type_id: i64,
    unit: String,
    commune: Option<String>,
    since: NaiveDate,
}

/// Five approved yearly rounds with a rating for each model that had operated six months by
/// the end of the period, and this year's round open.
async fn add_ratings(
    tx: &mut antq_store::Tx,
    province: &str,
    models: &[RatedModel],
    rng: &mut Rng,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
    sum: &mut Summary,
) -> AppResult<()> {
    use antq_domain::rating::{RatingLevel, RoundFields};
    use antq_store::ratings::{self, DemoRating, NewRating};
    use chrono::Datelike;
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(today);
    for year in today.year() - 5..=today.year() {
        let f = RoundFields {
            year,
            window_from: day(year - 1, 11, 16),
            window_to: day(year, 11, 15),
            deadline: day(year, 11, 30),
        };
        let round = ratings::insert_round(tx, province, &f, "demo", now).await?;
        if year == today.year() {
            continue;
        }
        let rows: Vec<DemoRating> = models
            .iter()
            .filter(|m| antq_domain::rules::months_between(m.since, f.window_to) >= 6)
            .map(|m| {
                let (rating, score) = match rng.range(0, 99) {
                    0..=39 => (RatingLevel::Tot, rng.range(80, 100)),
                    40..=69 => (RatingLevel::Kha, rng.range(65, 79)),
                    70..=87 => (RatingLevel::TrungBinh, rng.range(50, 64)),
                    88..=94 => (RatingLevel::CanThanhLoai, rng.range(10, 49)),
                    _ => (RatingLevel::ChuaDanhGia, 0),
                };
                DemoRating {
                    target: NewRating {
                        round_id: round,
                        year,
                        unit_code: &m.unit,
                        province_code: province,
                        commune_code: m.commune.as_deref(),
                        model_id: m.id,
                        site_id: None,
                        type_id: m.type_id,
                        criteria_set_id: Some(1),
                        approved: true,
                    },
                    rating,
                    score,
                }
            })
            .collect();
        sum.ratings += rows.len();
        ratings::insert_many(tx, &rows, "demo", now).await?;
        ratings::approve_all(tx, round, "demo", now).await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn add_sites(
    tx: &mut antq_store::Tx,
    model: ModelId,
    province: &Unit,
    communes: &[Unit],
    home: &Unit,
    area_ids: &[(i64, String)],
    sz: &Sizes,
    rng: &mut Rng,
    registered: NaiveDate,
    sum: &mut Summary,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<usize> {
    let n = rng.range(sz.sites.0, sz.sites.1) as usize;
    for i in 0..n {
        // Most replication happens in the home commune; some spreads to neighbours.
        let (commune, area) =
            if rng.chance(75) { (home, Some(rng.pick(area_ids))) } else { (rng.pick(communes), None) };
        let name = match area {
            Some((_, a)) => format!("Điểm {a}"),
            None => format!("Điểm {} {}", commune.kind.label().to_lowercase(), commune.name),
        };
        let f = SiteFields {
            name,
            commune_code: commune.code.clone(),
            area_id: area.map(|(id, _)| *id),
            establishment_id: None,
            started_on: Some(registered + Duration::days(30 * (i as i64 + 1))),
            state: if rng.chance(90) { SiteState::HoatDong } else { SiteState::TamDung },
            note: None,
        };
        let site_id: SiteId = models::insert_site(tx, model, &province.code, &f, now).await?;
        let site = Site {
            id: site_id,
            model_id: model.0,
            province_code: province.code.clone(),
            commune_code: f.commune_code.clone(),
            name: f.name.clone(),
            area_id: f.area_id,
            establishment_id: None,
            started_on: f.started_on,
            state: f.state,
            note: None,
            teams: Vec::new(),
        };
        for k in 1..=rng.range(sz.teams.0, sz.teams.1) {
            let leader = format!("{} {}", rng.pick(SURNAMES), rng.pick(GIVEN));
            models::insert_team(
                tx,
                &site,
                &TeamFields { name: format!("Tổ số {k}"), members: Some(rng.range(3, 15)), leader: Some(leader) },
                now,
            )
            .await?;
            sum.teams += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic() {
        let (mut a, mut b) = (Rng(7), Rng(7));
        let xs: Vec<i64> = (0..100).map(|_| a.range(1, 6)).collect();
        let ys: Vec<i64> = (0..100).map(|_| b.range(1, 6)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|x| (1..=6).contains(x)));
        assert!(xs.contains(&1) && xs.contains(&6));
    }
}
