//! The figures of the official movement report (C13): every module's counts for a place
//! (the country, a province or a commune) and a window (the days of a period, the state at its
//! last day, or an evaluation year), grouped by one key, read live from the registers.
//!
//! A module joins the report by adding a [`Measure`] here and a section that reads it in
//! `antq-app`; nothing else changes.

use chrono::NaiveDate;

use crate::sql::{Arg, Sql, fetch_all};
use crate::{Db, StoreResult};

/// What a figure counts. Each returns rows of `(key, values)`; the key and the values are
/// named on each variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Models working at the period's last day, by type id: `[models]`.
    ModelsWorking,
    /// Models registered within the period, by type id: `[models]`.
    ModelsNew,
    /// Rating follow-ups decided within the period, by `cung_co` / `thanh_loai`: `[ratings]`.
    ModelsFollowUp,
    /// Replication sites working at the last day, and their teams: key `""`, `[sites, teams]`.
    Sites,
    /// Approved ratings of an evaluation year, by rating: `[ratings]`.
    Ratings,
    /// "An toàn về ANTT" records of an evaluation year, by `subject:state`: `[records]`.
    Antt,
    /// Decided movement classifications of a year, by class: `[subjects]`.
    Classification,
    /// Exemplar registrations of a year, by result: `[registrations]`.
    Exemplars,
    /// Residential areas existing at the last day: key `""`, `[areas]`.
    Areas,
    /// Base-level teams established and not dissolved at the last day: key `""`, `[teams]`.
    ForceTeams,
    /// The residential areas those teams cover (one per team and area): key `""`, `[areas]`.
    ForceCovered,
    /// Members serving at the last day, by role: `[members]`.
    ForceMembers,
    /// Trainees who passed a course ended within the period: key `""`, `[trainees]`.
    ForceTrained,
    /// Crime reports received within the period (by place): key `""`,
    /// `[received, handled, handled on time, valuable]`.
    Reports,
    /// The same, by month of receipt (`YYYY-MM`), read in one pass for a chart of months.
    ReportsMonthly,
    /// Movement activities started within the period, by kind id: `[activities, participants]`.
    Activities,
    /// Commendations decided within the period, by form: `[commendations, cash]`.
    Commendations,
    /// Cameras installed within the period, by funding source: `[cameras, cost]`.
    CamerasInstalled,
    /// Cameras installed by the last day and working now: key `""`, `[cameras]`.
    CamerasWorking,
}

/// The window a measure is read over.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The evaluation year (ratings, recognition, classification, exemplars).
    pub year: i32,
}

