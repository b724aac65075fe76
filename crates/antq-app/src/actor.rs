//! The authenticated caller and the checks every use-case makes.

use antq_domain::access::{Permission, Role, Scope};
use antq_store::users::UserRow;

use crate::{AppError, AppResult};

/// Who is acting: a logged-in user (web or API token) or the CLI operator.
#[derive(Clone, Debug)]
pub struct Actor {
    /// User id (`None` for the CLI operator).
    pub user_id: Option<i64>,
    /// Login name (for history entries).
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// The unit the user is bound to.
    pub unit_code: String,
    /// Where the user may act.
    pub scope: Scope,
    /// Acting through a read-only API token: every change is refused.
    pub read_only: bool,
    /// The request being served (recorded in audit entries).
    pub request_id: Option<String>,
}

impl Actor {
    /// The actor for a stored account.
    pub fn from_user(u: &UserRow) -> AppResult<Actor> {
        let role =
            Role::from_code(&u.role).ok_or_else(|| AppError::Internal(format!("vai trò không hợp lệ: {}", u.role)))?;
        Ok(Actor {
            user_id: Some(u.id),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role,
            unit_code: u.unit_code.clone(),
            scope: Scope::for_user(role, &u.province_code, u.commune_code.as_deref()),
            read_only: false,
            request_id: None,
        })
    }

    /// The operator at the command line: an administrator with national scope.
    pub fn cli() -> Actor {
        Actor {
            user_id: None,
            username: "cli".into(),
            display_name: "Dòng lệnh".into(),
            role: Role::Admin,
            unit_code: String::new(),
            scope: Scope::National,
            read_only: false,
            request_id: None,
        }
    }

    /// The place of the actor's own unit, for entries about the actor (logins, accounts).
    pub fn place(&self) -> (Option<String>, Option<String>) {
        (self.scope.province().map(str::to_string), self.scope.commune().map(str::to_string))
    }

    /// Fails with 403 unless the role grants `p`.
    pub fn require(&self, p: Permission) -> AppResult<()> {
        if self.read_only && p.is_write() {
            Err(AppError::Forbidden("Khoá API này chỉ được đọc, không được thay đổi dữ liệu.".into()))
        } else if self.role.grants(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!("Vai trò «{}» không được phép thực hiện thao tác này.", self.role.label())))
        }
    }

    /// Fails with 403 unless the role grants `p` and the place is in scope.
    pub fn require_in_scope(&self, p: Permission, province: &str, commune: Option<&str>) -> AppResult<()> {
        self.require(p)?;
        if self.scope.contains(province, commune) {
            Ok(())
        } else {
            Err(AppError::Forbidden("Dữ liệu này nằm ngoài địa bàn bạn được giao.".into()))
        }
    }

    /// Narrows requested province/commune filters to the actor's scope. A filter outside the
    /// scope is refused rather than silently replaced.
    pub fn narrow(
        &self,
        province: Option<String>,
        commune: Option<String>,
    ) -> AppResult<(Option<String>, Option<String>)> {
        let out_of_scope = || AppError::Forbidden("Bộ lọc địa bàn nằm ngoài địa bàn bạn được giao.".into());
        let province = match (self.scope.province(), province) {
            (Some(own), Some(p)) if own != p => return Err(out_of_scope()),
            (Some(own), _) => Some(own.to_string()),
            (None, p) => p,
        };
        let commune = match (self.scope.commune(), commune) {
            (Some(own), Some(c)) if own != c => return Err(out_of_scope()),
            (Some(own), _) => Some(own.to_string()),
            (None, c) => c,
        };
        Ok((province, commune))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commune_officer() -> Actor {
        Actor {
            user_id: Some(1),
            username: "u".into(),
            display_name: "U".into(),
            role: Role::CommuneOfficer,
            unit_code: "22333".into(),
            scope: Scope::Commune("56".into(), "22333".into()),
            read_only: false,
            request_id: None,
        }
    }

    #[test]
    fn narrows_to_scope() {
        let a = commune_officer();
        assert_eq!(a.narrow(None, None).unwrap(), (Some("56".into()), Some("22333".into())));
        assert!(a.narrow(Some("01".into()), None).is_err());
        assert!(a.narrow(None, Some("22334".into())).is_err());
        assert!(a.require_in_scope(Permission::WriteRegistry, "56", Some("22334")).is_err());
        assert!(a.require_in_scope(Permission::ManageTaxonomy, "56", Some("22333")).is_err());
        assert!(a.require_in_scope(Permission::WriteRegistry, "56", Some("22333")).is_ok());
        let ro = Actor { read_only: true, ..a };
        assert!(ro.require(Permission::WriteRegistry).is_err());
        assert!(ro.require(Permission::ReadRegistry).is_ok());
    }
}
