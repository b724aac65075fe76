//! Movement activities (C10): the kinds, the register, a conference's opinions and their
//! answers, documents, the tips received at an activity, and the statistics by place, kind
//! and month read from the totals every change keeps.

use std::collections::{HashMap, hash_map::Entry};

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::activity::opinion::{AnswerInput, Opinion, OpinionInput};
use antq_domain::activity::{
    Activity, ActivityDocument, ActivityFields, ActivityInput, ActivityKind, ActivityKindInput, NGAY_HOI,
};
use antq_domain::audit::AuditAction;
use antq_domain::model::parse_date;
use antq_domain::page::{Page, PageRequest};
use antq_domain::rules::RuleCode;
use antq_store::activities::{self as store, ActivityFilter, NewActivity};
use chrono::{DateTime, NaiveDate, Utc};

use crate::areas::non_empty;
use crate::audit::{self, Target};
use crate::error::NotFoundAs;
use crate::links::{PlaceLinks, found};
use crate::models::Upload;
use crate::{Actor, AppCtx, AppError, AppResult};

pub mod files;
pub mod stats;

/// List filters as the user gives them.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ActivityQuery {
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Kind id.
    pub kind_id: Option<i64>,
    /// From this day (dd/mm/yyyy or yyyy-mm-dd).
    pub from: Option<String>,
    /// Until this day.
    pub to: Option<String>,
    /// Words of the title.
    pub q: Option<String>,
    /// Organiser kind code.
    pub organiser_kind: Option<String>,
    /// Counting for this model.
    pub model_id: Option<i64>,
    /// Held in this residential area.
    pub area_id: Option<i64>,
}

/// A day filter, or a Vietnamese message naming the field.
fn day_filter(e: &mut FieldErrors, field: &str, raw: &Option<String>) -> Option<NaiveDate> {
    let raw = non_empty(raw)?;
    parse_date(&raw).or_else(|| {
        e.add(field, format!("Ngày «{raw}» không hợp lệ (dd/mm/yyyy)."));
        None
    })
}

impl ActivityQuery {
    /// The store filter, narrowed to the actor's scope.
    pub fn filter(&self, actor: &Actor) -> AppResult<ActivityFilter> {
        let (province, commune) = actor.narrow(non_empty(&self.province), non_empty(&self.commune))?;
        let mut e = FieldErrors::new();
        let from = day_filter(&mut e, "from", &self.from);
        let to = day_filter(&mut e, "to", &self.to);
        if !e.is_empty() {
            return Err(e.into());
        }
        Ok(ActivityFilter {
            province,
            commune,
            province_only: false,
            kind_id: self.kind_id,
            from,
            to,
            q: non_empty(&self.q),
            organiser_kind: non_empty(&self.organiser_kind),
            model_id: self.model_id,
            area_id: self.area_id,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Kinds

/// The national kinds and those of the actor's province (every province's for national scope).
pub async fn kinds(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<ActivityKind>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::kinds(&ctx.db, actor.scope.province()).await?)
}

/// Adds a kind: a province officer adds their province's own, an administrator a national one.
#[tracing::instrument(skip_all)]
pub async fn create_kind(ctx: &AppCtx, actor: &Actor, input: &ActivityKindInput) -> AppResult<ActivityKind> {
    actor.require(Permission::ManageTaxonomy)?;
    let (name, shape, active) = input.validate()?;
    let province = actor.scope.province();
    let mut tx = ctx.db.begin().await?;
    let id = store::insert_kind(&mut tx, province, (&name, shape, active), ctx.now())
        .await
        .map_err(|e| duplicate_kind(e, &name))?;
    let target =
        Target { kind: "activity_kind", id: Some(id.to_string()), province: province.map(Into::into), commune: None };
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &audit::changes(None::<&()>, input)).await?;
    tx.commit().await?;
    Ok(store::kind(&ctx.db, id).await?)
}

fn duplicate_kind(e: antq_store::StoreError, name: &str) -> AppError {
    match e {
        antq_store::StoreError::Conflict => {
            AppError::Invalid(FieldErrors::single("name", format!("Đã có loại hoạt động «{name}».")))
        }
        other => other.into(),
    }
}

/// Renames a kind or stops offering it; a province changes only its own kinds.
#[tracing::instrument(skip_all, fields(id))]
pub async fn update_kind(ctx: &AppCtx, actor: &Actor, id: i64, input: &ActivityKindInput) -> AppResult<ActivityKind> {
    actor.require(Permission::ManageTaxonomy)?;
    let k = store::kind(&ctx.db, id).await.not_found_as("loại hoạt động")?;
    if actor.scope.province().is_some() && k.province_code.as_deref() != actor.scope.province() {
        return Err(AppError::Forbidden("Chỉ sửa được loại hoạt động do đơn vị mình thêm.".into()));
    }
    let input = ActivityKindInput { shape: Some(k.shape.code().into()), ..input.clone() };
    let (name, _, active) = input.validate()?;
    let mut tx = ctx.db.begin().await?;
    store::update_kind(&mut tx, id, &name, active).await.map_err(|e| duplicate_kind(e, &name))?;
    let changes = audit::changes(Some(&(&k.name, k.active)), &(&name, active));
    let target =
        Target { kind: "activity_kind", id: Some(id.to_string()), province: k.province_code.clone(), commune: None };
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &changes).await?;
    tx.commit().await?;
    Ok(store::kind(&ctx.db, id).await?)
}

// ---------------------------------------------------------------------------------------
// The register

/// One page of activities in scope.
pub async fn list(ctx: &AppCtx, actor: &Actor, q: &ActivityQuery, page: PageRequest) -> AppResult<Page<Activity>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::list_page(&ctx.db, &q.filter(actor)?, page).await?)
}

