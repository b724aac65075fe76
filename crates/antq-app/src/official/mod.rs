//! The official movement report (C13): the six-month and yearly report of a commune, a
//! province or the country, assembled from every module for the period and the same period a
//! year earlier; drafts whose free-text parts officers edit, issued reports frozen with their
//! numbers, PDF and XLSX; the files themselves.

use antq_domain::FieldErrors;
use antq_domain::access::{Permission, Scope as ActorScope};
use antq_domain::audit::AuditAction;
use antq_domain::official::{Document, OfficialReport, OfficialState, Parts, Period};
use antq_domain::page::{Page, PageRequest};
use antq_domain::unit::{UnitKind, UnitLevel};
use antq_store::official_reports::{self as store, Frozen, OfficialFilter, Stored};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::audit::{self, Target as AuditTarget};
use crate::error::NotFoundAs;
use crate::{Actor, AppCtx, AppError, AppResult};

mod sections;

/// What the report is about, as a caller names it.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct MovementQuery {
    /// Unit code: a province or a commune; empty for the caller's own unit (the country for a
    /// national user).
    pub unit: Option<String>,
    /// `2026` (the year), `2026-nam` or `2026-6t`; the last finished half-year when empty.
    pub period: Option<String>,
    /// The province's own first day (YYYY-MM-DD), with `to`.
    pub from: Option<String>,
    /// The province's own last day.
    pub to: Option<String>,
}

/// The unit reported on.
#[derive(Clone, Debug)]
struct Subject {
    province: Option<String>,
    commune: Option<String>,
    unit_code: String,
    unit_name: String,
    /// "toàn tỉnh".
    whole: String,
    /// The default parts of its documents.
    parts: Parts,
}

/// The unit named by `unit` (the actor's own when empty), refused outside the actor's scope.
async fn subject(ctx: &AppCtx, actor: &Actor, unit: Option<&str>) -> AppResult<Subject> {
    actor.require(Permission::ReadRegistry)?;
    let unit = unit.map(str::trim).filter(|u| !u.is_empty() && *u != "VN");
    let code = match (unit, &actor.scope) {
        (Some(u), _) => u.to_string(),
        (None, ActorScope::National) => {
            return Ok(Subject {
                province: None,
                commune: None,
                unit_code: String::new(),
                unit_name: "Toàn quốc".into(),
                whole: "toàn quốc".into(),
                parts: Parts {
                    issuer_parent: "BỘ CÔNG AN".into(),
                    issuer: "CỤC XÂY DỰNG PHONG TRÀO BẢO VỆ AN NINH TỔ QUỐC".into(),
                    place_name: "Hà Nội".into(),
                    recipients: "- Lãnh đạo Bộ (để báo cáo);\n- Công an các tỉnh, thành phố;\n- Lưu: VT.".into(),
                    signer_title: "CỤC TRƯỞNG".into(),
                    ..Parts::default()
                },
            });
        }
        (None, ActorScope::Province(p)) => p.clone(),
        (None, ActorScope::Commune(_, c)) => c.clone(),
    };
    let u = antq_store::units::get(&ctx.db, &code).await.not_found_as("đơn vị hành chính")?;
    let (province, commune) = match u.level {
        UnitLevel::Province => (u.code.clone(), None),
        UnitLevel::Commune => (u.parent_code.clone().unwrap_or_default(), Some(u.code.clone())),
    };
    actor.narrow(Some(province.clone()), commune.clone()).and_then(|(p, c)| {
        if c.is_some() && commune.is_none() {
            Err(AppError::Forbidden("Bạn chỉ được lập báo cáo của xã được giao.".into()))
        } else {
            Ok((p, c))
        }
    })?;
    let kind = u.kind.label().to_lowercase();
    let parts = match u.level {
        UnitLevel::Province => Parts {
            issuer_parent: "BỘ CÔNG AN".into(),
            issuer: format!("CÔNG AN {}", u.full_name().to_uppercase()),
            place_name: u.name.clone(),
            recipients: "- Bộ Công an (Cục Xây dựng phong trào bảo vệ ANTQ);\n- Tỉnh ủy, HĐND, UBND tỉnh;\n- Lưu: VT."
                .into(),
            signer_title: "GIÁM ĐỐC".into(),
            ..Parts::default()
        },
        UnitLevel::Commune => {
            let p = antq_store::units::get(&ctx.db, &province).await.not_found_as("tỉnh")?;
            Parts {
                issuer_parent: format!("CÔNG AN {}", p.full_name().to_uppercase()),
                issuer: format!("CÔNG AN {}", u.full_name().to_uppercase()),
                place_name: u.name.clone(),
                recipients: format!("- Công an {};\n- Đảng ủy, UBND {kind};\n- Lưu: VT.", p.full_name().to_lowercase()),
                signer_title: "TRƯỞNG CÔNG AN".into(),
                ..Parts::default()
            }
        }
    };
    let whole = match u.kind {
        UnitKind::ThanhPho if u.level == UnitLevel::Province => "toàn thành phố".into(),
        _ => format!("toàn {kind}"),
    };
    Ok(Subject { province: Some(province), commune, unit_code: u.code.clone(), unit_name: u.full_name(), whole, parts })
}

