//! Security cameras (C3): the register of camera points with their dated status changes, the
//! monitoring centres, the cameras of a model, and the coverage read from the kept totals.

use std::collections::{HashMap, hash_map::Entry};

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::camera::{
    Camera, CameraFields, CameraFunding, CameraInput, CameraStatus, Centre, CentreInput, Coverage, StatusChangeInput,
    StatusEntry,
};
use antq_domain::model::parse_date;
use antq_domain::page::{Page, PageRequest};
use antq_domain::rules::{RuleCode, RuleValue};
use antq_domain::table::{StatColumn, StatRow, StatTable, column};
use antq_store::cameras::{self as store, CameraFilter, NewCamera};
use chrono::{Duration, NaiveDate};

use crate::areas::non_empty;
use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::links::{PlaceLinks, found};
use crate::{Actor, AppCtx, AppError, AppResult};

pub mod files;

/// List filters as the user gives them.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct CameraQuery {
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Residential area id.
    pub area_id: Option<i64>,
    /// Owning model id.
    pub model_id: Option<i64>,
    /// Monitoring centre id.
    pub centre_id: Option<i64>,
    /// Status code (`hoat_dong`, `hong`, `da_thao`).
    pub status: Option<String>,
    /// Funding code.
    pub funding: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// Installed from this day.
    pub installed_from: Option<String>,
    /// Installed until this day.
    pub installed_to: Option<String>,
    /// Only cameras broken for at least this many days (rule `camera_broken_days` when empty
    /// and `status=hong_lau`).
    pub broken_days: Option<i64>,
    /// Words of the name or address.
    pub q: Option<String>,
}

impl CameraQuery {
    /// The store filter, narrowed to the actor's scope; `today` dates the broken-for-long cut.
    pub fn filter(&self, actor: &Actor, today: NaiveDate) -> AppResult<CameraFilter> {
        let (province, commune) = actor.narrow(non_empty(&self.province), non_empty(&self.commune))?;
        let mut e = FieldErrors::new();
        let mut day = |field: &str, raw: &Option<String>| {
            let raw = non_empty(raw)?;
            parse_date(&raw).or_else(|| {
                e.add(field, format!("Ngày «{raw}» không hợp lệ (dd/mm/yyyy)."));
                None
            })
        };
        let installed_from = day("installed_from", &self.installed_from);
        let installed_to = day("installed_to", &self.installed_to);
        let mut status = non_empty(&self.status);
        if let Some(s) = &status
            && CameraStatus::from_code(s).is_none()
        {
            e.add("status", format!("Trạng thái «{s}» không hợp lệ. Chọn một trong: {}.", CameraStatus::labels_list()));
        }
        let since_before = match self.broken_days {
            Some(d) if !(0..=3650).contains(&d) => {
                e.add("broken_days", "Số ngày hỏng phải từ 0 đến 3.650.");
                None
            }
            Some(d) => {
                status = Some(CameraStatus::Hong.code().into());
                Some(today - Duration::days(d))
            }
            None => None,
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        Ok(CameraFilter {
            province,
            commune,
            area_id: self.area_id,
            model_id: self.model_id,
            centre_id: self.centre_id,
            status,
            funding: non_empty(&self.funding),
            kind: non_empty(&self.kind),
            installed_from,
            installed_to,
            since_before,
            q: non_empty(&self.q),
            standing: false,
        })
    }
}

/// One page of cameras in scope.
pub async fn list(ctx: &AppCtx, actor: &Actor, q: &CameraQuery, page: PageRequest) -> AppResult<Page<Camera>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::list_page(&ctx.db, &q.filter(actor, ctx.today())?, page).await?)
}

/// Every camera in scope matching the filters (exports).
pub async fn list_all(ctx: &AppCtx, actor: &Actor, q: &CameraQuery) -> AppResult<Vec<Camera>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::list_all(&ctx.db, &q.filter(actor, ctx.today())?).await?)
}

/// One camera, if in scope.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Camera> {
    let c = store::get(&ctx.db, id).await.not_found_as("camera")?;
    actor.require_in_scope(Permission::ReadRegistry, &c.province_code, Some(&c.commune_code))?;
    Ok(c)
}

