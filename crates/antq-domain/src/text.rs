//! Text helpers shared by search, header matching and sorting.

use unicode_normalization::UnicodeNormalization;

/// Folds Vietnamese text to a search key: lower case, diacritics removed, `đ` → `d`,
/// runs of white space collapsed. "KHÁNH HÒA", "Khánh Hoà" and "khanh hoa" all fold to
/// "khanh hoa".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfd() {
        let c = match c {
            'đ' | 'Đ' => 'd',
            c if unicode_normalization::char::is_combining_mark(c) || (c.is_control() && !c.is_whitespace()) => {
                continue;
            }
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Builds a `LIKE` pattern that matches `term` anywhere, with `%`, `_` and `\` escaped
/// (use with `ESCAPE '\'`). The term is folded first.
pub fn contains_pattern(term: &str) -> String {
    let mut p = String::from("%");
    for c in fold(term).chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// Formats an amount of money the Vietnamese way: `1.500.000.000 đồng`.
pub fn format_vnd(amount: i64) -> String {
    format!("{} đồng", group_thousands(amount))
}

/// Groups digits with `.` as Vietnamese writes numbers: `64.000`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("KHÁNH HÒA"), "khanh hoa");
        assert_eq!(fold("Khánh Hoà"), "khanh hoa");
        assert_eq!(fold("  Đắk   Lắk "), "dak lak");
        assert_eq!(fold("Thừa Thiên Huế"), "thua thien hue");
        assert_eq!(fold("a\0b"), "ab");
    }

    #[test]
    fn escapes_like_metacharacters() {
        assert_eq!(contains_pattern("50%_x"), "%50\\%\\_x%");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(format_vnd(1_500_000_000), "1.500.000.000 đồng");
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(-1234), "-1.234");
    }
}
