//! Administrative units (C1): the 34 provinces and 3,321 communes of 1 July 2025.

use crate::labelled_enum;

labelled_enum!(
    /// Level of an administrative unit.
    UnitLevel {
        Province = "province", "Tỉnh/Thành phố";
        Commune = "commune", "Xã/Phường/Đặc khu";
    }
);

labelled_enum!(
    /// Kind of an administrative unit (QĐ 19/2025/QĐ-TTg).
    UnitKind {
        Tinh = "tinh", "Tỉnh";
        ThanhPho = "thanh_pho", "Thành phố";
        Xa = "xa", "Xã";
        Phuong = "phuong", "Phường";
        DacKhu = "dac_khu", "Đặc khu";
    }
);

/// A validated official unit code: 2 digits for a province, 5 for a commune.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct UnitCode(String);

impl UnitCode {
    /// Parses a code; surrounding spaces are ignored.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        (matches!(s.len(), 2 | 5) && s.bytes().all(|b| b.is_ascii_digit())).then(|| Self(s.to_string()))
    }

    /// The level the code's length implies.
    pub fn level(&self) -> UnitLevel {
        if self.0.len() == 2 { UnitLevel::Province } else { UnitLevel::Commune }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UnitCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An administrative unit as stored.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Unit {
    /// Official code.
    pub code: String,
    /// Province code of a commune; absent for a province.
    pub parent_code: Option<String>,
    /// Province or commune.
    pub level: UnitLevel,
    /// Tỉnh, thành phố, xã, phường or đặc khu.
    pub kind: UnitKind,
    /// Name without the kind, e.g. "Khánh Hòa".
    pub name: String,
    /// Centroid latitude.
    pub lat: Option<f64>,
    /// Centroid longitude.
    pub lon: Option<f64>,
    /// Number of communes (provinces only, when listed).
    pub commune_count: Option<i64>,
    /// A remote or island commune: 48 h instead of 24 h to transfer a crime report.
    pub remote: bool,
}

impl Unit {
    /// The official full name, e.g. "Tỉnh Khánh Hòa", "Đặc khu Trường Sa".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.kind.label(), self.name)
    }
}
