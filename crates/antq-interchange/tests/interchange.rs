//! End-to-end tests of reading and writing CSV and XLSX files.

use antq_interchange::{Column, Format, RawRow, ReadError, read, template, write};
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format as CellFormat, Workbook};

static COLUMNS: [Column; 4] = [
    Column {
        key: "commune_code",
        header: "Mã xã",
        aliases: &["ma xa", "commune code"],
        required: true,
        help: "Mã đơn vị hành chính cấp xã, 5 chữ số.",
    },
    Column {
        key: "name",
        header: "Tên khu dân cư",
        aliases: &["Tên"],
        required: true,
        help: "Tên đầy đủ của khu dân cư.",
    },
    Column { key: "province", header: "Tỉnh", aliases: &[], required: false, help: "Tên tỉnh, thành phố." },
    Column {
        key: "households",
        header: "Số hộ",
        aliases: &["so ho gia dinh"],
        required: false,
        help: "Số hộ gia đình.",
    },
];

fn csv(text: &str) -> Result<Vec<RawRow>, ReadError> {
    read(text.as_bytes(), Format::Csv, &COLUMNS, 1000)
}

fn rows_of(rows: &[RawRow]) -> Vec<(usize, Vec<(&str, &str)>)> {
    rows.iter()
        .map(|r| {
            let mut v: Vec<(&str, &str)> = r.values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            v.sort();
            (r.row, v)
        })
        .collect()
}

fn xlsx_bytes(build: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut wb = Workbook::new();
    build(wb.add_worksheet());
    wb.save_to_buffer().unwrap()
}

#[test]
fn header_aliases_with_and_without_diacritics() {
    for header in [
        "Mã xã,Tên khu dân cư",
        "ma xa,ten khu dan cu",
        "MA XA,TÊN KHU DÂN CƯ",
        "Ma Xa,Tên",
        "commune_code,name",
        "Commune Code, tên  khu dân   cư ",
    ] {
        let rows = csv(&format!("{header}\n00097,Tổ dân phố số 5\n")).unwrap_or_else(|e| panic!("{header:?}: {e}"));
        assert_eq!(rows.len(), 1, "{header:?}");
        assert_eq!(rows[0].get("commune_code"), Some("00097"), "{header:?}");
        assert_eq!(rows[0].get("name"), Some("Tổ dân phố số 5"), "{header:?}");
    }
}

#[test]
fn unknown_headers_ignored_and_absent_columns_absent() {
    let rows = csv("STT,Mã xã,Ghi chú,Tên khu dân cư\n1,00097,abc,  Khu 1  \n").unwrap();
    assert_eq!(rows_of(&rows), vec![(2, vec![("commune_code", "00097"), ("name", "Khu 1")])]);
    assert_eq!(rows[0].get("province"), None);
}

#[test]
fn empty_cells_are_absent() {
    let rows = csv("Mã xã,Tên khu dân cư,Tỉnh\n00097,Khu 1,   \n").unwrap();
    assert_eq!(rows[0].get("province"), None);
    assert!(!rows[0].values.contains_key("province"));
}

#[test]
fn missing_required_columns_are_all_listed() {
    let err = csv("Tỉnh,Số hộ\nKhánh Hòa,5\n").unwrap_err();
    assert_eq!(err, ReadError::MissingColumns(vec!["Mã xã".into(), "Tên khu dân cư".into()]));
    assert_eq!(err.to_string(), "Thiếu cột bắt buộc: Mã xã, Tên khu dân cư");
    assert_eq!(csv("Mã xã\n1\n").unwrap_err(), ReadError::MissingColumns(vec!["Tên khu dân cư".into()]));
}

#[test]
fn duplicate_column_rejected() {
    assert_eq!(csv("Mã xã,Tên khu dân cư,MA XA\n1,2,3\n").unwrap_err(), ReadError::DuplicateColumn("Mã xã".into()));
}

#[test]
fn empty_file_has_no_header() {
    assert_eq!(csv("").unwrap_err(), ReadError::Empty);
    assert_eq!(csv("\u{feff}\r\n\r\n ;; \n").unwrap_err(), ReadError::Empty);
    let xlsx = xlsx_bytes(|_| {});
    assert_eq!(read(&xlsx, Format::Xlsx, &COLUMNS, 10).unwrap_err(), ReadError::Empty);
}

