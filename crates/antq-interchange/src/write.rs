//! Writing rows, and empty templates, as CSV or XLSX files.

use rust_xlsxwriter::{Color, Format as CellFormat, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::{Column, Format};

/// Name of the help worksheet in XLSX templates.
const HELP_SHEET: &str = "Hướng dẫn";
/// Used when the requested sheet name has nothing usable in it.
const DEFAULT_SHEET: &str = "Dữ liệu";
/// Excel's limits.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;
const MAX_CELL_CHARS: usize = 32_767;
const MAX_SHEET_NAME_UNITS: usize = 31;
/// Column widths, in characters.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;
/// Integers longer than this lose precision as Excel numbers and stay text.
const MAX_NUMBER_DIGITS: usize = 15;
/// Header fill colour (light blue).
const HEADER_FILL: u32 = 0xDDEBF7;

/// Writes `rows` (each in `columns` order) under a header row of [`Column::header`]s.
///
/// CSV: UTF-8 with a byte order mark (so Excel shows Vietnamese correctly), comma
/// delimiter, CRLF line ends; values that Excel would run as formulas (starting with `=`,
/// `+`, `-` or `@` and not a number) get a protective leading `'`, which
/// [`read`](crate::read) removes again.
///
/// XLSX: one worksheet named after `sheet_name` (characters Excel forbids removed, at most
/// 31 characters), a bold filled header row that stays frozen, an autofilter and column
/// widths fitted to the content. Integers without a leading zero (up to 15 digits) are
/// written as numbers so that sums work; everything else, including codes such as `00097`,
/// is written as text.
///
/// Rows shorter than `columns` leave the remaining cells empty; extra values are ignored.
pub fn write(format: Format, sheet_name: &str, columns: &[Column], rows: &[Vec<String>]) -> Vec<u8> {
    let headers: Vec<&str> = columns.iter().map(|c| c.header).collect();
    write_headed(format, sheet_name, &headers, rows)
}

/// [`write`] under headers known only at run time (a statistics table whose columns are
/// the kinds a province defined).
pub fn write_headed(format: Format, sheet_name: &str, headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    match format {
        Format::Csv => write_csv(headers, rows),
        Format::Xlsx => write_xlsx(sheet_name, headers, rows, None),
    }
}

/// An empty file for users to fill in: the header row only. XLSX templates format the data
/// columns as text (so codes keep their leading zeros) and add a second worksheet,
/// “Hướng dẫn”, describing each column: header, whether it is required, guidance and the
/// other accepted headers.
pub fn template(format: Format, sheet_name: &str, columns: &[Column]) -> Vec<u8> {
    match format {
        Format::Csv => write(format, sheet_name, columns, &[]),
        Format::Xlsx => {
            let headers: Vec<&str> = columns.iter().map(|c| c.header).collect();
            write_xlsx(sheet_name, &headers, &[], Some(columns))
        }
    }
}

// ---------------------------------------------------------------------------------------
// CSV

fn write_csv(columns: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + rows.len() * columns.len() * 12);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    csv_record(&mut out, columns.iter().copied());
    for row in rows {
        let cells = (0..columns.len()).map(|i| row.get(i).map_or("", String::as_str));
        csv_record(&mut out, cells);
    }
    out
}

fn csv_record<'a>(out: &mut Vec<u8>, cells: impl Iterator<Item = &'a str>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let guard = formula_like(cell);
        if guard || cell.contains([',', '"', '\r', '\n']) {
            out.push(b'"');
            if guard {
                out.push(b'\'');
            }
            for b in cell.bytes() {
                if b == b'"' {
                    out.push(b'"');
                }
                out.push(b);
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// Whether a spreadsheet program opening a CSV file would evaluate this value as a
/// formula.
fn formula_like(s: &str) -> bool {
    match s.as_bytes() {
        [b'\t' | b'\r', ..] => true,
        [b'=' | b'+' | b'-' | b'@', _, ..] => !is_plain_number(s),
        _ => false,
    }
}

/// `-12`, `+3.5`, `0.25`: an optional sign, digits and at most one decimal point.
fn is_plain_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(s.ends_with('.'))
}

// ---------------------------------------------------------------------------------------
// XLSX

/// Integers written as numbers: no leading zero (other than `0` itself), no `+`, at most
/// 15 digits.
fn plain_integer(s: &str) -> Option<f64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let ok = match digits.as_bytes() {
        [b'0'] => digits.len() == s.len(),
        [b'1'..=b'9', rest @ ..] => rest.iter().all(u8::is_ascii_digit) && digits.len() <= MAX_NUMBER_DIGITS,
        _ => false,
    };
    if ok { s.parse::<i64>().ok().map(|n| n as f64) } else { None }
}