/// A camera with its status history and the statuses it may move to.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CameraDetail {
    /// The camera.
    #[serde(flatten)]
    pub camera: Camera,
    /// Status changes, oldest first.
    pub history: Vec<StatusEntry>,
    /// Statuses it may move to.
    pub next: Vec<CameraStatus>,
    /// Where it was recorded before 1 July 2025, if it was.
    pub former: Option<crate::lineage::Recorded>,
}

/// One camera with its history.
pub async fn detail(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<CameraDetail> {
    let camera = get(ctx, actor, id).await?;
    Ok(CameraDetail {
        history: store::history(&ctx.db, id).await?,
        next: camera.status.next().to_vec(),
        former: crate::lineage::recorded(ctx, antq_store::former_places::Placed::Cameras, id).await?,
        camera,
    })
}

/// A camera ready to be written.
pub(crate) struct Resolved {
    pub(crate) province: String,
    pub(crate) commune: String,
    pub(crate) fields: CameraFields,
    pub(crate) status: CameraStatus,
    pub(crate) input: CameraInput,
}

impl Resolved {
    pub(crate) fn new_camera(&self) -> NewCamera<'_> {
        NewCamera {
            province: &self.province,
            commune: &self.commune,
            area_id: self.input.area_id,
            establishment_id: self.input.establishment_id,
            model_id: self.input.model_id,
            centre_id: self.input.centre_id,
            fields: &self.fields,
            status: self.status,
        }
    }
}

/// Resolves cameras' links, caching across the rows of an import.
#[derive(Default)]
pub(crate) struct Links {
    place: PlaceLinks,
    centres: HashMap<i64, Option<Centre>>,
}

impl Links {
    /// Checks `input` for `actor`: the commune is in scope (the actor's own commune when none
    /// is given), the area and establishment are the commune's, the model and the centre the
    /// province's (a commune's centre only for its own cameras).
    pub(crate) async fn resolve(
        &mut self,
        ctx: &AppCtx,
        actor: &Actor,
        input: &CameraInput,
    ) -> AppResult<Result<Resolved, FieldErrors>> {
        let mut e = FieldErrors::new();
        let code = non_empty(&input.commune_code).or_else(|| actor.scope.commune().map(Into::into));
        let place = match code {
            None => {
                e.add("commune_code", "Chọn xã, phường, đặc khu nơi đặt camera.");
                None
            }
            Some(c) => self.place.commune(ctx, &c, &mut e).await?,
        };
        if let Some((p, c)) = &place
            && !actor.scope.contains(p, Some(c))
        {
            e.add("commune_code", "Xã này nằm ngoài địa bàn bạn được giao.");
        }
        let fields = input.validate(ctx.today()).map_err(|err| e.0.extend(err.0)).ok();
        let status = input.initial_status().map_err(|err| e.0.extend(err.0)).ok();
        if let Some((p, c)) = &place {
            self.place.area(ctx, input.area_id, c, "đặt camera", &mut e).await?;
            self.place.establishment(ctx, input.establishment_id, c, "đặt camera", &mut e).await?;
            self.place.model(ctx, "model_id", input.model_id, (p, Some(c)), "đặt camera", &mut e).await?;
            if let Some(id) = input.centre_id {
                if let Entry::Vacant(slot) = self.centres.entry(id) {
                    slot.insert(found(store::centre(&ctx.db, id).await)?);
                }
                match &self.centres[&id] {
                    Some(x) if &x.province_code != p || x.commune_code.as_ref().is_some_and(|xc| xc != c) => {
                        e.add("centre_id", format!("Trung tâm «{}» không giám sát địa bàn này.", x.name))
                    }
                    Some(_) => {}
                    None => e.add("centre_id", format!("Không có trung tâm giám sát số {id}.")),
                }
            }
        }
        Ok(match (place, fields, status) {
            (Some((province, commune)), Some(fields), Some(status)) if e.is_empty() => {
                Ok(Resolved { province, commune, fields, status, input: input.clone() })
            }
            _ => Err(e),
        })
    }
}