/// Every activity in scope matching the filters (exports).
pub async fn list_all(ctx: &AppCtx, actor: &Actor, q: &ActivityQuery) -> AppResult<Vec<Activity>> {
    actor.require(Permission::ReadRegistry)?;
    Ok(store::list_all(&ctx.db, &q.filter(actor)?).await?)
}

/// One activity, if in scope.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Activity> {
    let a = store::get(&ctx.db, id).await.not_found_as("hoạt động")?;
    actor.require_in_scope(Permission::ReadRegistry, &a.province_code, a.commune_code.as_deref())?;
    Ok(a)
}

/// Everything the activity page shows.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ActivityDetail {
    /// The activity.
    #[serde(flatten)]
    pub activity: Activity,
    /// Opinions raised (a conference).
    pub opinion_list: Vec<Opinion>,
    /// Documents (without their files).
    pub documents: Vec<ActivityDocument>,
    /// What the rules say about it (a Ngày hội outside its window …).
    pub warnings: Vec<String>,
    /// Where it was recorded before 1 July 2025, if it was.
    pub former: Option<crate::lineage::Recorded>,
}

/// One activity with its opinions, documents and warnings.
pub async fn detail(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<ActivityDetail> {
    let a = get(ctx, actor, id).await?;
    let warnings = warnings(ctx, &a.province_code, a.kind_code.as_deref(), a.starts_on).await?;
    Ok(ActivityDetail {
        opinion_list: store::opinions(&ctx.db, id, ctx.today()).await?,
        documents: store::documents(&ctx.db, id).await?,
        warnings,
        former: crate::lineage::recorded(ctx, antq_store::former_places::Placed::Activities, id).await?,
        activity: a,
    })
}

/// A Ngày hội held outside the window the province set (legal-rules §3.4, rule NGAY_HOI).
async fn warnings(ctx: &AppCtx, province: &str, kind_code: Option<&str>, on: NaiveDate) -> AppResult<Vec<String>> {
    if kind_code != Some(NGAY_HOI) {
        return Ok(Vec::new());
    }
    use chrono::Datelike;
    let window = crate::rules::value(ctx, RuleCode::NgayHoiWindow, Some(province), on).await?;
    Ok(match window.and_then(|w| w.period_of(on.year())) {
        Some((from, to)) if on < from || on > to => vec![format!(
            "Ngày hội tổ chức ngày {} nằm ngoài khoảng {} – {} tỉnh quy định (quy định «{}»).",
            on.format("%d/%m/%Y"),
            from.format("%d/%m/%Y"),
            to.format("%d/%m/%Y"),
            RuleCode::NgayHoiWindow.label()
        )],
        _ => Vec::new(),
    })
}

/// What an activity's links resolve to (place, kind, organiser, models), cached across the
/// rows of an import so a file is checked with a query per distinct link, not per row.
#[derive(Default)]
pub(crate) struct Links {
    place: PlaceLinks,
    kinds: HashMap<i64, Option<ActivityKind>>,
    teams: HashMap<i64, Option<(String, String)>>,
}

/// An activity ready to be written.
pub(crate) struct Resolved {
    pub(crate) province: String,
    pub(crate) commune: Option<String>,
    pub(crate) kind: ActivityKind,
    pub(crate) fields: ActivityFields,
    pub(crate) input: ActivityInput,
}

impl Resolved {
    pub(crate) fn new_activity(&self) -> NewActivity<'_> {
        NewActivity {
            province: &self.province,
            commune: self.commune.as_deref(),
            area_id: self.input.area_id,
            establishment_id: self.input.establishment_id,
            kind: &self.kind,
            fields: &self.fields,
            organiser_model_id: self.input.organiser_model_id,
            organiser_team_id: self.input.organiser_team_id,
            model_ids: &self.input.model_ids,
        }
    }
}

