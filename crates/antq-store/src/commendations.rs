//! The commendations register: proposals and awards, their workflow, and the counts by form,
//! level and recipient. One Kỷ niệm chương per person is a unique index on `medal_key`.

use antq_domain::commendation::{
    Commendation, CommendationFields, CommendationForm, CommendationLevel, CommendationState, RecipientKind,
};
use antq_domain::page::{Page, PageRequest};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::sql::{Arg, Sql, fetch_all, fetch_page, update_in_state};
use crate::{Db, StoreError, StoreResult, Tx, with_tx};

fn bad(what: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Decode(format!("unknown code in commendations.{what}").into()))
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    province_code: String,
    commune_code: Option<String>,
    form: String,
    level: String,
    authority: String,
    reason: String,
    movement_year: i64,
    campaign: Option<String>,
    recipient_kind: String,
    recipient_name: String,
    establishment_id: Option<i64>,
    model_id: Option<i64>,
    team_id: Option<i64>,
    member_id: Option<i64>,
    citizen_last4: Option<String>,
    tenure_years: Option<i64>,
    prior_commendations: Option<i64>,
    eligibility: Option<String>,
    cash_vnd: i64,
    state: String,
    decision_no: Option<String>,
    decided_on: Option<NaiveDate>,
    proposed_by: String,
    proposed_on: NaiveDate,
    submitted_by: Option<String>,
    submitted_on: Option<NaiveDate>,
    decided_by: Option<String>,
    comment: Option<String>,
    note: Option<String>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for Commendation {
    type Error = StoreError;
    fn try_from(r: Row) -> StoreResult<Commendation> {
        Ok(Commendation {
            id: r.id,
            province_code: r.province_code,
            commune_code: r.commune_code,
            form: CommendationForm::from_code(&r.form).ok_or_else(|| bad("form"))?,
            level: CommendationLevel::from_code(&r.level).ok_or_else(|| bad("level"))?,
            authority: r.authority,
            reason: r.reason,
            movement_year: r.movement_year as i32,
            campaign: r.campaign,
            recipient_kind: RecipientKind::from_code(&r.recipient_kind).ok_or_else(|| bad("recipient_kind"))?,
            recipient_name: r.recipient_name,
            establishment_id: r.establishment_id,
            model_id: r.model_id,
            team_id: r.team_id,
            member_id: r.member_id,
            citizen_id_masked: r.citizen_last4.map(|l| format!("••••••••{l}")),
            tenure_years: r.tenure_years,
            prior_commendations: r.prior_commendations,
            eligibility: r.eligibility,
            cash_vnd: r.cash_vnd,
            state: CommendationState::from_code(&r.state).ok_or_else(|| bad("state"))?,
            decision_no: r.decision_no,
            decided_on: r.decided_on,
            proposed_by: r.proposed_by,
            proposed_on: r.proposed_on,
            submitted_by: r.submitted_by,
            submitted_on: r.submitted_on,
            decided_by: r.decided_by,
            comment: r.comment,
            note: r.note,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "id, province_code, commune_code, form, level, authority, reason, movement_year, campaign, \
     recipient_kind, recipient_name, establishment_id, model_id, team_id, member_id, citizen_last4, tenure_years, \
     prior_commendations, eligibility, cash_vnd, state, decision_no, decided_on, proposed_by, proposed_on, submitted_by, \
     submitted_on, decided_by, comment, note, updated_at";

/// Filters of the register.
#[derive(Clone, Debug, Default)]
pub struct CommendationFilter {
    /// Province.
    pub province: Option<String>,
    /// Commune.
    pub commune: Option<String>,
    /// Form code.
    pub form: Option<String>,
    /// State code.
    pub state: Option<String>,
    /// Recipient kind code.
    pub recipient_kind: Option<String>,
    /// Movement year.
    pub movement_year: Option<i32>,
    /// Year of the decision.
    pub decided_year: Option<i32>,
    /// Words of the recipient's name or the reason (folded).
    pub q: Option<String>,
    /// About this member, model or team.
    pub member_id: Option<i64>,
    /// About this model.
    pub model_id: Option<i64>,
}

fn filter(q: &mut Sql, f: &CommendationFilter) {
    q.and_eq("province_code", f.province.as_deref())
        .and_eq("commune_code", f.commune.as_deref())
        .and_eq("form", f.form.as_deref())
        .and_eq("state", f.state.as_deref())
        .and_eq("recipient_kind", f.recipient_kind.as_deref());
    if let Some(y) = f.movement_year {
        q.push(" AND movement_year = ").bind(Arg::I64(i64::from(y)));
    }
    if let Some(y) = f.decided_year {
        q.push(" AND decided_year = ").bind(Arg::I64(i64::from(y)));
    }
    if let Some(t) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
        q.push(" AND search_key LIKE ").bind(Arg::Text(antq_domain::text::contains_pattern(t))).push(" ESCAPE '\\'");
    }
    if let Some(m) = f.member_id {
        q.push(" AND member_id = ").bind(Arg::I64(m));
    }
    if let Some(m) = f.model_id {
        q.push(" AND model_id = ").bind(Arg::I64(m));
    }
}

const ORDER: &str = "proposed_on DESC, id DESC";

/// One page of the register, newest proposals first.
pub async fn list_page(db: &Db, f: &CommendationFilter, page: PageRequest) -> StoreResult<Page<Commendation>> {
    let mut q = Sql::new("FROM commendations WHERE 1=1");
    filter(&mut q, f);
    let (rows, total) = fetch_page::<Row>(db, COLUMNS, &q, ORDER, page).await?;
    let items = rows.into_iter().map(Commendation::try_from).collect::<StoreResult<_>>()?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

/// The whole register matching `f` (exports).
pub async fn list_all(db: &Db, f: &CommendationFilter) -> StoreResult<Vec<Commendation>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM commendations WHERE 1=1"));
    filter(&mut q, f);
    q.push(&format!(" ORDER BY {ORDER}"));
    fetch_all::<Row>(db, &q).await?.into_iter().map(Commendation::try_from).collect()
}

/// One commendation.
pub async fn get(db: &Db, id: i64) -> StoreResult<Commendation> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM commendations WHERE id = "));
    q.bind(Arg::I64(id));
    fetch_all::<Row>(db, &q).await?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
}

/// The medal already given or proposed to the person with this key (not refused), if any.
pub async fn medal_of(db: &Db, key: &str) -> StoreResult<Option<Commendation>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM commendations WHERE medal_key = "));
    q.bind(Arg::Text(key.into())).push(" AND state <> 'khong_duoc_khen'");
    fetch_all::<Row>(db, &q).await?.into_iter().next().map(Commendation::try_from).transpose()
}

/// The keys of every person holding or proposed for a Kỷ niệm chương.
pub async fn medal_keys(db: &Db) -> StoreResult<std::collections::HashSet<String>> {
    let q = Sql::new("SELECT medal_key FROM commendations WHERE medal_key IS NOT NULL AND state <> 'khong_duoc_khen'");
    Ok(fetch_all::<(String,)>(db, &q).await?.into_iter().map(|(k,)| k).collect())
}

/// A commendation ready to be written.
pub struct NewCommendation<'a> {
    /// Province.
    pub province: &'a str,
    /// Commune.
    pub commune: Option<&'a str>,
    /// Validated fields.
    pub fields: &'a CommendationFields,
    /// Recipient's name (from the linked record, or as typed).
    pub recipient_name: &'a str,
    /// Establishment.
    pub establishment_id: Option<i64>,
    /// Model.
    pub model_id: Option<i64>,
    /// Team.
    pub team_id: Option<i64>,
    /// Member.
    pub member_id: Option<i64>,
    /// Last four digits of the citizen id.
    pub citizen_last4: Option<String>,
    /// The person's key, for a Kỷ niệm chương.
    pub medal_key: Option<String>,
    /// What the eligibility check found.
    pub eligibility: Option<String>,
    /// State it starts in (a proposal, or an award recorded as decided).
    pub state: CommendationState,
    /// Who records it.
    pub by: &'a str,
    /// Today.
    pub today: NaiveDate,
}

