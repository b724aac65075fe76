//! Import and export of teams and members (C14 for C8): templates with Vietnamese headers,
//! dry run, all-or-nothing. Citizen ids are sealed on import, masked on export unless the
//! caller may read them in full (then the export is audited).

use std::collections::{HashMap, HashSet};

use antq_domain::access::Permission;
use antq_domain::audit::AuditAction;
use antq_domain::force::member::MemberInput;
use antq_domain::force::{TeamInput, TeamStepInput};
use antq_domain::ids::ForceTeamId;
use antq_domain::text::fold;
use antq_interchange::{Column, Format, RawRow};
use antq_store::force::members::{self as store_members, NewEvent};
use antq_store::force::{NewMember, teams as store_teams};

use super::ForceRules;
use crate::interchange::{
    Errors, FORMER_COLUMNS, FORMER_COMMUNE, FORMER_DISTRICT, FORMER_PROVINCE, FormerCells, ImportReport, Lookup,
    Registry, Restated, audit_import, col, date, export_layout, finish, keep_former, opt, parse_int, place,
};
use crate::{Actor, AppCtx, AppResult};
use antq_store::former_places::Placed;

/// The commune of a team or member row (restated from *Xã cũ* when that is given).
const COMMUNE: Column = col(
    "commune_code",
    "Mã xã",
    &["ma don vi", "ma phuong"],
    false,
    "Mã 5 chữ số của xã, phường, đặc khu (bắt buộc, trừ dòng ghi theo «Xã cũ»).",
);

/// Columns of the team file.
pub static TEAM_COLUMNS: &[Column] = &[
    COMMUNE,
    col("name", "Tên tổ", &["ten", "to bao ve antt"], true, "Ví dụ: Tổ bảo vệ ANTT thôn Phú Lộc."),
    col(
        "areas",
        "Khu dân cư phụ trách",
        &["dia ban phu trach", "thon to dan pho", "khu dan cu"],
        true,
        "Tên các khu dân cư (đã có trong danh mục của xã), cách nhau bằng dấu chấm phẩy.",
    ),
    col("selection_on", "Ngày biên bản lựa chọn", &["ngay lua chon"], false, "dd/mm/yyyy."),
    col(
        "decision_no",
        "Số quyết định thành lập",
        &["so quyet dinh", "quyet dinh thanh lap"],
        false,
        "Tổ đã thành lập: số quyết định của Chủ tịch UBND xã (cùng ngày quyết định và người ký).",
    ),
    col("decided_on", "Ngày quyết định", &["ngay thanh lap"], false, "dd/mm/yyyy."),
    col("signer", "Người ký", &["nguoi ky quyet dinh"], false, "Ví dụ: Chủ tịch UBND xã Nguyễn Văn A."),
    col("posted_on", "Ngày niêm yết", &["ngay niem yet"], false, "dd/mm/yyyy."),
    col("note", "Ghi chú", &[], false, "Tùy ý."),
    FORMER_COMMUNE,
    FORMER_DISTRICT,
    FORMER_PROVINCE,
];