/// A valid Excel sheet name: forbidden characters and surrounding apostrophes removed, at
/// most 31 UTF-16 units, never blank.
pub(crate) fn sheet_title(name: &str) -> String {
    let cleaned: String =
        name.chars().filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') && !c.is_control()).collect();
    let trim = |s: &str| s.trim_matches(|c: char| c == '\'' || c.is_whitespace()).to_owned();
    let mut out = String::new();
    let mut units = 0;
    for c in trim(&cleaned).chars() {
        units += c.len_utf16();
        if units > MAX_SHEET_NAME_UNITS {
            break;
        }
        out.push(c);
    }
    let out = trim(&out);
    if out.is_empty() || out.eq_ignore_ascii_case("history") { DEFAULT_SHEET.to_owned() } else { out }
}

fn truncate_cell(s: &str) -> &str {
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn header_format() -> CellFormat {
    CellFormat::new()
        .set_bold()
        .set_background_color(Color::RGB(HEADER_FILL))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
}

/// `help`: the template's columns, described on a second sheet (and the data columns
/// formatted as text).
fn write_xlsx(sheet_name: &str, columns: &[&str], rows: &[Vec<String>], help: Option<&[Column]>) -> Vec<u8> {
    let template = help.is_some();
    let columns = &columns[..columns.len().min(MAX_COLUMNS)];
    let rows = &rows[..rows.len().min(MAX_ROWS - 1)];
    let title = sheet_title(sheet_name);
    let mut workbook = Workbook::new();
    let header = header_format();

    // Cell writes below stay within Excel's limits, so they cannot fail; any error would
    // only leave a cell empty.
    let sheet = workbook.add_worksheet();
    let _ = sheet.set_name(&title);
    let number = CellFormat::new().set_num_format("0");
    for (c, column) in columns.iter().enumerate() {
        let _ = sheet.write_string_with_format(0, c as u16, *column, &header);
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, value) in row.iter().take(columns.len()).enumerate() {
            if value.is_empty() {
                continue;
            }
            let _ = match plain_integer(value) {
                Some(n) => sheet.write_number_with_format(r, c as u16, n, &number),
                None => sheet.write_string(r, c as u16, truncate_cell(value)),
            };
        }
    }
    let text = CellFormat::new().set_num_format("@");
    for (c, column) in columns.iter().enumerate() {
        let longest = rows
            .iter()
            .filter_map(|row| row.get(c))
            .map(|v| v.chars().count())
            .max()
            .unwrap_or(0)
            .max(column.chars().count() + 2);
        let _ = sheet.set_column_width(c as u16, (longest + 2).clamp(MIN_WIDTH, MAX_WIDTH) as f64);
        if template {
            let _ = sheet.set_column_format(c as u16, &text);
        }
    }
    let _ = sheet.set_freeze_panes(1, 0);
    if !columns.is_empty() {
        let _ = sheet.autofilter(0, 0, rows.len() as u32, (columns.len() - 1) as u16);
    }

    if let Some(columns) = help {
        let help_name =
            if title.to_lowercase() == HELP_SHEET.to_lowercase() { "Hướng dẫn nhập" } else { HELP_SHEET };
        let help = workbook.add_worksheet();
        let _ = help.set_name(help_name);
        write_help(help, &title, columns, &header);
    }

    workbook.save_to_buffer().expect("an in-memory workbook within Excel's limits always saves")
}

