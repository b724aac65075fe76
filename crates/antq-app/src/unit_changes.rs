//! Loading a later change of the administrative map (issue 16): a national administrator
//! uploads a resolution's table, sees what it would do (nothing written), saves it as pending,
//! and applies it on or after its day, in one audited transaction. `serve` applies due ones.

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::access::Scope;
use antq_domain::audit::AuditAction;
use antq_domain::page::{Page, PageRequest};
use antq_domain::succession::Relation;
use antq_domain::text::fold;
use antq_domain::unit::{UnitKind, UnitLevel};
use antq_domain::unit_change::{self, ChangeHeader, ChangeState, ChangeStep, Effect, NewUnit, Plan};
use antq_domain::unit_change::{Applied, UnitChange};
use antq_interchange::{Column, Format, RawRow};
use antq_store::unit_changes::{self as store, NewChange};

use crate::audit::{self, Target};
use crate::interchange::{parse_bool, parse_int};
use crate::{Actor, AppCtx, AppError, AppResult};

const fn col(key: &'static str, header: &'static str, required: bool, help: &'static str) -> Column {
    Column { key, header, aliases: &[], required, help }
}

/// The columns of a change table.
pub static CHANGE_COLUMNS: [Column; 9] = [
    col("level", "Cấp", true, "«tỉnh» hoặc «xã»."),
    col("from_code", "Mã hiện tại", true, "Mã của đơn vị hiện hành."),
    col(
        "to_code",
        "Mã mới",
        true,
        "Mã của đơn vị kế thừa: đơn vị hiện hành, chính nó (đổi tên, chuyển tỉnh) hoặc đơn vị mới.",
    ),
    col("to_name", "Tên mới", false, "Tên (không kèm loại) của đơn vị mới hoặc tên mới khi đổi tên."),
    col("to_kind", "Loại", false, "Tỉnh, Thành phố, Xã, Phường, Đặc khu: bắt buộc với đơn vị mới."),
    col("to_province", "Tỉnh mới", false, "Mã tỉnh của xã trong bản đồ mới, khi khác tỉnh hiện tại."),
    col("relation", "Hình thức", true, "Nhập toàn bộ, Nhập một phần, Chia, tách, Đổi tên, Giữ nguyên."),
    col("weight", "Tỷ lệ (‰)", false, "Phần của đơn vị đi theo dòng này, phần nghìn; để trống là 1000."),
    col("default", "Mặc định", false, "«có» ở đúng một dòng của mỗi đơn vị: hồ sơ của nó chuyển về đây."),
];

/// Most rows a table may have (every commune of the country, twice over).
const MAX_ROWS: usize = 20_000;

/// The empty table, with the columns' help.
pub fn template(format: Format) -> Vec<u8> {
    antq_interchange::template(format, "Bảng sắp xếp đơn vị hành chính", &CHANGE_COLUMNS)
}

/// An uploaded table with what the form says once.
pub struct Upload<'a> {
    /// The new map and its resolution.
    pub header: ChangeHeader,
    /// The file's name.
    pub file_name: &'a str,
    /// The file.
    pub bytes: &'a [u8],
    /// CSV or XLSX.
    pub format: Format,
}

/// What a table would do, or why it cannot be applied.
#[derive(Clone, Debug, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Checked {
    /// Data rows read.
    pub rows: usize,
    /// Every fault, in Vietnamese (none: it can be saved).
    pub errors: Vec<String>,
    /// Units that end.
    pub ended: usize,
    /// New units.
    pub created: Vec<NewUnit>,
    /// Units renamed.
    pub renamed: usize,
    /// Communes that move to another province.
    pub reparented: usize,
    /// Units split: their records go to the default successor, for the commune to re-file.
    pub split: Vec<String>,
    /// What it does to the registers (when the table holds).
    pub effect: Option<Effect>,
}

impl Checked {
    /// Neither a fault nor a collision.
    pub fn clean(&self) -> bool {
        self.errors.is_empty() && self.effect.as_ref().is_some_and(|e| e.collisions.is_empty())
    }
}

fn require_admin(actor: &Actor) -> AppResult<()> {
    actor.require(Permission::ManageUsers)?;
    if actor.scope != Scope::National {
        return Err(AppError::Forbidden("Chỉ quản trị hệ thống cấp toàn quốc được thay đổi bản đồ hành chính.".into()));
    }
    Ok(())
}