/// The period a caller names: the last finished half-year by default.
fn period_of(ctx: &AppCtx, period: Option<&str>, from: Option<&str>, to: Option<&str>) -> AppResult<Period> {
    let invalid = |field: &str, m: String| AppError::Invalid(FieldErrors::single(field, m));
    let p = match period.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => Period::parse(p).map_err(|m| invalid("period", m))?,
        None => {
            let today = ctx.today();
            let half =
                Period::parse(&format!("{}-6t", chrono::Datelike::year(&today))).map_err(|m| invalid("period", m))?;
            if today > half.to {
                half
            } else {
                Period::parse(&format!("{}", half.year - 1)).map_err(|m| invalid("period", m))?
            }
        }
    };
    let day = |field: &str, v: Option<&str>| -> AppResult<Option<NaiveDate>> {
        match v.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| invalid(field, format!("Ngày «{v}» không hợp lệ (định dạng YYYY-MM-DD)."))),
        }
    };
    match (day("from", from)?, day("to", to)?) {
        (None, None) => Ok(p),
        (Some(f), Some(t)) => p.with_dates(f, t).map_err(|m| invalid("from", m)),
        _ => Err(invalid("from", "Nhập cả ngày đầu và ngày cuối của kỳ báo cáo, hoặc bỏ trống cả hai.".into())),
    }
}

/// Assembles the document of a subject, period and parts.
async fn assemble(
    ctx: &AppCtx,
    actor: &Actor,
    s: &Subject,
    period: Period,
    parts: Parts,
    state: OfficialState,
) -> AppResult<Document> {
    let previous = period.previous();
    let scope = sections::Scope {
        province: s.province.as_deref(),
        commune: s.commune.as_deref(),
        whole: &s.whole,
        period: &period,
        previous: &previous,
    };
    let sections = sections::build(ctx, actor, &scope).await?;
    let dated = parts.dated.unwrap_or_else(|| ctx.today());
    Ok(Document {
        unit_code: s.unit_code.clone(),
        unit_name: s.unit_name.clone(),
        period,
        previous,
        parts,
        dated,
        state,
        sections,
    })
}

/// The report of a unit and period, read live, with the default header and signature (a draft
/// nobody has edited).
#[tracing::instrument(skip_all)]
pub async fn movement(ctx: &AppCtx, actor: &Actor, q: &MovementQuery) -> AppResult<Document> {
    let s = subject(ctx, actor, q.unit.as_deref()).await?;
    let period = period_of(ctx, q.period.as_deref(), q.from.as_deref(), q.to.as_deref())?;
    let parts = Parts { subject: Document::default_subject(&period), ..s.parts.clone() };
    assemble(ctx, actor, &s, period, parts, OfficialState::Draft).await
}