impl Links {
    /// Checks `input` for `actor`: the place is in the actor's scope (the actor's province
    /// when no commune is given), the kind is one the province may use, and the area,
    /// establishment, organising model or team and linked models belong to the same place.
    pub(crate) async fn resolve(
        &mut self,
        ctx: &AppCtx,
        actor: &Actor,
        input: &ActivityInput,
        today: NaiveDate,
    ) -> AppResult<Result<Resolved, FieldErrors>> {
        let mut e = FieldErrors::new();
        let commune_code = non_empty(&input.commune_code);
        let place = match &commune_code {
            Some(c) => self.place.commune(ctx, c, &mut e).await?.map(|(p, c)| (p, Some(c))),
            None => match actor.scope.province() {
                Some(p) if actor.scope.commune().is_none() => Some((p.to_string(), None)),
                Some(_) => Some((
                    actor.scope.province().unwrap_or_default().to_string(),
                    actor.scope.commune().map(Into::into),
                )),
                None => {
                    e.add("commune_code", "Chọn xã, phường, đặc khu nơi tổ chức hoạt động.");
                    None
                }
            },
        };
        if let Some((p, c)) = &place
            && !actor.scope.contains(p, c.as_deref())
        {
            e.add("commune_code", "Xã này nằm ngoài địa bàn bạn được giao.");
        }
        let kind = match input.kind_id {
            None => {
                e.add("kind_id", "Chọn loại hoạt động.");
                None
            }
            Some(id) => {
                if let Entry::Vacant(slot) = self.kinds.entry(id) {
                    slot.insert(found(store::kind(&ctx.db, id).await)?);
                }
                match (&self.kinds[&id], &place) {
                    (Some(k), Some((p, _))) if k.province_code.as_ref().is_some_and(|kp| kp != p) => {
                        e.add("kind_id", format!("Loại hoạt động «{}» là của tỉnh khác.", k.name));
                        None
                    }
                    (Some(k), _) => Some(k.clone()),
                    (None, _) => {
                        e.add("kind_id", format!("Không có loại hoạt động số {id}."));
                        None
                    }
                }
            }
        };
        let fields = match &kind {
            Some(k) => input.validate(k.shape, today).map_err(|err| e.0.extend(err.0)).ok(),
            None => None,
        };
        if let Some((p, c)) = &place {
            self.check_links(ctx, input, (p, c.as_deref()), &mut e).await?;
        }
        Ok(match (place, kind, fields) {
            (Some((province, commune)), Some(kind), Some(fields)) if e.is_empty() => {
                let mut input = input.clone();
                input.model_ids.sort_unstable();
                input.model_ids.dedup();
                Ok(Resolved { province, commune, kind, fields, input })
            }
            _ => Err(e),
        })
    }