/// Records a camera point.
#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppCtx, actor: &Actor, input: &CameraInput) -> AppResult<CameraDetail> {
    actor.require(Permission::WriteRegistry)?;
    let r = Links::default().resolve(ctx, actor, input).await??;
    actor.require_in_scope(Permission::WriteRegistry, &r.province, Some(&r.commune))?;
    let mut tx = ctx.db.begin().await?;
    let id = store::insert_many(&mut tx, &[r.new_camera()], &actor.username, ctx.now()).await?[0];
    let target = Target::placed("camera", id, &r.province, Some(&r.commune));
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &audit::changes(None::<&()>, &r.input)).await?;
    tx.commit().await?;
    detail(ctx, actor, id).await
}

/// Changes a camera's fields (its status changes through [`change_status`]).
#[tracing::instrument(skip_all, fields(id))]
pub async fn update(ctx: &AppCtx, actor: &Actor, id: i64, input: &CameraInput) -> AppResult<CameraDetail> {
    let before = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &before.province_code, Some(&before.commune_code))?;
    let input = CameraInput { status: None, ..input.clone() };
    let r = Links::default().resolve(ctx, actor, &input).await??;
    actor.require_in_scope(Permission::WriteRegistry, &r.province, Some(&r.commune))?;
    if r.fields.installed_on > before.status_since {
        return Err(FieldErrors::single(
            "installed_on",
            format!("Ngày lắp đặt không được sau lần đổi trạng thái ngày {}.", before.status_since.format("%d/%m/%Y")),
        )
        .into());
    }
    let old = CameraInput { status: None, ..CameraInput::from(&before) };
    let changes = audit::changes(Some(&old), &r.input);
    if changes.is_empty() {
        return detail(ctx, actor, id).await;
    }
    let mut tx = ctx.db.begin().await?;
    store::update(&mut tx, &before, &r.new_camera(), ctx.now()).await.map_err(changed_meanwhile)?;
    let target = Target::placed("camera", id, &r.province, Some(&r.commune));
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &changes).await?;
    tx.commit().await?;
    detail(ctx, actor, id).await
}

fn changed_meanwhile(e: antq_store::StoreError) -> AppError {
    match e {
        antq_store::StoreError::Conflict => {
            AppError::Conflict("Camera vừa được người khác thay đổi; tải lại trang rồi làm lại.".into())
        }
        other => other.into(),
    }
}

/// Records a dated status change (hỏng, sửa xong, đã tháo).
#[tracing::instrument(skip_all, fields(id))]
pub async fn change_status(ctx: &AppCtx, actor: &Actor, id: i64, input: &StatusChangeInput) -> AppResult<CameraDetail> {
    let before = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &before.province_code, Some(&before.commune_code))?;
    let change = input.validate(before.status, before.status_since, ctx.today())?;
    let mut tx = ctx.db.begin().await?;
    store::change_status(&mut tx, &before, &change, &actor.username, ctx.now()).await.map_err(changed_meanwhile)?;
    let changes = audit::changes(Some(&(before.status, before.status_since)), &(change.status, change.on));
    let target = Target::placed("camera", id, &before.province_code, Some(&before.commune_code));
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &changes).await?;
    tx.commit().await?;
    detail(ctx, actor, id).await
}

/// The cameras a model owns (not removed) and what they cost in all.
pub async fn of_model(ctx: &AppCtx, actor: &Actor, model_id: i64) -> AppResult<(Vec<Camera>, i64)> {
    actor.require(Permission::ReadRegistry)?;
    let (province, commune) = actor.narrow(None, None)?;
    let f = CameraFilter { province, commune, model_id: Some(model_id), standing: true, ..Default::default() };
    let cameras = store::list_all(&ctx.db, &f).await?;
    let cost = cameras.iter().map(|c| c.cost_vnd).sum();
    Ok((cameras, cost))
}

// ---------------------------------------------------------------------------------------
// Monitoring centres

/// The centres in scope (a commune officer sees the province's and the commune's own).
pub async fn centres(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<Centre>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::centres(&ctx.db, actor.scope.province(), actor.scope.commune()).await?)
}

