//! Agencies, businesses and schools under a commune, with the TT 124/2021 exclusions.

use crate::labelled_enum;
use crate::validate::{FieldErrors, Validated, choice, optional_text, required_text};

labelled_enum!(
    /// Kind of establishment (TT 124/2021 Điều 2).
    EstablishmentKind {
        CoQuan = "co_quan", "Cơ quan";
        DoanhNghiep = "doanh_nghiep", "Doanh nghiệp";
        CoSoGiaoDuc = "co_so_giao_duc", "Cơ sở giáo dục";
    }
);

/// The editable fields of an establishment, validated.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EstablishmentFields {
    /// Name.
    pub name: String,
    /// Cơ quan, doanh nghiệp or cơ sở giáo dục.
    pub kind: EstablishmentKind,
    /// Free sub-type (e.g. "Trường THCS", "Công ty TNHH").
    pub sub_type: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// An agency or unit of the armed forces (excluded from TT 124 for agencies).
    pub armed_forces: bool,
    /// A small or micro enterprise (excluded from TT 124 for businesses).
    pub small_enterprise: bool,
    /// A primary school, kindergarten or nursery (excluded from TT 124 for schools).
    pub primary_or_preschool: bool,
    /// Free note.
    pub note: Option<String>,
}

impl EstablishmentFields {
    /// Whether TT 124/2021 excludes this establishment from the "An toàn về ANTT" standard,
    /// and why (the exclusion that applies to its kind).
    pub fn antt_exclusion(&self) -> Option<&'static str> {
        match self.kind {
            EstablishmentKind::CoQuan if self.armed_forces => Some("Cơ quan, đơn vị thuộc lực lượng vũ trang"),
            EstablishmentKind::DoanhNghiep if self.small_enterprise => Some("Doanh nghiệp nhỏ, siêu nhỏ"),
            EstablishmentKind::CoSoGiaoDuc if self.primary_or_preschool => Some("Trường tiểu học, mầm non, nhà trẻ"),
            _ => None,
        }
    }
}

/// Raw input, as from a form, JSON or an import row.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EstablishmentInput {
    /// Name.
    pub name: Option<String>,
    /// Kind code or label.
    pub kind: Option<String>,
    /// Sub-type.
    pub sub_type: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Armed-forces agency flag.
    #[serde(default)]
    pub armed_forces: bool,
    /// Small/micro enterprise flag.
    #[serde(default)]
    pub small_enterprise: bool,
    /// Primary school / kindergarten / nursery flag.
    #[serde(default)]
    pub primary_or_preschool: bool,
    /// Note.
    pub note: Option<String>,
}

impl EstablishmentInput {
    /// Validates the input into fields. A flag that does not fit the kind is refused, so the
    /// exclusion recorded is always meaningful.
    pub fn validate(&self) -> Validated<EstablishmentFields> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", "Tên", self.name.as_deref().unwrap_or(""), 300);
        let kind = choice(
            &mut e,
            "kind",
            "loại (cơ quan, doanh nghiệp, cơ sở giáo dục)",
            self.kind.as_deref(),
            EstablishmentKind::CoQuan,
        );
        if self.armed_forces && kind != EstablishmentKind::CoQuan {
            e.add("armed_forces", "Chỉ cơ quan mới có thể thuộc lực lượng vũ trang.");
        }
        if self.small_enterprise && kind != EstablishmentKind::DoanhNghiep {
            e.add("small_enterprise", "Chỉ doanh nghiệp mới có thể là doanh nghiệp nhỏ, siêu nhỏ.");
        }
        if self.primary_or_preschool && kind != EstablishmentKind::CoSoGiaoDuc {
            e.add("primary_or_preschool", "Chỉ cơ sở giáo dục mới có thể là tiểu học, mầm non, nhà trẻ.");
        }
        let sub_type = optional_text(&mut e, "sub_type", "Loại hình", self.sub_type.as_deref(), 200);
        let address = optional_text(&mut e, "address", "Địa chỉ", self.address.as_deref(), 500);
        let note = optional_text(&mut e, "note", "Ghi chú", self.note.as_deref(), 2000);
        e.into_result(EstablishmentFields {
            name,
            kind,
            sub_type,
            address,
            armed_forces: self.armed_forces,
            small_enterprise: self.small_enterprise,
            primary_or_preschool: self.primary_or_preschool,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusions_follow_kind() {
        let school = EstablishmentInput {
            name: Some("Trường Mầm non Hoa Sen".into()),
            kind: Some("Cơ sở giáo dục".into()),
            primary_or_preschool: true,
            ..Default::default()
        };
        assert_eq!(school.validate().unwrap().antt_exclusion(), Some("Trường tiểu học, mầm non, nhà trẻ"));
        let wrong = EstablishmentInput {
            name: Some("UBND xã".into()),
            kind: Some("co_quan".into()),
            small_enterprise: true,
            ..Default::default()
        };
        assert!(wrong.validate().unwrap_err().get("small_enterprise").is_some());
    }
}

/// An establishment as stored.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Establishment {
    /// Id.
    pub id: crate::ids::EstablishmentId,
    /// Province code.
    pub province_code: String,
    /// Commune code.
    pub commune_code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: EstablishmentKind,
    /// Sub-type.
    pub sub_type: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Armed-forces agency.
    pub armed_forces: bool,
    /// Small or micro enterprise.
    pub small_enterprise: bool,
    /// Primary school, kindergarten or nursery.
    pub primary_or_preschool: bool,
    /// Why TT 124/2021 excludes it from the "An toàn về ANTT" standard, if it does.
    pub antt_exclusion: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// First day of validity.
    pub valid_from: chrono::NaiveDate,
    /// Day it was retired, if it was.
    pub valid_to: Option<chrono::NaiveDate>,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<&Establishment> for EstablishmentInput {
    fn from(e: &Establishment) -> Self {
        EstablishmentInput {
            name: Some(e.name.clone()),
            kind: Some(e.kind.code().into()),
            sub_type: e.sub_type.clone(),
            address: e.address.clone(),
            armed_forces: e.armed_forces,
            small_enterprise: e.small_enterprise,
            primary_or_preschool: e.primary_or_preschool,
            note: e.note.clone(),
        }
    }
}
