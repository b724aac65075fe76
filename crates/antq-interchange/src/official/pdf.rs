//! The report as PDF: typst, used as a library, lays out `report.typ` with the document given
//! as a typst literal; the fonts are compiled into the binary and subset into the PDF, so no
//! system font is needed and the text stays extractable.

use std::sync::LazyLock;

use antq_domain::official::Document;
use typst_as_lib::TypstEngine;

use super::{body_parts, intro, row_cells};

const TEMPLATE: &str = include_str!("report.typ");

/// Liberation Serif 2.1.5 (SIL OFL 1.1): metric-compatible with Times New Roman, which the
/// decree's documents use; every Vietnamese letter is in it.
static FONTS: [&[u8]; 4] = [
    include_bytes!("../../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../../fonts/LiberationSerif-BoldItalic.ttf"),
];

/// A typst value written as source.
enum Lit {
    Str(String),
    Bool(bool),
    Arr(Vec<Lit>),
    Dict(Vec<(&'static str, Lit)>),
}

fn s(v: impl Into<String>) -> Lit {
    Lit::Str(v.into())
}

impl Lit {
    fn write(&self, out: &mut String) {
        match self {
            Lit::Str(v) => {
                out.push('"');
                for c in v.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '"' => out.push_str("\\\""),
                        '\n' => out.push_str("\\n"),
                        c if c.is_control() => out.push(' '),
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
            Lit::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Lit::Arr(items) => {
                out.push('(');
                for i in items {
                    i.write(out);
                    out.push_str(", ");
                }
                out.push(')');
            }
            Lit::Dict(items) if items.is_empty() => out.push_str("(:)"),
            Lit::Dict(items) => {
                out.push('(');
                for (k, v) in items {
                    out.push_str(k);
                    out.push_str(": ");
                    v.write(out);
                    out.push_str(", ");
                }
                out.push(')');
            }
        }
    }
}

/// The typst source of a document: the template and one call with the data.
fn source(d: &Document) -> String {
    let p = &d.parts;
    let number = if p.number.trim().is_empty() { "       /BC".to_string() } else { p.number.clone() };
    let sections = d
        .sections
        .iter()
        .map(|sec| {
            Lit::Dict(vec![
                ("heading", s(sec.heading.clone())),
                ("text", s(sec.text.clone())),
                ("columns", Lit::Arr(sec.columns().iter().map(|c| s(*c)).collect())),
                (
                    "rows",
                    Lit::Arr(
                        row_cells(sec)
                            .into_iter()
                            .map(|(cells, level)| {
                                let mut v: Vec<Lit> = cells.into_iter().map(s).collect();
                                v.push(s(level.to_string()));
                                Lit::Arr(v)
                            })
                            .collect(),
                    ),
                ),
            ])
        })
        .collect();
    let parts = body_parts(d)
        .into_iter()
        .map(|(title, paras)| Lit::Arr(vec![s(title), Lit::Arr(paras.into_iter().map(s).collect())]))
        .collect();
    let data = Lit::Dict(vec![
        ("title", s(format!("Báo cáo: {}", p.subject))),
        ("draft", Lit::Bool(d.state == antq_domain::official::OfficialState::Draft)),
        ("issuer_parent", s(p.issuer_parent.clone())),
        ("issuer", s(p.issuer.clone())),
        ("number", s(number)),
        ("place_date", s(d.place_date())),
        ("subject", s(p.subject.clone())),
        ("intro", s(intro(d))),
        ("sections", Lit::Arr(sections)),
        ("parts", Lit::Arr(parts)),
        ("recipients", Lit::Arr(p.recipient_list().into_iter().map(s).collect())),
        ("signer_authority", s(p.signer_authority.clone())),
        ("signer_title", s(p.signer_title.clone())),
        ("signer_name", s(p.signer_name.clone())),
    ]);
    let mut out = String::with_capacity(TEMPLATE.len() + 16_384);
    out.push_str(TEMPLATE);
    out.push_str("\n#report(");
    data.write(&mut out);
    out.push_str(")\n");
    out
}

/// Parsed fonts, loaded once.
static FONT_BOOK: LazyLock<Vec<typst::text::Font>> =
    LazyLock::new(|| FONTS.iter().flat_map(|b| typst::text::Font::iter(typst::foundations::Bytes::new(*b))).collect());

/// The document as PDF bytes; the error is a message for the log.
pub fn pdf(d: &Document) -> Result<Vec<u8>, String> {
    let engine = TypstEngine::builder().main_file(source(d)).fonts(FONT_BOOK.iter().cloned()).build();
    let doc: typst_layout::PagedDocument = engine.compile().output.map_err(|e| format!("typst: {e:?}"))?;
    typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|e| format!("typst-pdf: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_what_typst_reads() {
        let mut out = String::new();
        Lit::Dict(vec![("a", s("x \"y\" \\ #z\n")), ("b", Lit::Arr(vec![s("1")])), ("c", Lit::Dict(vec![]))])
            .write(&mut out);
        assert_eq!(out, r#"(a: "x \"y\" \\ #z\n", b: ("1", ), c: (:), )"#);
    }
}
