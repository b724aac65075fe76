//! Pivot tables over every registry (C13): a count or a sum, by two dimensions chosen from the
//! place (province, commune), the year or month of the registry's date, and the registry's own
//! codes (type, state, rating, channel …). Sources and dimensions are data here; `antq-app`
//! labels them, checks scope and builds the drill-down links.

use chrono::NaiveDate;

use crate::sql::{Arg, Sql, fetch_all};
use crate::{Db, StoreResult};

/// A registry a pivot reads.
pub struct Source {
    /// Stable code (`models`, `cameras` …).
    pub code: &'static str,
    /// Vietnamese name.
    pub label: &'static str,
    /// `FROM` clause.
    from: &'static str,
    /// Prefix of its `province_code` and `commune_code` columns.
    alias: &'static str,
    /// Rows it counts.
    filter: &'static str,
    /// The day a row belongs to (year and month dimensions, the year filter), or a year column.
    when: When,
    /// Its own dimensions: code, Vietnamese name, SQL expression.
    pub dims: &'static [(&'static str, &'static str, &'static str)],
    /// Its values: code, Vietnamese name, SQL aggregate.
    pub values: &'static [(&'static str, &'static str, &'static str)],
}

/// The day or year of a row.
#[derive(Clone, Copy)]
enum When {
    Day(&'static str),
    Year(&'static str),
}

const COUNT: (&str, &str, &str) = ("count", "Số lượng", "COUNT(*)");

/// Every source.
pub const SOURCES: &[Source] = &[
    Source {
        code: "models",
        label: "Mô hình",
        from: "models m",
        alias: "m.",
        filter: "m.state <> 'de_xuat'",
        when: When::Day("m.registered_on"),
        dims: &[
            ("type", "Loại mô hình", "CAST(m.type_id AS TEXT)"),
            ("state", "Trạng thái", "m.state"),
            ("level", "Cấp", "m.level"),
        ],
        values: &[COUNT, ("members", "Số thành viên", "SUM(m.members)")],
    },
    Source {
        code: "ratings",
        label: "Xếp loại mô hình (đã duyệt)",
        from: "model_ratings r",
        alias: "r.",
        filter: "r.approved = TRUE",
        when: When::Year("r.year"),
        dims: &[
            ("rating", "Mức xếp loại", "r.rating"),
            ("type", "Loại mô hình", "CAST(r.type_id AS TEXT)"),
            ("follow_up", "Củng cố, thanh loại", "r.follow_up"),
        ],
        values: &[COUNT],
    },
    Source {
        code: "antt",
        label: "«An toàn về ANTT»",
        from: "antt_records a",
        alias: "a.",
        filter: "1=1",
        when: When::Year("a.year"),
        dims: &[("subject", "Đối tượng", "a.subject"), ("state", "Trạng thái", "a.state")],
        values: &[COUNT],
    },
    Source {
        code: "force_teams",
        label: "Tổ bảo vệ ANTT",
        from: "force_teams t",
        alias: "t.",
        filter: "t.decided_on IS NOT NULL",
        when: When::Day("t.decided_on"),
        dims: &[("state", "Trạng thái", "t.state")],
        values: &[COUNT],
    },
    Source {
        code: "force_members",
        label: "Thành viên Tổ bảo vệ ANTT",
        from: "force_members f",
        alias: "f.",
        filter: "f.decided_on IS NOT NULL",
        when: When::Day("f.decided_on"),
        dims: &[("role", "Chức danh", "f.role"), ("state", "Trạng thái", "f.state"), ("sex", "Giới tính", "f.sex")],
        values: &[COUNT],
    },
    Source {
        code: "reports",
        label: "Tin báo, tố giác",
        from: "reports r",
        alias: "r.place_",
        filter: "1=1",
        when: When::Day("r.received_on"),
        dims: &[
            ("channel", "Kênh tiếp nhận", "r.channel"),
            ("category", "Lĩnh vực", "r.category"),
            ("state", "Trạng thái", "r.state"),
        ],
        values: &[COUNT],
    },
    Source {
        code: "activities",
        label: "Hoạt động phong trào",
        from: "activities a",
        alias: "a.",
        filter: "1=1",
        when: When::Day("a.starts_on"),
        dims: &[
            ("kind", "Loại hoạt động", "CAST(a.kind_id AS TEXT)"),
            ("organiser_kind", "Đơn vị tổ chức", "a.organiser_kind"),
        ],
        values: &[COUNT, ("participants", "Lượt người tham gia", "SUM(a.participants)")],
    },
    Source {
        code: "commendations",
        label: "Khen thưởng",
        from: "commendations c",
        alias: "c.",
        filter: "c.state = 'da_quyet_dinh'",
        when: When::Day("c.decided_on"),
        dims: &[
            ("form", "Hình thức", "c.form"),
            ("level", "Cấp khen", "c.level"),
            ("recipient_kind", "Đối tượng", "c.recipient_kind"),
        ],
        values: &[COUNT, ("cash", "Tiền thưởng (đồng)", "SUM(c.cash_vnd)")],
    },
    Source {
        code: "cameras",
        label: "Camera an ninh",
        from: "cameras c",
        alias: "c.",
        filter: "1=1",
        when: When::Day("c.installed_on"),
        dims: &[
            ("funding", "Nguồn kinh phí", "c.funding"),
            ("status", "Tình trạng", "c.status"),
            ("kind", "Loại camera", "c.kind"),
        ],
        values: &[COUNT, ("cost", "Kinh phí (đồng)", "SUM(c.cost_vnd)")],
    },
];

/// The dimensions every source has: code, name. The `legacy_*` ones are the place as recorded
/// in the map that ended on 30 June 2025 (empty: recorded in the current map).
pub const PLACE_TIME: &[(&str, &str)] = &[
    ("province", "Tỉnh, thành phố"),
    ("commune", "Xã, phường, đặc khu"),
    ("legacy_province", "Tỉnh, thành phố (trước 01/7/2025)"),
    ("legacy_district", "Huyện, quận, thị xã, thành phố (trước 01/7/2025)"),
    ("legacy_commune", "Xã, phường, thị trấn (trước 01/7/2025)"),
    ("year", "Năm"),
    ("month", "Tháng"),
];

/// The source of a code.
pub fn source(code: &str) -> Option<&'static Source> {
    SOURCES.iter().find(|s| s.code == code)
}

impl Source {
    /// Whether rows have a day (a month dimension and a day range).
    pub fn has_day(&self) -> bool {
        matches!(self.when, When::Day(_))
    }

