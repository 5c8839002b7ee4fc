//! Regional lists of the 1.1 items (information on the stands and on the website): an authority may
//! replace the methodology's list of its region and sphere for an assessment year by its own, started
//! from the methodology's list, then add, rename, reorder and remove items, or reset to the
//! methodology's list. Checklists, their XLSX files, live scores, aggregates and publications of the
//! organisations of that region, sphere and year then use the regional list (N_stand / N_site are its
//! length). Items taken over keep the methodology's ids (their ticks stay); added items get new ids
//! that are never reused.
//!
//! Editing is for the authority of the region and sphere and administrators; its public council and
//! monitors of the region read; nobody else. Every change is audited with the list before and after.
//!
//! | module | owns |
//! |---|---|
//! | this one | which list (`ListKey`), who may read or edit it, reading lists for the cabinet |
//! | `scoring` | the lists checklists are recorded and scored against (`ItemLists`) |
//! | `edit` | the changes: start, add, rename, move, remove, reset |

mod edit;
mod scoring;

pub use edit::{Change, MAX_NAME_CHARS, Move, change};
pub use scoring::{ItemLists, RegionalLists, YearLists, of_region, of_year};

use super::audit;
use super::checklists::definition_for_year;
use crate::entities::{region_checklist, region_checklist_item};
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Role, Scope};
use nok_methodology::{ChecklistItem, ChecklistSection, Definition, Sphere};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The sections an authority may replace by a regional list (indicator 1.1).
pub const SECTIONS: [ChecklistSection; 2] = [ChecklistSection::Stand, ChecklistSection::Site];

/// Which list: region, sphere, section (stands or website) and assessment year.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ListKey {
    pub region_code: String,
    pub sphere: Sphere,
    pub section: ChecklistSection,
    pub year: i32,
}

impl ListKey {
    /// The key from the parts of a URL; `None` when a part names nothing.
    pub fn parse(region_code: &str, sphere: &str, section: &str, year: i32) -> Option<ListKey> {
        let region = nok_registry::regions::all().iter().find(|r| r.code == region_code)?;
        let section = SECTIONS.into_iter().find(|s| s.key() == section)?;
        (2000..=2100).contains(&year).then_some(())?;
        Some(ListKey { region_code: region.code.to_owned(), sphere: Sphere::from_code(sphere)?, section, year })
    }

    /// `76/health/stand/2026`: the audit object id and the URL tail.
    pub fn path(&self) -> String {
        format!("{}/{}/{}/{}", self.region_code, self.sphere.code(), self.section.key(), self.year)
    }

    fn check(&self) -> Result<()> {
        match ListKey::parse(&self.region_code, self.sphere.code(), self.section.key(), self.year) {
            Some(_) => Ok(()),
            None => Err(StoreError::Invalid(format!("list: {} is not a list of 1.1 items", self.path()))),
        }
    }
}

/// Whether the actor's role and scope cover a region and sphere (an unset part of an authority's
/// scope covers all).
fn authority_covers(actor: &Actor, region_code: &str, sphere: Sphere) -> bool {
    match &actor.scope {
        Scope::Authority { region_code: r, sphere: s, .. } => {
            r.as_deref().is_none_or(|r| r == region_code) && s.as_deref().is_none_or(|s| s == sphere.code())
        }
        _ => false,
    }
}

/// Whether the actor may edit the lists of a region and sphere: its authority and administrators.
pub fn may_edit(actor: &Actor, region_code: &str, sphere: Sphere) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::Authority => authority_covers(actor, region_code, sphere),
        _ => false,
    }
}

/// Whether the actor may read the lists of a region and sphere: those who may edit them, the public
/// council of the authority, and monitors of the region.
pub fn may_read(actor: &Actor, region_code: &str, sphere: Sphere) -> bool {
    match (&actor.role, &actor.scope) {
        (Role::Admin, _) => true,
        (Role::Authority | Role::Council, _) => authority_covers(actor, region_code, sphere),
        (Role::Monitor, Scope::Regions { regions }) => {
            regions.as_ref().is_none_or(|list| list.iter().any(|r| r == region_code))
        }
        _ => false,
    }
}

/// Whether the actor's role reads regional lists at all (the cabinet page is refused to the others).
pub fn reads_lists(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Authority | Role::Council | Role::Monitor)
}

/// One item of a list as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct ListItem {
    pub id: String,
    pub name_ru: String,
    /// Taken over from the methodology's list (otherwise added by the authority).
    pub from_methodology: bool,
}