#[test]
fn header_only_gives_no_rows() {
    assert!(csv("Mã xã,Tên khu dân cư\n").unwrap().is_empty());
}

#[test]
fn bom_and_semicolon_delimiter() {
    let bytes = "\u{feff}Mã xã;Tên khu dân cư;Tỉnh\r\n00097;\"Tổ dân phố số 5; khu A\";Khánh Hòa\r\n00100;Khu 2;\r\n";
    let rows = csv(bytes).unwrap();
    assert_eq!(
        rows_of(&rows),
        vec![
            (2, vec![("commune_code", "00097"), ("name", "Tổ dân phố số 5; khu A"), ("province", "Khánh Hòa"),]),
            (3, vec![("commune_code", "00100"), ("name", "Khu 2")]),
        ]
    );
}

#[test]
fn tab_delimiter_and_flexible_records() {
    let rows = csv("Mã xã\tTên khu dân cư\tTỉnh\n00097\tKhu 1\n00098\tKhu 2\tHuế\textra\n").unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].get("province"), None);
    assert_eq!(rows[1].get("province"), Some("Huế"));
}

#[test]
fn utf16_csv_with_bom_is_understood() {
    let text = "Mã xã\tTên khu dân cư\r\n00097\tKhánh Hòa\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let rows = read(&bytes, Format::Csv, &COLUMNS, 10).unwrap();
    assert_eq!(rows[0].get("name"), Some("Khánh Hòa"));
}

#[test]
fn csv_empty_rows_skipped_but_counted() {
    let text = "\nMã xã,Tên khu dân cư\n00097,Khu 1\n\n,,\n  ,  \n00098,\"Khu\n2\"\n00099,Khu 3\n";
    let rows = csv(text).unwrap();
    // Line 1 is blank, the header is row 2; rows 4–6 are empty; the quoted field spans
    // two lines but one spreadsheet row.
    assert_eq!(
        rows_of(&rows),
        vec![
            (3, vec![("commune_code", "00097"), ("name", "Khu 1")]),
            (7, vec![("commune_code", "00098"), ("name", "Khu\n2")]),
            (8, vec![("commune_code", "00099"), ("name", "Khu 3")]),
        ]
    );
}

#[test]
fn csv_crlf_row_numbers() {
    let text = "Mã xã,Tên khu dân cư\r\n\r\n00097,Khu 1\r\n";
    assert_eq!(csv(text).unwrap()[0].row, 3);
}

#[test]
fn invalid_utf8_csv_is_unreadable_with_advice() {
    let mut bytes = "Mã xã,Tên khu dân cư\n00097,".as_bytes().to_vec();
    bytes.extend_from_slice(b"Kh\xe1nh H\xf2a\n"); // Windows-1258 style bytes
    let err = read(&bytes, Format::Csv, &COLUMNS, 10).unwrap_err();
    let ReadError::Unreadable(msg) = &err else {
        panic!("expected Unreadable, got {err:?}");
    };
    assert!(msg.contains("Lưu tệp CSV với mã hóa UTF-8"), "{msg}");
    assert!(msg.contains("dòng 2"), "{msg}");
}

#[test]
fn garbage_is_unreadable() {
    let mut garbage = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..10_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        garbage.push((x >> 16) as u8);
    }
    for format in [Format::Csv, Format::Xlsx] {
        assert!(matches!(read(&garbage, format, &COLUMNS, 10), Err(ReadError::Unreadable(_))), "{format:?}");
    }
    // ZIP magic followed by junk.
    let mut fake = b"PK\x03\x04".to_vec();
    fake.extend_from_slice(&garbage);
    assert!(matches!(read(&fake, Format::Xlsx, &COLUMNS, 10), Err(ReadError::Unreadable(_))));
    // An XLSX read as CSV, and a legacy .xls signature.
    let xlsx = write(Format::Xlsx, "x", &COLUMNS, &[]);
    assert!(matches!(read(&xlsx, Format::Csv, &COLUMNS, 10), Err(ReadError::Unreadable(_))));
    let xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest of an old workbook";
    for format in [Format::Csv, Format::Xlsx] {
        let err = read(xls, format, &COLUMNS, 10).unwrap_err();
        assert!(err.to_string().contains(".xls"), "{err}");
    }
}

