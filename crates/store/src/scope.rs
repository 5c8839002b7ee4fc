//! Who may see and change what: the one place that decides visibility of registry objects.
//!
//! Every repository function takes an [`Actor`]; list queries add [`Actor::organization_filter`] and
//! single-object reads and writes call [`Actor::check_read`] / [`Actor::check_write`] on the loaded row.
//! Handlers never make these decisions themselves.

use crate::entities::organization;
use crate::error::{Result, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition};
use serde::{Deserialize, Serialize};

/// A role of a signed-in user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Authority,
    Council,
    Operator,
    Staff,
    Monitor,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Admin, Role::Authority, Role::Council, Role::Operator, Role::Staff, Role::Monitor];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Authority => "authority",
            Role::Council => "council",
            Role::Operator => "operator",
            Role::Staff => "staff",
            Role::Monitor => "monitor",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// What part of the registry an actor's role applies to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Scope {
    /// Administrators and the command line.
    All,
    /// An authorised body (or a member of its public council): the organisations of its region and sphere.
    Authority { authority_id: i32, region_code: Option<String>, sphere: Option<String> },
    /// An operator company: the organisations of its contracts.
    Operator { operator_id: i32 },
    /// Staff of one organisation.
    Organization { organization_id: i32 },
    /// Read-only monitoring of all regions (`None`) or listed ones.
    Regions { regions: Option<Vec<String>> },
}

/// The user on whose behalf the store acts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub login: String,
    pub role: Role,
    pub scope: Scope,
}

impl Actor {
    /// The command line and background jobs: full access, audited as `system`.
    pub fn system() -> Actor {
        Actor { user_id: None, login: "system".into(), role: Role::Admin, scope: Scope::All }
    }

    /// A condition on the `organization` table selecting exactly the rows this actor may see.
    pub fn organization_filter(&self) -> Condition {
        use organization::Column as C;
        match &self.scope {
            Scope::All | Scope::Regions { regions: None } => Condition::all(),
            Scope::Authority { region_code, sphere, .. } => {
                let mut c = Condition::all();
                if let Some(r) = region_code {
                    c = c.add(C::RegionCode.eq(r.clone()));
                }
                if let Some(s) = sphere {
                    c = c.add(C::Sphere.eq(s.clone()));
                }
                c
            }
            Scope::Operator { operator_id } => {
                let sub = Query::select()
                    .column(("contract_organization", "organization_id"))
                    .from("contract_organization")
                    .inner_join(
                        "contract",
                        Expr::col(("contract", "id")).equals(("contract_organization", "contract_id")),
                    )
                    .and_where(Expr::col(("contract", "operator_id")).eq(*operator_id))
                    .to_owned();
                Condition::all().add(C::Id.in_subquery(sub))
            }
            Scope::Organization { organization_id } => Condition::all().add(C::Id.eq(*organization_id)),
            Scope::Regions { regions: Some(list) } => Condition::all().add(C::RegionCode.is_in(list.clone())),
        }
    }

    /// Whether the organisation is inside this actor's scope (operator scope needs the contract list).
    pub fn sees_organization(&self, org: &organization::Model, operator_orgs: Option<&[i32]>) -> bool {
        match &self.scope {
            Scope::All | Scope::Regions { regions: None } => true,
            Scope::Authority { region_code, sphere, .. } => {
                region_code.as_ref().is_none_or(|r| *r == org.region_code)
                    && sphere.as_ref().is_none_or(|s| *s == org.sphere)
            }
            Scope::Operator { .. } => operator_orgs.is_some_and(|ids| ids.contains(&org.id)),
            Scope::Organization { organization_id } => *organization_id == org.id,
            Scope::Regions { regions: Some(list) } => list.contains(&org.region_code),
        }
    }

    /// Whether this actor may create, edit, import or deactivate registry entries at all.
    pub fn may_edit_registry(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Authority)
    }

    /// Whether this actor may edit the card of an organisation it sees (staff edit their own card).
    pub fn may_edit_card(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Authority | Role::Staff)
    }

    /// Fails with `Forbidden` unless the actor may write registry data for an organisation in
    /// `region_code` / `sphere` (used for creation and import, before a row exists).
    pub fn check_registry_write(&self, region_code: &str, sphere: &str) -> Result<()> {
        if !self.may_edit_registry() {
            return Err(StoreError::Forbidden);
        }
        match &self.scope {
            Scope::All => Ok(()),
            Scope::Authority { region_code: r, sphere: s, .. } => {
                let ok = r.as_deref().is_none_or(|r| r == region_code) && s.as_deref().is_none_or(|s| s == sphere);
                if ok { Ok(()) } else { Err(StoreError::Forbidden) }
            }
            _ => Err(StoreError::Forbidden),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}