// ---------------------------------------------------------------------------------------
// Files

/// A file format of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// The document per Nghị định 30/2020.
    Pdf,
    /// The tables, ready to print.
    Xlsx,
}

impl FileFormat {
    /// `pdf` or `xlsx`.
    pub fn parse(s: &str) -> Option<FileFormat> {
        match s {
            "pdf" => Some(FileFormat::Pdf),
            "xlsx" => Some(FileFormat::Xlsx),
            _ => None,
        }
    }

    /// The extension.
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Pdf => "pdf",
            FileFormat::Xlsx => "xlsx",
        }
    }

    /// The media type.
    pub fn content_type(self) -> &'static str {
        match self {
            FileFormat::Pdf => "application/pdf",
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Renders a document (typst takes tens of milliseconds: off the async threads).
pub async fn render(doc: Document, f: FileFormat) -> AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || match f {
        FileFormat::Pdf => antq_interchange::official::pdf(&doc),
        FileFormat::Xlsx => Ok(antq_interchange::official::xlsx(&doc)),
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)
}

/// `bao-cao-56-2026-6t.pdf`.
pub fn file_name(doc: &Document, f: FileFormat) -> String {
    let unit = if doc.unit_code.is_empty() { "toan-quoc" } else { &doc.unit_code };
    format!("bao-cao-{unit}-{}.{}", doc.period.code(), f.extension())
}

// ---------------------------------------------------------------------------------------
// Stored reports

/// Filters of the list of stored reports.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct OfficialQuery {
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Year reported on.
    pub year: Option<i32>,
    /// `du_thao` or `da_ban_hanh`.
    pub state: Option<String>,
}

impl OfficialQuery {
    fn filter(&self, actor: &Actor) -> AppResult<OfficialFilter> {
        actor.require(Permission::ReadRegistry)?;
        let (province, commune) = actor.narrow(non_empty(&self.province), non_empty(&self.commune))?;
        let state = match non_empty(&self.state) {
            None => None,
            Some(s) => Some(OfficialState::from_code(&s).ok_or_else(|| {
                let m = format!("Trạng thái phải là một trong: {}.", OfficialState::labels_list());
                AppError::Invalid(FieldErrors::single("state", m))
            })?),
        };
        Ok(OfficialFilter { province, commune, year: self.year, state })
    }
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

/// One page of stored reports in the actor's scope.
pub async fn list(
    ctx: &AppCtx,
    actor: &Actor,
    q: &OfficialQuery,
    page: PageRequest,
) -> AppResult<Page<OfficialReport>> {
    Ok(store::list_page(&ctx.db, &q.filter(actor)?, page).await?)
}

/// Every stored report matching `q` in the actor's scope.
pub async fn list_all(ctx: &AppCtx, actor: &Actor, q: &OfficialQuery) -> AppResult<Vec<OfficialReport>> {
    Ok(store::list_all(&ctx.db, &q.filter(actor)?).await?)
}

/// The place check of a stored report: the country's needs a national user.
fn check(actor: &Actor, r: &OfficialReport, p: Permission) -> AppResult<()> {
    match &r.province_code {
        Some(prov) => actor.require_in_scope(p, prov, r.commune_code.as_deref()),
        None if actor.scope == ActorScope::National => actor.require(p),
        None => Err(AppError::NotFound("báo cáo")),
    }
}

/// One stored report.
pub async fn get(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<OfficialReport> {
    let r = store::get(&ctx.db, id).await.not_found_as("báo cáo")?;
    check(actor, &r, Permission::ReadRegistry)?;
    Ok(r)
}

/// A draft as a caller sends it: the unit and period (at creation), and any part to set; a
/// part left out keeps its value (its default at creation).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct DraftInput {
    /// Unit code (creation only; the caller's own unit when empty).
    pub unit: Option<String>,
    /// Period code (`2026-6t`, `2026`).
    pub period: Option<String>,
    /// The province's own first day.
    pub from: Option<String>,
    /// The province's own last day.
    pub to: Option<String>,
    /// Cơ quan chủ quản.
    pub issuer_parent: Option<String>,
    /// Cơ quan ban hành.
    pub issuer: Option<String>,
    /// Số, ký hiệu.
    pub number: Option<String>,
    /// Địa danh.
    pub place_name: Option<String>,
    /// Ngày ban hành (YYYY-MM-DD; the day of issue when empty).
    pub dated: Option<String>,
    /// Trích yếu.
    pub subject: Option<String>,
    /// Đánh giá chung.
    pub assessment: Option<String>,
    /// Tồn tại, hạn chế.
    pub limitations: Option<String>,
    /// Phương hướng, nhiệm vụ.
    pub tasks: Option<String>,
    /// Nơi nhận, one per line.
    pub recipients: Option<String>,
    /// Quyền hạn ký.
    pub signer_authority: Option<String>,
    /// Chức vụ người ký.
    pub signer_title: Option<String>,
    /// Họ tên người ký.
    pub signer_name: Option<String>,
}

impl DraftInput {
    /// Every part of `p` set (a draft's form as it stands).
    pub fn of(p: &Parts) -> DraftInput {
        let v = |s: &String| Some(s.clone());
        DraftInput {
            issuer_parent: v(&p.issuer_parent),
            issuer: v(&p.issuer),
            number: v(&p.number),
            place_name: v(&p.place_name),
            dated: Some(p.dated.map(|d| d.to_string()).unwrap_or_default()),
            subject: v(&p.subject),
            assessment: v(&p.assessment),
            limitations: v(&p.limitations),
            tasks: v(&p.tasks),
            recipients: v(&p.recipients),
            signer_authority: v(&p.signer_authority),
            signer_title: v(&p.signer_title),
            signer_name: v(&p.signer_name),
            ..DraftInput::default()
        }
    }