/// Where a centre belongs, from its unit code (a province's or a commune's).
async fn centre_place(ctx: &AppCtx, actor: &Actor, input: &CentreInput) -> AppResult<(String, Option<String>)> {
    let code = non_empty(&input.unit_code)
        .or_else(|| actor.scope.commune().or(actor.scope.province()).map(Into::into))
        .ok_or_else(|| FieldErrors::single("unit_code", "Chọn tỉnh hoặc xã của trung tâm."))?;
    let place = if code.len() == 2 {
        crate::units::get(ctx, actor, &code).await.map(|u| (u.code, None))
    } else {
        crate::units::commune_place(ctx, &code, "unit_code").await.map(|(p, c)| (p, Some(c)))
    }
    .map_err(|_| FieldErrors::single("unit_code", format!("Không có tỉnh, xã mã «{code}».")))?;
    actor.require_in_scope(Permission::WriteRegistry, &place.0, place.1.as_deref())?;
    Ok(place)
}

/// Registers a monitoring centre of a province or a commune.
#[tracing::instrument(skip_all)]
pub async fn create_centre(ctx: &AppCtx, actor: &Actor, input: &CentreInput) -> AppResult<Centre> {
    actor.require(Permission::WriteRegistry)?;
    let (province, commune) = centre_place(ctx, actor, input).await?;
    let f = input.validate()?;
    let mut tx = ctx.db.begin().await?;
    let id = store::insert_centre(&mut tx, &province, commune.as_deref(), &f, ctx.now())
        .await
        .map_err(|e| duplicate_centre(e, &f.name))?;
    let target = Target::placed("camera_centre", id, &province, commune.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &audit::changes(None::<&()>, &f)).await?;
    tx.commit().await?;
    Ok(store::centre(&ctx.db, id).await?)
}

fn duplicate_centre(e: antq_store::StoreError, name: &str) -> AppError {
    match e {
        antq_store::StoreError::Conflict => {
            AppError::Invalid(FieldErrors::single("name", format!("Đã có trung tâm «{name}» ở địa bàn này.")))
        }
        other => other.into(),
    }
}

/// Changes a centre's name, address, operator or note.
#[tracing::instrument(skip_all, fields(id))]
pub async fn update_centre(ctx: &AppCtx, actor: &Actor, id: i64, input: &CentreInput) -> AppResult<Centre> {
    let c = store::centre(&ctx.db, id).await.not_found_as("trung tâm giám sát")?;
    actor.require_in_scope(Permission::WriteRegistry, &c.province_code, c.commune_code.as_deref())?;
    let f = input.validate()?;
    let before = CentreInput {
        unit_code: None,
        name: Some(c.name.clone()),
        address: c.address.clone(),
        operator: c.operator.clone(),
        note: c.note.clone(),
    }
    .validate()?;
    let changes = audit::changes(Some(&before), &f);
    if changes.is_empty() {
        return Ok(c);
    }
    let mut tx = ctx.db.begin().await?;
    store::update_centre(&mut tx, id, &f, ctx.now()).await.map_err(|e| duplicate_centre(e, &f.name))?;
    let target = Target::placed("camera_centre", id, &c.province_code, c.commune_code.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &changes).await?;
    tx.commit().await?;
    Ok(store::centre(&ctx.db, id).await?)
}

// ---------------------------------------------------------------------------------------
// Coverage

/// What the coverage table is asked for.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct CoverageQuery {
    /// Province (none: the country by province).
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
}

/// The coverage columns, in [`coverage_values`] order.
fn coverage_columns() -> Vec<StatColumn> {
    let mut cols = vec![
        column("cameras", "Số camera (không kể đã tháo)"),
        column("working", "Đang hoạt động"),
        column("broken", "Hỏng"),
        column("removed", "Đã tháo"),
        column("communes", "Số xã"),
        column("communes_covered", "Xã có camera hoạt động"),
        StatColumn {
            code: "covered_pct".into(), label: "Tỷ lệ xã có camera hoạt động (%)".into(), milli: true
        },
    ];
    cols.extend(
        CameraFunding::ALL
            .iter()
            .map(|f| column(format!("cost_{}", f.code()), format!("Kinh phí: {} (đồng)", f.label()))),
    );
    cols.push(column("cost_total", "Tổng kinh phí huy động (đồng)"));
    cols
}