/// Columns of the member file.
pub static MEMBER_COLUMNS: &[Column] = &[
    COMMUNE,
    col("team", "Tên tổ", &["to", "to bao ve antt"], true, "Tên tổ (đã có trong danh sách tổ của xã)."),
    col("full_name", "Họ và tên", &["ho ten", "ten"], true, "Ví dụ: Nguyễn Văn An."),
    col("born_on", "Ngày sinh", &["ngay thang nam sinh"], true, "dd/mm/yyyy."),
    col("sex", "Giới tính", &["gioi"], true, "Nam hoặc Nữ."),
    col("citizen_id", "Số định danh cá nhân", &["cccd", "so cccd", "can cuoc cong dan"], true, "12 chữ số."),
    col("address", "Địa chỉ", &["noi o", "cho o hien nay"], false, "Tùy ý."),
    col("phone", "Số điện thoại", &["dien thoai", "sdt"], false, "Tùy ý."),
    col(
        "education",
        "Trình độ học vấn",
        &["hoc van", "trinh do"],
        true,
        "Chưa hoàn thành tiểu học, Hoàn thành tiểu học, Tốt nghiệp, hoàn thành THCS, Tốt nghiệp THPT, Trung cấp, Cao đẳng, Đại học, Sau đại học (hoặc mã: thcs, thpt…).",
    ),
    col("health_cert_on", "Ngày giấy chứng nhận sức khỏe", &["giay kham suc khoe"], true, "dd/mm/yyyy."),
    col("resident_since", "Cư trú từ ngày", &["ngay cu tru"], true, "dd/mm/yyyy."),
    col(
        "prior_service",
        "Đã tham gia lực lượng",
        &["qua trinh tham gia"],
        false,
        "Bảo vệ dân phố, Công an xã bán chuyên trách, Đội trưởng, đội phó đội dân phòng, Công an nhân dân, Quân đội nhân dân.",
    ),
    col("prior_months", "Số tháng đã tham gia", &["thoi gian tham gia truoc"], false, "Số nguyên."),
    col(
        "prior_special_months",
        "Trong đó ở vùng đặc biệt khó khăn (tháng)",
        &["thang vung dac biet"],
        false,
        "Số nguyên, không lớn hơn số tháng đã tham gia.",
    ),
    col(
        "over_age_decision",
        "Quyết định cho phép trên tuổi",
        &[],
        false,
        "Số quyết định của Chủ tịch UBND xã (người trên 70 tuổi).",
    ),
    col("role", "Chức danh", &["vai tro"], true, "Tổ trưởng, Tổ phó hoặc Tổ viên."),
    col("applied_on", "Ngày nộp hồ sơ", &["ngay nop don"], false, "dd/mm/yyyy (mặc định hôm nay)."),
    col(
        "decision_no",
        "Số quyết định công nhận",
        &["quyet dinh cong nhan"],
        false,
        "Thành viên đã được công nhận: số, ngày quyết định và người ký.",
    ),
    col("decided_on", "Ngày quyết định công nhận", &["ngay cong nhan"], false, "dd/mm/yyyy."),
    col("signer", "Người ký", &["nguoi ky quyet dinh"], false, "Ví dụ: Chủ tịch UBND xã."),
    col("badge_no", "Số biển hiệu", &["bien hieu"], false, "Tùy ý."),
    col("certificate_no", "Số giấy chứng nhận", &["giay chung nhan"], false, "Tùy ý."),
    col("note", "Ghi chú", &[], false, "Tùy ý."),
    FORMER_COMMUNE,
    FORMER_DISTRICT,
    FORMER_PROVINCE,
];

/// Teams of the actor's scope by `(commune, folded name)`: `(id, state code)`.
async fn team_keys(ctx: &AppCtx, actor: &Actor) -> AppResult<HashMap<(String, String), (i64, String)>> {
    Ok(store_teams::keys(&ctx.db, actor.scope.province(), actor.scope.commune())
        .await?
        .into_iter()
        .map(|(id, c, k, s)| ((c, k), (id, s)))
        .collect())
}

fn text(r: &RawRow, key: &str) -> Option<String> {
    r.get(key).map(str::to_string)
}