/// The rows of a table; the messages of cells that cannot be read.
pub fn parse_steps(rows: &[RawRow]) -> (Vec<ChangeStep>, Vec<String>) {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut defaults: Vec<Option<bool>> = Vec::new();
    for r in rows {
        let n = r.row;
        let mut bad = |c: &str, m: &str| errors.push(format!("Dòng {n}, cột «{c}»: {m}"));
        let level = match r.get("level").map(fold).as_deref() {
            Some("tinh" | "province" | "tinh, thanh pho" | "tinh/thanh pho") => Some(UnitLevel::Province),
            Some("xa" | "commune" | "xa, phuong" | "xa/phuong/dac khu") => Some(UnitLevel::Commune),
            _ => {
                bad("Cấp", "ghi «tỉnh» hoặc «xã».");
                None
            }
        };
        let relation = r.get("relation").and_then(Relation::parse_loose);
        if relation.is_none() {
            bad("Hình thức", "ghi Nhập toàn bộ, Nhập một phần, Chia, tách, Đổi tên hoặc Giữ nguyên.");
        }
        let to_kind = match r.get("to_kind") {
            None => None,
            Some(k) => {
                let kind = UnitKind::parse_loose(k);
                if kind.is_none() {
                    bad("Loại", "ghi Tỉnh, Thành phố, Xã, Phường hoặc Đặc khu.");
                }
                kind
            }
        };
        let weight = match parse_int(r.get("weight")) {
            Ok(w) => w.unwrap_or(1000),
            Err(()) => {
                bad("Tỷ lệ (‰)", "phải là số nguyên.");
                1000
            }
        };
        let default = match r.get("default") {
            None => None,
            Some(v) => parse_bool(Some(v)).map(Some).unwrap_or_else(|()| {
                bad("Mặc định", "ghi «có» hoặc để trống.");
                None
            }),
        };
        let (Some(from), Some(to)) = (r.get("from_code"), r.get("to_code")) else {
            errors.push(format!("Dòng {n}: thiếu mã hiện tại hoặc mã mới."));
            continue;
        };
        let (Some(level), Some(relation)) = (level, relation) else { continue };
        defaults.push(default);
        out.push(ChangeStep {
            row: n,
            level,
            from_code: from.trim().to_string(),
            to_code: to.trim().to_string(),
            to_name: r.get("to_name").map(str::to_string),
            to_kind,
            to_province: r.get("to_province").map(|p| p.trim().to_string()),
            relation,
            weight_milli: weight,
            is_default: false,
        });
    }
    // Left empty, the only row of a unit is its default.
    let count = |s: &ChangeStep| out.iter().filter(|o| o.level == s.level && o.from_code == s.from_code).count();
    let flags: Vec<bool> = out.iter().zip(&defaults).map(|(s, d)| d.unwrap_or_else(|| count(s) == 1)).collect();
    for (s, d) in out.iter_mut().zip(flags) {
        s.is_default = d;
    }
    (out, errors)
}

/// The plan of `steps` against the current map, with the messages of what is wrong.
async fn plan_of(ctx: &AppCtx, steps: &[ChangeStep]) -> AppResult<Result<Plan, Vec<String>>> {
    let (map, taken) = store::current_map(&ctx.db).await?;
    Ok(unit_change::plan(steps, &map, &taken))
}

fn summary(rows: usize, plan: &Plan, effect: Effect) -> Checked {
    Checked {
        rows,
        errors: Vec::new(),
        ended: plan.ended.len(),
        created: plan.created.clone(),
        renamed: plan.renamed.len(),
        reparented: plan.reparented.len(),
        split: plan.split.clone(),
        effect: Some(effect),
    }
}

