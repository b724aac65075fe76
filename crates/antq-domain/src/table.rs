//! A statistics table: rows (places, kinds, months …) × named columns of counts, with totals.
//! Every module's statistics that the pages, the API, the XLSX export and the official reports
//! share take this one shape, so a report section or a chart is written once for all of them.

/// A column of a statistics table.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct StatColumn {
    /// Stable code.
    pub code: String,
    /// Vietnamese header.
    pub label: String,
    /// Values are thousandths of a unit (quantities in kg): shown with decimals.
    pub milli: bool,
}

/// A row of a statistics table.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct StatRow {
    /// Code of what the row is about (unit code, kind id, month …).
    pub code: String,
    /// Its name.
    pub label: String,
    /// One value per column.
    pub values: Vec<i64>,
}

/// Rows × columns of counts, with the totals of each column.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct StatTable {
    /// Title (also the sheet name of the export).
    pub title: String,
    /// Header of the row labels ("Đơn vị", "Loại hoạt động" …).
    pub row_header: String,
    /// Columns.
    pub columns: Vec<StatColumn>,
    /// Rows.
    pub rows: Vec<StatRow>,
    /// Sum of each column over the rows.
    pub totals: Vec<i64>,
}

impl StatTable {
    /// A table of `rows` under `columns`, totals computed.
    pub fn new(title: String, row_header: &str, columns: Vec<StatColumn>, rows: Vec<StatRow>) -> StatTable {
        let mut totals = vec![0; columns.len()];
        for r in &rows {
            for (t, v) in totals.iter_mut().zip(&r.values) {
                *t += v;
            }
        }
        StatTable { title, row_header: row_header.to_string(), columns, rows, totals }
    }

    /// The cells as text, totals last (for CSV and XLSX files).
    pub fn text_rows(&self) -> Vec<Vec<String>> {
        let total = StatRow { code: String::new(), label: "Tổng cộng".into(), values: self.totals.clone() };
        self.rows
            .iter()
            .chain(std::iter::once(&total))
            .map(|r| {
                let mut v = vec![r.code.clone(), r.label.clone()];
                v.extend(self.columns.iter().zip(&r.values).map(|(c, x)| c.text(*x)));
                v
            })
            .collect()
    }

    /// The headers of [`StatTable::text_rows`].
    pub fn headers(&self) -> Vec<String> {
        let mut h = vec!["Mã".to_string(), self.row_header.clone()];
        h.extend(self.columns.iter().map(|c| c.label.clone()));
        h
    }

    /// The largest value of a column, for scaling a chart.
    pub fn column_max(&self, i: usize) -> i64 {
        self.rows.iter().filter_map(|r| r.values.get(i)).copied().max().unwrap_or(0)
    }
}

impl StatColumn {
    /// A value of this column as text.
    pub fn text(&self, v: i64) -> String {
        if self.milli { crate::activity::milli_text(v) } else { v.to_string() }
    }
}

/// A column from a code and a label.
pub fn column(code: impl Into<String>, label: impl Into<String>) -> StatColumn {
    StatColumn { code: code.into(), label: label.into(), milli: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_and_text() {
        let t = StatTable::new(
            "Hoạt động".into(),
            "Đơn vị",
            vec![column("a", "A"), column("b", "B")],
            vec![
                StatRow { code: "01".into(), label: "Hà Nội".into(), values: vec![1, 2] },
                StatRow { code: "56".into(), label: "Khánh Hòa".into(), values: vec![3, 4] },
            ],
        );
        assert_eq!(t.totals, vec![4, 6]);
        assert_eq!(t.text_rows().last().unwrap(), &vec!["".to_string(), "Tổng cộng".into(), "4".into(), "6".into()]);
        assert_eq!(t.headers(), vec!["Mã", "Đơn vị", "A", "B"]);
        assert_eq!(t.column_max(1), 4);
    }
}