    async fn check_links(
        &mut self,
        ctx: &AppCtx,
        input: &ActivityInput,
        (province, commune): (&str, Option<&str>),
        e: &mut FieldErrors,
    ) -> AppResult<()> {
        let db = &ctx.db;
        // A province's own activity has no commune: any area or establishment is out of place.
        let c = commune.unwrap_or("");
        self.place.area(ctx, input.area_id, c, "tổ chức", e).await?;
        self.place.establishment(ctx, input.establishment_id, c, "tổ chức", e).await?;
        if let Some(id) = input.organiser_team_id {
            if let Entry::Vacant(slot) = self.teams.entry(id) {
                let t = found(antq_store::force::teams::get(db, antq_domain::ids::ForceTeamId(id)).await)?;
                slot.insert(t.map(|t| (t.commune_code, t.name)));
            }
            match &self.teams[&id] {
                Some((c, name)) if commune.is_some_and(|own| own != c) => {
                    e.add("organiser_team_id", format!("Tổ «{name}» không thuộc xã nơi tổ chức."))
                }
                Some(_) => {}
                None => e.add("organiser_team_id", format!("Không có Tổ bảo vệ ANTT số {id}.")),
            }
        }
        self.place
            .model(ctx, "organiser_model_id", input.organiser_model_id, (province, commune), "tổ chức", e)
            .await?;
        for id in &input.model_ids {
            self.place.model(ctx, "model_ids", Some(*id), (province, commune), "tổ chức", e).await?;
        }
        Ok(())
    }
}

/// Records an activity.
#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppCtx, actor: &Actor, input: &ActivityInput) -> AppResult<ActivityDetail> {
    actor.require(Permission::WriteRegistry)?;
    let r = Links::default().resolve(ctx, actor, input, ctx.today()).await??;
    actor.require_in_scope(Permission::WriteRegistry, &r.province, r.commune.as_deref())?;
    let mut tx = ctx.db.begin().await?;
    let id = store::insert_many(&mut tx, &[r.new_activity()], &actor.username, ctx.now()).await?[0];
    let target = Target::placed("activity", id, &r.province, r.commune.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &audit::changes(None::<&()>, &r.input)).await?;
    tx.commit().await?;
    detail(ctx, actor, id).await
}

/// Changes an activity, provided it is still as it was read at `seen` (when given).
#[tracing::instrument(skip_all, fields(id))]
pub async fn update(
    ctx: &AppCtx,
    actor: &Actor,
    id: i64,
    input: &ActivityInput,
    seen: Option<DateTime<Utc>>,
) -> AppResult<ActivityDetail> {
    let before = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &before.province_code, before.commune_code.as_deref())?;
    if seen.is_some_and(|s| s != before.updated_at) {
        return Err(changed_meanwhile());
    }
    let old = before.to_input();
    let r = Links::default().resolve(ctx, actor, input, ctx.today()).await??;
    if r.kind.shape != before.shape && (before.opinions > 0) {
        return Err(
            FieldErrors::single("kind_id", "Hội nghị đã có ý kiến, không đổi sang loại hoạt động khác được.").into()
        );
    }
    let changes = audit::changes(Some(&old), &r.input);
    if changes.is_empty() {
        return detail(ctx, actor, id).await;
    }
    let mut tx = ctx.db.begin().await?;
    store::update(&mut tx, &before, &r.new_activity(), ctx.now()).await.map_err(|e| match e {
        antq_store::StoreError::Conflict => changed_meanwhile(),
        other => other.into(),
    })?;
    let target = Target::placed("activity", id, &r.province, r.commune.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &changes).await?;
    tx.commit().await?;
    detail(ctx, actor, id).await
}

