//! Reading CSV and XLSX files into [`RawRow`]s.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxError};

use crate::columns::Layout;
use crate::{Column, Format, RawRow, ReadError};

/// Every ZIP archive (and so every XLSX workbook) starts with these bytes.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// OLE compound files: legacy `.xls` workbooks and password-protected `.xlsx` workbooks.
const CFB_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// Refuse workbooks whose parts declare more than this many bytes once decompressed.
const MAX_UNCOMPRESSED: u64 = 1 << 30;
/// Excel's column limit; cells further right are ignored.
const MAX_COLUMNS: u32 = 16_384;

const MSG_NOT_UTF8: &str =
    "Lưu tệp CSV với mã hóa UTF-8 (trong Excel: Lưu thành → “CSV UTF-8 (Comma delimited)”) rồi tải lên lại.";
const MSG_CFB: &str = "đây là tệp Excel cũ (.xls) hoặc tệp được đặt mật khẩu. Hãy mở tệp bằng Excel, bỏ mật khẩu (nếu có) rồi lưu lại dưới dạng .xlsx hoặc CSV UTF-8.";

/// Reads a CSV or XLSX file laid out with `columns`.
///
/// The first non-empty row is the header. Each file header is matched to a column as
/// described at [`Column::matches`]; unknown headers are ignored. Rows whose cells are all
/// empty are skipped (row numbers still count them). Values are trimmed; a leading `'`
/// that protects a value starting with `=`, `+`, `-` or `@` (as [`write`](crate::write)
/// adds to CSV files) is removed.
///
/// CSV files must be UTF-8 (a byte order mark is accepted and stripped; UTF-16 files with a
/// byte order mark, as Excel's "Unicode Text", are also understood); the delimiter is `;`
/// or tab if the header line has more of those than commas, `,` otherwise. XLSX files are
/// read from their first visible worksheet.
///
/// # Errors
///
/// [`ReadError`] if the file cannot be read at all, has no header, lacks required columns,
/// names a column twice or has more than `max_rows` data rows. Problems with individual
/// values are left to the caller.
pub fn read(
    bytes: &[u8],
    format: Format,
    columns: &'static [Column],
    max_rows: usize,
) -> Result<Vec<RawRow>, ReadError> {
    let layout = Layout::new(columns);
    match format {
        Format::Csv => read_csv(bytes, &layout, max_rows),
        Format::Xlsx => read_xlsx(bytes, &layout, max_rows),
    }
}

/// Collects data rows once the header is known.
struct Rows<'l> {
    layout: &'l Layout,
    map: Vec<Option<usize>>,
    /// Number of layout columns present in the file.
    mapped: usize,
    rows: Vec<RawRow>,
    max_rows: usize,
}

impl<'l> Rows<'l> {
    fn new(layout: &'l Layout, map: Vec<Option<usize>>, max_rows: usize) -> Self {
        Rows { layout, mapped: map.iter().flatten().count(), map, rows: Vec::new(), max_rows }
    }

    /// The layout column for a file column, if it is one we read.
    fn column(&self, file_col: usize) -> Option<&'static Column> {
        let ci = (*self.map.get(file_col)?)?;
        self.layout.columns().get(ci)
    }

    fn push(&mut self, row: usize, values: HashMap<&'static str, String>) -> Result<(), ReadError> {
        if self.rows.len() >= self.max_rows {
            return Err(ReadError::TooManyRows(self.max_rows));
        }
        self.rows.push(RawRow { row, values });
        Ok(())
    }
}

/// Trims a cell and removes the `'` that protects a formula-like value.
fn clean(s: &str) -> &str {
    let s = s.trim();
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => s,
    }
}

// ---------------------------------------------------------------------------------------
// CSV

