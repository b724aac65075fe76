//! Memberships of the force, their trail and dossier documents. The citizen id arrives here
//! already sealed by the application ([`SealedCid`]); this module never sees it in clear.

use antq_domain::force::member::{ForceEvent, MemberDocument, MemberFields};
use antq_domain::force::{
    Education, Member, MemberRole, MemberState, MemberStep, PriorService, Sex, TerminationGround, mask_citizen_id,
};
use antq_domain::ids::{ForceTeamId, MemberId};
use antq_domain::page::{Page, PageRequest};
use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{Arg, Sql, fetch_all, fetch_page, update_in_state};
use crate::{Db, StoreError, StoreResult, Tx, with_db, with_tx};

/// A citizen id as the application stores it: sealed, a keyed hash to find the same person,
/// and the last four digits for display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedCid {
    /// Fingerprint of the sealing key.
    pub key_id: String,
    /// Nonce and ciphertext.
    pub sealed: Vec<u8>,
    /// Keyed hash (hex).
    pub index: String,
    /// Last four digits.
    pub last4: String,
}

/// Filters of the member list.
#[derive(Clone, Debug, Default)]
pub struct MemberFilter {
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Team.
    pub team: Option<ForceTeamId>,
    /// Text in the full name.
    pub q: Option<String>,
    /// State code.
    pub state: Option<String>,
    /// Role code.
    pub role: Option<String>,
    /// Include former members and refused applications.
    pub include_former: bool,
    /// Exactly this person (keyed hash of the citizen id).
    pub cid_index: Option<String>,
}

