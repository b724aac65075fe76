//! The model registry (C2): models, lifecycle, sites, teams, events and history.

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::ids::{ModelId, ModelTypeId, SiteId};
use antq_domain::model::{
    Change, EventInput, HistoryEntry, Model, ModelEvent, ModelFields, ModelInput, ModelLevel, ModelState, Site,
    SiteInput, TeamInput, TransitionInput, diff,
};
use antq_domain::page::{Page, PageRequest};
use antq_domain::unit::UnitLevel;
use antq_store::former_places::Placed;
use antq_store::models::{self, ModelFilter};
use antq_store::{StoreError, Tx, areas, establishments, units};

use crate::areas::non_empty;
use antq_domain::audit::AuditAction;

use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppError, AppResult};

/// List filters as the user gives them.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    /// Province code.
    pub province: Option<String>,
    /// Commune code.
    pub commune: Option<String>,
    /// Type id.
    pub type_id: Option<i64>,
    /// State code.
    pub state: Option<String>,
    /// Level code.
    pub level: Option<String>,
    /// Text.
    pub q: Option<String>,
    /// Former district code (as recorded before 1 July 2025).
    pub former_district: Option<String>,
    /// Former commune code (as recorded before 1 July 2025).
    pub former_commune: Option<String>,
}

impl ListQuery {
    /// The store filter, narrowed to the actor's scope.
    pub fn filter(&self, actor: &Actor) -> AppResult<ModelFilter> {
        let (province, commune) = actor.narrow(non_empty(&self.province), non_empty(&self.commune))?;
        Ok(ModelFilter {
            province,
            commune,
            type_id: self.type_id,
            state: non_empty(&self.state),
            level: non_empty(&self.level),
            q: non_empty(&self.q),
            former_district: non_empty(&self.former_district),
            former_commune: non_empty(&self.former_commune),
        })
    }
}

/// One page of models in scope.
pub async fn list(ctx: &AppCtx, actor: &Actor, q: &ListQuery, page: PageRequest) -> AppResult<Page<Model>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(models::list(&ctx.db, &q.filter(actor)?, page).await?)
}

/// One model, if in scope.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: ModelId) -> AppResult<Model> {
    let m = models::get(&ctx.db, id).await.not_found_as("mô hình")?;
    actor.require_in_scope(Permission::ReadRegistry, &m.province_code, m.commune_code.as_deref())?;
    Ok(m)
}

/// Everything the model page shows.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ModelDetail {
    /// The model.
    #[serde(flatten)]
    pub model: Model,
    /// Sites with their teams.
    pub sites: Vec<Site>,
    /// Dated events.
    pub events: Vec<ModelEvent>,
    /// Documents (without their files).
    pub documents: Vec<antq_domain::model::ModelDocument>,
    /// History, newest first.
    pub history: Vec<HistoryEntry>,
    /// Yearly ratings of the model and its sites, newest first.
    pub ratings: Vec<antq_domain::rating::Rating>,
}

/// The model with its sites, events and history.
pub async fn detail(ctx: &AppCtx, actor: &Actor, id: ModelId) -> AppResult<ModelDetail> {
    let model = get(ctx, actor, id).await?;
    Ok(ModelDetail {
        sites: models::sites(&ctx.db, id).await?,
        events: models::events(&ctx.db, id).await?,
        documents: models::documents(&ctx.db, id).await?,
        history: models::history(&ctx.db, id).await?,
        ratings: antq_store::ratings::model_ratings(&ctx.db, id.0).await?,
        model,
    })
}

/// A model's place and fields after every check that needs the database.
pub struct Checked {
    /// Province code.
    pub province: String,
    /// Commune code (none for a province-level model).
    pub commune: Option<String>,
    /// Validated fields.
    pub fields: ModelFields,
    /// Where it was recorded before 1 July 2025, when the input named a former commune.
    pub former: Option<antq_domain::succession::FormerPlace>,
}