/// Imports teams (and their establishment decisions).
pub(crate) async fn import_teams(
    ctx: &AppCtx,
    actor: &Actor,
    restated: &Restated,
    lookup: &Lookup,
    errs: &mut Errors<'_>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let rows = &restated.rows;
    let existing = team_keys(ctx, actor).await?;
    let mut areas_by: HashMap<String, HashMap<String, i64>> = HashMap::new();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let today = ctx.today();
    let mut good = Vec::new();
    for r in rows {
        let before = errs.list.len();
        let Some((p, c)) = place(actor, lookup, r, errs) else { continue };
        if !areas_by.contains_key(&c) {
            let list = antq_store::areas::list_all(
                &ctx.db,
                &antq_store::areas::RegistryFilter { commune: Some(c.clone()), ..Default::default() },
            )
            .await?;
            areas_by.insert(c.clone(), list.into_iter().map(|a| (fold(&a.name), a.id.0)).collect());
        }
        let mut area_ids = Vec::new();
        for name in r.get("areas").unwrap_or("").split(';').map(str::trim).filter(|n| !n.is_empty()) {
            match areas_by[&c].get(&fold(name)) {
                Some(id) => area_ids.push(*id),
                None => {
                    errs.cell(r.row, "areas", format!("Xã không có khu dân cư «{name}» (hãy nhập khu dân cư trước)."))
                }
            }
        }
        let input = TeamInput {
            name: text(r, "name"),
            area_ids,
            selection_on: text(r, "selection_on"),
            posted_on: text(r, "posted_on"),
            posted_place: None,
            note: text(r, "note"),
        };
        let fields = match input.validate(today) {
            Ok(f) => f,
            Err(e) => {
                errs.fields(r.row, &e, &[]);
                continue;
            }
        };
        let key = (c.clone(), fold(&fields.name));
        if existing.contains_key(&key) || !seen.insert(key) {
            errs.cell(
                r.row,
                "name",
                format!("Tổ «{}» đã có trong xã này (trong tệp hoặc trong hệ thống).", fields.name),
            );
        }
        let decision = [text(r, "decision_no"), text(r, "decided_on"), text(r, "signer")];
        let establish = if decision.iter().any(Option::is_some) {
            let step = TeamStepInput {
                action: Some("establish".into()),
                on_date: decision[1].clone(),
                decision_no: decision[0].clone(),
                signer: decision[2].clone(),
                reason: None,
            };
            // Checked against a team as it will be right after insertion.
            let probe = probe_team(&p, &c, &fields);
            match step.validate(&probe, today) {
                Ok(s) => Some(s),
                Err(e) => {
                    errs.fields(r.row, &e, &[("on_date", "decided_on")]);
                    None
                }
            }
        } else {
            None
        };
        if errs.list.len() == before {
            good.push((p, c, fields, establish, restated.of(r.row)));
        }
    }
    let valid = good.len();
    if dry_run || !errs.list.is_empty() {
        return Ok(finish(rows.len(), valid, std::mem::take(&mut errs.list), 0, dry_run));
    }
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    for (p, c, f, establish, former) in &good {
        let id = store_teams::insert(&mut tx, p, c, f, now).await?;
        keep_former(&mut tx, Placed::ForceTeams, &[id.0], &[*former]).await?;
        let e = NewEvent {
            team: id,
            member: None,
            province: p,
            commune: c,
            action: "import",
            on: None,
            detail: None,
            actor: &actor.username,
        };
        store_members::add_event(&mut tx, &e, now).await?;
        if let Some(step) = establish {
            store_teams::apply_step(&mut tx, id, antq_domain::force::TeamState::DuKien, step, now).await?;
        }
    }
    audit_import(&mut tx, ctx, actor, Registry::Teams, good.iter().map(|(p, c, ..)| (p.as_str(), Some(c.as_str()))))
        .await?;
    tx.commit().await?;
    Ok(finish(rows.len(), valid, Vec::new(), good.len(), false))
}

/// A team as it is right after insertion (for checking an establishment step of an import row).
fn probe_team(p: &str, c: &str, f: &antq_domain::force::team::TeamFields) -> antq_domain::force::Team {
    let now = chrono::Utc::now();
    antq_domain::force::Team {
        id: ForceTeamId(0),
        province_code: p.into(),
        commune_code: c.into(),
        name: f.name.clone(),
        state: antq_domain::force::TeamState::DuKien,
        areas: Vec::new(),
        selection_on: f.selection_on,
        proposed_on: None,
        decision_no: None,
        decided_on: None,
        signer: None,
        posted_on: f.posted_on,
        posted_place: None,
        dissolution_proposed_on: None,
        dissolution_reason: None,
        dissolution_decision_no: None,
        dissolved_on: None,
        dissolution_signer: None,
        note: None,
        leaders: 0,
        deputies: 0,
        size: 0,
        active: 0,
        created_at: now,
        updated_at: now,
    }
}

