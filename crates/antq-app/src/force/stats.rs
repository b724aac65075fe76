//! Statistics of the force: teams, members, areas and coverage by place, or active members by
//! place and role, age band, sex or education; page, API and XLSX.

use antq_domain::FieldErrors;
use antq_domain::access::Permission;
use antq_domain::force::{AGE_BANDS, Education, MemberRole, Sex, birthday};
use antq_store::force::stats::{self as store, Dimension, StatsScope};

use crate::{Actor, AppCtx, AppResult};

/// What the columns are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ForceBy {
    /// Teams, members, areas and coverage.
    Place,
    /// Members by role.
    Role,
    /// Members by age band.
    Age,
    /// Members by sex.
    Sex,
    /// Members by education.
    Education,
}

impl ForceBy {
    /// Parses the `by` parameter (default `place`).
    pub fn parse(s: Option<&str>) -> AppResult<ForceBy> {
        Ok(match s.map(str::trim).unwrap_or("") {
            "" | "place" => ForceBy::Place,
            "role" => ForceBy::Role,
            "age" => ForceBy::Age,
            "sex" => ForceBy::Sex,
            "education" => ForceBy::Education,
            other => {
                return Err(FieldErrors::single(
                    "by",
                    format!("«{other}» không hợp lệ. Chọn place, role, age, sex hoặc education."),
                )
                .into());
            }
        })
    }
}

/// One row: a province or commune.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ForceStatsRow {
    /// Unit code.
    pub code: String,
    /// Unit name.
    pub label: String,
    /// Counts per column.
    pub counts: Vec<i64>,
    /// Share of active areas with an open team, % (by place).
    pub coverage: Option<f64>,
}

/// The table.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ForceStats {
    /// Grouping.
    pub by: ForceBy,
    /// Column codes.
    pub columns: Vec<String>,
    /// Column labels.
    pub labels: Vec<String>,
    /// Rows.
    pub rows: Vec<ForceStatsRow>,
    /// Totals per column.
    pub totals: Vec<i64>,
    /// Coverage of all rows, %.
    pub coverage: Option<f64>,
}