fn read_csv(bytes: &[u8], layout: &Layout, max_rows: usize) -> Result<Vec<RawRow>, ReadError> {
    if bytes.starts_with(CFB_MAGIC) {
        return Err(ReadError::Unreadable(MSG_CFB.into()));
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return Err(ReadError::Unreadable("tệp này là tệp Excel (.xlsx) hoặc tệp nén, không phải tệp CSV.".into()));
    }
    let text = decode_text(bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let delimiter = detect_delimiter(text);

    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    let mut rows: Option<Rows<'_>> = None;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(ReadError::Unreadable(format!("tệp CSV không hợp lệ ({e}).")));
            }
        }
        let start = record.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        row += 1 + blank_lines_before(text.as_bytes(), start);

        let blank = record.iter().all(|f| clean(f).is_empty());
        if blank {
            continue;
        }
        match rows.as_mut() {
            None => {
                let map = layout.resolve(record.iter().enumerate())?;
                rows = Some(Rows::new(layout, map, max_rows));
            }
            Some(rows) => {
                let mut values = HashMap::with_capacity(rows.mapped);
                for (i, field) in record.iter().enumerate() {
                    let v = clean(field);
                    if v.is_empty() {
                        continue;
                    }
                    if let Some(c) = rows.column(i) {
                        values.insert(c.key, v.to_owned());
                    }
                }
                rows.push(row, values)?;
            }
        }
    }
    rows.map(|r| r.rows).ok_or(ReadError::Empty)
}

/// `csv` silently skips blank lines; a spreadsheet shows each as a row. Counts the blank
/// lines between the terminator of the previous record (or the start of the file) and a
/// record whose parse started at byte `start`.
fn blank_lines_before(text: &[u8], start: usize) -> usize {
    let mut i = start.min(text.len());
    // The previous record ended at the `\r` of a `\r\n` pair.
    if i > 0 && text[i - 1] == b'\r' && text.get(i) == Some(&b'\n') {
        i += 1;
    }
    let mut blank = 0;
    while let Some(&b) = text.get(i) {
        match b {
            b'\r' if text.get(i + 1) == Some(&b'\n') => i += 2,
            b'\r' | b'\n' => i += 1,
            _ => break,
        }
        blank += 1;
    }
    blank
}

/// Decodes CSV bytes: UTF-8, or UTF-16 when a UTF-16 byte order mark says so.
fn decode_text(bytes: &[u8]) -> Result<Cow<'_, str>, ReadError> {
    let utf16 = |be: bool| {
        let body = &bytes[2..];
        if !body.len().is_multiple_of(2) {
            return Err(ReadError::Unreadable(format!("tệp UTF-16 bị cắt cụt. {MSG_NOT_UTF8}")));
        }
        let units = body
            .chunks_exact(2)
            .map(|c| if be { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map(Cow::Owned)
            .map_err(|_| ReadError::Unreadable(format!("tệp UTF-16 chứa ký tự không hợp lệ. {MSG_NOT_UTF8}")))
    };
    if bytes.starts_with(b"\xFF\xFE") {
        return utf16(false);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return utf16(true);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            Err(ReadError::Unreadable(format!(
                "tệp CSV không dùng mã hóa UTF-8 (ký tự không hợp lệ ở dòng {line}). {MSG_NOT_UTF8}"
            )))
        }
    }
}

/// Picks the delimiter from the first non-blank line.
fn detect_delimiter(text: &str) -> u8 {
    let line = text.split(['\n', '\r']).find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: u8| line.bytes().filter(|&b| b == c).count();
    let (commas, semis, tabs) = (count(b','), count(b';'), count(b'\t'));
    if semis > commas && semis >= tabs {
        b';'
    } else if tabs > commas {
        b'\t'
    } else {
        b','
    }
}

// ---------------------------------------------------------------------------------------
// XLSX

fn read_xlsx(bytes: &[u8], layout: &Layout, max_rows: usize) -> Result<Vec<RawRow>, ReadError> {
    if bytes.starts_with(CFB_MAGIC) {
        return Err(ReadError::Unreadable(MSG_CFB.into()));
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(ReadError::Unreadable("tệp không phải là tệp Excel .xlsx.".into()));
    }
    if zip_declared_size(bytes).is_some_and(|n| n > MAX_UNCOMPRESSED) {
        return Err(ReadError::Unreadable("tệp Excel quá lớn sau khi giải nén.".into()));
    }
    // calamine parses untrusted XML and ZIP structures; a panic in it must not take the
    // caller down.
    catch_unwind(AssertUnwindSafe(|| read_workbook(bytes, layout, max_rows)))
        .unwrap_or_else(|_| Err(ReadError::Unreadable("tệp Excel bị hỏng hoặc không đúng định dạng .xlsx.".into())))
}