/// Which column limits a measure to the window.
enum By {
    /// `col BETWEEN from AND to`.
    Days(&'static str),
    /// `col IS NULL OR col <= to`, and the given column of the end, when present, after `to`.
    Until(&'static str, Option<&'static str>),
    /// `col = year`.
    Year(&'static str),
    /// The days, and the same months on the month column (`YYYY-MM`), so that the country's
    /// counts by month read an index in month order.
    DaysAndMonths(&'static str, &'static str),
}

/// How a measure is read: `SELECT {key}, {values} FROM {from} WHERE {filter}` within the
/// place (`{alias}province_code`, `{alias}commune_code`) and the window.
struct Spec {
    from: &'static str,
    alias: &'static str,
    key: &'static str,
    values: &'static [&'static str],
    filter: &'static str,
    by: By,
}

const WORKING_MODEL: &str = "m.state IN ('da_ra_mat', 'hoat_dong', 'can_cung_co')";

fn spec(m: Measure) -> Spec {
    use Measure::*;
    let count: &'static [&'static str] = &["COUNT(*)"];
    match m {
        ModelsWorking => Spec {
            from: "models m",
            alias: "m.",
            key: "CAST(m.type_id AS TEXT)",
            values: count,
            filter: WORKING_MODEL,
            by: By::Until("m.registered_on", None),
        },
        ModelsNew => Spec {
            from: "models m",
            alias: "m.",
            key: "CAST(m.type_id AS TEXT)",
            values: count,
            filter: "m.state <> 'de_xuat'",
            by: By::Days("m.registered_on"),
        },
        ModelsFollowUp => Spec {
            from: "model_ratings r",
            alias: "r.",
            key: "r.follow_up",
            values: count,
            filter: "r.follow_up IS NOT NULL",
            by: By::Days("r.follow_up_on"),
        },
        Sites => Spec {
            from: "model_sites s",
            alias: "s.",
            key: "''",
            values: &["COUNT(*)", "COALESCE(SUM((SELECT COUNT(*) FROM model_teams t WHERE t.site_id = s.id)), 0)"],
            filter: "s.state = 'hoat_dong'",
            by: By::Until("s.started_on", None),
        },
        Ratings => Spec {
            from: "model_ratings r",
            alias: "r.",
            key: "r.rating",
            values: count,
            filter: "r.approved = TRUE",
            by: By::Year("r.year"),
        },
        Antt => Spec {
            from: "antt_records a",
            alias: "a.",
            key: "a.subject || ':' || a.state",
            values: count,
            filter: "1=1",
            by: By::Year("a.year"),
        },
        Classification => Spec {
            from: "movement_classifications c",
            alias: "c.",
            key: "c.decided_class",
            values: count,
            filter: "c.state = 'da_quyet_dinh' AND c.decided_class IS NOT NULL",
            by: By::Year("c.year"),
        },
        Exemplars => Spec {
            from: "exemplars e",
            alias: "e.",
            key: "e.result",
            values: count,
            filter: "1=1",
            by: By::Year("e.year"),
        },
        Areas => Spec {
            from: "areas a",
            alias: "a.",
            key: "''",
            values: count,
            filter: "1=1",
            by: By::Until("a.valid_from", Some("a.valid_to")),
        },
        ForceTeams | ForceCovered => Spec {
            // One join rather than a count per team: the country has some 60,000 teams.
            from: if m == ForceTeams {
                "force_teams t"
            } else {
                "force_team_areas x JOIN force_teams t ON t.id = x.team_id"
            },
            alias: "t.",
            key: "''",
            values: count,
            filter: "t.decided_on IS NOT NULL AND t.state IN ('da_thanh_lap', 'cho_giai_the', 'giai_the')",
            by: By::Until("t.decided_on", Some("t.dissolved_on")),
        },
        ForceMembers => Spec {
            from: "force_members f",
            alias: "f.",
            key: "f.role",
            values: count,
            filter: "f.decided_on IS NOT NULL AND f.state IN ('dang_tham_gia', 'thoi_tham_gia')",
            by: By::Until("f.decided_on", Some("f.terminated_on")),
        },
        ForceTrained => Spec {
            from: "force_trainees f JOIN force_courses k ON k.id = f.course_id",
            alias: "f.",
            key: "''",
            values: count,
            filter: "f.result = 'dat'",
            by: By::Days("k.ends_on"),
        },
        Reports | ReportsMonthly => Spec {
            from: "reports r",
            alias: "r.place_",
            key: if m == Reports { "''" } else { "r.received_month" },
            values: &[
                "COUNT(*)",
                "SUM(CASE WHEN r.closed_on_time IS NOT NULL THEN 1 ELSE 0 END)",
                "SUM(CASE WHEN r.closed_on_time THEN 1 ELSE 0 END)",
                "SUM(CASE WHEN r.valuable THEN 1 ELSE 0 END)",
            ],
            filter: "1=1",
            by: By::DaysAndMonths("r.received_on", "r.received_month"),
        },
        Activities => Spec {
            from: "activities a",
            alias: "a.",
            key: "CAST(a.kind_id AS TEXT)",
            values: &["COUNT(*)", "SUM(a.participants)"],
            filter: "1=1",
            by: By::Days("a.starts_on"),
        },
        Commendations => Spec {
            from: "commendations c",
            alias: "c.",
            key: "c.form",
            values: &["COUNT(*)", "SUM(c.cash_vnd)"],
            filter: "c.state = 'da_quyet_dinh'",
            by: By::Days("c.decided_on"),
        },
        CamerasInstalled => Spec {
            from: "cameras c",
            alias: "c.",
            key: "c.funding",
            values: &["COUNT(*)", "SUM(c.cost_vnd)"],
            filter: "1=1",
            by: By::Days("c.installed_on"),
        },
        CamerasWorking => Spec {
            from: "cameras c",
            alias: "c.",
            key: "''",
            values: count,
            filter: "c.status = 'hoat_dong'",
            by: By::Until("c.installed_on", None),
        },
    }
}

/// A measure's rows for a place: the country (`province` `None`), a province, or one of its
/// communes; `(key, values)` in key order, keys with nothing left out.
pub async fn measure(
    db: &Db,
    m: Measure,
    place: (Option<&str>, Option<&str>),
    w: Window,
) -> StoreResult<Vec<(String, Vec<i64>)>> {
    let s = spec(m);
    read(db, &query(&s, s.key, place, w), s.values.len()).await
}

/// A measure summed over its keys, by place: by province for the country (`province`
/// `None`), by commune within a province.
pub async fn by_place(db: &Db, m: Measure, province: Option<&str>, w: Window) -> StoreResult<Vec<(String, Vec<i64>)>> {
    let s = spec(m);
    let level = if province.is_some() { "commune_code" } else { "province_code" };
    let key = format!("{}{level}", s.alias);
    read(db, &query(&s, &key, (province, None), w), s.values.len()).await
}