fn pct(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// The statistics of the actor's scope.
#[tracing::instrument(skip_all)]
pub async fn stats(ctx: &AppCtx, actor: &Actor, by: ForceBy) -> AppResult<ForceStats> {
    actor.require(Permission::ReadRegistry)?;
    let scope =
        StatsScope { province: actor.scope.province().map(Into::into), commune: actor.scope.commune().map(Into::into) };
    type Table = (Vec<String>, Vec<String>, Vec<(String, Vec<i64>)>);
    let (columns, labels, raw): Table = match by {
        ForceBy::Place => {
            let cols = ["teams", "established", "members", "areas", "covered"];
            let labels = [
                "Số tổ",
                "Tổ đã có quyết định thành lập",
                "Thành viên đang tham gia",
                "Khu dân cư",
                "Khu dân cư có tổ",
            ];
            let rows = store::by_place(&ctx.db, &scope)
                .await?
                .into_iter()
                .map(|(c, a, b, m, ar, cv)| (c, vec![a, b, m, ar, cv]))
                .collect();
            (cols.map(String::from).to_vec(), labels.map(String::from).to_vec(), rows)
        }
        _ => {
            let (dim, cats): (Dimension, Vec<(String, String)>) = match by {
                ForceBy::Role => {
                    (Dimension::Role, MemberRole::ALL.iter().map(|r| (r.code().into(), r.label().into())).collect())
                }
                ForceBy::Sex => {
                    (Dimension::Sex, Sex::ALL.iter().map(|r| (r.code().into(), r.label().into())).collect())
                }
                ForceBy::Education => {
                    (Dimension::Education, Education::ALL.iter().map(|r| (r.code().into(), r.label().into())).collect())
                }
                _ => (
                    Dimension::Age,
                    AGE_BANDS.iter().enumerate().map(|(i, b)| (i.to_string(), b.2.to_string())).collect(),
                ),
            };
            // A member born after the day they would turn the band's upper bound + 1 is in the band.
            let today = ctx.today();
            let bounds: Vec<chrono::NaiveDate> =
                AGE_BANDS.iter().take(AGE_BANDS.len() - 1).map(|b| birthday(today, -(b.1 + 1))).collect();
            let mut rows: std::collections::BTreeMap<String, Vec<i64>> = Default::default();
            for (code, cat, n) in store::members_by(&ctx.db, &scope, dim, &bounds).await? {
                let i = cats.iter().position(|(c, _)| *c == cat).unwrap_or(0);
                rows.entry(code).or_insert_with(|| vec![0; cats.len()])[i] += n;
            }
            (
                cats.iter().map(|c| c.0.clone()).collect(),
                cats.into_iter().map(|c| c.1).collect(),
                rows.into_iter().collect(),
            )
        }
    };
    let names = crate::units::names(ctx, raw.iter().map(|(c, _)| c.clone())).await?;
    let mut totals = vec![0; columns.len()];
    let rows: Vec<ForceStatsRow> = raw
        .into_iter()
        .map(|(code, counts)| {
            for (t, c) in totals.iter_mut().zip(&counts) {
                *t += c;
            }
            let coverage = (by == ForceBy::Place).then(|| pct(counts[4], counts[3])).flatten();
            ForceStatsRow { label: names.get(&code).cloned().unwrap_or_else(|| code.clone()), code, counts, coverage }
        })
        .collect();
    let coverage = (by == ForceBy::Place).then(|| pct(totals[4], totals[3])).flatten();
    Ok(ForceStats { by, columns, labels, rows, totals, coverage })
}

use antq_interchange::Column;

const fn c(key: &'static str, header: &'static str) -> Column {
    Column::plain(key, header)
}

static PLACE: &[Column] = &[
    c("code", "Mã"),
    c("label", "Đơn vị"),
    c("teams", "Số tổ"),
    c("established", "Tổ đã có quyết định thành lập"),
    c("members", "Thành viên đang tham gia"),
    c("areas", "Khu dân cư"),
    c("covered", "Khu dân cư có tổ"),
    c("coverage", "Tỷ lệ khu dân cư có tổ (%)"),
];
static ROLE: &[Column] = &[
    c("code", "Mã"),
    c("label", "Đơn vị"),
    c("to_truong", "Tổ trưởng"),
    c("to_pho", "Tổ phó"),
    c("to_vien", "Tổ viên"),
];
static SEX: &[Column] = &[c("code", "Mã"), c("label", "Đơn vị"), c("nam", "Nam"), c("nu", "Nữ")];
static AGE: &[Column] = &[
    c("code", "Mã"),
    c("label", "Đơn vị"),
    c("0", "Dưới 30"),
    c("1", "30–39"),
    c("2", "40–49"),
    c("3", "50–59"),
    c("4", "60–69"),
    c("5", "Từ 70"),
];
static EDUCATION: &[Column] = &[
    c("code", "Mã"),
    c("label", "Đơn vị"),
    c("chua_tieu_hoc", "Chưa hoàn thành tiểu học"),
    c("tieu_hoc", "Hoàn thành tiểu học"),
    c("thcs", "THCS"),
    c("thpt", "THPT"),
    c("trung_cap", "Trung cấp"),
    c("cao_dang", "Cao đẳng"),
    c("dai_hoc", "Đại học"),
    c("sau_dai_hoc", "Sau đại học"),
];

/// The table as an XLSX file.
pub async fn export(ctx: &AppCtx, actor: &Actor, by: ForceBy) -> AppResult<Vec<u8>> {
    let s = stats(ctx, actor, by).await?;
    let cols = match by {
        ForceBy::Place => PLACE,
        ForceBy::Role => ROLE,
        ForceBy::Sex => SEX,
        ForceBy::Age => AGE,
        ForceBy::Education => EDUCATION,
    };
    let fmt = |c: Option<f64>| c.map(|v| format!("{v:.1}").replace('.', ",")).unwrap_or_default();
    let line = |code: String, label: String, counts: &[i64], coverage: Option<f64>| {
        let mut v = vec![code, label];
        v.extend(counts.iter().map(i64::to_string));
        if by == ForceBy::Place {
            v.push(fmt(coverage));
        }
        v
    };
    let mut rows: Vec<Vec<String>> =
        s.rows.iter().map(|r| line(r.code.clone(), r.label.clone(), &r.counts, r.coverage)).collect();
    rows.push(line(String::new(), "Tổng".into(), &s.totals, s.coverage));
    Ok(antq_interchange::write(antq_interchange::Format::Xlsx, "Lực lượng cơ sở", cols, &rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_columns_follow_the_categories() {
        assert_eq!(ROLE.len() - 2, MemberRole::ALL.len());
        assert_eq!(SEX.len() - 2, Sex::ALL.len());
        assert_eq!(AGE.len() - 2, AGE_BANDS.len());
        assert_eq!(EDUCATION.len() - 2, Education::ALL.len());
        for (c, e) in EDUCATION.iter().skip(2).zip(Education::ALL) {
            assert_eq!(c.key, e.code());
        }
    }
}