/// The share of communes covered, as thousandths of a per cent (75,5 % is 75 500).
fn covered_pct_milli(c: &Coverage) -> i64 {
    (c.communes_covered * 100_000).checked_div(c.communes).unwrap_or(0)
}

fn coverage_values(c: &Coverage) -> Vec<i64> {
    let mut v = vec![c.cameras, c.working, c.broken, c.removed, c.communes, c.communes_covered, covered_pct_milli(c)];
    v.extend(c.cost_by_funding);
    v.push(c.cost_total());
    v
}

/// The coverage of the actor's scope: the country by province, a province by commune (every
/// commune listed, those without a camera too), or one commune; with the broken-for-long count.
#[tracing::instrument(skip_all)]
pub async fn coverage(ctx: &AppCtx, actor: &Actor, q: &CoverageQuery) -> AppResult<(StatTable, Coverage)> {
    actor.require(Permission::ReadRegistry)?;
    let (province, commune) = actor.narrow(non_empty(&q.province), non_empty(&q.commune))?;
    let kept = store::coverage(&ctx.db, province.as_deref(), commune.as_deref()).await?;
    let (rows, title) = match (&province, &commune) {
        (None, _) => {
            let mut by: HashMap<String, Coverage> = HashMap::new();
            for k in &kept {
                by.entry(k.province.clone()).or_default().add(&k.coverage);
            }
            let counts = crate::units::commune_counts(ctx).await?;
            let rows = crate::units::provinces(ctx)
                .await?
                .into_iter()
                .map(|u| {
                    let mut c = by.remove(&u.code).unwrap_or_default();
                    c.communes = counts.get(&u.code).copied().unwrap_or(0);
                    StatRow { values: coverage_values(&c), code: u.code.clone(), label: u.full_name() }
                })
                .collect::<Vec<_>>();
            (rows, "Camera giám sát ANTT toàn quốc theo tỉnh".to_string())
        }
        (Some(p), c) => {
            let by: HashMap<&str, &Coverage> = kept.iter().map(|k| (k.commune.as_str(), &k.coverage)).collect();
            let communes = crate::units::communes_of(ctx, p).await?;
            let rows = communes
                .into_iter()
                .filter(|u| c.as_ref().is_none_or(|c| *c == u.code))
                .map(|u| {
                    let cov =
                        by.get(u.code.as_str()).map(|c| **c).unwrap_or(Coverage { communes: 1, ..Default::default() });
                    StatRow { values: coverage_values(&cov), code: u.code.clone(), label: u.full_name() }
                })
                .collect::<Vec<_>>();
            (rows, "Camera giám sát ANTT theo xã".to_string())
        }
    };
    let mut total = Coverage::default();
    for k in &kept {
        total.add(&Coverage { communes: 0, ..k.coverage });
    }
    let mut t = StatTable::new(title, "Địa bàn", coverage_columns(), rows);
    total.communes = t.totals[4];
    t.totals[6] = covered_pct_milli(&total);
    Ok((t, total))
}

/// How many cameras of the scope have been broken for at least the province's
/// `camera_broken_days`, and that number of days.
pub async fn broken_for_long(ctx: &AppCtx, actor: &Actor, q: &CoverageQuery) -> AppResult<(i64, i64)> {
    let (province, commune) = actor.narrow(non_empty(&q.province), non_empty(&q.commune))?;
    let today = ctx.today();
    let days = match crate::rules::value(ctx, RuleCode::CameraBrokenDays, province.as_deref(), today).await? {
        Some(RuleValue::Number(n)) => n,
        _ => 7,
    };
    let f = CameraFilter {
        province,
        commune,
        status: Some(CameraStatus::Hong.code().into()),
        since_before: Some(today - Duration::days(days)),
        ..Default::default()
    };
    let page = store::list_page(&ctx.db, &f, PageRequest { page: 1, per_page: 1 }).await?;
    Ok((page.total, days))
}
