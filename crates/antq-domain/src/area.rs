//! Residential areas (khu dân cư) under a commune.

use crate::labelled_enum;
use crate::validate::{FieldErrors, Validated, choice, count_in_range, optional_text, required_text};

labelled_enum!(
    /// Kind of residential area (TT 124/2021 Điều 2; Law 30/2023 Điều 2).
    AreaKind {
        Thon = "thon", "Thôn";
        Lang = "lang", "Làng";
        Ban = "ban", "Bản";
        Ap = "ap", "Ấp";
        Buon = "buon", "Buôn";
        Bon = "bon", "Bon";
        Phum = "phum", "Phum";
        Soc = "soc", "Sóc";
        Khom = "khom", "Khóm";
        ToDanPho = "to_dan_pho", "Tổ dân phố";
        KhuPho = "khu_pho", "Khu phố";
        KhoiPho = "khoi_pho", "Khối phố";
        TieuKhu = "tieu_khu", "Tiểu khu";
        TuongDuong = "tuong_duong", "Đơn vị dân cư tương đương";
    }
);

/// Largest household count accepted for one area.
pub const MAX_HOUSEHOLDS: i64 = 100_000;
/// Largest population accepted for one area.
pub const MAX_POPULATION: i64 = 1_000_000;

/// The editable fields of a residential area, validated.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AreaFields {
    /// Name, e.g. "Thôn Phú Lộc".
    pub name: String,
    /// Thôn, tổ dân phố, …
    pub kind: AreaKind,
    /// Number of households.
    pub households: Option<i64>,
    /// Number of residents.
    pub population: Option<i64>,
    /// Border, island, mountain, especially difficult or ethnic-minority area (Luật 30/2023
    /// Điều 13 khoản 3; TT 20/2025).
    pub special_zone: bool,
    /// Free note.
    pub note: Option<String>,
}

/// Raw input, as from a form, JSON or an import row.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AreaInput {
    /// Name.
    pub name: Option<String>,
    /// Kind code or label.
    pub kind: Option<String>,
    /// Households.
    pub households: Option<i64>,
    /// Population.
    pub population: Option<i64>,
    /// Border, island, mountain, especially difficult or ethnic-minority area.
    #[serde(default)]
    pub special_zone: bool,
    /// Note.
    pub note: Option<String>,
}

impl AreaInput {
    /// Validates the input into fields.
    pub fn validate(&self) -> Validated<AreaFields> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", "Tên khu dân cư", self.name.as_deref().unwrap_or(""), 200);
        let kind = choice(&mut e, "kind", "loại khu dân cư", self.kind.as_deref(), AreaKind::Thon);
        count_in_range(&mut e, "households", "Số hộ", self.households, MAX_HOUSEHOLDS);
        count_in_range(&mut e, "population", "Số nhân khẩu", self.population, MAX_POPULATION);
        if let (Some(h), Some(p)) = (self.households, self.population)
            && p < h
        {
            e.add("population", "Số nhân khẩu không thể ít hơn số hộ.");
        }
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        e.into_result(AreaFields {
            name,
            kind,
            households: self.households,
            population: self.population,
            special_zone: self.special_zone,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates() {
        let ok = AreaInput {
            name: Some(" Thôn 1 ".into()),
            kind: Some("to dan pho".into()),
            households: Some(120),
            population: Some(480),
            special_zone: false,
            note: None,
        };
        let f = ok.validate().unwrap();
        assert_eq!(f.name, "Thôn 1");
        assert_eq!(f.kind, AreaKind::ToDanPho);

        let bad = AreaInput {
            name: Some("".into()),
            kind: Some("quận".into()),
            households: Some(-1),
            population: None,
            special_zone: false,
            note: None,
        };
        let e = bad.validate().unwrap_err();
        assert!(e.get("name").is_some());
        assert!(e.get("kind").unwrap().contains("quận"));
        assert!(e.get("households").is_some());
    }
}

/// A residential area as stored.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Area {
    /// Id.
    pub id: crate::ids::AreaId,
    /// Province code.
    pub province_code: String,
    /// Commune code.
    pub commune_code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: AreaKind,
    /// Households.
    pub households: Option<i64>,
    /// Population.
    pub population: Option<i64>,
    /// Border, island, mountain, especially difficult or ethnic-minority area.
    pub special_zone: bool,
    /// Note.
    pub note: Option<String>,
    /// First day of validity.
    pub valid_from: chrono::NaiveDate,
    /// Day it was retired (no longer exists), if it was.
    pub valid_to: Option<chrono::NaiveDate>,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<&Area> for AreaInput {
    fn from(a: &Area) -> Self {
        AreaInput {
            name: Some(a.name.clone()),
            kind: Some(a.kind.code().into()),
            households: a.households,
            population: a.population,
            special_zone: a.special_zone,
            note: a.note.clone(),
        }
    }
}
