//! The movement's year in the demo: in every commune the propaganda sessions, commitment
//! signings, publications, courses and drills of the last twelve months, one Ngày hội before
//! 19/8, one or two «Công an lắng nghe ý kiến Nhân dân» conferences with the opinions raised
//! there (most answered on the spot, some tasked, a few overdue), weapon surrenders with their
//! item lines, some activities linked to the commune's models; a few activities of the province
//! itself; and each commune's commendations, most decided, some still proposed.

use std::collections::BTreeMap;

use antq_domain::activity::opinion::OpinionFields;
use antq_domain::activity::{
    ActivityFields, ActivityKind, MeasureUnit, Medium, OrganiserKind, ShapeFields, TraineeKind, WeaponCategory,
    WeaponLine,
};
use antq_domain::commendation::{CommendationFields, CommendationForm, CommendationState, RecipientKind};
use antq_domain::model::Model;
use antq_domain::unit::Unit;
use antq_store::activities::{self as store, ActivityAt, NewActivity};
use antq_store::commendations::{self, NewCommendation};
use antq_store::{Tx, areas, models};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use super::{GIVEN, Rng, SURNAMES, Sizes, lower_first};
use crate::{AppCtx, AppError, AppResult};

/// `(activities, opinions, commendations)` written for one province.
pub(super) type Written = (usize, usize, usize);

/// How often each national kind is held, relative to the others (the Ngày hội and the
/// conferences are placed apart).
const WEIGHTS: &[(&str, u64)] = &[
    ("tuyen_truyen", 40),
    ("phat_hanh", 20),
    ("ky_cam_ket", 10),
    ("tap_huan", 6),
    ("giao_nop_vu_khi", 4),
    ("so_tong_ket", 4),
    ("phat_dong", 3),
    ("ra_mat_mo_hinh", 3),
    ("dien_tap", 2),
    ("hoi_thi", 2),
    ("ra_mat_luc_luong", 1),
];

const TOPICS: &[&str] = &[
    "phòng, chống ma túy",
    "phòng, chống lừa đảo qua mạng",
    "phòng cháy, chữa cháy",
    "bảo đảm trật tự an toàn giao thông",
    "phòng, chống tội phạm trộm cắp tài sản",
    "Luật Lực lượng tham gia bảo vệ ANTT ở cơ sở",
    "giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ",
    "phòng, chống mua bán người",
    "phòng, chống tín dụng đen",
    "bảo vệ an ninh mạng, tài khoản định danh điện tử",
];

const OPINION_TOPICS: &[(&str, &str)] = &[
    ("Trật tự giao thông", "Đề nghị tăng cường tuần tra, xử lý thanh thiếu niên đua xe vào ban đêm."),
    ("Ma túy", "Phản ánh có người lạ tụ tập nghi sử dụng ma túy ở khu nhà trọ."),
    ("Lừa đảo", "Người dân bị gọi điện giả danh Công an yêu cầu cài ứng dụng, đề nghị hướng dẫn cách phòng tránh."),
    ("Cư trú", "Hỏi thủ tục đăng ký thường trú cho con và thời gian giải quyết."),
    ("Camera an ninh", "Đề nghị lắp thêm camera tại ngã ba đường vào chợ."),
    ("Tiếng ồn", "Quán karaoke hoạt động quá giờ, ảnh hưởng sinh hoạt của khu dân cư."),
    ("Đất đai", "Tranh chấp lối đi chung giữa hai hộ kéo dài, đề nghị hòa giải."),
    ("Tín dụng đen", "Phản ánh tờ rơi cho vay lãi nặng dán ở cột điện."),
];

/// Kinds by code, the national ones.
fn by_code(kinds: &[ActivityKind]) -> BTreeMap<&str, &ActivityKind> {
    kinds.iter().filter_map(|k| k.code.as_deref().map(|c| (c, k))).collect()
}

fn pick_kind(rng: &mut Rng) -> &'static str {
    let mut n = rng.next() % WEIGHTS.iter().map(|(_, w)| w).sum::<u64>();
    for (code, w) in WEIGHTS {
        if n < *w {
            return code;
        }
        n -= w;
    }
    "tuyen_truyen"
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick_str(SURNAMES), rng.pick_str(GIVEN))
}

