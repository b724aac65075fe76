//! Typed identifiers: an id of one table cannot be passed where another is expected.

macro_rules! id_type {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )*};
}

id_type!(
    /// A user account.
    UserId,
    /// A residential area (khu dân cư).
    AreaId,
    /// An agency, business or school (cơ quan, doanh nghiệp, cơ sở giáo dục).
    EstablishmentId,
    /// A movement model (mô hình).
    ModelId,
    /// A model type in the taxonomy.
    ModelTypeId,
    /// A replication site (điểm) of a model.
    SiteId,
    /// An implementing team (tổ) of a site.
    TeamId,
    /// A Tổ bảo vệ ANTT (Luật 30/2023).
    ForceTeamId,
    /// A membership of a person in a Tổ bảo vệ ANTT.
    MemberId,
    /// A training course of the base-level force.
    CourseId,
);