    /// A part as typed (empty when not set), for a form.
    pub fn text(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or_default()
    }

    /// `base` with every part the input sets, validated.
    fn parts(&self, base: Parts) -> AppResult<Parts> {
        let set = |v: &Option<String>, old: String| v.clone().unwrap_or(old);
        let mut bad_date = None;
        let dated = match self.dated.as_deref().map(str::trim) {
            None => base.dated,
            Some("") => None,
            Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| bad_date = Some(d.to_string())).ok(),
        };
        let p = Parts {
            issuer_parent: set(&self.issuer_parent, base.issuer_parent),
            issuer: set(&self.issuer, base.issuer),
            number: set(&self.number, base.number),
            place_name: set(&self.place_name, base.place_name),
            dated,
            subject: set(&self.subject, base.subject),
            assessment: set(&self.assessment, base.assessment),
            limitations: set(&self.limitations, base.limitations),
            tasks: set(&self.tasks, base.tasks),
            recipients: set(&self.recipients, base.recipients),
            signer_authority: set(&self.signer_authority, base.signer_authority),
            signer_title: set(&self.signer_title, base.signer_title),
            signer_name: set(&self.signer_name, base.signer_name),
        };
        match (p.validate(), bad_date) {
            (Ok(p), None) => Ok(p),
            (r, bad) => {
                let mut e = r.err().unwrap_or_default();
                if let Some(d) = bad {
                    e.add("dated", format!("Ngày ban hành «{d}» không hợp lệ (định dạng YYYY-MM-DD)."));
                }
                Err(AppError::Invalid(e))
            }
        }
    }
}

fn audit_target(r: &OfficialReport) -> AuditTarget {
    AuditTarget {
        kind: "official_report",
        id: Some(r.id.to_string()),
        province: r.province_code.clone(),
        commune: r.commune_code.clone(),
    }
}