#[test]
fn truncated_xlsx_is_unreadable() {
    let xlsx = write(Format::Xlsx, "x", &COLUMNS, &[vec!["00097".into(), "Khu 1".into()]]);
    for len in [10, 100, xlsx.len() / 2, xlsx.len() - 10] {
        assert!(
            matches!(read(&xlsx[..len], Format::Xlsx, &COLUMNS, 10), Err(ReadError::Unreadable(_))),
            "truncated to {len}"
        );
    }
}

/// A stored (uncompressed) ZIP archive holding the given files.
fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let mut common = Vec::new();
        common.extend_from_slice(&20u16.to_le_bytes()); // version needed
        common.extend_from_slice(&0u16.to_le_bytes()); // flags
        common.extend_from_slice(&0u16.to_le_bytes()); // stored
        common.extend_from_slice(&0u32.to_le_bytes()); // time, date
        common.extend_from_slice(&crc.to_le_bytes());
        common.extend_from_slice(&size.to_le_bytes());
        common.extend_from_slice(&size.to_le_bytes());
        common.extend_from_slice(&(name.len() as u16).to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes()); // extra
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&common);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        central.extend_from_slice(&common);
        central.extend_from_slice(&[0; 10]); // comment len, disk, attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn zip_that_is_not_xlsx_is_unreadable() {
    let z = zip(&[("hello.txt", b"xin chao"), ("docs/readme.md", b"# README")]);
    assert_eq!(Format::detect(&z), Format::Xlsx);
    let err = read(&z, Format::Xlsx, &COLUMNS, 10).unwrap_err();
    assert!(matches!(err, ReadError::Unreadable(_)), "{err:?}");
}

#[test]
fn xlsx_with_broken_sheet_xml_is_unreadable() {
    // A minimal hand-made workbook (inline strings, no styles), valid or not.
    let content_types = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let wb_rels = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let sheet_ok = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Mã xã</t></is></c><c r="B1" t="inlineStr"><is><t>Tên khu dân cư</t></is></c><c r="C1" t="inlineStr"><is><t>Tỉnh</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>00097</t></is></c><c r="B2" t="inlineStr"><is><t>Khu 1</t></is></c><c r="C2" t="e"><v>#DIV/0!</v></c></row></sheetData></worksheet>"#.as_bytes();
    let sheet_bad = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Mã xã</t></is></c><c r="ZZZZZZZ99999999999" t="n"><v>abc</v>"#.as_bytes();
    let files = |sheet: &'static [u8]| {
        zip(&[
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", rels),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", wb_rels),
            ("xl/worksheets/sheet1.xml", sheet),
        ])
    };
    // The hand-made workbook is valid when its sheet is (the error cell reads as empty)…
    let rows = read(&files(sheet_ok), Format::Xlsx, &COLUMNS, 10).unwrap();
    assert_eq!(rows_of(&rows), vec![(2, vec![("commune_code", "00097"), ("name", "Khu 1")])]);
    // …and unreadable when it is not.
    let err = read(&files(sheet_bad), Format::Xlsx, &COLUMNS, 10).unwrap_err();
    assert!(matches!(err, ReadError::Unreadable(_)), "{err:?}");
}

#[test]
fn huge_line_does_not_panic() {
    let mut text = String::from("Mã xã,Tên khu dân cư\n00097,");
    text.push_str(&"a".repeat(5_000_000));
    text.push('\n');
    let rows = csv(&text).unwrap();
    assert_eq!(rows[0].get("name").map(str::len), Some(5_000_000));
    let header_only = "x,".repeat(2_000_000);
    assert!(matches!(csv(&header_only), Err(ReadError::MissingColumns(_))));
}

#[test]
fn too_many_rows() {
    let mut text = String::from("Mã xã,Tên khu dân cư\n");
    for i in 0..11 {
        text.push_str(&format!("{i:05},Khu {i}\n\n"));
    }
    let bytes = text.as_bytes();
    assert_eq!(read(bytes, Format::Csv, &COLUMNS, 10).unwrap_err(), ReadError::TooManyRows(10));
    // Empty rows do not count against the limit.
    assert_eq!(read(bytes, Format::Csv, &COLUMNS, 11).unwrap().len(), 11);

    let rows: Vec<Vec<String>> = (0..11).map(|i| vec![format!("{i:05}"), format!("Khu {i}")]).collect();
    let xlsx = write(Format::Xlsx, "x", &COLUMNS, &rows);
    assert_eq!(read(&xlsx, Format::Xlsx, &COLUMNS, 10).unwrap_err(), ReadError::TooManyRows(10));
    assert_eq!(read(&xlsx, Format::Xlsx, &COLUMNS, 11).unwrap().len(), 11);
}