impl MemberFilter {
    fn where_clause(&self) -> Sql {
        let mut s = Sql::new("FROM force_members m JOIN force_teams t ON t.id = m.team_id WHERE 1=1");
        s.and_eq("m.province_code", self.province.as_deref())
            .and_eq("m.commune_code", self.commune.as_deref())
            .and_eq("m.state", self.state.as_deref())
            .and_eq("m.role", self.role.as_deref())
            .and_eq("m.cid_index", self.cid_index.as_deref());
        if let Some(t) = self.team {
            s.push(" AND m.team_id = ").bind(Arg::I64(t.0));
        }
        if let Some(q) = self.q.as_deref().filter(|q| !q.trim().is_empty()) {
            s.push(" AND m.search_key LIKE ")
                .bind(Arg::Text(antq_domain::text::contains_pattern(q)))
                .push(" ESCAPE '\\'");
        }
        if !self.include_former && self.state.is_none() && self.cid_index.is_none() {
            s.push(" AND m.holds_place");
        }
        s
    }
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    team_id: i64,
    team_name: String,
    province_code: String,
    commune_code: String,
    full_name: String,
    born_on: NaiveDate,
    sex: String,
    cid_last4: String,
    address: Option<String>,
    phone: Option<String>,
    education: String,
    health_cert_on: Option<NaiveDate>,
    resident_since: Option<NaiveDate>,
    prior_service: String,
    prior_months: i64,
    prior_special_months: i64,
    over_age_decision: Option<String>,
    role: String,
    state: String,
    applied_on: NaiveDate,
    selection_on: Option<NaiveDate>,
    proposed_on: Option<NaiveDate>,
    decision_no: Option<String>,
    decided_on: Option<NaiveDate>,
    signer: Option<String>,
    posted_on: Option<NaiveDate>,
    badge_no: Option<String>,
    certificate_no: Option<String>,
    termination_requested_on: Option<NaiveDate>,
    termination_ground: Option<String>,
    termination_decision_no: Option<String>,
    terminated_on: Option<NaiveDate>,
    rejection_reason: Option<String>,
    note: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

const COLUMNS: &str = "m.id, m.team_id, t.name AS team_name, m.province_code, m.commune_code, m.full_name, m.born_on, m.sex, \
    m.cid_last4, m.address, m.phone, m.education, m.health_cert_on, m.resident_since, m.prior_service, m.prior_months, \
    m.prior_special_months, m.over_age_decision, m.role, m.state, m.applied_on, m.selection_on, m.proposed_on, m.decision_no, \
    m.decided_on, m.signer, m.posted_on, m.badge_no, m.certificate_no, m.termination_requested_on, m.termination_ground, \
    m.termination_decision_no, m.terminated_on, m.rejection_reason, m.note, m.created_at, m.updated_at";

impl From<MemberRow> for Member {
    fn from(r: MemberRow) -> Member {
        Member {
            id: MemberId(r.id),
            team_id: ForceTeamId(r.team_id),
            team_name: r.team_name,
            province_code: r.province_code,
            commune_code: r.commune_code,
            full_name: r.full_name,
            born_on: r.born_on,
            sex: Sex::from_code(&r.sex).unwrap_or(Sex::Nam),
            citizen_id_masked: mask_citizen_id(&r.cid_last4),
            address: r.address,
            phone: r.phone,
            education: Education::from_code(&r.education).unwrap_or(Education::Thcs),
            health_cert_on: r.health_cert_on,
            resident_since: r.resident_since,
            prior_service: PriorService::from_code(&r.prior_service).unwrap_or(PriorService::Khong),
            prior_months: r.prior_months,
            prior_special_months: r.prior_special_months,
            over_age_decision: r.over_age_decision,
            role: MemberRole::from_code(&r.role).unwrap_or(MemberRole::ToVien),
            state: MemberState::from_code(&r.state).unwrap_or(MemberState::HoSo),
            applied_on: r.applied_on,
            selection_on: r.selection_on,
            proposed_on: r.proposed_on,
            decision_no: r.decision_no,
            decided_on: r.decided_on,
            signer: r.signer,
            posted_on: r.posted_on,
            badge_no: r.badge_no,
            certificate_no: r.certificate_no,
            termination_requested_on: r.termination_requested_on,
            termination_ground: r.termination_ground.as_deref().and_then(TerminationGround::from_code),
            termination_decision_no: r.termination_decision_no,
            terminated_on: r.terminated_on,
            rejection_reason: r.rejection_reason,
            note: r.note,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// One page of memberships, by commune, team, role and name.
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db, f: &MemberFilter, page: PageRequest) -> StoreResult<Page<Member>> {
    let order = "m.commune_code, t.search_key, m.team_id, m.role DESC, m.search_key, m.id";
    let (rows, total) = fetch_page::<MemberRow>(db, COLUMNS, &f.where_clause(), order, page).await?;
    Ok(Page { items: rows.into_iter().map(Member::from).collect(), total, page: page.page, per_page: page.per_page })
}

/// Every matching membership (exports, sheets, reports).
#[tracing::instrument(skip_all)]
pub async fn list_all(db: &Db, f: &MemberFilter) -> StoreResult<Vec<Member>> {
    let mut q = f.where_clause();
    q.text = format!(
        "SELECT {COLUMNS} {} ORDER BY m.commune_code, t.search_key, m.team_id, m.role DESC, m.search_key, m.id",
        q.text
    );
    Ok(fetch_all::<MemberRow>(db, &q).await?.into_iter().map(Member::from).collect())
}

/// One membership.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn get(db: &Db, id: MemberId) -> StoreResult<Member> {
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS} FROM force_members m JOIN force_teams t ON t.id = m.team_id WHERE m.id = "
    ));
    q.bind(Arg::I64(id.0));
    fetch_all::<MemberRow>(db, &q).await?.into_iter().next().map(Member::from).ok_or(StoreError::NotFound)
}

/// The sealed citizen id of a membership.
pub async fn cid(db: &Db, id: MemberId) -> StoreResult<SealedCid> {
    const SQL: &str = "SELECT cid_key_id, cid_sealed, cid_index, cid_last4 FROM force_members WHERE id = $1";
    let (key_id, sealed, index, last4): (String, Vec<u8>, String, String) =
        with_db!(db, p => sqlx::query_as(SQL).bind(id.0).fetch_one(p).await)?;
    Ok(SealedCid { key_id, sealed, index, last4 })
}

/// The membership of a person holding a place: `(team name, province code, commune code)`.
pub async fn place_holder(
    tx: &mut Tx,
    index: &str,
    except: Option<MemberId>,
) -> StoreResult<Option<(String, String, String)>> {
    const SQL: &str = "SELECT t.name, m.province_code, m.commune_code FROM force_members m JOIN force_teams t ON t.id = m.team_id \
         WHERE m.cid_index = $1 AND m.holds_place AND m.id <> $2";
    Ok(with_tx!(tx, c => sqlx::query_as(SQL).bind(index).bind(except.map_or(0, |m| m.0)).fetch_optional(c).await)?)
}