/// A list as the cabinet shows it: the regional one if made, else the methodology's.
#[derive(Clone, Debug)]
pub struct ListView {
    pub key: ListKey,
    /// The version the methodology's list comes from (the one for the year).
    pub definition: &'static Definition,
    /// The regional list's row, when the authority made one.
    pub regional: Option<region_checklist::Model>,
    pub items: Vec<ListItem>,
    pub may_edit: bool,
}

fn default_items(key: &ListKey) -> &'static [ChecklistItem] {
    definition_for_year(key.year).checklist(key.sphere, key.section)
}

async fn header<C: ConnectionTrait>(conn: &C, key: &ListKey) -> Result<Option<region_checklist::Model>> {
    Ok(region_checklist::Entity::find()
        .filter(region_checklist::Column::RegionCode.eq(key.region_code.as_str()))
        .filter(region_checklist::Column::Sphere.eq(key.sphere.code()))
        .filter(region_checklist::Column::Section.eq(key.section.key()))
        .filter(region_checklist::Column::Year.eq(key.year))
        .one(conn)
        .await?)
}

async fn rows<C: ConnectionTrait>(conn: &C, list_id: i32) -> Result<Vec<region_checklist_item::Model>> {
    Ok(region_checklist_item::Entity::find()
        .filter(region_checklist_item::Column::ListId.eq(list_id))
        .order_by_asc(region_checklist_item::Column::Position)
        .all(conn)
        .await?)
}

async fn view<C: ConnectionTrait>(conn: &C, actor: &Actor, key: &ListKey) -> Result<ListView> {
    let defaults = default_items(key);
    let regional = header(conn, key).await?;
    let items = match &regional {
        Some(h) => rows(conn, h.id)
            .await?
            .into_iter()
            .map(|r| ListItem {
                from_methodology: defaults.iter().any(|d| d.id == r.item_id),
                id: r.item_id,
                name_ru: r.name_ru,
            })
            .collect(),
        None => defaults
            .iter()
            .map(|d| ListItem { id: d.id.clone(), name_ru: d.name_ru.clone(), from_methodology: true })
            .collect(),
    };
    Ok(ListView {
        key: key.clone(),
        definition: definition_for_year(key.year),
        regional,
        items,
        may_edit: may_edit(actor, &key.region_code, key.sphere),
    })
}

/// A list the actor may read.
pub async fn get<C: ConnectionTrait>(conn: &C, actor: &Actor, key: &ListKey) -> Result<ListView> {
    key.check()?;
    if !may_read(actor, &key.region_code, key.sphere) {
        return Err(StoreError::Forbidden);
    }
    view(conn, actor, key).await
}

/// One line of the overview.
#[derive(Clone, Debug)]
pub struct ListSummary {
    pub key: ListKey,
    pub items: usize,
    /// The regional list's row, when the authority made one.
    pub regional: Option<region_checklist::Model>,
}

/// The lists of `year` the actor sees: both 1.1 lists of the region and sphere an authority (or its
/// council) is bound to, regional or not, and every regional list of the year the actor may read.
pub async fn overview<C: ConnectionTrait>(conn: &C, actor: &Actor, year: i32) -> Result<Vec<ListSummary>> {
    if !reads_lists(actor) {
        return Err(StoreError::Forbidden);
    }
    let mut keys: Vec<ListKey> = Vec::new();
    if let Scope::Authority { region_code: Some(region), sphere: Some(sphere), .. } = &actor.scope
        && let Some(sphere) = Sphere::from_code(sphere)
    {
        keys.extend(SECTIONS.map(|section| ListKey { region_code: region.clone(), sphere, section, year }));
    }
    let headers = region_checklist::Entity::find().filter(region_checklist::Column::Year.eq(year)).all(conn).await?;
    for h in &headers {
        if let Some(key) = ListKey::parse(&h.region_code, &h.sphere, &h.section, h.year)
            && may_read(actor, &key.region_code, key.sphere)
            && !keys.contains(&key)
        {
            keys.push(key);
        }
    }
    keys.retain(|k| k.check().is_ok());
    keys.sort_by(|a, b| (&a.region_code, a.sphere, a.section).cmp(&(&b.region_code, b.sphere, b.section)));
    let mut out = Vec::new();
    for key in keys {
        let v = view(conn, actor, &key).await?;
        out.push(ListSummary { items: v.items.len(), regional: v.regional, key });
    }
    Ok(out)
}

/// The change history of a list the actor may read.
pub async fn history<C: ConnectionTrait>(conn: &C, actor: &Actor, key: &ListKey) -> Result<Vec<audit::HistoryEntry>> {
    get(conn, actor, key).await?;
    audit::history(conn, "checklist_list", &key.path()).await
}
