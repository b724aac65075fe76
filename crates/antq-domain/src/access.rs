//! Roles, permissions and scopes: who may do what, where.
//!
//! This is the single table the web pages, the API and the CLI consult (through
//! `antq-app`); nothing else decides access.

use crate::labelled_enum;

labelled_enum!(
    /// A user's role.
    Role {
        Admin = "admin", "Quản trị hệ thống";
        ProvinceOfficer = "province_officer", "Cán bộ Công an tỉnh";
        CommuneOfficer = "commune_officer", "Cán bộ Công an xã";
        Viewer = "viewer", "Người xem";
    }
);

/// Something a role may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Read registry data (units, areas, establishments, models) in scope.
    ReadRegistry,
    /// Create and change registry data in scope.
    WriteRegistry,
    /// Edit catalogues such as the model-type taxonomy for a province.
    ManageTaxonomy,
    /// Create users and API tokens.
    ManageUsers,
}

impl Role {
    /// The roles/permissions matrix.
    pub fn grants(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::ProvinceOfficer => matches!(p, ReadRegistry | WriteRegistry | ManageTaxonomy),
            Role::CommuneOfficer => matches!(p, ReadRegistry | WriteRegistry),
            Role::Viewer => matches!(p, ReadRegistry),
        }
    }

    /// The unit level a user of this role must be bound to (`None`: either level).
    pub fn required_unit_level(self) -> Option<crate::unit::UnitLevel> {
        use crate::unit::UnitLevel;
        match self {
            Role::ProvinceOfficer => Some(UnitLevel::Province),
            Role::CommuneOfficer => Some(UnitLevel::Commune),
            Role::Admin | Role::Viewer => None,
        }
    }
}

/// Where a user may act.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The whole country.
    National,
    /// One province (by code).
    Province(String),
    /// One commune (province code, commune code).
    Commune(String, String),
}

impl Scope {
    /// The scope of a user with `role` bound to the unit (`province`, `commune`).
    pub fn for_user(role: Role, province: &str, commune: Option<&str>) -> Self {
        match (role, commune) {
            (Role::Admin, _) => Scope::National,
            (_, Some(c)) => Scope::Commune(province.to_string(), c.to_string()),
            (_, None) => Scope::Province(province.to_string()),
        }
    }

    /// Does the scope contain a row placed in `province` and (optionally) `commune`?
    /// A row without a commune (a province-level record) is outside every commune scope.
    pub fn contains(&self, province: &str, commune: Option<&str>) -> bool {
        match self {
            Scope::National => true,
            Scope::Province(p) => p == province,
            Scope::Commune(p, c) => p == province && commune == Some(c.as_str()),
        }
    }

    /// Province filter for queries (`None`: all provinces).
    pub fn province(&self) -> Option<&str> {
        match self {
            Scope::National => None,
            Scope::Province(p) | Scope::Commune(p, _) => Some(p),
        }
    }

    /// Commune filter for queries (`None`: all communes of the province filter).
    pub fn commune(&self) -> Option<&str> {
        match self {
            Scope::Commune(_, c) => Some(c),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix() {
        assert!(Role::Admin.grants(Permission::ManageUsers));
        assert!(!Role::ProvinceOfficer.grants(Permission::ManageUsers));
        assert!(Role::ProvinceOfficer.grants(Permission::ManageTaxonomy));
        assert!(!Role::CommuneOfficer.grants(Permission::ManageTaxonomy));
        assert!(Role::CommuneOfficer.grants(Permission::WriteRegistry));
        assert!(!Role::Viewer.grants(Permission::WriteRegistry));
        assert!(Role::Viewer.grants(Permission::ReadRegistry));
    }

    #[test]
    fn scopes_nest() {
        let commune = Scope::for_user(Role::CommuneOfficer, "56", Some("22333"));
        assert!(commune.contains("56", Some("22333")));
        assert!(!commune.contains("56", Some("22334")));
        assert!(!commune.contains("56", None));
        let province = Scope::for_user(Role::ProvinceOfficer, "56", None);
        assert!(province.contains("56", Some("22334")));
        assert!(province.contains("56", None));
        assert!(!province.contains("01", Some("00004")));
        assert!(Scope::for_user(Role::Admin, "56", None).contains("01", None));
    }
}