#[test]
fn xlsx_round_trip_preserves_text_codes_and_numbers() {
    let data = vec![
        vec!["00097".to_string(), "Tổ dân phố số 5".to_string(), "Khánh Hòa".to_string(), "1234".to_string()],
        vec!["31".to_string(), "Khu phố Đông".to_string(), String::new(), "0".to_string()],
        vec![
            "26734".to_string(),
            "=HYPERLINK(\"x\")".to_string(),
            "Thừa Thiên Huế".to_string(),
            "123456789012345".to_string(),
        ],
    ];
    let bytes = write(Format::Xlsx, "Khu dân cư", &COLUMNS, &data);
    assert_eq!(Format::detect(&bytes), Format::Xlsx);

    // The workbook itself: sheet name, header, numbers stored as numbers, codes as text.
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Khu dân cư".to_string()]);
    let range = wb.worksheet_range("Khu dân cư").unwrap();
    assert_eq!(range.get((0, 0)), Some(&Data::String("Mã xã".into())));
    assert_eq!(range.get((1, 0)), Some(&Data::String("00097".into())));
    assert_eq!(range.get((1, 3)), Some(&Data::Float(1234.0)));
    assert_eq!(range.get((2, 0)), Some(&Data::Float(31.0)));

    let rows = read(&bytes, Format::Xlsx, &COLUMNS, 100).unwrap();
    assert_eq!(
        rows_of(&rows),
        vec![
            (
                2,
                vec![
                    ("commune_code", "00097"),
                    ("households", "1234"),
                    ("name", "Tổ dân phố số 5"),
                    ("province", "Khánh Hòa"),
                ]
            ),
            (3, vec![("commune_code", "31"), ("households", "0"), ("name", "Khu phố Đông"),]),
            (
                4,
                vec![
                    ("commune_code", "26734"),
                    ("households", "123456789012345"),
                    ("name", "=HYPERLINK(\"x\")"),
                    ("province", "Thừa Thiên Huế"),
                ]
            ),
        ]
    );
}

#[test]
fn csv_round_trip() {
    let data = vec![
        vec!["00097".to_string(), "Tổ dân phố số 5, \"A\"".to_string(), "Khánh Hòa".into(), "12".into()],
        vec!["00098".to_string(), "=1+1".to_string(), "-".into(), "-3".into()],
        vec!["00099".to_string(), "Dòng\nhai".to_string()],
    ];
    let bytes = write(Format::Csv, "x", &COLUMNS, &data);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    assert_eq!(Format::detect(&bytes), Format::Csv);
    let rows = read(&bytes, Format::Csv, &COLUMNS, 100).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].get("name"), Some("Tổ dân phố số 5, \"A\""));
    assert_eq!(rows[1].get("name"), Some("=1+1"));
    assert_eq!(rows[1].get("province"), Some("-"));
    assert_eq!(rows[1].get("households"), Some("-3"));
    assert_eq!(rows[2].get("name"), Some("Dòng\nhai"));
    assert_eq!(rows[2].row, 4);
    assert_eq!(rows[2].get("households"), None);
}