/// A new membership.
pub struct NewMember<'a> {
    /// Team.
    pub team: ForceTeamId,
    /// Province.
    pub province: &'a str,
    /// Commune.
    pub commune: &'a str,
    /// Validated fields.
    pub fields: &'a MemberFields,
    /// Sealed citizen id.
    pub cid: &'a SealedCid,
}

/// Inserts a membership: an application, or a member already recognised when the fields
/// carry the decision.
#[tracing::instrument(skip_all)]
pub async fn insert(tx: &mut Tx, m: &NewMember<'_>, now: DateTime<Utc>) -> StoreResult<MemberId> {
    let state = if m.fields.recognised.is_some() { MemberState::DangThamGia } else { MemberState::HoSo };
    let mut q = Sql::new(INSERT);
    q.values_row(true, member_args(m, state, None, None, now));
    q.push(" RETURNING id");
    let text = q.text_for(tx.backend());
    let id: i64 = with_tx!(tx, c => crate::bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(text.clone())), q.args.clone()).fetch_one(c).await)?;
    crate::force::teams::refresh_counts(tx, m.team).await?;
    Ok(MemberId(id))
}

const INSERT: &str = "INSERT INTO force_members (team_id, province_code, commune_code, full_name, search_key, born_on, sex, cid_key_id, cid_sealed, \
     cid_index, cid_last4, address, phone, education, health_cert_on, resident_since, prior_service, prior_months, prior_special_months, \
     over_age_decision, role, state, holds_place, applied_on, selection_on, decision_no, decided_on, signer, posted_on, badge_no, certificate_no, \
     note, created_at, updated_at) VALUES ";

/// The values of one row of [`INSERT`].
fn member_args(
    m: &NewMember<'_>,
    state: MemberState,
    selection_on: Option<NaiveDate>,
    posted_on: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Vec<Arg> {
    let f = m.fields;
    let (decision_no, decided_on, signer) = match &f.recognised {
        Some((n, d, s)) => (Some(n.clone()), Some(*d), Some(s.clone())),
        None => (None, None, None),
    };
    vec![
        Arg::I64(m.team.0),
        Arg::Text(m.province.into()),
        Arg::Text(m.commune.into()),
        Arg::Text(f.full_name.clone()),
        Arg::Text(antq_domain::text::fold(&f.full_name)),
        Arg::Date(f.born_on),
        Arg::Text(f.sex.code().into()),
        Arg::Text(m.cid.key_id.clone()),
        Arg::Bytes(m.cid.sealed.clone()),
        Arg::Text(m.cid.index.clone()),
        Arg::Text(m.cid.last4.clone()),
        Arg::OptText(f.address.clone()),
        Arg::OptText(f.phone.clone()),
        Arg::Text(f.education.code().into()),
        Arg::OptDate(f.health_cert_on),
        Arg::OptDate(f.resident_since),
        Arg::Text(f.prior_service.code().into()),
        Arg::I64(f.prior_months),
        Arg::I64(f.prior_special_months),
        Arg::OptText(f.over_age_decision.clone()),
        Arg::Text(f.role.code().into()),
        Arg::Text(state.code().into()),
        Arg::Bool(state.holds_place()),
        Arg::Date(f.applied_on),
        Arg::OptDate(selection_on),
        Arg::OptText(decision_no),
        Arg::OptDate(decided_on),
        Arg::OptText(signer),
        Arg::OptDate(posted_on),
        Arg::OptText(f.badge_no.clone()),
        Arg::OptText(f.certificate_no.clone()),
        Arg::OptText(f.note.clone()),
        Arg::Time(now),
        Arg::Time(now),
    ]
}

/// Replaces the editable fields (and the citizen id when given); the team may change.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn update(
    tx: &mut Tx,
    id: MemberId,
    old_team: ForceTeamId,
    team: ForceTeamId,
    f: &MemberFields,
    cid: Option<&SealedCid>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE force_members SET team_id = ");
    q.bind(Arg::I64(team.0));
    for (col, a) in [
        ("full_name", Arg::Text(f.full_name.clone())),
        ("search_key", Arg::Text(antq_domain::text::fold(&f.full_name))),
        ("born_on", Arg::Date(f.born_on)),
        ("sex", Arg::Text(f.sex.code().into())),
        ("address", Arg::OptText(f.address.clone())),
        ("phone", Arg::OptText(f.phone.clone())),
        ("education", Arg::Text(f.education.code().into())),
        ("health_cert_on", Arg::OptDate(f.health_cert_on)),
        ("resident_since", Arg::OptDate(f.resident_since)),
        ("prior_service", Arg::Text(f.prior_service.code().into())),
        ("prior_months", Arg::I64(f.prior_months)),
        ("prior_special_months", Arg::I64(f.prior_special_months)),
        ("over_age_decision", Arg::OptText(f.over_age_decision.clone())),
        ("role", Arg::Text(f.role.code().into())),
        ("applied_on", Arg::Date(f.applied_on)),
        ("badge_no", Arg::OptText(f.badge_no.clone())),
        ("certificate_no", Arg::OptText(f.certificate_no.clone())),
        ("note", Arg::OptText(f.note.clone())),
        ("updated_at", Arg::Time(now)),
    ] {
        q.push(", ").push(col).push(" = ").bind(a);
    }
    if let Some(c) = cid {
        q.push(", cid_key_id = ").bind(Arg::Text(c.key_id.clone()));
        q.push(", cid_sealed = ").bind(Arg::Bytes(c.sealed.clone()));
        q.push(", cid_index = ").bind(Arg::Text(c.index.clone()));
        q.push(", cid_last4 = ").bind(Arg::Text(c.last4.clone()));
    }
    q.push(" WHERE id = ").bind(Arg::I64(id.0));
    let n = with_tx!(tx, c => crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(q.text.clone())), q.args.clone())
        .execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    crate::force::teams::refresh_counts(tx, team).await?;
    if old_team != team {
        crate::force::teams::refresh_counts(tx, old_team).await?;
    }
    Ok(())
}

