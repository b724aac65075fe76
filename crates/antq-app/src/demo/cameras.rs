//! Cameras in the demo: every province's monitoring centre, a centre in some communes, and in
//! most communes camera points at markets, junctions, school gates and alleys, installed over
//! the last six years, mostly socialised, owned by the commune's camera model where it has one;
//! a few broken, a few broken and repaired, a few removed. A commune in ten has none, so
//! coverage is not a foregone 100 %.

use antq_domain::camera::{
    CameraFields, CameraFunding, CameraKind, CameraStatus, CameraWatch, CentreFields, StatusChange,
};
use antq_domain::unit::Unit;
use antq_store::cameras::{self as store, NewCamera};
use antq_store::{Tx, models};
use chrono::{DateTime, Duration, Utc};

use super::{Rng, Sizes};
use crate::{AppCtx, AppResult};

const WATCHES: &[(CameraWatch, u64, &str)] = &[
    (CameraWatch::DuongGiaoThong, 35, "Nút giao"),
    (CameraWatch::KhuDanCu, 30, "Ngõ"),
    (CameraWatch::Cho, 10, "Cổng chợ"),
    (CameraWatch::CongTruong, 10, "Cổng trường"),
    (CameraWatch::CoSoTonGiao, 5, "Cổng chùa, nhà thờ"),
    (CameraWatch::BenXe, 3, "Bến xe, bến đò"),
    (CameraWatch::CoQuan, 4, "Trụ sở"),
    (CameraWatch::DiemDuLich, 3, "Quảng trường"),
];

const FUNDING: &[(CameraFunding, u64)] = &[
    (CameraFunding::XaHoiHoa, 50),
    (CameraFunding::NganSach, 25),
    (CameraFunding::DoanhNghiep, 15),
    (CameraFunding::HoGiaDinh, 10),
];

fn weighted<T: Copy>(rng: &mut Rng, v: &[(T, u64)]) -> T {
    let mut n = rng.next() % v.iter().map(|(_, w)| w).sum::<u64>();
    for (x, w) in v {
        if n < *w {
            return *x;
        }
        n -= w;
    }
    v[0].0
}

/// Cameras and centres of one province; returns the cameras written.
pub(super) async fn add(
    ctx: &AppCtx,
    tx: &mut Tx,
    (province, communes): (&Unit, &[Unit]),
    sz: &Sizes,
    rng: &mut Rng,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let today = ctx.today();
    let centre = |name: String| CentreFields { name, address: None, operator: Some("Công an".into()), note: None };
    let province_centre = store::insert_centre(
        tx,
        &province.code,
        None,
        &centre(format!("Trung tâm giám sát Công an {}", province.name)),
        now,
    )
    .await?;
    let camera_type = antq_store::model_types::list(&ctx.db, None)
        .await?
        .into_iter()
        .find(|t| t.code == "camera_giam_sat")
        .map(|t| t.id.0);
    let filter =
        models::ModelFilter { province: Some(province.code.clone()), type_id: camera_type, ..Default::default() };
    let camera_models = models::list_all(&ctx.db, &filter).await?;
    let mut fields = Vec::new();
    let mut places = Vec::new();
    for c in communes {
        if rng.chance(10) {
            continue;
        }
        let centre_id = if rng.chance(40) {
            Some(
                store::insert_centre(
                    tx,
                    &province.code,
                    Some(&c.code),
                    &centre(format!("Trung tâm camera {} {}", c.kind.label().to_lowercase(), c.name)),
                    now,
                )
                .await?,
            )
        } else {
            Some(province_centre)
        };
        let model = camera_models.iter().find(|m| m.commune_code.as_deref() == Some(c.code.as_str())).map(|m| m.id.0);
        for n in 1..=rng.range(sz.cameras.0, sz.cameras.1) {
            let (watches, place) = {
                let pairs: Vec<((CameraWatch, &str), u64)> = WATCHES.iter().map(|(w, p, l)| ((*w, *l), *p)).collect();
                weighted(rng, &pairs)
            };
            let funding = weighted(rng, FUNDING);
            let status = if rng.chance(8) { CameraStatus::Hong } else { CameraStatus::HoatDong };
            fields.push(CameraFields {
                name: format!("{place} số {n}"),
                address: None,
                coordinates: None,
                installed_on: today - Duration::days(rng.range(20, 6 * 365)),
                kind: if rng.chance(10) {
                    CameraKind::Ai
                } else if rng.chance(25) {
                    CameraKind::Ptz
                } else {
                    CameraKind::CoDinh
                },
                watches,
                funding,
                cost_vnd: rng.range(30, 250) * 100_000,
                keeper: Some(if funding == CameraFunding::HoGiaDinh {
                    "Hộ gia đình".into()
                } else {
                    "Tổ bảo vệ ANTT".into()
                }),
                note: None,
            });
            places.push((c.code.as_str(), status, model, centre_id));
        }
    }
    let rows: Vec<NewCamera<'_>> = fields
        .iter()
        .zip(&places)
        .map(|(f, (commune, status, model_id, centre_id))| NewCamera {
            province: &province.code,
            commune,
            area_id: None,
            establishment_id: None,
            model_id: *model_id,
            centre_id: *centre_id,
            fields: f,
            status: *status,
        })
        .collect();
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(5000) {
        ids.extend(store::insert_many(tx, chunk, "demo", now).await?);
    }
    // Some working cameras break later and some of those are repaired; a few are taken down.
    for (id, (f, (_, status, _, _))) in ids.iter().zip(fields.iter().zip(&places)) {
        if *status != CameraStatus::HoatDong || !rng.chance(2) {
            continue;
        }
        let camera = store::get_in(tx, *id).await?;
        let broke = f.installed_on + Duration::days(rng.range(1, (today - f.installed_on).num_days().max(2) - 1));
        let to = if rng.chance(30) { CameraStatus::DaThao } else { CameraStatus::Hong };
        let note = Some(
            if to == CameraStatus::DaThao { "Tháo dỡ do chỉnh trang đô thị" } else { "Mất nguồn điện" }.into(),
        );
        store::change_status(tx, &camera, &StatusChange { status: to, on: broke, note }, "demo", now).await?;
        if to == CameraStatus::Hong && rng.chance(50) && broke < today {
            let camera = store::get_in(tx, *id).await?;
            let fixed = StatusChange {
                status: CameraStatus::HoatDong,
                on: broke + Duration::days(rng.range(0, (today - broke).num_days().min(20))),
                note: Some("Đã sửa xong".into()),
            };
            store::change_status(tx, &camera, &fixed, "demo", now).await?;
        }
    }
    Ok(ids.len())
}
