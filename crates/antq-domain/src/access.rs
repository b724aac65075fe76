//! Roles, permissions, data classes and scopes: who may do what, where.
//!
//! [`MATRIX`] is the single table the web pages, the API and the CLI consult (through
//! `antq-app`); the administrators' page shows it as it is. Nothing else decides access.

use crate::labelled_enum;
use crate::unit::UnitLevel;

labelled_enum!(
    /// A user's role.
    Role {
        Admin = "admin", "Quản trị hệ thống";
        ProvinceOfficer = "province_officer", "Cán bộ Công an tỉnh";
        CommuneOfficer = "commune_officer", "Cán bộ Công an xã";
        Viewer = "viewer", "Người xem";
        CommuneGovernment = "commune_government", "Chính quyền xã";
        MassOrganisation = "mass_organisation", "Mặt trận, đoàn thể";
        Auditor = "auditor", "Thanh tra, kiểm tra";
    }
);

labelled_enum!(
    /// The kinds of data a permission is about. Reporter identity is the most protected:
    /// every read needs a stated reason and is audited.
    DataClass {
        Registry = "registry", "Dữ liệu sổ theo dõi (địa bàn, mô hình, lực lượng, số liệu)";
        ReportContent = "report_content", "Nội dung tố giác, tin báo";
        ReporterIdentity = "reporter_identity", "Danh tính người tố giác";
        PersonalData = "personal_data", "Số định danh cá nhân của thành viên lực lượng cơ sở";
        Accounts = "accounts", "Tài khoản, phân quyền";
        Audit = "audit", "Nhật ký hệ thống";
    }
);

labelled_enum!(
    /// Something a role may be allowed to do.
    Permission {
        ReadRegistry = "read_registry", "Xem sổ theo dõi và số liệu";
        WriteRegistry = "write_registry", "Cập nhật sổ theo dõi";
        ManageTaxonomy = "manage_taxonomy", "Sửa danh mục, quy định (loại mô hình, tiêu chí, thời hạn)";
        ApproveEvaluations = "approve_evaluations", "Mở đợt, duyệt, trả lại, mở khoá kết quả đánh giá, xếp loại";
        ReadReportCounts = "read_report_counts", "Xem số lượng tố giác, tin báo";
        ReadReportContent = "read_report_content", "Xem nội dung tố giác, tin báo";
        WriteReports = "write_reports", "Tiếp nhận, xử lý tố giác, tin báo";
        ReadReporterIdentity = "read_reporter_identity", "Xem danh tính người tố giác (phải nêu lý do)";
        ReadPersonalData = "read_personal_data", "Xem đầy đủ số định danh cá nhân (CCCD) của thành viên Tổ bảo vệ ANTT";
        ManageUsers = "manage_users", "Quản lý tài khoản";
        ReadAudit = "read_audit", "Xem nhật ký hệ thống";
    }
);

impl Permission {
    /// The data class the permission is about.
    pub fn data_class(self) -> DataClass {
        use Permission::*;
        match self {
            ReadRegistry | WriteRegistry | ManageTaxonomy | ApproveEvaluations | ReadReportCounts => {
                DataClass::Registry
            }
            ReadReportContent | WriteReports => DataClass::ReportContent,
            ReadReporterIdentity => DataClass::ReporterIdentity,
            ReadPersonalData => DataClass::PersonalData,
            ManageUsers => DataClass::Accounts,
            ReadAudit => DataClass::Audit,
        }
    }

    /// Whether the permission changes data (refused to read-only API tokens).
    pub fn is_write(self) -> bool {
        use Permission::*;
        matches!(self, WriteRegistry | ManageTaxonomy | ApproveEvaluations | WriteReports | ManageUsers)
    }
}

/// The roles/permissions matrix: each role with everything it is granted. The system
/// administrator manages accounts and registries but never sees crime reports or reporters.
pub const MATRIX: &[(Role, &[Permission])] = {
    use Permission::*;
    &[
        (Role::Admin, &[ReadRegistry, WriteRegistry, ManageTaxonomy, ReadReportCounts, ManageUsers, ReadAudit]),
        (
            Role::ProvinceOfficer,
            &[
                ReadRegistry,
                WriteRegistry,
                ManageTaxonomy,
                ApproveEvaluations,
                ReadReportCounts,
                ReadReportContent,
                WriteReports,
                ReadReporterIdentity,
                ReadPersonalData,
            ],
        ),
        (
            Role::CommuneOfficer,
            &[
                ReadRegistry,
                WriteRegistry,
                ReadReportCounts,
                ReadReportContent,
                WriteReports,
                ReadReporterIdentity,
                ReadPersonalData,
            ],
        ),
        (Role::Viewer, &[ReadRegistry, ReadReportCounts]),
        (Role::CommuneGovernment, &[ReadRegistry, ReadReportCounts]),
        (Role::MassOrganisation, &[ReadRegistry, ReadReportCounts]),
        (Role::Auditor, &[ReadRegistry, ReadReportCounts, ReadReportContent, ReadAudit]),
    ]
};

impl Role {
    /// Whether the role grants `p` (read from [`MATRIX`]).
    pub fn grants(self, p: Permission) -> bool {
        MATRIX.iter().any(|(r, ps)| *r == self && ps.contains(&p))
    }

    /// The unit level a user of this role must be bound to (`None`: either level).
    pub fn required_unit_level(self) -> Option<UnitLevel> {
        match self {
            Role::ProvinceOfficer => Some(UnitLevel::Province),
            Role::CommuneOfficer | Role::CommuneGovernment => Some(UnitLevel::Commune),
            Role::Admin | Role::Viewer | Role::MassOrganisation | Role::Auditor => None,
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
        assert!(!Role::Admin.grants(Permission::ReadReporterIdentity));
        assert!(!Role::ProvinceOfficer.grants(Permission::ManageUsers));
        assert!(Role::ProvinceOfficer.grants(Permission::ManageTaxonomy));
        assert!(!Role::CommuneOfficer.grants(Permission::ManageTaxonomy));
        assert!(Role::CommuneOfficer.grants(Permission::WriteRegistry));
        assert!(!Role::Viewer.grants(Permission::WriteRegistry));
        assert!(Role::Viewer.grants(Permission::ReadRegistry));
        assert!(Role::Auditor.grants(Permission::ReadAudit));
        assert!(Role::ALL.iter().filter(|r| r.grants(Permission::ReadAudit)).count() == 2);
    }

    #[test]
    fn every_role_has_a_row_and_counts_only_roles_never_see_reports() {
        for r in Role::ALL {
            assert_eq!(MATRIX.iter().filter(|(m, _)| m == r).count(), 1, "{r:?}");
        }
        for r in [Role::CommuneGovernment, Role::MassOrganisation, Role::Viewer] {
            assert!(r.grants(Permission::ReadReportCounts));
            assert!(!r.grants(Permission::ReadReportContent));
            assert!(!r.grants(Permission::ReadReporterIdentity));
            assert!(!r.grants(Permission::ReadPersonalData));
            assert!(!Permission::ALL.iter().any(|p| p.is_write() && r.grants(*p)), "{r:?} is read-only");
        }
        assert!(!Permission::ALL.iter().any(|p| p.is_write() && Role::Auditor.grants(*p)));
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