#[test]
fn xlsx_cell_types_to_text() {
    let date = CellFormat::new().set_num_format("dd/mm/yyyy");
    let time = CellFormat::new().set_num_format("hh:mm:ss");
    let bytes = xlsx_bytes(|ws| {
        // The table starts at C3: row and column offsets.
        ws.write_string(2, 2, "Mã xã").unwrap();
        ws.write_string(2, 3, "Tên khu dân cư").unwrap();
        ws.write_string(2, 4, "Số hộ").unwrap();
        ws.write_string(2, 5, "Tỉnh").unwrap();
        ws.write_number(3, 2, 97.0).unwrap();
        ws.write_string(3, 3, "  Khánh Hòa  ").unwrap();
        ws.write_number(3, 4, 1234.0).unwrap();
        ws.write_boolean(3, 5, true).unwrap();
        // Row 5 is empty; row 6 has only a blank string.
        ws.write_string(5, 3, "   ").unwrap();
        ws.write_number(6, 2, 1e20).unwrap();
        ws.write_number(6, 3, 1.5).unwrap();
        ws.write_number_with_format(6, 4, 45413.0, &date).unwrap(); // 2024-05-01
        ws.write_number_with_format(6, 5, 45413.75, &date).unwrap();
        ws.write_number(7, 2, -2.25).unwrap();
        ws.write_number_with_format(7, 3, 0.5, &time).unwrap();
        ws.write_string(7, 5, "x").unwrap();
    });
    let rows = read(&bytes, Format::Xlsx, &COLUMNS, 100).unwrap();
    assert_eq!(
        rows_of(&rows),
        vec![
            (4, vec![("commune_code", "97"), ("households", "1234"), ("name", "Khánh Hòa"), ("province", "true"),]),
            (
                7,
                vec![
                    ("commune_code", "100000000000000000000"),
                    ("households", "2024-05-01"),
                    ("name", "1.5"),
                    ("province", "2024-05-01"),
                ]
            ),
            (8, vec![("commune_code", "-2.25"), ("name", "12:00:00"), ("province", "x"),]),
        ]
    );
}

#[test]
fn xlsx_first_visible_worksheet_is_read() {
    let mut wb = Workbook::new();
    let first = wb.add_worksheet();
    first.set_name("Dữ liệu").unwrap();
    first.write_string(0, 0, "ma xa").unwrap();
    first.write_string(0, 1, "ten").unwrap();
    first.write_string(1, 0, "00097").unwrap();
    first.write_string(1, 1, "Khu 1").unwrap();
    let second = wb.add_worksheet();
    second.write_string(0, 0, "khác").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let rows = read(&bytes, Format::Xlsx, &COLUMNS, 10).unwrap();
    assert_eq!(rows_of(&rows), vec![(2, vec![("commune_code", "00097"), ("name", "Khu 1")])]);
}

#[test]
fn xlsx_template_has_help_sheet() {
    let bytes = template(Format::Xlsx, "Khu dân cư", &COLUMNS);
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Khu dân cư".to_string(), "Hướng dẫn".to_string()]);
    let data = wb.worksheet_range("Khu dân cư").unwrap();
    let headers: Vec<String> = data.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(headers, vec!["Mã xã", "Tên khu dân cư", "Tỉnh", "Số hộ"]);
    assert_eq!(data.height(), 1);

    let help = wb.worksheet_range("Hướng dẫn").unwrap();
    let cell = |r: usize, c: usize| help.get((r, c)).map(|d| d.to_string()).unwrap_or_default();
    assert_eq!(cell(1, 0), "Mã xã");
    assert_eq!(cell(1, 1), "bắt buộc");
    assert_eq!(cell(1, 2), "Mã đơn vị hành chính cấp xã, 5 chữ số.");
    assert_eq!(cell(1, 3), "ma xa, commune code");
    assert_eq!(cell(3, 0), "Tỉnh");
    assert_eq!(cell(3, 1), "không bắt buộc");

    // A template reads back as a file with no rows.
    assert!(read(&bytes, Format::Xlsx, &COLUMNS, 10).unwrap().is_empty());
    let csv_template = template(Format::Csv, "Khu dân cư", &COLUMNS);
    assert_eq!(String::from_utf8(csv_template.clone()).unwrap(), "\u{feff}Mã xã,Tên khu dân cư,Tỉnh,Số hộ\r\n");
    assert!(read(&csv_template, Format::Csv, &COLUMNS, 10).unwrap().is_empty());
}

#[test]
fn sheet_names_are_sanitized() {
    let bytes = write(Format::Xlsx, "Báo cáo [01/2025]: khu dân cư và tổ dân phố toàn tỉnh", &COLUMNS, &[]);
    let wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(&bytes)).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names.len(), 1);
    assert!(names[0].chars().count() <= 31, "{}", names[0]);
    assert!(names[0].starts_with("Báo cáo 012025 khu dân cư"), "{}", names[0]);
    // A data sheet called like the help sheet does not clash with it.
    let bytes = template(Format::Xlsx, "Hướng dẫn", &COLUMNS);
    let wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(&bytes)).unwrap();
    assert_eq!(wb.sheet_names().len(), 2);
}
