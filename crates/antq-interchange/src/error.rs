//! Errors for files that cannot be read at all.

/// A file that cannot be read at all. The `Display` text is Vietnamese and meant for the
/// user who uploaded the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The bytes are not a readable file of the expected format (corrupt XLSX, a CSV that is
    /// not UTF-8, …). The string explains why, in Vietnamese.
    #[error("Không đọc được tệp: {0}")]
    Unreadable(String),
    /// The file has no header row (it is empty or blank).
    #[error("Tệp không có dòng tiêu đề.")]
    Empty,
    /// Required columns are missing; holds their Vietnamese headers, in layout order.
    #[error("Thiếu cột bắt buộc: {}", .0.join(", "))]
    MissingColumns(Vec<String>),
    /// Two headers of the file map to the same column; holds that column's Vietnamese header.
    #[error("Cột “{0}” xuất hiện nhiều lần trong dòng tiêu đề.")]
    DuplicateColumn(String),
    /// The file has more data rows than allowed; holds the limit.
    #[error("Tệp có quá nhiều dòng dữ liệu (tối đa {0} dòng).")]
    TooManyRows(usize),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_vietnamese() {
        let e = ReadError::MissingColumns(vec!["Mã xã".into(), "Tên khu dân cư".into()]);
        assert_eq!(e.to_string(), "Thiếu cột bắt buộc: Mã xã, Tên khu dân cư");
        assert_eq!(ReadError::Empty.to_string(), "Tệp không có dòng tiêu đề.");
        assert!(ReadError::TooManyRows(5000).to_string().contains("5000"));
        assert!(ReadError::Unreadable("x".into()).to_string().starts_with("Không đọc được tệp: "));
    }
}