/// Moves a membership through a step.
#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn apply_step(
    tx: &mut Tx,
    id: MemberId,
    team: ForceTeamId,
    from: MemberState,
    step: &MemberStep,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let to = step.to_state();
    let head = vec![Arg::Text(to.code().into()), Arg::Bool(to.holds_place()), Arg::Time(now)];
    let common = "state = ?, holds_place = ?, updated_at = ?";
    let (extra, args): (&str, Vec<Arg>) = match step {
        MemberStep::Select { on } => (", selection_on = ?", vec![Arg::Date(*on)]),
        MemberStep::Propose { on } => (", proposed_on = ?", vec![Arg::Date(*on)]),
        MemberStep::Recognise { on, decision_no, signer, posted_on } => (
            ", decided_on = ?, decision_no = ?, signer = ?, posted_on = ?",
            vec![Arg::Date(*on), Arg::Text(decision_no.clone()), Arg::Text(signer.clone()), Arg::OptDate(*posted_on)],
        ),
        MemberStep::Reject { on, reason } => {
            (", terminated_on = ?, rejection_reason = ?", vec![Arg::Date(*on), Arg::Text(reason.clone())])
        }
        MemberStep::RequestTermination { on, ground } => (
            ", termination_requested_on = ?, termination_ground = ?",
            vec![Arg::Date(*on), Arg::Text(ground.code().into())],
        ),
        MemberStep::Terminate { on, ground, decision_no } => (
            ", terminated_on = ?, termination_ground = ?, termination_decision_no = ?",
            vec![Arg::Date(*on), Arg::Text(ground.code().into()), Arg::Text(decision_no.clone())],
        ),
    };
    let set = format!("{common}{extra}");
    update_in_state(tx, "force_members", id.0, from.code(), &set, head.into_iter().chain(args).collect()).await?;
    crate::force::teams::refresh_counts(tx, team).await
}