/// Fills the template's help sheet.
fn write_help(sheet: &mut Worksheet, data_sheet: &str, columns: &[Column], header: &CellFormat) {
    let wrap = CellFormat::new().set_text_wrap().set_align(FormatAlign::Top);
    let required = wrap.clone().set_bold();
    let titles = [("Tên cột", 28.0), ("Bắt buộc", 16.0), ("Hướng dẫn", 70.0), ("Tên cột khác được chấp nhận", 36.0)];
    for (c, (title, width)) in titles.iter().enumerate() {
        let _ = sheet.write_string_with_format(0, c as u16, *title, header);
        let _ = sheet.set_column_width(c as u16, *width);
    }
    for (i, column) in columns.iter().enumerate() {
        let r = i as u32 + 1;
        let _ = sheet.write_string_with_format(r, 0, column.header, &required);
        let _ = if column.required {
            sheet.write_string_with_format(r, 1, "bắt buộc", &required)
        } else {
            sheet.write_string_with_format(r, 1, "không bắt buộc", &wrap)
        };
        let _ = sheet.write_string_with_format(r, 2, column.help, &wrap);
        let _ = sheet.write_string_with_format(r, 3, column.aliases.join(", "), &wrap);
    }
    let notes = [
        format!(
            "Nhập dữ liệu vào trang “{data_sheet}”: dòng 1 là dòng tiêu đề, mỗi dòng tiếp theo là một bản ghi."
        ),
        "Tên cột không phân biệt chữ hoa, chữ thường và dấu tiếng Việt (ví dụ “Mã xã”, “ma xa”, “MA XA” đều được chấp nhận); các cột không có trong bảng trên sẽ được bỏ qua.".to_owned(),
        "Dòng để trống sẽ được bỏ qua. Các ô mã (ví dụ mã xã “00097”) cần giữ định dạng Văn bản để không mất số 0 ở đầu.".to_owned(),
        "Có thể lưu tệp dưới dạng Excel (.xlsx) hoặc CSV UTF-8.".to_owned(),
    ];
    let first = columns.len() as u32 + 2;
    for (i, note) in notes.iter().enumerate() {
        let _ = sheet.write_string(first + i as u32, 0, note.as_str());
    }
    let _ = sheet.set_freeze_panes(1, 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_written_as_numbers() {
        assert_eq!(plain_integer("1234"), Some(1234.0));
        assert_eq!(plain_integer("0"), Some(0.0));
        assert_eq!(plain_integer("-42"), Some(-42.0));
        assert_eq!(plain_integer("00097"), None);
        assert_eq!(plain_integer("-0"), None);
        assert_eq!(plain_integer("+5"), None);
        assert_eq!(plain_integer("1.5"), None);
        assert_eq!(plain_integer(""), None);
        assert_eq!(plain_integer("1234567890123456"), None);
        assert_eq!(plain_integer("12a"), None);
    }

    #[test]
    fn sheet_titles() {
        assert_eq!(sheet_title("Khu dân cư"), "Khu dân cư");
        assert_eq!(sheet_title("a/b[c]:d*e?f\\g"), "abcdefg");
        assert_eq!(sheet_title("'x'"), "x");
        assert_eq!(sheet_title("  "), DEFAULT_SHEET);
        assert_eq!(sheet_title("History"), DEFAULT_SHEET);
        let long = sheet_title(&"Tổ dân phố ".repeat(10));
        assert_eq!(long.chars().count(), 31);
        assert!(rust_xlsxwriter::utility::check_sheet_name(&long).is_ok());
        assert!(rust_xlsxwriter::utility::check_sheet_name(&sheet_title("a' ' b ' / ")).is_ok());
    }

    #[test]
    fn formula_guard() {
        assert!(formula_like("=1+1"));
        assert!(formula_like("@SUM(A1)"));
        assert!(formula_like("+84905123456x"));
        assert!(!formula_like("-5"));
        assert!(!formula_like("-1.25"));
        assert!(!formula_like("-"));
        assert!(!formula_like("Khánh Hòa"));
        assert!(!is_plain_number("1."));
        assert!(!is_plain_number("-inf"));
    }

    #[test]
    fn csv_output() {
        static COLS: [Column; 2] = [
            Column { key: "code", header: "Mã xã", aliases: &[], required: true, help: "" },
            Column { key: "name", header: "Tên", aliases: &[], required: false, help: "" },
        ];
        let out = write(Format::Csv, "x", &COLS, &[vec!["00097".into(), "Tổ 5, \"A\"".into()], vec!["=cmd".into()]]);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "\u{feff}Mã xã,Tên\r\n00097,\"Tổ 5, \"\"A\"\"\"\r\n\"'=cmd\",\r\n");
        let t = String::from_utf8(template(Format::Csv, "x", &COLS)).unwrap();
        assert_eq!(t, "\u{feff}Mã xã,Tên\r\n");
    }
}
