//! Field-level validation errors with Vietnamese messages.

use std::collections::BTreeMap;

/// Messages per field name; empty means valid. Field names are the API's JSON names.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct FieldErrors(pub BTreeMap<String, String>);

/// A value that passed validation, or the reasons it did not.
pub type Validated<T> = Result<T, FieldErrors>;

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// An error on one field.
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut e = Self::new();
        e.add(field, message);
        e
    }

    /// Records a message for `field` (the first message per field wins).
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_string()).or_insert_with(|| message.into());
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when empty, otherwise `Err(self)`.
    pub fn into_result<T>(self, value: T) -> Validated<T> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }

    /// The message for one field, for forms.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// The messages alone, joined (for people who do not see field names: citizens).
    pub fn summary_values(&self) -> String {
        self.0.values().cloned().collect::<Vec<_>>().join(" ")
    }

    /// All messages joined, for the CLI and summaries.
    pub fn summary(&self) -> String {
        self.0.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ")
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())
    }
}

/// Deserialises an optional value written as text or as a JSON number (kept as its text).
pub fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Int(i64),
        Float(f64),
    }
    Ok(<Option<Raw> as serde::Deserialize>::deserialize(d)?.map(|r| match r {
        Raw::Text(s) => s,
        Raw::Int(n) => n.to_string(),
        Raw::Float(f) => f.to_string(),
    }))
}

/// Trims a required text field and checks its length.
pub fn required_text(errs: &mut FieldErrors, field: &str, label: &str, value: &str, max: usize) -> String {
    let v = value.trim();
    if has_control(v) {
        errs.add(field, format!("{label} chứa ký tự điều khiển không hợp lệ."));
    } else if v.is_empty() {
        errs.add(field, format!("{label} không được để trống."));
    } else if v.chars().count() > max {
        errs.add(field, format!("{label} dài quá {max} ký tự."));
    }
    v.to_string()
}

/// Trims an optional text field (empty → `None`) and checks its length.
pub fn optional_text(
    errs: &mut FieldErrors,
    field: &str,
    label: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    if has_control(v) {
        errs.add(field, format!("{label} chứa ký tự điều khiển không hợp lệ."));
    } else if v.chars().count() > max {
        errs.add(field, format!("{label} dài quá {max} ký tự."));
    }
    Some(v.to_string())
}

/// Control characters other than line breaks and tabs have no place in stored text.
fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// Checks an optional count is within `0..=max`.
pub fn count_in_range(errs: &mut FieldErrors, field: &str, label: &str, value: Option<i64>, max: i64) {
    if let Some(v) = value
        && !(0..=max).contains(&v)
    {
        errs.add(field, format!("{label} phải từ 0 đến {}.", crate::text::group_thousands(max)));
    }
}

/// Parses a required choice among an enum's codes or labels; the default is returned (with
/// an error recorded) when it is missing or unknown.
pub fn choice<T: crate::enums::Labelled>(
    e: &mut FieldErrors,
    field: &str,
    label: &str,
    raw: Option<&str>,
    default: T,
) -> T {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            e.add(field, format!("Chưa chọn {label}."));
            default
        }
        Some(s) => T::parse_loose(s).unwrap_or_else(|| {
            e.add(field, format!("{} «{s}» không hợp lệ. Chọn một trong: {}.", capitalise(label), T::labels_list()));
            default
        }),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