/// Ends every place held in a dissolved team: active members leave on the dissolution
/// decision (ground "giải thể tổ"), pending applications are closed. Returns the ids moved.
pub async fn close_team(
    tx: &mut Tx,
    team: ForceTeamId,
    on: NaiveDate,
    decision_no: &str,
    now: DateTime<Utc>,
) -> StoreResult<Vec<i64>> {
    let ids: Vec<i64> = with_tx!(tx, c => sqlx::query_scalar("SELECT id FROM force_members WHERE team_id = $1 AND holds_place ORDER BY id")
        .bind(team.0).fetch_all(c).await)?;
    const ACTIVE: &str = "UPDATE force_members SET state = 'thoi_tham_gia', holds_place = FALSE, terminated_on = $1, \
         termination_ground = 'giai_the_to', termination_decision_no = $2, updated_at = $3 WHERE team_id = $4 AND state = 'dang_tham_gia'";
    const PENDING: &str = "UPDATE force_members SET state = 'khong_cong_nhan', holds_place = FALSE, terminated_on = $1, \
         rejection_reason = $2, updated_at = $3 WHERE team_id = $4 AND holds_place";
    let reason = format!("Tổ giải thể (quyết định {decision_no})");
    with_tx!(tx, c => sqlx::query(ACTIVE).bind(on).bind(decision_no).bind(now).bind(team.0).execute(c).await.map(|_| ()))?;
    with_tx!(tx, c => sqlx::query(PENDING).bind(on).bind(&reason).bind(now).bind(team.0).execute(c).await.map(|_| ()))?;
    crate::force::teams::refresh_counts(tx, team).await?;
    Ok(ids)
}

/// What an event records.
pub struct NewEvent<'a> {
    /// Team.
    pub team: ForceTeamId,
    /// Member.
    pub member: Option<MemberId>,
    /// Province.
    pub province: &'a str,
    /// Commune.
    pub commune: &'a str,
    /// Action code.
    pub action: &'a str,
    /// Day.
    pub on: Option<NaiveDate>,
    /// Details.
    pub detail: Option<String>,
    /// Who.
    pub actor: &'a str,
}