/// Where one commune's activities happen and who may organise or be linked to them.
struct Place<'a> {
    province: &'a str,
    commune: Option<&'a str>,
    /// "xã Ninh Hòa", "tỉnh Khánh Hòa".
    name: String,
    /// `(id, name)` of the areas.
    areas: Vec<(i64, String)>,
    /// Active models of the commune.
    models: Vec<&'a Model>,
}

/// The fields of one activity of `code`, held on `day`; `(fields, organiser model, linked models)`.
fn activity(code: &str, day: NaiveDate, place: &Place<'_>, rng: &mut Rng) -> (ActivityFields, Option<i64>, Vec<i64>) {
    let topic = rng.pick_str(TOPICS);
    let area = (!place.areas.is_empty()).then(|| rng.pick(&place.areas).clone());
    let location = match &area {
        Some((_, a)) => Some(format!("Nhà văn hóa {}", lower_first(a))),
        None => Some(format!("Hội trường {}", place.name)),
    };
    let police = format!("Công an {}", place.name);
    let mut shape = ShapeFields::default();
    let mut ends_on = day;
    let (title, participants) = match code {
        "tuyen_truyen" => (format!("Tuyên truyền {topic}"), rng.range(30, 220)),
        "phat_hanh" => {
            shape.medium = Some(*rng.pick(Medium::ALL));
            shape.publications = rng.range(1, 6);
            (format!("Tin bài tuyên truyền {topic}"), 0)
        }
        "ky_cam_ket" => {
            shape.commitment_topic = Some(format!("Không vi phạm pháp luật về {topic}"));
            shape.households = rng.range(40, 260);
            shape.individuals = rng.range(0, 120);
            shape.establishments = rng.range(0, 12);
            (format!("Ký cam kết {topic}"), shape.households + shape.individuals)
        }
        "tap_huan" => {
            ends_on = day + Duration::days(rng.range(0, 2));
            shape.training_topics = Some(format!("Nghiệp vụ, kỹ năng {topic}"));
            shape.trainees = rng.range(20, 90);
            shape.trainee_kind = Some(*rng.pick(TraineeKind::ALL));
            shape.certificates = if rng.chance(40) { shape.trainees } else { 0 };
            (format!("Tập huấn {topic}"), shape.trainees)
        }
        "giao_nop_vu_khi" => {
            const LINES: &[(WeaponCategory, MeasureUnit, i64, i64)] = &[
                (WeaponCategory::VuKhiThoSo, MeasureUnit::Chiec, 1_000, 12_000),
                (WeaponCategory::Phao, MeasureUnit::Kg, 500, 20_000),
                (WeaponCategory::SungTuChe, MeasureUnit::Khau, 1_000, 3_000),
                (WeaponCategory::Dan, MeasureUnit::Vien, 5_000, 200_000),
                (WeaponCategory::CongCuHoTro, MeasureUnit::Chiec, 1_000, 5_000),
                (WeaponCategory::VatLieuNo, MeasureUnit::Kg, 100, 2_000),
            ];
            let first = rng.range(0, LINES.len() as i64 - 1) as usize;
            for k in 0..rng.range(1, 3) as usize {
                let (category, unit, lo, hi) = LINES[(first + k) % LINES.len()];
                // Whole items are counted whole; kilograms to the gram.
                let q = rng.range(lo, hi);
                let quantity_milli = if unit == MeasureUnit::Kg { q } else { q / 1000 * 1000 };
                let handed_by = rng.chance(30).then(|| format!("Ông {}", person(rng)));
                shape.weapons.push(WeaponLine { category, unit, quantity_milli, handed_by });
            }
            shape.receiving_unit = Some(police.clone());
            shape.minutes_no = Some(format!("{}/BB-CA", rng.range(1, 300)));
            ("Vận động quần chúng giao nộp vũ khí, vật liệu nổ, công cụ hỗ trợ".to_string(), rng.range(10, 80))
        }
        "so_tong_ket" => (format!("Sơ kết phong trào toàn dân bảo vệ ANTQ {}", place.name), rng.range(40, 150)),
        "phat_dong" => (format!("Phát động phong trào {topic}"), rng.range(60, 250)),
        "ra_mat_mo_hinh" => ("Ra mắt mô hình tự quản về ANTT".to_string(), rng.range(50, 180)),
        "dien_tap" => ("Diễn tập phương án chữa cháy và cứu nạn, cứu hộ".to_string(), rng.range(30, 150)),
        "hoi_thi" => (format!("Hội thi tìm hiểu pháp luật về {topic}"), rng.range(40, 200)),
        "ra_mat_luc_luong" => ("Ra mắt Tổ bảo vệ ANTT".to_string(), rng.range(30, 120)),
        "ngay_hoi" => (format!("Ngày hội toàn dân bảo vệ ANTQ năm {}", day.year()), rng.range(150, 650)),
        _ => (format!("Hội nghị «Công an lắng nghe ý kiến Nhân dân» {}", place.name), rng.range(60, 200)),
    };
    let mut groups = [0; 5];
    if participants > 0 && rng.chance(50) {
        groups[0] = participants * rng.range(50, 80) / 100;
        groups[4] = participants * rng.range(5, 20) / 100;
        if rng.chance(30) {
            groups[1] = (participants - groups[0] - groups[4]) / 2;
        }
    }
    let model = (!place.models.is_empty() && rng.chance(25)).then(|| rng.pick(&place.models).id.0);
    let (organiser_kind, organiser_name, organiser_model) = match rng.range(0, 9) {
        0..=5 => (OrganiserKind::CongAn, Some(police), None),
        6 => (OrganiserKind::ChinhQuyen, Some(format!("Ủy ban nhân dân {}", place.name)), None),
        7 | 8 if model.is_none() || code == "phat_hanh" => {
            let org = rng.pick_str(&["Ủy ban MTTQ Việt Nam", "Hội Phụ nữ", "Đoàn Thanh niên", "Hội Cựu chiến binh"]);
            (OrganiserKind::MatTranDoanThe, Some(format!("{org} {}", place.name)), None)
        }
        _ => match model {
            Some(m) => (OrganiserKind::MoHinh, None, Some(m)),
            None => (OrganiserKind::CongAn, Some(police), None),
        },
    };
    let fields = ActivityFields {
        title,
        starts_on: day,
        ends_on,
        location: if code == "phat_hanh" { None } else { location },
        organiser_kind,
        organiser_name,
        participants,
        groups,
        shape,
        note: None,
    };
    (fields, organiser_model, model.into_iter().collect())
}

