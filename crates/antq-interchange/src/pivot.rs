//! A pivot table as XLSX: the title over the whole width, the rows' header and the total each
//! merged over the two header rows, the columns' dimension merged over its keys.

use antq_domain::table::StatTable;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

fn write(t: &StatTable, col_header: &str, row_totals: &[i64]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Bảng tổng hợp")?;
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let title = Format::new().set_bold().set_font_size(13).set_align(FormatAlign::Center);
    let num = Format::new().set_num_format("#,##0").set_border(FormatBorder::Thin);
    let label = Format::new().set_border(FormatBorder::Thin);
    let bold_num = num.clone().set_bold();
    let n = t.columns.len() as u16;
    let last = n + 1;
    ws.set_column_width(0, 36)?;
    ws.merge_range(0, 0, 0, last.max(1), &t.title, &title)?;
    ws.merge_range(1, 0, 2, 0, &t.row_header, &head)?;
    if n > 1 {
        ws.merge_range(1, 1, 1, n, col_header, &head)?;
    } else if n == 1 {
        ws.write_string_with_format(1, 1, col_header, &head)?;
    }
    ws.merge_range(1, last, 2, last, "Tổng", &head)?;
    for (i, c) in t.columns.iter().enumerate() {
        ws.write_string_with_format(2, 1 + i as u16, &c.label, &head)?;
        ws.set_column_width(1 + i as u16, 14)?;
    }
    ws.set_column_width(last, 14)?;
    let mut row = 3;
    for (r, total) in t.rows.iter().zip(row_totals) {
        ws.write_string_with_format(row, 0, &r.label, &label)?;
        for (i, v) in r.values.iter().enumerate() {
            ws.write_number_with_format(row, 1 + i as u16, *v as f64, &num)?;
        }
        ws.write_number_with_format(row, last, *total as f64, &bold_num)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, "Tổng cộng", &head)?;
    for (i, v) in t.totals.iter().enumerate() {
        ws.write_number_with_format(row, 1 + i as u16, *v as f64, &bold_num)?;
    }
    ws.write_number_with_format(row, last, row_totals.iter().sum::<i64>() as f64, &bold_num)?;
    wb.save_to_buffer()
}

/// The pivot's bytes.
pub fn pivot_xlsx(t: &StatTable, col_header: &str, row_totals: &[i64]) -> Vec<u8> {
    write(t, col_header, row_totals).expect("a pivot stays within the sheet's limits")
}