/// Appends a trail entry.
pub async fn add_event(tx: &mut Tx, e: &NewEvent<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    const SQL: &str = "INSERT INTO force_events (team_id, member_id, province_code, commune_code, action, on_date, detail, actor, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    with_tx!(tx, c => sqlx::query(SQL).bind(e.team.0).bind(e.member.map(|m| m.0)).bind(e.province).bind(e.commune)
        .bind(e.action).bind(e.on).bind(&e.detail).bind(e.actor).bind(now).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// The trail of a team (its own entries) or of a member.
pub async fn events(db: &Db, team: Option<ForceTeamId>, member: Option<MemberId>) -> StoreResult<Vec<ForceEvent>> {
    let mut q =
        Sql::new("SELECT id, team_id, member_id, action, on_date, detail, actor, created_at FROM force_events WHERE ");
    match (team, member) {
        (_, Some(m)) => q.push("member_id = ").bind(Arg::I64(m.0)),
        (Some(t), None) => q.push("team_id = ").bind(Arg::I64(t.0)).push(" AND member_id IS NULL"),
        (None, None) => q.push("1 = 0"),
    };
    q.push(" ORDER BY id");
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        team_id: i64,
        member_id: Option<i64>,
        action: String,
        on_date: Option<NaiveDate>,
        detail: Option<String>,
        actor: String,
        created_at: DateTime<Utc>,
    }
    Ok(fetch_all::<Row>(db, &q)
        .await?
        .into_iter()
        .map(|r| ForceEvent {
            id: r.id,
            team_id: r.team_id,
            member_id: r.member_id,
            action: r.action,
            on_date: r.on_date,
            detail: r.detail,
            actor: r.actor,
            created_at: r.created_at,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct DocRow {
    id: i64,
    member_id: i64,
    title: String,
    file_name: String,
    content_type: String,
    size: i64,
    created_by: String,
    created_at: DateTime<Utc>,
}

impl From<DocRow> for MemberDocument {
    fn from(r: DocRow) -> Self {
        MemberDocument {
            id: r.id,
            member_id: r.member_id,
            title: r.title,
            file_name: r.file_name,
            content_type: r.content_type,
            size: r.size,
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

/// Stores a document.
#[allow(clippy::too_many_arguments)]
pub async fn add_document(
    tx: &mut Tx,
    member: &Member,
    title: &str,
    file_name: &str,
    content_type: &str,
    content: &[u8],
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    const SQL: &str = "INSERT INTO force_documents (member_id, province_code, commune_code, title, file_name, content_type, size, content, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
    Ok(
        with_tx!(tx, c => sqlx::query_scalar(SQL).bind(member.id.0).bind(&member.province_code).bind(&member.commune_code)
        .bind(title).bind(file_name).bind(content_type).bind(content.len() as i64).bind(content).bind(by).bind(now)
        .fetch_one(c).await)?,
    )
}

/// The documents of a member.
pub async fn documents(db: &Db, member: MemberId) -> StoreResult<Vec<MemberDocument>> {
    const SQL: &str = "SELECT id, member_id, title, file_name, content_type, size, created_by, created_at FROM force_documents WHERE member_id = $1 ORDER BY id";
    let rows: Vec<DocRow> = with_db!(db, p => sqlx::query_as(SQL).bind(member.0).fetch_all(p).await)?;
    Ok(rows.into_iter().map(MemberDocument::from).collect())
}

/// One document with its content.
pub async fn document(db: &Db, member: MemberId, id: i64) -> StoreResult<(MemberDocument, Vec<u8>)> {
    const SQL: &str = "SELECT id, member_id, title, file_name, content_type, size, created_by, created_at FROM force_documents WHERE member_id = $1 AND id = $2";
    let row: DocRow = with_db!(db, p => sqlx::query_as(SQL).bind(member.0).bind(id).fetch_one(p).await)?;
    let content: Vec<u8> = with_db!(db, p => sqlx::query_scalar("SELECT content FROM force_documents WHERE id = $1").bind(id).fetch_one(p).await)?;
    Ok((row.into(), content))
}

/// A membership period of a person: `(cid_index, recognised on, terminated on, team in a special area)`.
pub type ServicePeriod = (String, NaiveDate, Option<NaiveDate>, bool);

/// Every recognised membership of the people currently active in a place (any team, any
/// province), for the Kỷ niệm chương service count.
pub async fn service_periods(
    db: &Db,
    province: Option<&str>,
    commune: Option<&str>,
) -> StoreResult<Vec<ServicePeriod>> {
    let mut q = Sql::new(
        "SELECT m.cid_index, m.decided_on, m.terminated_on, t.special_zone FROM force_members m JOIN force_teams t ON t.id = m.team_id \
         WHERE m.decided_on IS NOT NULL AND m.state IN ('dang_tham_gia', 'thoi_tham_gia') AND m.cid_index IN \
         (SELECT a.cid_index FROM force_members a WHERE a.state = 'dang_tham_gia'",
    );
    q.and_eq("a.province_code", province).and_eq("a.commune_code", commune);
    q.push(")");
    #[derive(sqlx::FromRow)]
    struct Row {
        cid_index: String,
        decided_on: NaiveDate,
        terminated_on: Option<NaiveDate>,
        special_zone: bool,
    }
    Ok(fetch_all::<Row>(db, &q)
        .await?
        .into_iter()
        .map(|r| (r.cid_index, r.decided_on, r.terminated_on, r.special_zone))
        .collect())
}

/// `(member id, cid_index)` of the active members of a place.
pub async fn active_indexes(db: &Db, province: Option<&str>, commune: Option<&str>) -> StoreResult<Vec<(i64, String)>> {
    let mut q = Sql::new("SELECT id, cid_index FROM force_members WHERE state = 'dang_tham_gia'");
    q.and_eq("province_code", province).and_eq("commune_code", commune);
    fetch_all(db, &q).await
}

/// A membership written in bulk (the demo generator), with its state and dates.
pub struct BulkMember<'a> {
    /// The new membership.
    pub m: NewMember<'a>,
    /// State.
    pub state: MemberState,
    /// Selection minutes.
    pub selection_on: Option<NaiveDate>,
}

/// Writes memberships in multi-row statements; the caller refreshes the teams' counters
/// ([`crate::force::teams::refresh_province`]).
pub async fn insert_many(tx: &mut Tx, rows: &[BulkMember<'_>], now: DateTime<Utc>) -> StoreResult<()> {
    for chunk in rows.chunks(300) {
        let mut q = Sql::new(INSERT);
        for (i, b) in chunk.iter().enumerate() {
            let posted_on = b.m.fields.recognised.as_ref().map(|r| r.1);
            q.values_row(i == 0, member_args(&b.m, b.state, b.selection_on, posted_on, now));
        }
        let text = q.text_for(tx.backend());
        with_tx!(tx, c => crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(text.clone())), q.args.clone()).execute(c).await.map(|_| ()))?;
    }
    Ok(())
}