/// Validates a model input fully: fields, place, type, origin links, and the actor's right
/// to write there. Used by the forms, the API and imports alike.
pub async fn check(ctx: &AppCtx, actor: &Actor, input: &ModelInput) -> AppResult<Checked> {
    actor.require(Permission::WriteRegistry)?;
    let mut errs = FieldErrors::new();
    let fields = match input.validate(ctx.today()) {
        Ok(f) => Some(f),
        Err(e) => {
            errs = e;
            None
        }
    };
    let (place, former) = match non_empty(&input.former_commune) {
        Some(f) if input.level.as_deref().and_then(ModelLevel::parse_loose) != Some(ModelLevel::Tinh) => {
            let r = crate::lineage::resolver(ctx).await?;
            let chosen = non_empty(&input.commune_code);
            let (district, province) = (non_empty(&input.former_district), non_empty(&input.former_province));
            match r.restate(&f, district.as_deref(), province.as_deref(), chosen.as_deref()) {
                Ok(x) => {
                    let restated = ModelInput { commune_code: Some(x.commune), ..input.clone() };
                    (resolve_place(ctx, &restated, &mut errs).await?, Some(x.former))
                }
                Err(m) => {
                    errs.add("former_commune", m);
                    (None, None)
                }
            }
        }
        _ => (resolve_place(ctx, input, &mut errs).await?, None),
    };
    if let Some(tid) = input.type_id {
        match crate::model_types::get(ctx, actor, ModelTypeId(tid)).await {
            Ok(t) if !t.active => errs.add("type_id", format!("Loại mô hình «{}» đã ngừng sử dụng.", t.name)),
            Ok(_) => {}
            Err(AppError::NotFound(_)) => errs.add("type_id", format!("Không có loại mô hình mã {tid}.")),
            Err(e) => return Err(e),
        }
    }
    if let Some((_, commune)) = &place {
        check_origin(ctx, input.origin_area_id, input.origin_establishment_id, commune.as_deref(), &mut errs).await?;
    }
    match (fields, place) {
        (Some(fields), Some((province, commune))) if errs.is_empty() => {
            actor.require_in_scope(Permission::WriteRegistry, &province, commune.as_deref())?;
            Ok(Checked { province, commune, fields, former })
        }
        _ => Err(AppError::Invalid(errs)),
    }
}