/// The opinions raised at one conference held on `day`: answered on the spot, or tasked with
/// a deadline (some of those already past).
fn opinions(day: NaiveDate, place: &Place<'_>, rng: &mut Rng) -> Vec<OpinionFields> {
    (0..rng.range(2, 4))
        .map(|_| {
            let (topic, content) = *rng.pick(OPINION_TOPICS);
            let raised_by = rng.chance(60).then(|| format!("{} {}", rng.pick_str(&["Ông", "Bà"]), person(rng)));
            let on_the_spot = rng.chance(60);
            OpinionFields {
                raised_by,
                topic: topic.into(),
                content: content.into(),
                answer: on_the_spot.then(|| "Đã giải đáp tại hội nghị; Công an xã tiếp thu, triển khai.".into()),
                tasked_unit: (!on_the_spot).then(|| format!("Công an {}", place.name)),
                due_on: (!on_the_spot).then(|| day + Duration::days(rng.range(10, 45))),
            }
        })
        .collect()
}

/// The commune's activities of the last twelve months (or the province's own when `place`
/// has no commune).
fn year_of(place: &Place<'_>, kinds: &BTreeMap<&str, &ActivityKind>, n: i64, today: NaiveDate, rng: &mut Rng) -> Plan {
    let mut plan = Plan::default();
    let push = |code: &str, day: NaiveDate, rng: &mut Rng, plan: &mut Plan| {
        if let Some(kind) = kinds.get(code) {
            let (fields, organiser, linked) = activity(code, day, place, rng);
            let opinions = if kind.shape == antq_domain::activity::ActivityShape::HoiNghi {
                opinions(day, place, rng)
            } else {
                Vec::new()
            };
            plan.rows.push(((*kind).clone(), fields, organiser, linked, opinions));
        }
    };
    for _ in 0..n {
        let day = today - Duration::days(rng.range(0, 364));
        push(pick_kind(rng), day, rng, &mut plan);
    }
    if place.commune.is_some() {
        // The Ngày hội in the province's window, ending by 19/8.
        let year = if (today.month(), today.day()) >= (8, 19) { today.year() } else { today.year() - 1 };
        let feast = NaiveDate::from_ymd_opt(year, 8, 19).unwrap_or(today) - Duration::days(rng.range(0, 40));
        push("ngay_hoi", feast, rng, &mut plan);
        for _ in 0..rng.range(1, 2) {
            push("hoi_nghi_lang_nghe", today - Duration::days(rng.range(0, 364)), rng, &mut plan);
        }
    }
    plan
}