/// Reads and checks an upload: the header, every row against the current map, then the effect
/// on the registers counted in a transaction that is rolled back. Writes nothing.
#[tracing::instrument(skip_all)]
pub async fn check(ctx: &AppCtx, actor: &Actor, u: &Upload<'_>) -> AppResult<(Checked, Vec<ChangeStep>, Option<Plan>)> {
    require_admin(actor)?;
    let rows = antq_interchange::read(u.bytes, u.format, &CHANGE_COLUMNS, MAX_ROWS)
        .map_err(|e| AppError::Invalid(FieldErrors::single("file", e.to_string())))?;
    let known: Vec<String> = antq_store::former_units::generations(&ctx.db).await?.into_iter().map(|g| g.id).collect();
    let mut errors = unit_change::check_header(&u.header, &known, ctx.today());
    let (steps, cell_errors) = parse_steps(&rows);
    errors.extend(cell_errors);
    let plan = match plan_of(ctx, &steps).await? {
        Ok(p) => Some(p),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    let checked = match (&plan, errors.is_empty()) {
        (Some(p), true) => {
            let c = new_change(&u.header, u.file_name, &steps, actor, ctx);
            summary(rows.len(), p, store::dry_run(&ctx.db, &c, p).await?)
        }
        _ => Checked { rows: rows.len(), errors, ..Checked::default() },
    };
    Ok((checked, steps, plan))
}

fn new_change<'a>(
    header: &'a ChangeHeader,
    file_name: &'a str,
    steps: &'a [ChangeStep],
    actor: &'a Actor,
    ctx: &AppCtx,
) -> NewChange<'a> {
    NewChange { header, file_name, steps, by: &actor.username, now: ctx.now() }
}

/// Checks an upload and, when it holds (collisions included: they must be settled before its
/// day, not after), saves it as pending. Returns the id and the check.
#[tracing::instrument(skip_all)]
pub async fn load(ctx: &AppCtx, actor: &Actor, u: &Upload<'_>) -> AppResult<(i64, Checked)> {
    let (checked, steps, _) = check(ctx, actor, u).await?;
    if !checked.errors.is_empty() {
        let mut e = FieldErrors::new();
        e.add("file", checked.errors.join(" "));
        return Err(AppError::Invalid(e));
    }
    let mut tx = ctx.db.begin().await?;
    let id =
        store::save(&mut tx, &new_change(&u.header, u.file_name, &steps, actor, ctx)).await.map_err(|e| match e {
            antq_store::StoreError::Conflict => {
                AppError::Conflict(format!("Đã có bảng sắp xếp cho bản đồ «{}».", u.header.generation))
            }
            other => other.into(),
        })?;
    let what = format!("{} ({} dòng, hiệu lực {})", u.header.legal_basis, steps.len(), u.header.effective_on);
    audit::record(&mut tx, ctx, actor, AuditAction::Import, target(id), &audit::note("unit_change", what)).await?;
    tx.commit().await?;
    Ok((id, checked))
}

fn target(id: i64) -> Target {
    Target { kind: "unit_change", id: Some(id.to_string()), province: None, commune: None }
}

/// The loaded changes, newest first.
#[tracing::instrument(skip_all)]
pub async fn list(ctx: &AppCtx, actor: &Actor, page: PageRequest) -> AppResult<Page<UnitChange>> {
    require_admin(actor)?;
    Ok(store::list(&ctx.db, page).await?)
}

/// A change with what it would do now (pending), and whether it may be applied today.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChangeView {
    /// The change.
    pub change: UnitChange,
    /// Its rows.
    pub steps: usize,
    /// What it would do against today's map (pending changes only).
    pub check: Option<Checked>,
    /// Why it cannot be applied now, if it cannot.
    pub blocked: Option<String>,
}

async fn get(ctx: &AppCtx, id: i64) -> AppResult<UnitChange> {
    use crate::error::NotFoundAs;
    store::get(&ctx.db, id).await.not_found_as("bảng sắp xếp đơn vị hành chính")
}

/// A pending change checked again against today's map (it may have changed since it was saved).
async fn recheck(ctx: &AppCtx, change: &UnitChange) -> AppResult<(Checked, Option<Plan>)> {
    let steps = store::steps(&ctx.db, change.id).await?;
    Ok(match plan_of(ctx, &steps).await? {
        Ok(p) => (summary(steps.len(), &p, store::effect_of(&ctx.db, change.id, &p).await?), Some(p)),
        Err(errors) => (Checked { rows: steps.len(), errors, ..Checked::default() }, None),
    })
}

fn blocked(ctx: &AppCtx, change: &UnitChange, check: Option<&Checked>) -> Option<String> {
    if change.state != ChangeState::Pending {
        return Some(format!("Bảng này {}.", change.state.label().to_lowercase()));
    }
    if ctx.today() < change.header.effective_on {
        return Some(format!("Chưa đến ngày có hiệu lực ({}).", change.header.effective_on.format("%d/%m/%Y")));
    }
    match check {
        Some(c) if !c.errors.is_empty() => Some("Bảng không còn khớp với bản đồ hiện hành; xem các lỗi.".into()),
        Some(c) if !c.clean() => {
            Some("Có hồ sơ trùng khoá ở đơn vị kế thừa; cần xử lý (gộp, chuyển) trước khi áp dụng.".into())
        }
        _ => None,
    }
}