/// Imports members, each checked for eligibility and for holding a place already.
pub(crate) async fn import_members(
    ctx: &AppCtx,
    actor: &Actor,
    restated: &Restated,
    lookup: &Lookup,
    errs: &mut Errors<'_>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let rows = &restated.rows;
    let teams = team_keys(ctx, actor).await?;
    let mut team_cache: HashMap<i64, antq_domain::force::Team> = HashMap::new();
    let mut rules: HashMap<String, ForceRules> = HashMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    let today = ctx.today();
    let mut good = Vec::new();
    let mut check_tx = ctx.db.begin().await?;
    for r in rows {
        let before = errs.list.len();
        let Some((p, c)) = place(actor, lookup, r, errs) else { continue };
        let team = match r.get("team").map(fold).and_then(|k| teams.get(&(c.clone(), k))) {
            Some((id, state)) if state != "giai_the" => Some(*id),
            Some(_) => {
                errs.cell(r.row, "team", "Tổ đã giải thể.");
                None
            }
            None => {
                errs.cell(r.row, "team", format!("Xã không có tổ «{}».", r.get("team").unwrap_or("")));
                None
            }
        };
        let int = |errs: &mut Errors, key: &str| {
            parse_int(r.get(key)).unwrap_or_else(|_| {
                errs.cell(r.row, key, "Phải là số nguyên.");
                None
            })
        };
        let input = MemberInput {
            team_id: team,
            full_name: text(r, "full_name"),
            born_on: text(r, "born_on"),
            sex: text(r, "sex"),
            citizen_id: text(r, "citizen_id"),
            address: text(r, "address"),
            phone: text(r, "phone"),
            education: text(r, "education"),
            health_cert_on: text(r, "health_cert_on"),
            resident_since: text(r, "resident_since"),
            prior_service: text(r, "prior_service"),
            prior_months: int(errs, "prior_months"),
            prior_special_months: int(errs, "prior_special_months"),
            over_age_decision: text(r, "over_age_decision"),
            role: text(r, "role"),
            applied_on: text(r, "applied_on"),
            decision_no: text(r, "decision_no"),
            decided_on: text(r, "decided_on"),
            signer: text(r, "signer"),
            badge_no: text(r, "badge_no"),
            certificate_no: text(r, "certificate_no"),
            note: text(r, "note"),
        };
        let f = match input.validate(today, true) {
            Ok(f) => f,
            Err(e) => {
                errs.fields(r.row, &e, &[]);
                continue;
            }
        };
        let Some(team_id) = team else { continue };
        let t = match team_cache.entry(team_id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(store_teams::get(&ctx.db, ForceTeamId(team_id)).await?)
            }
        };
        if f.recognised.is_some() && !t.state.is_established() {
            errs.cell(r.row, "decision_no", format!("Tổ «{}» chưa có quyết định thành lập.", t.name));
        }
        if !rules.contains_key(&p) {
            rules.insert(p.clone(), ForceRules::load(ctx, &p, today).await?);
        }
        let eligibility = super::members::eligibility_errors(&rules[&p], &f, t)?;
        errs.fields(r.row, &eligibility, &[]);
        let cid = super::members::seal(ctx, f.citizen_id.as_deref().unwrap_or_default())?;
        if !seen.insert(cid.index.clone()) {
            errs.cell(r.row, "citizen_id", "Số định danh này xuất hiện nhiều lần trong tệp.");
        } else if let Some(msg) = super::members::place_taken(&mut check_tx, actor, &cid.index, None).await? {
            errs.cell(r.row, "citizen_id", msg);
        }
        if errs.list.len() == before {
            good.push((p, c, ForceTeamId(team_id), f, cid, restated.of(r.row)));
        }
    }
    drop(check_tx);
    let valid = good.len();
    if dry_run || !errs.list.is_empty() {
        return Ok(finish(rows.len(), valid, std::mem::take(&mut errs.list), 0, dry_run));
    }
    let now = ctx.now();
    let mut tx = ctx.db.begin().await?;
    for (p, c, team, f, cid, former) in &good {
        let id =
            store_members::insert(&mut tx, &NewMember { team: *team, province: p, commune: c, fields: f, cid }, now)
                .await?;
        keep_former(&mut tx, Placed::ForceMembers, &[id.0], &[*former]).await?;
        let e = NewEvent {
            team: *team,
            member: Some(id),
            province: p,
            commune: c,
            action: "import",
            on: None,
            detail: None,
            actor: &actor.username,
        };
        store_members::add_event(&mut tx, &e, now).await?;
    }
    audit_import(&mut tx, ctx, actor, Registry::Members, good.iter().map(|(p, c, ..)| (p.as_str(), Some(c.as_str()))))
        .await?;
    tx.commit().await?;
    Ok(finish(rows.len(), valid, Vec::new(), good.len(), false))
}

static TEAM_EXPORT: &[Column] = &[
    Column::plain("id", "Số hiệu"),
    Column::plain("commune_code", "Mã xã"),
    Column::plain("commune_name", "Tên xã"),
    Column::plain("name", "Tên tổ"),
    Column::plain("areas", "Khu dân cư phụ trách"),
    Column::plain("state", "Trạng thái"),
    Column::plain("selection_on", "Ngày biên bản lựa chọn"),
    Column::plain("decision_no", "Số quyết định thành lập"),
    Column::plain("decided_on", "Ngày quyết định"),
    Column::plain("signer", "Người ký"),
    Column::plain("posted_on", "Ngày niêm yết"),
    Column::plain("leaders", "Tổ trưởng"),
    Column::plain("deputies", "Tổ phó"),
    Column::plain("size", "Số thành viên"),
    Column::plain("dissolved_on", "Ngày giải thể"),
    Column::plain("note", "Ghi chú"),
];