/// Writes one or many commendations; a second Kỷ niệm chương for a person is a `Conflict`.
pub async fn insert_many(tx: &mut Tx, rows: &[NewCommendation<'_>], now: DateTime<Utc>) -> StoreResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(150) {
        let mut q = Sql::new(
            "INSERT INTO commendations (province_code, commune_code, form, level, authority, reason, movement_year, campaign, \
             recipient_kind, recipient_name, search_key, establishment_id, model_id, team_id, member_id, citizen_last4, medal_key, \
             tenure_years, prior_commendations, eligibility, cash_vnd, state, decision_no, decided_on, decided_year, proposed_by, \
             proposed_on, decided_by, note, created_at, updated_at) VALUES ",
        );
        for (i, n) in chunk.iter().enumerate() {
            let f = n.fields;
            let decided = n.state == CommendationState::DaQuyetDinh;
            let (no, on) = match (&f.decision, decided) {
                (Some((no, on)), true) => (Some(no.clone()), Some(*on)),
                _ => (None, None),
            };
            let search = antq_domain::text::fold(&format!("{} {}", n.recipient_name, f.reason));
            q.values_row(
                i == 0,
                [
                    Arg::Text(n.province.into()),
                    Arg::OptText(n.commune.map(Into::into)),
                    Arg::Text(f.form.code().into()),
                    Arg::Text(f.level.code().into()),
                    Arg::Text(f.authority.clone()),
                    Arg::Text(f.reason.clone()),
                    Arg::I64(i64::from(f.movement_year)),
                    Arg::OptText(f.campaign.clone()),
                    Arg::Text(f.recipient_kind.code().into()),
                    Arg::Text(n.recipient_name.into()),
                    Arg::Text(search),
                    Arg::OptI64(n.establishment_id),
                    Arg::OptI64(n.model_id),
                    Arg::OptI64(n.team_id),
                    Arg::OptI64(n.member_id),
                    Arg::OptText(n.citizen_last4.clone()),
                    Arg::OptText(n.medal_key.clone()),
                    Arg::OptI64(f.tenure_years),
                    Arg::OptI64(f.prior_commendations),
                    Arg::OptText(n.eligibility.clone()),
                    Arg::I64(f.cash_vnd),
                    Arg::Text(n.state.code().into()),
                    Arg::OptText(no),
                    Arg::OptDate(on),
                    Arg::OptI64(on.map(|d| i64::from(d.year()))),
                    Arg::Text(n.by.into()),
                    Arg::Date(n.today),
                    Arg::OptText(decided.then(|| n.by.to_string())),
                    Arg::OptText(f.note.clone()),
                    Arg::Time(now),
                    Arg::Time(now),
                ],
            );
        }
        q.push(" RETURNING id");
        let text = q.text_for(tx.backend());
        let mut got: Vec<i64> = with_tx!(tx, c => crate::bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(text.clone())), q.args.clone())
            .fetch_all(c).await)?;
        got.sort_unstable();
        ids.extend(got);
    }
    Ok(ids)
}