/// One change, checked again when pending.
#[tracing::instrument(skip_all)]
pub async fn show(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<ChangeView> {
    require_admin(actor)?;
    let change = get(ctx, id).await?;
    let steps = store::steps_page(&ctx.db, id, PageRequest { page: 1, per_page: 1 }).await?.total;
    let check = match change.state {
        ChangeState::Pending => Some(recheck(ctx, &change).await?.0),
        _ => None,
    };
    let blocked = blocked(ctx, &change, check.as_ref());
    Ok(ChangeView { steps: usize::try_from(steps).unwrap_or_default(), check, blocked, change })
}

/// One page of a change's rows.
#[tracing::instrument(skip_all)]
pub async fn steps(ctx: &AppCtx, actor: &Actor, id: i64, page: PageRequest) -> AppResult<Page<ChangeStep>> {
    require_admin(actor)?;
    get(ctx, id).await?;
    Ok(store::steps_page(&ctx.db, id, page).await?)
}

/// Applies a pending change whose day has come, in one transaction with its audit entry.
/// Refused before its day, when it no longer fits today's map, or when rows would collide.
#[tracing::instrument(skip_all, fields(change = id))]
pub async fn apply(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<Applied> {
    require_admin(actor)?;
    let change = get(ctx, id).await?;
    let (check, plan) = match change.state {
        ChangeState::Pending => recheck(ctx, &change).await?,
        _ => (Checked::default(), None),
    };
    if let Some(why) = blocked(ctx, &change, Some(&check)) {
        return Err(AppError::Conflict(why));
    }
    let plan = plan.ok_or_else(|| AppError::Conflict("Bảng không còn khớp với bản đồ hiện hành.".into()))?;
    let mut tx = ctx.db.begin().await?;
    let applied = store::apply(&mut tx, &change, &plan, &actor.username, ctx.now()).await.map_err(|e| match e {
        antq_store::StoreError::Conflict => AppError::Conflict(
            "Bảng đã được áp dụng, đã hủy, hoặc có hồ sơ trùng khoá ở đơn vị kế thừa; không có gì thay đổi.".into(),
        ),
        other => other.into(),
    })?;
    let what = format!(
        "{}: bản đồ «{}» kết thúc, bản đồ «{}» từ {}; {} dòng hồ sơ, {} tài khoản chuyển sang đơn vị kế thừa",
        change.header.legal_basis,
        applied.from_generation,
        change.header.generation,
        change.header.effective_on,
        applied.moved_rows,
        applied.accounts
    );
    audit::record(&mut tx, ctx, actor, AuditAction::Issue, target(id), &audit::note("unit_change", what)).await?;
    tx.commit().await?;
    tracing::info!(rows = applied.moved_rows, "applied a change of the administrative map");
    Ok(applied)
}

/// Cancels a pending change.
#[tracing::instrument(skip_all, fields(change = id))]
pub async fn cancel(ctx: &AppCtx, actor: &Actor, id: i64) -> AppResult<()> {
    require_admin(actor)?;
    get(ctx, id).await?;
    let mut tx = ctx.db.begin().await?;
    store::cancel(&mut tx, id, &actor.username, ctx.now())
        .await
        .map_err(|_| AppError::Conflict("Chỉ hủy được bảng đang chờ áp dụng.".into()))?;
    audit::record(&mut tx, ctx, actor, AuditAction::Retire, target(id), &audit::note("unit_change", "hủy")).await?;
    tx.commit().await?;
    Ok(())
}

/// Applies every pending change whose day has come (`serve` calls it hourly; the CLI on
/// demand): each result by id, a failure leaving its change pending.
#[tracing::instrument(skip_all)]
pub async fn apply_due(ctx: &AppCtx, actor: &Actor) -> AppResult<Vec<(i64, AppResult<Applied>)>> {
    require_admin(actor)?;
    let mut out = Vec::new();
    for c in store::due(&ctx.db, ctx.today()).await? {
        out.push((c.id, apply(ctx, actor, c.id).await));
    }
    Ok(out)
}