/// Creates a draft of a unit and period.
#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppCtx, actor: &Actor, input: &DraftInput) -> AppResult<OfficialReport> {
    actor.require(Permission::WriteRegistry)?;
    let s = subject(ctx, actor, input.unit.as_deref()).await?;
    let period = period_of(ctx, input.period.as_deref(), input.from.as_deref(), input.to.as_deref())?;
    let parts = input.parts(Parts { subject: Document::default_subject(&period), ..s.parts.clone() })?;
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    let place = (s.province.as_deref(), s.commune.as_deref());
    let id = store::insert(&mut tx, place, &s.unit_code, &period, &parts, &actor.username, now).await?;
    let target = AuditTarget {
        kind: "official_report",
        id: Some(id.to_string()),
        province: s.province.clone(),
        commune: s.commune.clone(),
    };
    let note = audit::note("period", format!("{} — {}", s.unit_name, period.label()));
    audit::record(&mut tx, ctx, actor, AuditAction::Create, target, &note).await?;
    tx.commit().await?;
    Ok(store::get(&ctx.db, id).await?)
}

/// Why an issued report refuses an edit or a deletion.
const FROZEN: &str = "Báo cáo đã ban hành: nội dung và số liệu đã cố định, không sửa hoặc xoá được.";
/// Why an issued report refuses to be issued again.
const ISSUED: &str = "Báo cáo đã được ban hành.";

/// Refuses to change an issued report, with `why`.
fn unless_issued(r: &OfficialReport, why: &str) -> AppResult<()> {
    if r.state == OfficialState::Issued { Err(AppError::Conflict(why.into())) } else { Ok(()) }
}

/// The store's conflict (the report was issued meanwhile) as `why`.
fn issued_meanwhile(why: &'static str) -> impl Fn(antq_store::StoreError) -> AppError {
    move |e| match e {
        antq_store::StoreError::Conflict => AppError::Conflict(why.into()),
        e => e.into(),
    }
}

/// Sets a draft's period and parts.
#[tracing::instrument(skip_all)]
pub async fn update(ctx: &AppCtx, actor: &Actor, id: i64, input: &DraftInput) -> AppResult<OfficialReport> {
    let before = get(ctx, actor, id).await?;
    check(actor, &before, Permission::WriteRegistry)?;
    unless_issued(&before, FROZEN)?;
    let period = if input.period.is_some() || input.from.is_some() {
        period_of(ctx, input.period.as_deref(), input.from.as_deref(), input.to.as_deref())?
    } else {
        before.period.clone()
    };
    let parts = input.parts(before.parts.clone())?;
    let mut tx = ctx.db.begin().await?;
    store::update_draft(&mut tx, id, &period, &parts, ctx.now()).await.map_err(issued_meanwhile(FROZEN))?;
    let changes = audit::changes(Some(&(&before.period, &before.parts)), &(&period, &parts));
    audit::record(&mut tx, ctx, actor, AuditAction::Update, audit_target(&before), &changes).await?;
    tx.commit().await?;
    Ok(store::get(&ctx.db, id).await?)
}