/// One activity to write: kind, fields, organising model, linked models, opinions.
type Planned = (ActivityKind, ActivityFields, Option<i64>, Vec<i64>, Vec<OpinionFields>);

#[derive(Default)]
struct Plan {
    rows: Vec<Planned>,
}

/// Writes the activities and commendations of one province in `tx`.
pub(super) async fn add(
    ctx: &AppCtx,
    tx: &mut Tx,
    (province, communes): (&Unit, &[Unit]),
    sz: &Sizes,
    rng: &mut Rng,
    now: DateTime<Utc>,
) -> AppResult<Written> {
    let today = ctx.today();
    let kinds = store::kinds(&ctx.db, None).await?;
    let kinds = by_code(&kinds);
    let filter = areas::RegistryFilter { province: Some(province.code.clone()), ..Default::default() };
    let mut areas_of: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for a in areas::list_all(&ctx.db, &filter).await? {
        areas_of.entry(a.commune_code.clone()).or_default().push((a.id.0, a.name));
    }
    let all_models =
        models::list_all(&ctx.db, &models::ModelFilter { province: Some(province.code.clone()), ..Default::default() })
            .await?;
    let mut models_of: BTreeMap<&str, Vec<&Model>> = BTreeMap::new();
    for m in all_models.iter().filter(|m| m.state.is_active()) {
        models_of.entry(m.commune_code.as_deref().unwrap_or("")).or_default().push(m);
    }
    let mut places = vec![Place {
        province: &province.code,
        commune: None,
        name: format!("{} {}", province.kind.label().to_lowercase(), province.name),
        areas: Vec::new(),
        models: models_of.get("").cloned().unwrap_or_default(),
    }];
    for c in communes {
        places.push(Place {
            province: &province.code,
            commune: Some(&c.code),
            name: format!("{} {}", c.kind.label().to_lowercase(), c.name),
            areas: areas_of.remove(&c.code).unwrap_or_default(),
            models: models_of.get(c.code.as_str()).cloned().unwrap_or_default(),
        });
    }
    let (mut written, mut raised, mut commended) = (0, 0, 0);
    for place in &places {
        let n = match place.commune {
            Some(_) => rng.range(sz.activities.0, sz.activities.1),
            None => rng.range(10, 25),
        };
        let plan = year_of(place, &kinds, n, today, rng);
        let rows: Vec<NewActivity<'_>> = plan
            .rows
            .iter()
            .map(|(kind, fields, organiser, linked, _)| NewActivity {
                province: place.province,
                commune: place.commune,
                area_id: None,
                establishment_id: None,
                kind,
                fields,
                organiser_model_id: *organiser,
                organiser_team_id: None,
                model_ids: linked,
            })
            .collect();
        let ids = store::insert_many(tx, &rows, "demo", now).await?;
        written += ids.len();
        for (id, (kind, fields, _, _, opinions)) in ids.iter().zip(&plan.rows) {
            let at = ActivityAt {
                id: *id,
                province_code: place.province,
                commune_code: place.commune,
                kind_id: kind.id,
                starts_on: fields.starts_on,
            };
            for o in opinions {
                store::insert_opinion(tx, at, o, "demo", now).await?;
                raised += 1;
            }
        }
        if place.commune.is_some() {
            commended += add_commendations(tx, place, sz, rng, today, now).await?;
        }
    }
    Ok((written, raised, commended))
}