fn changed_meanwhile() -> AppError {
    AppError::Conflict("Hoạt động vừa được người khác sửa; hãy tải lại trang rồi sửa lại.".into())
}

/// The activity a crime report was received at: in the actor's scope, on one of its days.
pub(crate) async fn tip_source(
    ctx: &AppCtx,
    actor: &Actor,
    id: i64,
    received_at: DateTime<Utc>,
) -> AppResult<Activity> {
    let a = match store::get(&ctx.db, id).await {
        Ok(a) if actor.scope.contains(&a.province_code, a.commune_code.as_deref()) => a,
        Ok(_) | Err(antq_store::StoreError::NotFound) => {
            return Err(FieldErrors::single("activity_id", format!("Không có hoạt động số {id} trong địa bàn.")).into());
        }
        Err(e) => return Err(e.into()),
    };
    let day = antq_domain::report::clock::vn_date(received_at);
    if day < a.starts_on || day > a.ends_on {
        return Err(FieldErrors::single(
            "activity_id",
            format!(
                "Tin nhận ngày {} nhưng hoạt động «{}» diễn ra {} – {}.",
                day.format("%d/%m/%Y"),
                a.title,
                a.starts_on.format("%d/%m/%Y"),
                a.ends_on.format("%d/%m/%Y")
            ),
        )
        .into());
    }
    Ok(a)
}

/// The activities a report received on `day` in the actor's scope may be linked to (the
/// intake form's choice).
pub async fn tip_sources(ctx: &AppCtx, actor: &Actor, day: NaiveDate) -> AppResult<Vec<Activity>> {
    let q = ActivityQuery {
        from: Some((day - chrono::Duration::days(antq_domain::activity::MAX_DAYS)).to_string()),
        to: Some(day.to_string()),
        ..Default::default()
    };
    let mut all = list_all(ctx, actor, &q).await?;
    all.retain(|a| a.ends_on >= day);
    Ok(all)
}

// ---------------------------------------------------------------------------------------
// Opinions

/// Records an opinion raised at a conference.
#[tracing::instrument(skip_all, fields(id))]
pub async fn add_opinion(ctx: &AppCtx, actor: &Actor, id: i64, input: &OpinionInput) -> AppResult<Opinion> {
    let a = writable(ctx, actor, id).await?;
    if a.shape != antq_domain::activity::ActivityShape::HoiNghi {
        return Err(
            FieldErrors::single("topic", "Chỉ ghi ý kiến cho hội nghị «Công an lắng nghe ý kiến Nhân dân».").into()
        );
    }
    let f = input.validate(a.starts_on)?;
    let mut tx = ctx.db.begin().await?;
    let oid = store::insert_opinion(&mut tx, (&a).into(), &f, &actor.username, ctx.now()).await?;
    let target = Target::placed("activity", id, &a.province_code, a.commune_code.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &audit::note("opinion_added", oid.to_string()))
        .await?;
    tx.commit().await?;
    opinion(ctx, id, oid).await
}

async fn opinion(ctx: &AppCtx, activity: i64, id: i64) -> AppResult<Opinion> {
    store::opinions(&ctx.db, activity, ctx.today())
        .await?
        .into_iter()
        .find(|o| o.id == id)
        .ok_or(AppError::NotFound("ý kiến"))
}