/// Exports the filtered teams.
#[tracing::instrument(skip_all)]
pub async fn export_teams(
    ctx: &AppCtx,
    actor: &Actor,
    q: &super::teams::TeamQuery,
    format: Format,
) -> AppResult<Vec<u8>> {
    let list = super::teams::list_all(ctx, actor, q).await?;
    let names = crate::units::names(ctx, list.iter().map(|t| t.commune_code.clone())).await?;
    let former = FormerCells::load(ctx, Placed::ForceTeams, list.iter().map(|t| t.id.0)).await?;
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|t| {
            let mut v = vec![
                t.id.to_string(),
                t.commune_code.clone(),
                names.get(&t.commune_code).cloned().unwrap_or_default(),
                t.name.clone(),
                t.areas.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join("; "),
                t.state.label().into(),
                date(&t.selection_on),
                opt(&t.decision_no),
                date(&t.decided_on),
                opt(&t.signer),
                date(&t.posted_on),
                t.leaders.to_string(),
                t.deputies.to_string(),
                t.size.to_string(),
                date(&t.dissolved_on),
                opt(&t.note),
            ];
            v.extend(former.cells(t.id.0));
            v
        })
        .collect();
    Ok(antq_interchange::write(format, Registry::Teams.title(), &[TEAM_EXPORT, &FORMER_COLUMNS].concat(), &rows))
}

/// Exports the filtered members; the citizen id in full only for callers allowed to read it
/// (one audit entry names how many were exported), masked otherwise.
#[tracing::instrument(skip_all)]
pub async fn export_members(
    ctx: &AppCtx,
    actor: &Actor,
    q: &super::members::MemberQuery,
    format: Format,
) -> AppResult<Vec<u8>> {
    let list = super::members::list_all(ctx, actor, q).await?;
    let full = actor.require(Permission::ReadPersonalData).is_ok();
    let names = crate::units::names(ctx, list.iter().map(|m| m.commune_code.clone())).await?;
    let former = FormerCells::load(ctx, Placed::ForceMembers, list.iter().map(|m| m.id.0)).await?;
    let mut rows = Vec::with_capacity(list.len());
    for m in &list {
        let cid = if full {
            let s = store_members::cid(&ctx.db, m.id).await?;
            ctx.identity_key.open_cid(&s.index, &s.key_id, &s.sealed)?
        } else {
            m.citizen_id_masked.clone()
        };
        let mut row = vec![
            m.id.to_string(),
            m.commune_code.clone(),
            m.team_name.clone(),
            m.full_name.clone(),
            m.born_on.format("%d/%m/%Y").to_string(),
            m.sex.label().into(),
            cid,
            opt(&m.address),
            opt(&m.phone),
            m.education.label().into(),
            date(&m.health_cert_on),
            date(&m.resident_since),
            m.prior_service.label().into(),
            m.prior_months.to_string(),
            m.prior_special_months.to_string(),
            opt(&m.over_age_decision),
            m.role.label().into(),
            m.applied_on.format("%d/%m/%Y").to_string(),
            opt(&m.decision_no),
            date(&m.decided_on),
            opt(&m.signer),
            opt(&m.badge_no),
            opt(&m.certificate_no),
            opt(&m.note),
            names.get(&m.commune_code).cloned().unwrap_or_default(),
            m.state.label().into(),
            m.termination_ground.map(|g| g.label().to_string()).unwrap_or_default(),
            date(&m.terminated_on),
        ];
        row.extend(former.cells(m.id.0));
        rows.push(row);
    }
    if full && !list.is_empty() {
        let mut tx = ctx.db.begin().await?;
        let target = crate::audit::Target {
            kind: "force_member",
            id: None,
            province: actor.scope.province().map(Into::into),
            commune: actor.scope.commune().map(Into::into),
        };
        let changes =
            [crate::audit::note("field", "citizen_id"), crate::audit::note("rows", list.len().to_string())].concat();
        crate::audit::record(&mut tx, ctx, actor, AuditAction::PersonalRead, target, &changes).await?;
        tx.commit().await?;
    }
    let extra = [
        Column::plain("commune_name", "Tên xã"),
        Column::plain("state", "Trạng thái"),
        Column::plain("termination_ground", "Căn cứ thôi tham gia"),
        Column::plain("terminated_on", "Ngày thôi tham gia"),
    ];
    let cols = export_layout(Column::plain("id", "Số hiệu"), MEMBER_COLUMNS, &extra);
    Ok(antq_interchange::write(format, Registry::Members.title(), &cols, &rows))
}