/// A commune's commendations: last year's decided by the commune and the province, this
/// year's sơ kết decided in July, and a few proposals still on their way.
async fn add_commendations(
    tx: &mut Tx,
    place: &Place<'_>,
    sz: &Sizes,
    rng: &mut Rng,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let last = today.year() - 1;
    let mut rows: Vec<(CommendationFields, String, Option<i64>, CommendationState, NaiveDate)> = Vec::new();
    for _ in 0..rng.range(sz.commendations.0, sz.commendations.1) {
        let form = match rng.range(0, 9) {
            0..=4 => CommendationForm::GiayKhenUbndXa,
            5..=7 => CommendationForm::GiayKhenGiamDoc,
            8 => CommendationForm::GiayKhenTruongCaXa,
            _ => CommendationForm::BangKhenUbndTinh,
        };
        let model = (!place.models.is_empty() && rng.chance(40)).then(|| rng.pick(&place.models));
        let (kind, name, model_id) = match model {
            Some(m) => (RecipientKind::MoHinh, m.name.clone(), Some(m.id.0)),
            None if rng.chance(50) && !place.areas.is_empty() => {
                (RecipientKind::TapThe, format!("Nhân dân và cán bộ {}", lower_first(&rng.pick(&place.areas).1)), None)
            }
            None => (RecipientKind::CongDan, format!("{} {}", rng.pick_str(&["Ông", "Bà"]), person(rng)), None),
        };
        let (state, movement_year, decided) = match rng.range(0, 9) {
            0..=5 => (CommendationState::DaQuyetDinh, last, NaiveDate::from_ymd_opt(last, 12, rng.range(5, 28) as u32)),
            6 | 7 if today.month() > 7 => {
                (CommendationState::DaQuyetDinh, today.year(), NaiveDate::from_ymd_opt(today.year(), 7, 20))
            }
            _ => (CommendationState::DeXuat, today.year(), None),
        };
        let decided = decided.unwrap_or(today).min(today);
        let number = rng.range(1, 999);
        let decision = (state == CommendationState::DaQuyetDinh).then(|| {
            let sign = if form.fixed_level().is_some_and(|l| l.is_commune()) { "QĐ-UBND" } else { "QĐ-CAT" };
            (format!("{number}/{sign}"), decided)
        });
        let level = form.fixed_level().unwrap_or(antq_domain::commendation::CommendationLevel::Xa);
        let cash = match level {
            antq_domain::commendation::CommendationLevel::Xa => rng.range(2, 10) * 100_000,
            _ => rng.range(5, 30) * 100_000,
        };
        let reason = if kind == RecipientKind::CongDan {
            "Có thành tích cung cấp thông tin giúp cơ quan Công an phát hiện, bắt giữ đối tượng phạm tội".to_string()
        } else {
            format!("Có thành tích xuất sắc trong phong trào toàn dân bảo vệ ANTQ năm {movement_year}")
        };
        let fields = CommendationFields {
            form,
            level,
            authority: form.authority().to_string(),
            reason,
            movement_year,
            campaign: None,
            recipient_kind: kind,
            recipient_name: Some(name.clone()),
            citizen_id: None,
            tenure_years: None,
            prior_commendations: None,
            cash_vnd: if decision.is_some() { cash } else { 0 },
            decision,
            note: None,
        };
        rows.push((fields, name, model_id, state, decided - Duration::days(rng.range(10, 40))));
    }
    let new: Vec<NewCommendation<'_>> = rows
        .iter()
        .map(|(fields, name, model_id, state, proposed)| NewCommendation {
            province: place.province,
            commune: place.commune,
            fields,
            recipient_name: name,
            establishment_id: None,
            model_id: *model_id,
            team_id: None,
            member_id: None,
            citizen_last4: None,
            medal_key: None,
            eligibility: None,
            state: *state,
            by: "demo",
            today: *proposed,
        })
        .collect();
    Ok(commendations::insert_many(tx, &new, now).await.map_err(AppError::from)?.len())
}
