//! Locale catalogues: Vietnamese first, English second. Every label of the UI comes from
//! `locales/*.txt` (`key = value` lines); enum labels fall back to the domain's Vietnamese.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// Interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt (default).
    Vi,
    /// English.
    En,
}

/// Cookie remembering the chosen language.
pub const LANG_COOKIE: &str = "antq_lang";

fn parse(src: &'static str) -> HashMap<&'static str, &'static str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

static VI: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| parse(include_str!("../locales/vi.txt")));
static EN: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| parse(include_str!("../locales/en.txt")));

/// A translator for one request.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
}

pub use antq_domain::enums::Labelled;

impl Tr {
    /// The translation of `key` (the Vietnamese text, then the key itself, as fallbacks).
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        let hit = match self.lang {
            Lang::Vi => VI.get(key),
            Lang::En => EN.get(key).or_else(|| VI.get(key)),
        };
        hit.copied().unwrap_or(key)
    }

    /// The label of an enum value in this language.
    pub fn l<T: Labelled>(&self, v: &T) -> &'static str {
        if self.lang == Lang::En
            && let Some(s) = EN.get(format!("enum.{}.{}", T::TYPE_NAME, v.code()).as_str())
        {
            return s;
        }
        v.label()
    }

    /// `vi` or `en`, for `<html lang>`.
    pub fn code(&self) -> &'static str {
        match self.lang {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// An instant in Vietnam time (UTC+7): dd/mm/yyyy hh:mm:ss.
    pub fn datetime(&self, t: impl std::borrow::Borrow<chrono::DateTime<chrono::Utc>>) -> String {
        (*t.borrow() + chrono::Duration::hours(7)).format("%d/%m/%Y %H:%M:%S").to_string()
    }

    /// A share in thousandths as a percent: 500 → "50,0%".
    pub fn permille(&self, n: impl std::borrow::Borrow<i64>) -> String {
        antq_domain::official::Amount::PercentMilli.text(*n.borrow() * 100)
    }

    /// A date as users write it: dd/mm/yyyy.
    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        d.format("%d/%m/%Y").to_string()
    }

    /// An optional date, empty when absent.
    pub fn odate(&self, d: &Option<chrono::NaiveDate>) -> String {
        d.map(|d| self.date(&d)).unwrap_or_default()
    }

    /// An instant in Vietnam time: dd/mm/yyyy HH:MM.
    pub fn time(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        (*t + chrono::Duration::hours(7)).format("%d/%m/%Y %H:%M").to_string()
    }

    /// Time left before a deadline, or past it: "còn 3 ngày 4 giờ", "quá hạn 2 giờ".
    pub fn countdown(&self, c: &antq_domain::report::Countdown) -> String {
        let units = [(c.days, "clock.days"), (c.hours, "clock.hours"), (c.minutes, "clock.minutes")];
        let parts: Vec<String> = units
            .into_iter()
            .skip_while(|(n, _)| *n == 0)
            .take(2)
            .filter(|(n, _)| *n > 0)
            .map(|(n, k)| format!("{n} {}", self.t(k)))
            .collect();
        let amount = if parts.is_empty() { format!("0 {}", self.t("clock.minutes")) } else { parts.join(" ") };
        self.t(if c.overdue { "clock.overdue" } else { "clock.left" }).replace("{t}", &amount)
    }

    /// A count with Vietnamese digit grouping.
    pub fn num(&self, n: impl std::borrow::Borrow<i64>) -> String {
        antq_domain::text::group_thousands(*n.borrow())
    }

    /// A change: "+3", "−2" or "0".
    pub fn signed(&self, n: impl std::borrow::Borrow<i64>) -> String {
        let n = *n.borrow();
        match n.cmp(&0) {
            std::cmp::Ordering::Greater => format!("+{}", self.num(n)),
            std::cmp::Ordering::Less => format!("−{}", self.num(-n)),
            std::cmp::Ordering::Equal => "0".into(),
        }
    }

    /// An optional count, empty when absent.
    pub fn onum(&self, n: &Option<i64>) -> String {
        n.map(|n| self.num(n)).unwrap_or_default()
    }

    /// An amount of money: "1.500.000 đồng".
    pub fn vnd(&self, n: &i64) -> String {
        antq_domain::text::format_vnd(*n)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Tr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let lang = match crate::auth::cookie(&parts.headers, LANG_COOKIE).as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Vi,
        };
        Ok(Tr { lang })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use antq_domain::model::ModelState;

    /// Every `t("…")` key used in a template exists in both catalogues.
    #[test]
    fn catalogues_cover_templates() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for part in text.split("tr.t(\"").skip(1) {
                let key = part.split('"').next().unwrap();
                for (name, cat) in [("vi", &*VI), ("en", &*EN)] {
                    if !cat.contains_key(key) {
                        missing.push(format!("{name}: {key} ({})", path.display()));
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "missing catalogue keys:\n{}", missing.join("\n"));
    }

    #[test]
    fn english_enum_labels() {
        let en = Tr { lang: Lang::En };
        assert_eq!(en.l(&ModelState::HoatDong), "Operating");
        let vi = Tr { lang: Lang::Vi };
        assert_eq!(vi.l(&ModelState::HoatDong), "Đang hoạt động");
    }
}
