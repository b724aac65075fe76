//! The place pickers shared by list filters and forms: what a user sees depends on scope
//! (an administrator picks a province then a commune; a province officer picks a commune of
//! their province; a commune officer's place is fixed).

use antq_domain::access::Scope;

use super::Opt;
use super::units::{commune_opts, province_opts};
use crate::AppState;
use crate::auth::PageActor;

/// Province/commune selects of a list filter.
pub struct PlaceFilter {
    /// Show the province select.
    pub show_province: bool,
    /// Show the commune select.
    pub show_commune: bool,
    /// Province options.
    pub provinces: Vec<Opt>,
    /// Commune options.
    pub communes: Vec<Opt>,
}

impl PlaceFilter {
    /// The filter for the actor, with the current selection.
    pub async fn build(s: &AppState, p: &PageActor, province: Option<&str>, commune: Option<&str>) -> PlaceFilter {
        match &p.actor.scope {
            Scope::National => PlaceFilter {
                show_province: true,
                show_commune: true,
                provinces: province_opts(s, province).await,
                communes: commune_opts(s, p, province.map(Into::into), commune).await,
            },
            Scope::Province(own) => PlaceFilter {
                show_province: false,
                show_commune: true,
                provinces: Vec::new(),
                communes: commune_opts(s, p, Some(own.clone()), commune).await,
            },
            Scope::Commune(..) => {
                PlaceFilter { show_province: false, show_commune: false, provinces: Vec::new(), communes: Vec::new() }
            }
        }
    }
}

/// The commune field of a form.
pub struct CommuneField {
    /// The commune is the user's own and cannot change.
    pub fixed: bool,
    /// Current value.
    pub value: String,
    /// Label of the fixed commune.
    pub label: String,
    /// Show the province select that loads the communes.
    pub show_province: bool,
    /// Province options.
    pub provinces: Vec<Opt>,
    /// Commune options.
    pub communes: Vec<Opt>,
}

impl CommuneField {
    /// The field for the actor with `selected` preselected.
    pub async fn build(s: &AppState, p: &PageActor, selected: Option<&str>) -> CommuneField {
        match &p.actor.scope {
            Scope::Commune(_, own) => {
                let label = antq_app::units::names(&s.ctx, [own.clone()])
                    .await
                    .ok()
                    .and_then(|mut m| m.remove(own))
                    .unwrap_or_else(|| own.clone());
                CommuneField {
                    fixed: true,
                    value: own.clone(),
                    label,
                    show_province: false,
                    provinces: Vec::new(),
                    communes: Vec::new(),
                }
            }
            Scope::Province(own) => CommuneField {
                fixed: false,
                value: selected.unwrap_or_default().into(),
                label: String::new(),
                show_province: false,
                provinces: Vec::new(),
                communes: commune_opts(s, p, Some(own.clone()), selected).await,
            },
            Scope::National => {
                let province = match selected {
                    Some(c) => antq_app::units::get(&s.ctx, &p.actor, c).await.ok().and_then(|u| u.parent_code),
                    None => None,
                };
                CommuneField {
                    fixed: false,
                    value: selected.unwrap_or_default().into(),
                    label: String::new(),
                    show_province: true,
                    provinces: province_opts(s, province.as_deref()).await,
                    communes: commune_opts(s, p, province, selected).await,
                }
            }
        }
    }
}
