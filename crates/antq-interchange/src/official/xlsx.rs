//! The report's tables as XLSX, ready to print on A4: the decree's header (issuing body and
//! number beside the national title, motto, place and date), the title, every section with a
//! two-row merged header, the free-text parts, recipients and signature.

use antq_domain::official::{Compare, Document};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::{body_parts, intro, line_numbers, row_cells};

const FONT: &str = "Times New Roman";
const LAST_COL: u16 = 4;

fn base(size: f64) -> Format {
    Format::new().set_font_name(FONT).set_font_size(size).set_text_wrap().set_align(FormatAlign::VerticalCenter)
}

fn centred(size: f64) -> Format {
    base(size).set_align(FormatAlign::Center)
}

/// Formats used on the sheet.
struct Formats {
    header: Format,
    header_bold: Format,
    date: Format,
    title: Format,
    heading: Format,
    text: Format,
    th: Format,
    td: Format,
    td_centre: Format,
    sign: Format,
    small: Format,
    small_bold: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = |f: Format| f.set_border(FormatBorder::Thin);
        Formats {
            header: centred(12.0),
            header_bold: centred(12.0).set_bold(),
            date: centred(13.0).set_italic(),
            title: centred(14.0).set_bold(),
            heading: base(13.0).set_bold(),
            text: base(13.0).set_align(FormatAlign::Justify),
            th: cell(centred(12.0).set_bold()),
            td: cell(base(12.0)),
            td_centre: cell(centred(12.0)),
            sign: centred(13.0).set_bold(),
            small: base(11.0),
            small_bold: base(12.0).set_bold().set_italic(),
        }
    }
}

/// A paragraph over the whole width, its row tall enough for its lines.
fn paragraph(ws: &mut Worksheet, row: u32, text: &str, f: &Format) -> Result<(), XlsxError> {
    ws.merge_range(row, 0, row, LAST_COL, text, f)?;
    let lines = (text.chars().count() / 95 + 1) as f64;
    ws.set_row_height(row, 17.0 * lines)?;
    Ok(())
}

fn write(d: &Document) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let p = &d.parts;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Báo cáo")?;
    ws.set_paper_size(9).set_portrait().set_margins(1.2, 0.6, 0.8, 0.8, 0.3, 0.3).set_print_fit_to_pages(1, 0);
    ws.set_header("&C&P");
    for (c, w) in [(0, 6.0), (1, 46.0), (2, 16.0), (3, 16.0), (4, 16.0)] {
        ws.set_column_width(c, w)?;
    }
    // The header of Nghị định 30/2020, two columns.
    ws.merge_range(0, 0, 0, 1, &p.issuer_parent.to_uppercase(), &f.header)?;
    ws.merge_range(1, 0, 1, 1, &p.issuer.to_uppercase(), &f.header_bold)?;
    let number = if p.number.trim().is_empty() { "Số:       /BC".to_string() } else { format!("Số: {}", p.number) };
    ws.merge_range(2, 0, 2, 1, &number, &f.header)?;
    ws.merge_range(0, 2, 0, LAST_COL, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &f.header_bold)?;
    ws.merge_range(1, 2, 1, LAST_COL, "Độc lập - Tự do - Hạnh phúc", &f.header_bold)?;
    ws.merge_range(2, 2, 2, LAST_COL, &d.place_date(), &f.date)?;
    ws.set_row_height(1, 32.0)?;
    let mut row = 4;
    let title =
        if d.state == antq_domain::official::OfficialState::Draft { "BÁO CÁO (DỰ THẢO)" } else { "BÁO CÁO" };
    ws.merge_range(row, 0, row, LAST_COL, title, &f.title)?;
    paragraph(ws, row + 1, &p.subject, &f.title)?;
    paragraph(ws, row + 2, &intro(d), &f.text)?;
    row += 4;
    paragraph(ws, row, "I. KẾT QUẢ THỰC HIỆN", &f.heading)?;
    row += 1;
    for (i, s) in d.sections.iter().enumerate() {
        paragraph(ws, row, &format!("{}. {}", i + 1, s.heading), &f.heading)?;
        row += 1;
        if !s.text.is_empty() {
            paragraph(ws, row, &s.text, &f.text)?;
            row += 1;
        }
        // Two header rows: TT, content and the comparison span both; the figures share one
        // heading above their two columns.
        let [cur, against, change] = s.columns();
        let group = match s.compare {
            Compare::PreviousYear => format!("Số liệu ({} / {})", d.period.label(), d.previous.label()),
            Compare::Target => "Số liệu".to_string(),
        };
        ws.merge_range(row, 0, row + 1, 0, "TT", &f.th)?;
        ws.merge_range(row, 1, row + 1, 1, "Nội dung", &f.th)?;
        ws.merge_range(row, 2, row, 3, &group, &f.th)?;
        ws.write_string_with_format(row + 1, 2, cur, &f.th)?;
        ws.write_string_with_format(row + 1, 3, against, &f.th)?;
        ws.merge_range(row, 4, row + 1, 4, change, &f.th)?;
        ws.set_row_height(row, 32.0)?;
        row += 2;
        for (l, (cells, level)) in s.lines.iter().zip(row_cells(s)) {
            ws.write_string_with_format(row, 0, &cells[0], &f.td_centre)?;
            let label = if level > 0 { format!("- {}", cells[1]) } else { cells[1].clone() };
            ws.write_string_with_format(row, 1, &label, &f.td.clone().set_indent(level))?;
            for (k, (v, num)) in line_numbers(l).into_iter().enumerate() {
                ws.write_number_with_format(row, 2 + k as u16, v, &f.td.clone().set_num_format(num))?;
            }
            ws.write_string_with_format(row, 4, &cells[4], &f.td_centre)?;
            row += 1;
        }
        row += 1;
    }
    for (title, paras) in body_parts(d) {
        paragraph(ws, row, &title, &f.heading)?;
        row += 1;
        for t in paras {
            paragraph(ws, row, &t, &f.text)?;
            row += 1;
        }
    }
    // Recipients on the left, the signature on the right.
    row += 1;
    let sign_top = row;
    ws.merge_range(row, 0, row, 1, "Nơi nhận:", &f.small_bold)?;
    for (k, r) in p.recipient_list().iter().enumerate() {
        ws.merge_range(row + 1 + k as u32, 0, row + 1 + k as u32, 1, r, &f.small)?;
    }
    let mut r = sign_top;
    if !p.signer_authority.is_empty() {
        ws.merge_range(r, 2, r, LAST_COL, &p.signer_authority.to_uppercase(), &f.sign)?;
        r += 1;
    }
    ws.merge_range(r, 2, r, LAST_COL, &p.signer_title.to_uppercase(), &f.sign)?;
    ws.merge_range(r + 4, 2, r + 4, LAST_COL, &p.signer_name, &f.sign)?;
    wb.save_to_buffer()
}

/// The report's tables as XLSX bytes.
pub fn xlsx(d: &Document) -> Vec<u8> {
    write(d).expect("the layout stays within the sheet's limits")
}
