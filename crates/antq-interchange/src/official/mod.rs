//! The official movement report as files: the PDF per Nghị định 30/2020/NĐ-CP and the XLSX of
//! the same tables. Both walk the document's sections, so a module that adds a section needs
//! no change here.

use antq_domain::official::{Amount, Document, Line, PeriodKind, Section};

mod pdf;
mod xlsx;

pub use pdf::pdf;
pub use xlsx::xlsx;

/// The opening paragraph.
pub(crate) fn intro(d: &Document) -> String {
    let what = match d.period.kind {
        PeriodKind::HalfYear => "sơ kết",
        PeriodKind::Year => "tổng kết",
    };
    let mut unit = d.unit_name.chars();
    let unit: String = unit.next().map(|c| c.to_lowercase().chain(unit).collect()).unwrap_or_default();
    format!(
        "Thực hiện chế độ báo cáo định kỳ, báo cáo {what} phong trào Toàn dân bảo vệ an ninh Tổ quốc {} của {unit}, \
         so sánh với cùng kỳ {}, như sau:",
        d.period.label(),
        d.previous.label(),
    )
}

/// The rows of a section's table: TT, label, the three values, and the line's level.
pub(crate) fn row_cells(s: &Section) -> Vec<([String; 5], u8)> {
    let mut n = 0;
    s.lines
        .iter()
        .map(|l| {
            let tt = if l.level == 0 {
                n += 1;
                n.to_string()
            } else {
                String::new()
            };
            ([tt, l.label.clone(), l.current_text(), l.previous_text(), s.change(l)], l.level)
        })
        .collect()
}

/// The free-text parts of the body with their headings, empty ones left out; each a list of
/// paragraphs.
pub(crate) fn body_parts(d: &Document) -> Vec<(String, Vec<String>)> {
    let p = &d.parts;
    [
        ("II. ĐÁNH GIÁ CHUNG", &p.assessment),
        ("III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", &p.limitations),
        ("IV. PHƯƠNG HƯỚNG, NHIỆM VỤ", &p.tasks),
    ]
    .into_iter()
    .filter(|(_, t)| !t.trim().is_empty())
    .map(|(h, t)| (h.to_string(), t.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect()))
    .collect()
}

/// A value as a spreadsheet number and its format: counts and đồng as they are, percentages
/// as fractions.
pub(crate) fn cell_number(amount: Amount, v: i64) -> (f64, &'static str) {
    match amount {
        Amount::Count => (v as f64, "#,##0"),
        Amount::Vnd => (v as f64, "#,##0\" đ\""),
        Amount::PercentMilli => (v as f64 / 100_000.0, "0.0%"),
    }
}

/// The line's values for the spreadsheet.
pub(crate) fn line_numbers(l: &Line) -> [(f64, &'static str); 2] {
    [cell_number(l.amount, l.current), cell_number(l.amount, l.previous)]
}

#[cfg(test)]
pub(crate) mod tests {
    use antq_domain::official::{Compare, Line, OfficialState, Parts, Period};
    use chrono::NaiveDate;

    use super::*;

    /// A small document with a section of each comparison.
    pub(crate) fn sample() -> Document {
        let period = Period::parse("2026-6t").unwrap();
        let line = |code: &str, label: &str, level, amount, current, previous| Line {
            code: code.into(),
            label: label.into(),
            level,
            amount,
            current,
            previous,
        };
        Document {
            unit_code: "56".into(),
            unit_name: "Tỉnh Khánh Hòa".into(),
            previous: period.previous(),
            period,
            parts: Parts {
                issuer_parent: "BỘ CÔNG AN".into(),
                issuer: "CÔNG AN TỈNH KHÁNH HÒA".into(),
                number: "125/BC-CAT-PV05".into(),
                place_name: "Khánh Hòa".into(),
                subject: "Sơ kết phong trào \"Toàn dân\" #bảo vệ ANTQ".into(),
                assessment: "Phong trào được duy trì.\nỨng dụng Ư ư Ơ ơ Ă ă Â â Đ đ ỹ ỷ ự ừ ẫ ậ ố.".into(),
                recipients: "- Bộ Công an;\n- Lưu: VT.".into(),
                signer_authority: "KT. GIÁM ĐỐC".into(),
                signer_title: "PHÓ GIÁM ĐỐC".into(),
                signer_name: "Nguyễn Văn An".into(),
                ..Parts::default()
            },
            dated: NaiveDate::from_ymd_opt(2026, 7, 5).unwrap(),
            state: OfficialState::Issued,
            sections: vec![
                Section {
                    code: "reports".into(),
                    heading: "Tiếp nhận tin báo".into(),
                    text: "Trong 6 tháng đầu năm 2026, toàn tỉnh tiếp nhận 1.534 tin.".into(),
                    compare: Compare::PreviousYear,
                    lines: vec![
                        line("received", "Tin báo tiếp nhận", 0, Amount::Count, 1534, 1420),
                        line("rate", "Tỷ lệ đúng hạn", 1, Amount::PercentMilli, 87_500, 80_000),
                        line("cash", "Tiền thưởng", 0, Amount::Vnd, 1_500_000_000, 0),
                    ],
                },
                Section {
                    code: "targets".into(),
                    heading: "Chỉ tiêu".into(),
                    text: String::new(),
                    compare: Compare::Target,
                    lines: vec![line("x", "Mô hình mới", 0, Amount::Count, 17, 20)],
                },
            ],
        }
    }

    #[test]
    fn pdf_and_xlsx_are_made() {
        let d = sample();
        let pdf = pdf(&d).unwrap();
        assert!(pdf.starts_with(b"%PDF"), "a PDF");
        let x = xlsx(&d);
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(x)).unwrap();
        assert!(!wb.merge_cells_by_sheet_name("Báo cáo").unwrap().is_empty());
        if let Ok(dir) = std::env::var("ANTQ_SAMPLE_DIR") {
            std::fs::write(format!("{dir}/sample.pdf"), pdf).unwrap();
        }
    }
}