    /// The SQL of a dimension, if the source has it: the column itself where there is one, so
    /// that grouping can follow an index; [`cells`] turns keys into text after grouping.
    /// `map_province` and `map_commune` are the place in the map of a day after 1 July 2025
    /// that has since ended: `maps` lists it and the later ended maps, oldest first.
    fn dim(&self, code: &str, maps: &[String]) -> Option<String> {
        Some(match (code, self.when) {
            ("map_province" | "map_commune", _) => {
                return crate::unit_changes::place_in_map(self.from, self.alias, code == "map_province", maps);
            }
            ("province", _) => format!("{}province_code", self.alias),
            ("commune", _) => format!("{}commune_code", self.alias),
            ("legacy_province", _) => format!("{}former_province_code", self.alias),
            ("legacy_district", _) => format!("{}former_district_code", self.alias),
            ("legacy_commune", _) => format!("{}former_commune_code", self.alias),
            ("year", When::Day(d)) => format!("SUBSTR(CAST({d} AS TEXT), 1, 4)"),
            ("year", When::Year(y)) => y.to_string(),
            ("month", When::Day(d)) => format!("SUBSTR(CAST({d} AS TEXT), 1, 7)"),
            ("month", When::Year(_)) => return None,
            (c, _) => self.dims.iter().find(|(k, _, _)| *k == c)?.2.to_string(),
        })
    }

    /// Whether the source has a dimension (the place in a later ended map included).
    pub fn has_dim(&self, code: &str) -> bool {
        self.dim(code, &["map".into()]).is_some()
    }
}

/// What a pivot reads.
#[derive(Clone, Debug)]
pub struct PivotSpec<'a> {
    /// Dimension of the rows.
    pub rows: &'a str,
    /// Dimension of the columns (`None`: one column).
    pub cols: Option<&'a str>,
    /// Value code.
    pub value: &'a str,
    /// Province.
    pub province: Option<&'a str>,
    /// Commune.
    pub commune: Option<&'a str>,
    /// First and last year (`None`: every year).
    pub years: Option<(i32, i32)>,
    /// For `map_*` dimensions: the ended map asked for and each later ended one, oldest first.
    pub maps: &'a [String],
}

/// The cells `(row key, column key, value)`, keys in order; `None` when the source lacks a
/// dimension or the value.
pub async fn cells(db: &Db, s: &Source, p: &PivotSpec<'_>) -> StoreResult<Option<Vec<(String, String, i64)>>> {
    let (Some(rows), Some(cols), Some(value)) = (
        s.dim(p.rows, p.maps),
        match p.cols {
            Some(c) => s.dim(c, p.maps),
            None => Some("''".into()),
        },
        s.values.iter().find(|(c, _, _)| *c == p.value).map(|v| v.2),
    ) else {
        return Ok(None);
    };
    // Grouped by the raw keys (an index in their order answers it), then as text: a NULL key
    // and an empty one are the same row.
    let mut q = Sql::new(
        "SELECT COALESCE(CAST(g.r AS TEXT), ''), COALESCE(CAST(g.c AS TEXT), ''), CAST(COALESCE(SUM(g.v), 0) AS BIGINT) \
         FROM (SELECT ",
    );
    q.push(&format!("{rows} AS r, {cols} AS c, {value} AS v FROM "));
    q.push(s.from).push(" WHERE ").push(s.filter);
    if let Some(pr) = p.province {
        q.push(" AND ").push(s.alias).push("province_code = ").bind(Arg::Text(pr.into()));
    }
    if let Some(c) = p.commune {
        q.push(" AND ").push(s.alias).push("commune_code = ").bind(Arg::Text(c.into()));
    }
    match (s.when, p.years) {
        (_, None) => {}
        (When::Day(d), Some(years)) => {
            let from = NaiveDate::from_ymd_opt(years.0, 1, 1).unwrap_or(NaiveDate::MIN);
            let to = NaiveDate::from_ymd_opt(years.1, 12, 31).unwrap_or(NaiveDate::MAX);
            q.push(" AND ").push(d).push(" >= ").bind(Arg::Date(from));
            q.push(" AND ").push(d).push(" <= ").bind(Arg::Date(to));
        }
        (When::Year(y), Some(years)) => {
            q.push(" AND ").push(y).push(" >= ").bind(Arg::I64(years.0.into()));
            q.push(" AND ").push(y).push(" <= ").bind(Arg::I64(years.1.into()));
        }
    }
    q.push(" GROUP BY 1, 2) g GROUP BY 1, 2 ORDER BY 1, 2");
    Ok(Some(fetch_all::<(String, String, i64)>(db, &q).await?))
}