/// Moves a commendation from `from` to `to` with what the step records; someone else's move
/// first is a `Conflict`.
pub async fn step(
    tx: &mut Tx,
    id: i64,
    (from, to): (CommendationState, CommendationState),
    step: &Step<'_>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let mut set = String::from("state = ?, updated_at = ?");
    let mut args = vec![Arg::Text(to.code().into()), Arg::Time(now)];
    match step {
        Step::Submit { by, on } => {
            set.push_str(", submitted_by = ?, submitted_on = ?, comment = NULL");
            args.extend([Arg::Text((*by).into()), Arg::Date(*on)]);
        }
        Step::Return { comment } => {
            set.push_str(", comment = ?");
            args.push(Arg::Text((*comment).into()));
        }
        Step::Decide { by, decision_no, decided_on, authority, cash_vnd } => {
            set.push_str(", decided_by = ?, decision_no = ?, decided_on = ?, decided_year = ?, comment = NULL");
            args.extend([
                Arg::Text((*by).into()),
                Arg::Text((*decision_no).into()),
                Arg::Date(*decided_on),
                Arg::I64(i64::from(decided_on.year())),
            ]);
            if let Some(a) = authority {
                set.push_str(", authority = ?");
                args.push(Arg::Text((*a).into()));
            }
            if let Some(c) = cash_vnd {
                set.push_str(", cash_vnd = ?");
                args.push(Arg::I64(*c));
            }
        }
        Step::Refuse { by, comment } => {
            set.push_str(", decided_by = ?, comment = ?");
            args.extend([Arg::Text((*by).into()), Arg::Text((*comment).into())]);
        }
    }
    update_in_state(tx, "commendations", id, from.code(), &set, args).await
}

/// What a step writes.
pub enum Step<'a> {
    /// Put before the deciding level.
    Submit {
        /// Who.
        by: &'a str,
        /// When.
        on: NaiveDate,
    },
    /// Sent back.
    Return {
        /// Why.
        comment: &'a str,
    },
    /// Decided.
    Decide {
        /// Who recorded it.
        by: &'a str,
        /// Number.
        decision_no: &'a str,
        /// Date.
        decided_on: NaiveDate,
        /// New authority.
        authority: Option<&'a str>,
        /// Cash set by the decision.
        cash_vnd: Option<i64>,
    },
    /// Refused.
    Refuse {
        /// Who recorded it.
        by: &'a str,
        /// Why.
        comment: &'a str,
    },
}

/// How many decided commendations of one place, form, level and recipient kind, and their cash.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DecidedCount {
    /// The province (national scope) or the commune (`""` for the province's own).
    pub place: String,
    pub form: String,
    pub level: String,
    pub recipient_kind: String,
    pub count: i64,
    pub cash_vnd: i64,
}

/// Decided commendations of `year` (by decision date) in a place, counted by
/// place, form, level and recipient kind.
pub async fn decided_counts(
    db: &Db,
    year: i32,
    (province, commune): (Option<&str>, Option<&str>),
) -> StoreResult<Vec<DecidedCount>> {
    let place = if province.is_some() { "COALESCE(commune_code, '')" } else { "province_code" };
    let mut q = Sql::new(&format!(
        "SELECT {place} AS place, form, level, recipient_kind, CAST(COUNT(*) AS BIGINT) AS count, \
         CAST(COALESCE(SUM(cash_vnd), 0) AS BIGINT) AS cash_vnd \
         FROM commendations WHERE state = 'da_quyet_dinh' AND decided_year = "
    ));
    q.bind(Arg::I64(i64::from(year)));
    q.and_eq("province_code", province).and_eq("commune_code", commune);
    q.push(&format!(" GROUP BY {place}, form, level, recipient_kind"));
    fetch_all(db, &q).await
}