/// An activity the actor may change.
async fn writable(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Activity> {
    let a = get(ctx, actor, id).await?;
    actor.require_in_scope(Permission::WriteRegistry, &a.province_code, a.commune_code.as_deref())?;
    Ok(a)
}

/// Records the answer to a waiting opinion.
#[tracing::instrument(skip_all, fields(id, opinion_id))]
pub async fn answer_opinion(
    ctx: &AppCtx,
    actor: &Actor,
    id: i64,
    opinion_id: i64,
    input: &AnswerInput,
) -> AppResult<Opinion> {
    let a = writable(ctx, actor, id).await?;
    let o = opinion(ctx, id, opinion_id).await?;
    let (answer, on) = input.validate(o.state, a.starts_on, ctx.today())?;
    let mut tx = ctx.db.begin().await?;
    store::answer_opinion(&mut tx, (&a).into(), opinion_id, (&answer, on), ctx.now()).await.map_err(|e| match e {
        antq_store::StoreError::Conflict => AppError::Conflict("Ý kiến này vừa được trả lời.".into()),
        other => other.into(),
    })?;
    let target = Target::placed("activity", id, &a.province_code, a.commune_code.as_deref());
    audit::record(
        &mut tx,
        ctx,
        actor,
        AuditAction::Update,
        target,
        &audit::note("opinion_answered", opinion_id.to_string()),
    )
    .await?;
    tx.commit().await?;
    opinion(ctx, id, opinion_id).await
}

/// Filters of the list of waiting opinions.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct OpinionQuery {
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Only those past their deadline.
    #[serde(default)]
    pub overdue: bool,
}

/// Opinions waiting for an answer in scope, the nearest deadline first.
pub async fn waiting_opinions(
    ctx: &AppCtx,
    actor: &Actor,
    q: &OpinionQuery,
    page: PageRequest,
) -> AppResult<Page<Opinion>> {
    actor.require(Permission::ReadRegistry)?;
    let (p, c) = actor.narrow(non_empty(&q.province), non_empty(&q.commune))?;
    Ok(store::waiting_opinions(&ctx.db, (p.as_deref(), c.as_deref()), q.overdue, ctx.today(), page).await?)
}

// ---------------------------------------------------------------------------------------
// Documents

/// Adds a document (minutes, photos, the list of participants) to an activity.
#[tracing::instrument(skip_all, fields(id))]
pub async fn add_document(
    ctx: &AppCtx,
    actor: &Actor,
    id: i64,
    title: &str,
    file: Upload,
) -> AppResult<ActivityDocument> {
    let a = writable(ctx, actor, id).await?;
    let mut e = FieldErrors::new();
    let title = antq_domain::validate::required_text(&mut e, "title", "Tên tài liệu", title, 300);
    let checked = match antq_domain::model::check_document_file(&file.name, &file.bytes) {
        Ok(t) if !file.bytes.is_empty() => Some(t),
        Ok(_) => {
            e.add("file", "Chọn tệp tài liệu.");
            None
        }
        Err(msg) => {
            e.add("file", msg);
            None
        }
    };
    let Some(content_type) = checked.filter(|_| e.is_empty()) else { return Err(e.into()) };
    let stored = antq_store::models::DocumentFile {
        name: crate::models::sanitize_file_name(&file.name),
        content_type,
        bytes: &file.bytes,
    };
    let mut tx = ctx.db.begin().await?;
    let doc = store::add_document(&mut tx, &a, &title, &stored, ctx.now()).await?;
    let target = Target::placed("activity", id, &a.province_code, a.commune_code.as_deref());
    audit::record(&mut tx, ctx, actor, AuditAction::Update, target, &audit::note("document", title.clone())).await?;
    tx.commit().await?;
    store::documents(&ctx.db, id).await?.into_iter().find(|d| d.id == doc).ok_or(AppError::NotFound("tài liệu"))
}

/// A document with its file.
pub async fn document(ctx: &AppCtx, actor: &Actor, id: i64, doc: i64) -> AppResult<(ActivityDocument, Vec<u8>)> {
    get(ctx, actor, id).await?;
    store::document(&ctx.db, id, doc).await.not_found_as("tài liệu")
}