async fn resolve_place(
    ctx: &AppCtx,
    input: &ModelInput,
    errs: &mut FieldErrors,
) -> AppResult<Option<(String, Option<String>)>> {
    let level = input.level.as_deref().and_then(ModelLevel::parse_loose);
    if level == Some(ModelLevel::Tinh) {
        let Some(code) = non_empty(&input.province_code) else {
            errs.add("province_code", "Chọn tỉnh, thành phố của mô hình cấp tỉnh.");
            return Ok(None);
        };
        return match units::get(&ctx.db, &code).await {
            Ok(u) if u.level == UnitLevel::Province => Ok(Some((u.code, None))),
            Ok(_) | Err(StoreError::NotFound) => {
                errs.add("province_code", format!("Không có tỉnh, thành phố mã «{code}»."));
                Ok(None)
            }
            Err(e) => Err(e.into()),
        };
    }
    let Some(code) = non_empty(&input.commune_code) else {
        return Ok(None);
    };
    match crate::units::commune_place(ctx, &code, "commune_code").await {
        Ok((p, c)) => Ok(Some((p, Some(c)))),
        Err(AppError::Invalid(e)) => {
            errs.0.extend(e.0);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

async fn check_origin(
    ctx: &AppCtx,
    area: Option<i64>,
    establishment: Option<i64>,
    commune: Option<&str>,
    errs: &mut FieldErrors,
) -> AppResult<()> {
    if let Some(id) = area {
        match areas::get(&ctx.db, antq_domain::ids::AreaId(id)).await {
            Ok(a) if Some(a.commune_code.as_str()) == commune => {}
            Ok(_) => errs.add("origin_area_id", "Khu dân cư nơi hình thành không thuộc xã của mô hình."),
            Err(StoreError::NotFound) => errs.add("origin_area_id", format!("Không có khu dân cư số {id}.")),
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(id) = establishment {
        match establishments::get(&ctx.db, antq_domain::ids::EstablishmentId(id)).await {
            Ok(e) if Some(e.commune_code.as_str()) == commune => {}
            Ok(_) => errs.add(
                "origin_establishment_id",
                "Cơ quan, doanh nghiệp, trường học nơi hình thành không thuộc xã của mô hình.",
            ),
            Err(StoreError::NotFound) => {
                errs.add("origin_establishment_id", format!("Không có cơ quan, doanh nghiệp, trường học số {id}."))
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Writes a checked model (new, state "đề xuất") and its creation history inside `tx`.
pub async fn insert_checked(ctx: &AppCtx, actor: &Actor, tx: &mut Tx, c: &Checked, action: &str) -> AppResult<ModelId> {
    let now = ctx.now();
    let since = c.fields.registered_on.or(Some(ctx.today()));
    let id = models::insert(tx, &c.province, c.commune.as_deref(), &c.fields, ModelState::DeXuat, since, now).await?;
    if let Some(d) = c.fields.registered_on {
        let m = Model::stub(id, &c.province, c.commune.as_deref());
        models::insert_event(tx, &m, antq_domain::model::ModelEventKind::DangKy.code(), d, None, None, now).await?;
    }
    if let Some(f) = &c.former {
        antq_store::former_places::set(tx, Placed::Models, &[(id.0, f)]).await?;
    }
    let summary = format!("Tạo mô hình «{}»", c.fields.name);
    history(tx, ctx, actor, id, (&c.province, c.commune.as_deref()), action, &summary, &[]).await?;
    Ok(id)
}

/// Writes a model's history entry and the matching audit entry, both inside `tx`.
#[allow(clippy::too_many_arguments)]
async fn history(
    tx: &mut Tx,
    ctx: &AppCtx,
    actor: &Actor,
    id: ModelId,
    (province, commune): (&str, Option<&str>),
    action: &str,
    summary: &str,
    changes: &[Change],
) -> AppResult<()> {
    models::insert_history(
        tx,
        id,
        province,
        commune,
        actor.user_id,
        &actor.username,
        action,
        summary,
        changes,
        ctx.now(),
    )
    .await?;
    let (audit_action, changes) = match action {
        "create" => (AuditAction::Create, audit::note("summary", summary)),
        "import" => (AuditAction::Import, audit::note("summary", summary)),
        "update" => (AuditAction::Update, changes.to_vec()),
        "transition" => (AuditAction::Transition, [changes, &audit::note("summary", summary)].concat()),
        _ => (AuditAction::Record, audit::note(action, summary)),
    };
    audit::record(tx, ctx, actor, audit_action, Target::placed("model", id, province, commune), &changes).await
}

/// Registers a new model (state "đề xuất").
#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppCtx, actor: &Actor, input: &ModelInput) -> AppResult<Model> {
    let c = check(ctx, actor, input).await?;
    let mut tx = ctx.db.begin().await?;
    let id = insert_checked(ctx, actor, &mut tx, &c, "create").await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Replaces a model's fields (and possibly its place, within the actor's scope), recording
/// the field-level changes in its history.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update(ctx: &AppCtx, actor: &Actor, id: ModelId, input: &ModelInput) -> AppResult<Model> {
    let before = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &before.province_code, before.commune_code.as_deref())?;
    let c = check(ctx, actor, input).await?;
    let mut changes: Vec<Change> = diff(&before.fields(), &c.fields);
    if before.commune_code != c.commune || before.province_code != c.province {
        changes.push(Change {
            field: "place".into(),
            before: Some(before.commune_code.clone().unwrap_or_else(|| before.province_code.clone())),
            after: Some(c.commune.clone().unwrap_or_else(|| c.province.clone())),
        });
    }
    // A former place given replaces the one recorded; none given keeps it.
    let former = c.former.as_ref().filter(|f| before.former.as_ref() != Some(*f));
    if let Some(f) = former {
        let code = |p: &antq_domain::succession::FormerPlace| p.commune_code.clone().unwrap_or(p.province_code.clone());
        changes.push(Change {
            field: "former_place".into(),
            before: before.former.as_ref().map(code),
            after: Some(code(f)),
        });
    }
    if changes.is_empty() {
        return Ok(before);
    }
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    models::update(&mut tx, id, &c.province, c.commune.as_deref(), &c.fields, now).await?;
    if let Some(f) = former {
        antq_store::former_places::set(&mut tx, Placed::Models, &[(id.0, f)]).await?;
    }
    let summary = format!("Sửa {} thông tin", changes.len());
    history(&mut tx, ctx, actor, id, (&c.province, c.commune.as_deref()), "update", &summary, &changes).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Moves a model along its lifecycle, refusing transitions the lifecycle does not allow.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn transition(ctx: &AppCtx, actor: &Actor, id: ModelId, input: &TransitionInput) -> AppResult<Model> {
    let m = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &m.province_code, m.commune_code.as_deref())?;
    let t = input.validate(m.state, m.state_since, ctx.today())?;
    let mut tx = ctx.db.begin().await?;
    apply_transition(&mut tx, ctx, actor, &m, &t).await?;
    tx.commit().await?;
    get(ctx, actor, id).await
}

/// Applies a validated transition inside `tx`: the state, its event and the history entry.
pub(crate) async fn apply_transition(
    tx: &mut Tx,
    ctx: &AppCtx,
    actor: &Actor,
    m: &Model,
    t: &antq_domain::model::Transition,
) -> AppResult<()> {
    let now = ctx.now();
    match models::apply_transition(tx, m.id, t, now).await {
        Err(StoreError::Conflict) => {
            return Err(AppError::Conflict("Mô hình vừa được người khác chuyển trạng thái; hãy tải lại trang.".into()));
        }
        r => r?,
    }
    if let Some(kind) = t.to.entry_event() {
        models::insert_event(tx, m, kind.code(), t.on_date, t.decision_no.as_deref(), t.note.as_deref(), now).await?;
    }
    let mut summary =
        format!("Chuyển trạng thái: {} → {} ngày {}", t.from.label(), t.to.label(), t.on_date.format("%d/%m/%Y"));
    if let Some(d) = &t.decision_no {
        summary.push_str(&format!(", quyết định số {d}"));
    }
    if let Some(n) = &t.note {
        summary.push_str(&format!(" ({n})"));
    }
    let change =
        Change { field: "state".into(), before: Some(t.from.label().into()), after: Some(t.to.label().into()) };
    history(tx, ctx, actor, m.id, (&m.province_code, m.commune_code.as_deref()), "transition", &summary, &[change])
        .await
}

/// Records a dated event (sơ kết, tổng kết …) without changing the state.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn add_event(ctx: &AppCtx, actor: &Actor, id: ModelId, input: &EventInput) -> AppResult<ModelEvent> {
    let m = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &m.province_code, m.commune_code.as_deref())?;
    let ev = input.validate(ctx.today())?;
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    models::insert_event(&mut tx, &m, ev.kind.code(), ev.on_date, ev.decision_no.as_deref(), ev.note.as_deref(), now)
        .await?;
    let summary = format!("Ghi sự kiện {} ngày {}", ev.kind.label(), ev.on_date.format("%d/%m/%Y"));
    history(&mut tx, ctx, actor, id, (&m.province_code, m.commune_code.as_deref()), "event", &summary, &[]).await?;
    tx.commit().await?;
    Ok(ev)
}

/// Adds a replication site. The site's commune must be inside the actor's scope.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn add_site(ctx: &AppCtx, actor: &Actor, id: ModelId, input: &SiteInput) -> AppResult<Site> {
    let m = get(ctx, actor, id).await?;
    if m.state == ModelState::DaThanhLoai {
        return Err(AppError::Conflict("Mô hình đã thanh loại, không thể thêm điểm.".into()));
    }
    let mut errs = FieldErrors::new();
    let fields = input.validate(ctx.today()).map_err(|e| errs.0.extend(e.0)).ok();
    let place = match non_empty(&input.commune_code) {
        Some(c) => match crate::units::commune_place(ctx, &c, "commune_code").await {
            Ok(p) => Some(p),
            Err(AppError::Invalid(e)) => {
                errs.0.extend(e.0);
                None
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    if let (Some(f), Some((_, commune))) = (&fields, &place) {
        let mut origin_errs = FieldErrors::new();
        check_origin(ctx, f.area_id, f.establishment_id, Some(commune), &mut origin_errs).await?;
        for (k, v) in origin_errs.0 {
            errs.add(
                if k == "origin_area_id" { "area_id" } else { "establishment_id" },
                v.replace("nơi hình thành không thuộc xã của mô hình", "không thuộc xã của điểm"),
            );
        }
    }
    let (Some(fields), Some((province, commune))) = (fields, place) else {
        return Err(AppError::Invalid(errs));
    };
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    actor.require_in_scope(Permission::WriteRegistry, &province, Some(&commune))?;
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let site_id = models::insert_site(&mut tx, id, &province, &fields, now).await?;
    let summary = format!("Thêm điểm «{}»", fields.name);
    history(&mut tx, ctx, actor, id, (&m.province_code, m.commune_code.as_deref()), "site", &summary, &[]).await?;
    tx.commit().await?;
    find_site(ctx, id, site_id).await
}

/// A site of a model (read where the model is readable).
pub(crate) async fn site(ctx: &AppCtx, model: ModelId, site: SiteId) -> AppResult<Site> {
    find_site(ctx, model, site).await
}

/// Writes a history entry of `m` (and its audit entry) inside `tx`.
pub(crate) async fn record_history(
    tx: &mut Tx,
    ctx: &AppCtx,
    actor: &Actor,
    m: &Model,
    action: &str,
    summary: &str,
) -> AppResult<()> {
    history(tx, ctx, actor, m.id, (&m.province_code, m.commune_code.as_deref()), action, summary, &[]).await
}

async fn find_site(ctx: &AppCtx, model: ModelId, site: SiteId) -> AppResult<Site> {
    models::sites(&ctx.db, model).await?.into_iter().find(|s| s.id == site).ok_or(AppError::NotFound("điểm mô hình"))
}

/// Adds an implementing team to a site.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn add_team(ctx: &AppCtx, actor: &Actor, id: ModelId, site: SiteId, input: &TeamInput) -> AppResult<Site> {
    let m = get(ctx, actor, id).await?;
    let s = find_site(ctx, id, site).await?;
    actor.require_in_scope(Permission::WriteRegistry, &s.province_code, Some(&s.commune_code))?;
    let fields = input.validate()?;
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    models::insert_team(&mut tx, &s, &fields, now).await?;
    let summary = format!("Thêm tổ «{}» vào điểm «{}»", fields.name, s.name);
    history(&mut tx, ctx, actor, id, (&m.province_code, m.commune_code.as_deref()), "team", &summary, &[]).await?;
    tx.commit().await?;
    find_site(ctx, id, site).await
}

/// An uploaded file for a document.
pub struct Upload {
    /// File name as sent.
    pub name: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Records a document of a model, with its file when one is given (type-checked by content,
/// size-limited).
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn add_document(
    ctx: &AppCtx,
    actor: &Actor,
    id: ModelId,
    input: &antq_domain::model::DocumentInput,
    file: Option<Upload>,
) -> AppResult<antq_domain::model::ModelDocument> {
    let m = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &m.province_code, m.commune_code.as_deref())?;
    let mut errs = FieldErrors::new();
    let fields = input.validate(ctx.today()).map_err(|e| errs.0.extend(e.0)).ok();
    let file = file.filter(|f| !f.bytes.is_empty() || !f.name.is_empty());
    let checked = match &file {
        Some(f) => match antq_domain::model::check_document_file(&f.name, &f.bytes) {
            Ok(t) => Some(t),
            Err(msg) => {
                errs.add("file", msg);
                None
            }
        },
        None => None,
    };
    let Some(fields) = fields.filter(|_| errs.is_empty()) else {
        return Err(AppError::Invalid(errs));
    };
    let now = ctx.now();
    let stored = match (&file, checked) {
        (Some(f), Some(t)) => {
            Some(models::DocumentFile { name: sanitize_file_name(&f.name), content_type: t, bytes: &f.bytes })
        }
        _ => None,
    };
    let mut tx = ctx.db.begin().await?;
    let doc_id = models::insert_document(&mut tx, &m, &fields, stored, now).await?;
    let summary = format!("Thêm tài liệu «{}»", fields.title);
    history(&mut tx, ctx, actor, id, (&m.province_code, m.commune_code.as_deref()), "document", &summary, &[]).await?;
    tx.commit().await?;
    models::documents(&ctx.db, id).await?.into_iter().find(|d| d.id == doc_id).ok_or(AppError::NotFound("tài liệu"))
}

/// A file name safe for storage and `Content-Disposition`: path and quotes removed.
pub(crate) fn sanitize_file_name(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if base.is_empty() || base.contains('"') || base.chars().any(char::is_control) { "tai-lieu" } else { base }
}

/// The file of a model's document: `(name, content type, bytes)`.
pub async fn document_file(
    ctx: &AppCtx,
    actor: &Actor,
    id: ModelId,
    document: i64,
) -> AppResult<(String, String, Vec<u8>)> {
    get(ctx, actor, id).await?;
    models::document_file(&ctx.db, id, document).await.not_found_as("tệp tài liệu")
}