fn xlsx_error(e: XlsxError) -> ReadError {
    match e {
        XlsxError::Password => ReadError::Unreadable(MSG_CFB.into()),
        e => ReadError::Unreadable(format!("tệp Excel bị hỏng hoặc không đúng định dạng .xlsx (chi tiết: {e}).")),
    }
}

fn read_workbook(bytes: &[u8], layout: &Layout, max_rows: usize) -> Result<Vec<RawRow>, ReadError> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let sheets = workbook.sheets_metadata();
    let worksheets = || sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
    let Some(sheet) = worksheets()
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| worksheets().next())
        .map(|s| s.name.clone())
    else {
        return Err(ReadError::Unreadable("tệp Excel không có trang tính nào.".into()));
    };
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(xlsx_error)?;

    // Cells come in row order. Until the header row is complete every non-empty cell of the
    // row is kept; afterwards only cells of known columns are.
    let mut header: Vec<(usize, String)> = Vec::new();
    let mut rows: Option<Rows<'_>> = None;
    let mut current: Option<u32> = None;
    let mut values: HashMap<&'static str, String> = HashMap::new();
    let mut non_empty = false;

    loop {
        let cell = cells.next_cell().map_err(xlsx_error)?;
        let position = cell.as_ref().map(|c| c.get_position());
        if position.map(|p| p.0) != current {
            // The previous row is complete.
            if let Some(r) = current
                && non_empty
            {
                finish_row(layout, max_rows, &mut rows, &mut header, &mut values, r)?;
            }
            current = position.map(|p| p.0);
            non_empty = false;
        }
        let Some(cell) = cell else { break };
        let (_, col) = cell.get_position();
        if col >= MAX_COLUMNS {
            continue;
        }
        let Some(text) = cell_text(cell.get_value()) else {
            continue;
        };
        let v = clean(&text);
        if v.is_empty() {
            continue;
        }
        non_empty = true;
        match rows.as_ref() {
            None => header.push((col as usize, v.to_owned())),
            Some(r) => {
                if let Some(c) = r.column(col as usize) {
                    values.insert(c.key, v.to_owned());
                }
            }
        }
    }
    rows.map(|r| r.rows).ok_or(ReadError::Empty)
}

/// Handles a completed non-empty row: the header if none was seen yet, else a data row.
fn finish_row<'l>(
    layout: &'l Layout,
    max_rows: usize,
    rows: &mut Option<Rows<'l>>,
    header: &mut Vec<(usize, String)>,
    values: &mut HashMap<&'static str, String>,
    row_index: u32,
) -> Result<(), ReadError> {
    match rows {
        None => {
            let map = layout.resolve(header.iter().map(|(c, s)| (*c, s.as_str())))?;
            header.clear();
            *rows = Some(Rows::new(layout, map, max_rows));
        }
        Some(rows) => {
            let capacity = rows.mapped;
            let values = std::mem::replace(values, HashMap::with_capacity(capacity));
            rows.push(row_index as usize + 1, values)?;
        }
    }
    Ok(())
}

/// The text of a cell, or `None` for empty and error cells.
fn cell_text<'a>(value: &'a DataRef<'_>) -> Option<Cow<'a, str>> {
    Some(match value {
        DataRef::Empty | DataRef::Error(_) => return None,
        DataRef::String(s) => Cow::Borrowed(s.as_str()),
        DataRef::SharedString(s) => Cow::Borrowed(*s),
        DataRef::Int(i) => Cow::Owned(i.to_string()),
        DataRef::Float(f) => Cow::Owned(float_text(*f)),
        DataRef::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        DataRef::DateTime(dt) => {
            let v = dt.as_f64();
            if dt.is_duration() {
                Cow::Owned(float_text(v))
            } else if (0.0..1.0).contains(&v) {
                // A time of day without a date.
                let (_, _, _, h, m, s, _) = dt.to_ymd_hms_milli();
                Cow::Owned(format!("{h:02}:{m:02}:{s:02}"))
            } else {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                Cow::Owned(format!("{y:04}-{m:02}-{d:02}"))
            }
        }
        DataRef::DateTimeIso(s) => Cow::Borrowed(iso_date_part(s)),
        DataRef::DurationIso(s) => Cow::Borrowed(s.as_str()),
    })
}

