//! File formats.

/// File format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Comma-separated values (UTF-8; `;` and tab delimiters are also read).
    Csv,
    /// Office Open XML workbook (Excel 2007 and later).
    Xlsx,
}

/// Every ZIP archive (and so every XLSX workbook) starts with these bytes.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

impl Format {
    /// Parses a format name: `"csv"` or `"xlsx"`, case-insensitive, surrounding white space
    /// and a leading dot ignored (so a file extension works too).
    pub fn from_name(s: &str) -> Option<Format> {
        let s = s.trim();
        let s = s.strip_prefix('.').unwrap_or(s);
        if s.eq_ignore_ascii_case("csv") {
            Some(Format::Csv)
        } else if s.eq_ignore_ascii_case("xlsx") {
            Some(Format::Xlsx)
        } else {
            None
        }
    }

    /// Guesses the format of file contents: XLSX if they start with the ZIP magic
    /// `PK\x03\x04`, CSV otherwise.
    pub fn detect(bytes: &[u8]) -> Format {
        if bytes.starts_with(ZIP_MAGIC) { Format::Xlsx } else { Format::Csv }
    }

    /// The file extension, without a dot: `"csv"` or `"xlsx"`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    /// The MIME type to send with a file of this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(Format::from_name("CSV"), Some(Format::Csv));
        assert_eq!(Format::from_name("xlsx"), Some(Format::Xlsx));
        assert_eq!(Format::from_name(" .XLSX "), Some(Format::Xlsx));
        assert_eq!(Format::from_name("xls"), None);
        assert_eq!(Format::from_name(""), None);
        for f in [Format::Csv, Format::Xlsx] {
            assert_eq!(Format::from_name(f.extension()), Some(f));
        }
    }

    #[test]
    fn detection() {
        assert_eq!(Format::detect(b"PK\x03\x04rest"), Format::Xlsx);
        assert_eq!(Format::detect(b"PK"), Format::Csv);
        assert_eq!(Format::detect(b"\xEF\xBB\xBFMa xa,Ten"), Format::Csv);
        assert_eq!(Format::detect(b""), Format::Csv);
    }

    #[test]
    fn content_types() {
        assert_eq!(Format::Csv.content_type(), "text/csv; charset=utf-8");
        assert!(Format::Xlsx.content_type().ends_with("spreadsheetml.sheet"));
    }
}