/// Whether a measure's rows carry the place recorded before 1 July 2025.
pub fn has_former(m: Measure) -> bool {
    use Measure::*;
    !matches!(m, Sites | Classification | Exemplars | Areas | ForceTrained)
}

/// A measure summed over its keys, by the place recorded before 1 July 2025 at `level`
/// (`""`: rows recorded in the current map), within a current place (the country, a province
/// or a commune); `None` when the measure's rows carry no former place.
pub async fn by_former(
    db: &Db,
    m: Measure,
    level: antq_domain::succession::FormerLevel,
    place: (Option<&str>, Option<&str>),
    w: Window,
) -> StoreResult<Option<Vec<(String, Vec<i64>)>>> {
    if !has_former(m) {
        return Ok(None);
    }
    let s = spec(m);
    let column = match level {
        antq_domain::succession::FormerLevel::Province => "former_province_code",
        antq_domain::succession::FormerLevel::District => "former_district_code",
        antq_domain::succession::FormerLevel::Commune => "former_commune_code",
    };
    let key = format!("COALESCE({}{column}, '')", s.alias);
    Ok(Some(read(db, &query(&s, &key, place, w), s.values.len()).await?))
}

fn query(s: &Spec, key: &str, (province, commune): (Option<&str>, Option<&str>), w: Window) -> Sql {
    let mut q = Sql::new("SELECT ");
    q.push(key).push(" AS k");
    for v in s.values {
        q.push(", CAST(COALESCE(").push(v).push(", 0) AS BIGINT)");
    }
    q.push(" FROM ").push(s.from).push(" WHERE ").push(s.filter);
    if let Some(p) = province {
        q.push(" AND ").push(s.alias).push("province_code = ").bind(Arg::Text(p.into()));
    }
    if let Some(c) = commune {
        q.push(" AND ").push(s.alias).push("commune_code = ").bind(Arg::Text(c.into()));
    }
    let days = |q: &mut Sql, col: &str| {
        q.push(" AND ").push(col).push(" >= ").bind(Arg::Date(w.from));
        q.push(" AND ").push(col).push(" <= ").bind(Arg::Date(w.to));
    };
    match s.by {
        By::Days(col) => days(&mut q, col),
        By::DaysAndMonths(day, month) => {
            days(&mut q, day);
            q.push(" AND ").push(month).push(" >= ").bind(Arg::Text(w.from.format("%Y-%m").to_string()));
            q.push(" AND ").push(month).push(" <= ").bind(Arg::Text(w.to.format("%Y-%m").to_string()));
        }
        By::Until(col, end) => {
            q.push(" AND (").push(col).push(" IS NULL OR ").push(col).push(" <= ").bind(Arg::Date(w.to)).push(")");
            if let Some(end) = end {
                q.push(" AND (").push(end).push(" IS NULL OR ").push(end).push(" > ").bind(Arg::Date(w.to)).push(")");
            }
        }
        By::Year(col) => {
            q.push(" AND ").push(col).push(" = ").bind(Arg::I64(i64::from(w.year)));
        }
    }
    q.push(" GROUP BY 1 ORDER BY 1");
    q
}

/// Reads `(key, n values)` rows: every measure has 1, 2 or 4 values (checked by a test).
async fn read(db: &Db, q: &Sql, width: usize) -> StoreResult<Vec<(String, Vec<i64>)>> {
    Ok(match width {
        1 => fetch_all::<(String, i64)>(db, q).await?.into_iter().map(|(k, a)| (k, vec![a])).collect(),
        2 => fetch_all::<(String, i64, i64)>(db, q).await?.into_iter().map(|(k, a, b)| (k, vec![a, b])).collect(),
        _ => fetch_all::<(String, i64, i64, i64, i64)>(db, q)
            .await?
            .into_iter()
            .map(|(k, a, b, c, d)| (k, vec![a, b, c, d]))
            .collect(),
    })
}

/// Every measure, for tests and for the report's sections to be checked against.
pub const ALL: &[Measure] = &[
    Measure::ModelsWorking,
    Measure::ModelsNew,
    Measure::ModelsFollowUp,
    Measure::Sites,
    Measure::Ratings,
    Measure::Antt,
    Measure::Classification,
    Measure::Exemplars,
    Measure::Areas,
    Measure::ForceTeams,
    Measure::ForceCovered,
    Measure::ForceMembers,
    Measure::ForceTrained,
    Measure::Reports,
    Measure::ReportsMonthly,
    Measure::Activities,
    Measure::Commendations,
    Measure::CamerasInstalled,
    Measure::CamerasWorking,
];

/// How many values a measure's rows carry.
pub fn width(m: Measure) -> usize {
    spec(m).values.len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_measure_has_a_width_read_knows() {
        for m in super::ALL {
            assert!(matches!(super::width(*m), 1 | 2 | 4), "{m:?}");
        }
    }
}