/// `"2024-05-01T10:00:00"` → `"2024-05-01"`; other text unchanged.
fn iso_date_part(s: &str) -> &str {
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..10].iter().all(u8::is_ascii) { &s[..10] } else { s }
}

/// Formats a number the way a user typed it: whole numbers without `.0` and never in
/// exponent notation.
pub(crate) fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 {
        if f.abs() < 1e15 {
            // Exact in i64; also turns -0.0 into "0".
            (f as i64).to_string()
        } else {
            format!("{f:.0}")
        }
    } else {
        // Rust's `Display` for f64 never uses exponent notation.
        f.to_string()
    }
}

/// Sum of the uncompressed sizes declared in a ZIP central directory, or `None` if the
/// directory cannot be found (calamine will then report the problem). `u64::MAX` for ZIP64
/// entries, which no reasonable import needs.
fn zip_declared_size(bytes: &[u8]) -> Option<u64> {
    let u16_at = |p: usize| -> Option<u64> {
        let b = bytes.get(p..p + 2)?;
        Some(u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |p: usize| -> Option<u64> {
        let b = bytes.get(p..p + 4)?;
        Some(u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    };
    let last = bytes.len().checked_sub(22)?;
    let first = last.saturating_sub(65_535);
    let eocd = (first..=last).rev().find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))?;
    let entries = u16_at(eocd + 10)?;
    let offset = u32_at(eocd + 16)?;
    if entries == 0xFFFF || offset == 0xFFFF_FFFF {
        return Some(u64::MAX);
    }
    let mut p = usize::try_from(offset).ok()?;
    let mut total = 0u64;
    for _ in 0..entries {
        if !bytes.get(p..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let size = u32_at(p + 24)?;
        if size == 0xFFFF_FFFF {
            return Some(u64::MAX);
        }
        total = total.saturating_add(size);
        let extra = u16_at(p + 28)? + u16_at(p + 30)? + u16_at(p + 32)?;
        p = p.checked_add(46 + usize::try_from(extra).ok()?)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines() {
        let t = b"a\r\n\r\n\r\nb\n\nc\r\rd";
        assert_eq!(blank_lines_before(t, 0), 0);
        assert_eq!(blank_lines_before(b"\r\n\n\ra", 0), 3);
        assert_eq!(blank_lines_before(t, 2), 2); // after "a\r"
        assert_eq!(blank_lines_before(t, 9), 1); // after "b\n"
        assert_eq!(blank_lines_before(t, 12), 1); // after "c\r"
        assert_eq!(blank_lines_before(t, 99), 0);
    }

    #[test]
    fn floats() {
        assert_eq!(float_text(1234.0), "1234");
        assert_eq!(float_text(-0.0), "0");
        assert_eq!(float_text(97.0), "97");
        assert_eq!(float_text(123_456_789_012.0), "123456789012");
        assert_eq!(float_text(1e20), "100000000000000000000");
        assert_eq!(float_text(1.5), "1.5");
        assert_eq!(float_text(-2.25), "-2.25");
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("a,b,c"), b',');
        assert_eq!(detect_delimiter("\n\n  \na;b"), b';');
        assert_eq!(detect_delimiter("single"), b',');
    }

    #[test]
    fn clean_values() {
        assert_eq!(clean("  Khánh Hòa \t"), "Khánh Hòa");
        assert_eq!(clean("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(clean("'+84905"), "+84905");
        assert_eq!(clean("'abc"), "'abc");
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso_date_part("2024-05-01T10:00:00"), "2024-05-01");
        assert_eq!(iso_date_part("2024-05-01"), "2024-05-01");
        assert_eq!(iso_date_part("10:00:00"), "10:00:00");
        assert_eq!(iso_date_part("ngày 1 tháng 5"), "ngày 1 tháng 5");
    }
}