/// Deletes a draft (an issued report is kept for ever).
#[tracing::instrument(skip_all)]
pub async fn delete(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<()> {
    let r = get(ctx, actor, id).await?;
    check(actor, &r, Permission::WriteRegistry)?;
    unless_issued(&r, FROZEN)?;
    let mut tx = ctx.db.begin().await?;
    store::delete_draft(&mut tx, id).await.map_err(issued_meanwhile(FROZEN))?;
    audit::record(&mut tx, ctx, actor, AuditAction::Delete, audit_target(&r), &audit::note("period", r.period.label()))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The subject of a stored report.
async fn stored_subject(ctx: &AppCtx, actor: &Actor, r: &OfficialReport) -> AppResult<Subject> {
    subject(ctx, actor, Some(if r.unit_code.is_empty() { "VN" } else { &r.unit_code })).await
}

/// The document of a stored report: as frozen when issued, read live when a draft.
#[tracing::instrument(skip_all)]
pub async fn document(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Document> {
    let r = get(ctx, actor, id).await?;
    if let Some(body) = store::stored(&ctx.db, id, Stored::Body).await? {
        return serde_json::from_slice(&body).map_err(|e| AppError::Internal(format!("báo cáo {id}: {e}")));
    }
    let s = stored_subject(ctx, actor, &r).await?;
    assemble(ctx, actor, &s, r.period.clone(), r.parts.clone(), OfficialState::Draft).await
}

/// Issues a draft: its document, PDF and XLSX are made once, stored with their SHA-256 and
/// never change again.
#[tracing::instrument(skip_all)]
pub async fn issue(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<OfficialReport> {
    let r = get(ctx, actor, id).await?;
    check(actor, &r, Permission::WriteRegistry)?;
    unless_issued(&r, ISSUED)?;
    let parts = r.parts.clone().validate()?;
    let parts = Parts { dated: Some(parts.dated.unwrap_or_else(|| ctx.today())), ..parts };
    let s = stored_subject(ctx, actor, &r).await?;
    let doc = assemble(ctx, actor, &s, r.period.clone(), parts.clone(), OfficialState::Issued).await?;
    let body = serde_json::to_string(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
    let pdf = render(doc.clone(), FileFormat::Pdf).await?;
    let xlsx = render(doc, FileFormat::Xlsx).await?;
    let (pdf_sha256, xlsx_sha256) = (hex::encode(Sha256::digest(&pdf)), hex::encode(Sha256::digest(&xlsx)));
    let note = audit::note("sha256", format!("PDF {pdf_sha256}; XLSX {xlsx_sha256}"));
    let mut tx = ctx.db.begin().await?;
    let f = Frozen { parts, body, pdf, xlsx, pdf_sha256, xlsx_sha256 };
    store::issue(&mut tx, id, f, &actor.username, ctx.now()).await.map_err(issued_meanwhile(ISSUED))?;
    audit::record(&mut tx, ctx, actor, AuditAction::Issue, audit_target(&r), &note).await?;
    tx.commit().await?;
    Ok(store::get(&ctx.db, id).await?)
}

/// A stored report's file: the issued bytes unchanged, or a draft rendered now.
#[tracing::instrument(skip_all)]
pub async fn file(ctx: &AppCtx, actor: &Actor, id: i64, f: FileFormat) -> AppResult<(Vec<u8>, String)> {
    let doc = document(ctx, actor, id).await?;
    let name = file_name(&doc, f);
    let which = match f {
        FileFormat::Pdf => Stored::Pdf,
        FileFormat::Xlsx => Stored::Xlsx,
    };
    if let Some(bytes) = store::stored(&ctx.db, id, which).await? {
        return Ok((bytes, name));
    }
    Ok((render(doc, f).await?, name))
}

/// The list of stored reports as a file.
pub fn list_file(rows: &[OfficialReport], format: antq_interchange::Format) -> Vec<u8> {
    let headers = [
        "Mã",
        "Đơn vị",
        "Kỳ báo cáo",
        "Từ ngày",
        "Đến ngày",
        "Số, ký hiệu",
        "Trích yếu",
        "Trạng thái",
        "Người ban hành",
        "Ban hành lúc",
        "SHA-256 PDF",
    ];
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                if r.unit_code.is_empty() { "Toàn quốc".into() } else { r.unit_code.clone() },
                r.period.label(),
                antq_domain::official::dmy(r.period.from),
                antq_domain::official::dmy(r.period.to),
                r.parts.number.clone(),
                r.parts.subject.clone(),
                r.state.label().to_string(),
                r.issued_by.clone().unwrap_or_default(),
                r.issued_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                r.pdf_sha256.clone().unwrap_or_default(),
            ]
        })
        .collect();
    antq_interchange::write_headed(format, "Báo cáo", &headers, &body)
}
