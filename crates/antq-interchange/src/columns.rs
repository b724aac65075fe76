//! Column layouts and header matching.

use std::collections::HashMap;

use antq_domain::text::fold;

use crate::ReadError;

/// One column of a registry's file layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// Machine key, e.g. `"commune_code"`; [`RawRow`](crate::RawRow) values are keyed by it.
    pub key: &'static str,
    /// Vietnamese header written in templates and exports, e.g. `"Mã xã"`.
    pub header: &'static str,
    /// Other accepted headers, e.g. `&["ma xa", "commune code"]`.
    pub aliases: &'static [&'static str],
    /// The header must be present in an import file.
    pub required: bool,
    /// Vietnamese guidance shown in the template's help sheet.
    pub help: &'static str,
}

impl Column {
    /// An export-only column: a key and a header, nothing required.
    pub const fn plain(key: &'static str, header: &'static str) -> Column {
        Column { key, header, aliases: &[], required: false, help: "" }
    }

    /// Whether a header found in a file names this column: the header, each alias and the
    /// key are compared after [`fold`] (so case, diacritics and extra white space do not
    /// matter), reading `_` as a space; a trailing `*` or `(*)` marking a required column is
    /// ignored.
    pub fn matches(&self, file_header: &str) -> bool {
        let h = normalize_header(file_header);
        !h.is_empty() && self.names().any(|n| n == h)
    }

    /// The normalized names this column answers to.
    fn names(&self) -> impl Iterator<Item = String> + '_ {
        std::iter::once(normalize_header(self.header))
            .chain(self.aliases.iter().map(|a| normalize_header(a)))
            .chain(std::iter::once(normalize_header(self.key)))
    }
}

/// Folds a header for comparison: `_` reads as a space, a byte order mark and a trailing
/// required-column marker (`*` or `(*)`) are dropped.
pub(crate) fn normalize_header(h: &str) -> String {
    let mut f = fold(&h.replace('\u{feff}', "").replace('_', " "));
    loop {
        let t = f.trim_end();
        let cut = if t.ends_with("(*)") {
            t.len() - 3
        } else if t.ends_with('*') {
            t.len() - 1
        } else {
            break;
        };
        f.truncate(cut);
    }
    f.truncate(f.trim_end().len());
    f
}

/// Maps the header cells of a file onto a layout.
pub(crate) struct Layout {
    columns: &'static [Column],
    lookup: HashMap<String, usize>,
}

impl Layout {
    pub(crate) fn new(columns: &'static [Column]) -> Layout {
        let mut lookup = HashMap::new();
        for (i, c) in columns.iter().enumerate() {
            for name in c.names() {
                if !name.is_empty() {
                    lookup.entry(name).or_insert(i);
                }
            }
        }
        Layout { columns, lookup }
    }

    pub(crate) fn columns(&self) -> &'static [Column] {
        self.columns
    }

    /// Resolves header cells `(file column index, text)` into a table indexed by file column
    /// giving the layout column, if any. Unknown headers are ignored.
    pub(crate) fn resolve<'a>(
        &self,
        headers: impl IntoIterator<Item = (usize, &'a str)>,
    ) -> Result<Vec<Option<usize>>, ReadError> {
        let mut map: Vec<Option<usize>> = Vec::new();
        let mut seen = vec![false; self.columns.len()];
        for (file_col, text) in headers {
            let Some(&ci) = self.lookup.get(&normalize_header(text)) else {
                continue;
            };
            if seen[ci] {
                return Err(ReadError::DuplicateColumn(self.columns[ci].header.to_owned()));
            }
            seen[ci] = true;
            if map.len() <= file_col {
                map.resize(file_col + 1, None);
            }
            map[file_col] = Some(ci);
        }
        let missing: Vec<String> = self
            .columns
            .iter()
            .zip(&seen)
            .filter(|(c, seen)| c.required && !**seen)
            .map(|(c, _)| c.header.to_owned())
            .collect();
        if missing.is_empty() { Ok(map) } else { Err(ReadError::MissingColumns(missing)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static COLUMNS: [Column; 3] = [
        Column {
            key: "commune_code",
            header: "Mã xã",
            aliases: &["commune code", "Mã đơn vị hành chính"],
            required: true,
            help: "",
        },
        Column { key: "name", header: "Tên khu dân cư", aliases: &[], required: true, help: "" },
        Column { key: "note", header: "Ghi chú", aliases: &[], required: false, help: "" },
    ];

    #[test]
    fn header_matching_ignores_case_and_diacritics() {
        let c = &COLUMNS[0];
        for h in [
            "Mã xã",
            "ma xa",
            "MA XA",
            "Ma Xa",
            "  MÃ   XÃ ",
            "Mã xã (*)",
            "Mã xã*",
            "commune_code",
            "Commune Code",
            "MA DON VI HANH CHINH",
        ] {
            assert!(c.matches(h), "{h:?} should match");
        }
        for h in ["Mã", "xã", "", "*", "Mã huyện"] {
            assert!(!c.matches(h), "{h:?} should not match");
        }
    }

    #[test]
    fn resolve_maps_and_ignores_unknown() {
        let layout = Layout::new(&COLUMNS);
        let map = layout.resolve([(0, "STT"), (1, "ten khu dan cu"), (2, "MÃ XÃ")]).unwrap();
        assert_eq!(map, vec![None, Some(1), Some(0)]);
    }

    #[test]
    fn resolve_reports_all_missing_required() {
        let layout = Layout::new(&COLUMNS);
        assert_eq!(
            layout.resolve([(0, "Ghi chú")]),
            Err(ReadError::MissingColumns(vec!["Mã xã".into(), "Tên khu dân cư".into()]))
        );
    }

    #[test]
    fn resolve_rejects_duplicates() {
        let layout = Layout::new(&COLUMNS);
        assert_eq!(
            layout.resolve([(0, "Mã xã"), (1, "Tên khu dân cư"), (2, "commune code")]),
            Err(ReadError::DuplicateColumn("Mã xã".into()))
        );
    }
}
