//! Rows read from a file, and problems found in them.

use std::collections::HashMap;
use std::fmt;

use crate::Column;

/// A data row read from a file: `row` is the 1-based row number as a spreadsheet user sees it
/// (the header is row 1, so the first data row is 2). Values by column key, trimmed; a
/// column absent from the file or an empty cell is absent from the map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawRow {
    /// The row number the user sees in a spreadsheet program.
    pub row: usize,
    /// Non-empty, trimmed values by [`Column::key`].
    pub values: HashMap<&'static str, String>,
}

impl RawRow {
    /// The value of the column with this key, if the file has it and the cell is not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }
}

/// A problem with one row, for dry-run reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// The row number the user sees in a spreadsheet program.
    pub row: usize,
    /// The Vietnamese header of the offending column, if the problem is with one cell.
    pub column: Option<String>,
    /// What is wrong, in Vietnamese.
    pub message: String,
}

impl RowError {
    /// A problem with one cell of a row.
    pub fn cell(row: usize, column: &Column, message: impl Into<String>) -> RowError {
        RowError { row, column: Some(column.header.to_owned()), message: message.into() }
    }

    /// A problem with a row as a whole.
    pub fn row(row: usize, message: impl Into<String>) -> RowError {
        RowError { row, column: None, message: message.into() }
    }
}

impl fmt::Display for RowError {
    /// `Dòng 5, cột “Mã xã”: …` or `Dòng 5: …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "Dòng {}, cột “{}”: {}", self.row, c, self.message),
            None => write!(f, "Dòng {}: {}", self.row, self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: Column = Column { key: "commune_code", header: "Mã xã", aliases: &[], required: true, help: "" };

    #[test]
    fn get_by_key() {
        let mut r = RawRow { row: 2, values: HashMap::new() };
        r.values.insert("commune_code", "00097".into());
        assert_eq!(r.get("commune_code"), Some("00097"));
        assert_eq!(r.get("name"), None);
    }

    #[test]
    fn row_error_display() {
        let e = RowError::cell(5, &CODE, "không tồn tại");
        assert_eq!(e.column.as_deref(), Some("Mã xã"));
        assert_eq!(e.to_string(), "Dòng 5, cột “Mã xã”: không tồn tại");
        assert_eq!(RowError::row(7, "trùng").to_string(), "Dòng 7: trùng");
    }
}
