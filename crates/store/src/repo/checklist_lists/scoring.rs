//! The item lists an organisation's checklist is recorded and scored against: the definition's, with
//! the region's own 1.1 lists in their place where its authority made them for the year. Read in bulk
//! for aggregates and publications, or for one region and sphere.

use super::SECTIONS;
use crate::entities::{region_checklist, region_checklist_item};
use crate::error::Result;
use nok_methodology::checklist::counts_of;
use nok_methodology::{
    ChecklistCounts, ChecklistItem, ChecklistMarks, ChecklistSection, Definition, Mark, Shortcoming, Sphere,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::Arc;

/// The regional lists of one region and sphere for a year (sections without one: `None`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegionalLists {
    stand: Option<Vec<ChecklistItem>>,
    site: Option<Vec<ChecklistItem>>,
}

impl RegionalLists {
    /// The regional list of `section`, if the authority made one.
    pub fn get(&self, section: ChecklistSection) -> Option<&[ChecklistItem]> {
        match section {
            ChecklistSection::Stand => self.stand.as_deref(),
            ChecklistSection::Site => self.site.as_deref(),
            _ => None,
        }
    }

    fn set(&mut self, section: ChecklistSection, items: Vec<ChecklistItem>) {
        match section {
            ChecklistSection::Stand => self.stand = Some(items),
            ChecklistSection::Site => self.site = Some(items),
            _ => {}
        }
    }

    /// The sections that have a regional list.
    pub fn sections(&self) -> Vec<ChecklistSection> {
        SECTIONS.into_iter().filter(|s| self.get(*s).is_some()).collect()
    }
}

/// The item lists an organisation's checklist is recorded and scored against: the definition's, with
/// the region's own 1.1 lists in their place where the authority made them.
#[derive(Clone, Debug)]
pub struct ItemLists {
    pub definition: &'static Definition,
    pub sphere: Sphere,
    pub regional: Arc<RegionalLists>,
}

impl ItemLists {
    /// The definition's lists only.
    pub fn methodology(definition: &'static Definition, sphere: Sphere) -> ItemLists {
        ItemLists { definition, sphere, regional: Arc::default() }
    }

    /// The items of `section` in use.
    pub fn items(&self, section: ChecklistSection) -> &[ChecklistItem] {
        self.regional.get(section).unwrap_or_else(|| self.definition.checklist(self.sphere, section))
    }

    /// Whether `section` uses the region's own list.
    pub fn is_regional(&self, section: ChecklistSection) -> bool {
        self.regional.get(section).is_some()
    }

    /// Counts for scoring (N_stand and N_site are the lengths of the lists in use).
    pub fn counts(&self, marks: &ChecklistMarks) -> ChecklistCounts {
        counts_of(|s| self.items(s), marks)
    }

    /// Every item of the lists in use that is not ticked.
    pub fn shortcomings(&self, marks: &ChecklistMarks) -> Vec<Shortcoming> {
        self.definition.shortcomings_of(self.sphere, |s| self.items(s), marks)
    }
}

/// Regional lists of one year by region code, per sphere (indexed by `Sphere::index`).
#[derive(Clone, Debug, Default)]
pub struct YearLists(HashMap<String, [Option<Arc<RegionalLists>>; 5]>);

impl YearLists {
    /// The lists of a region and sphere (empty when the authority made none).
    pub fn get(&self, region_code: &str, sphere: Sphere) -> Option<&Arc<RegionalLists>> {
        self.0.get(region_code).and_then(|by_sphere| by_sphere[sphere.index()].as_ref())
    }
}

fn item(m: &region_checklist_item::Model) -> ChecklistItem {
    // The authority states the list for its region: not a configurable default of the program.
    ChecklistItem { id: m.item_id.clone(), name_ru: m.name_ru.clone(), mark: Mark::A }
}

/// The regional lists of `year` (no scope check: they only decide how checklists are scored).
pub async fn of_year<C: ConnectionTrait>(conn: &C, year: i32) -> Result<YearLists> {
    let headers = region_checklist::Entity::find().filter(region_checklist::Column::Year.eq(year)).all(conn).await?;
    collect(conn, headers).await
}

/// The regional lists of a region and sphere for `year`.
pub async fn of_region<C: ConnectionTrait>(
    conn: &C,
    region_code: &str,
    sphere: Sphere,
    year: i32,
) -> Result<Arc<RegionalLists>> {
    let headers = region_checklist::Entity::find()
        .filter(region_checklist::Column::Year.eq(year))
        .filter(region_checklist::Column::RegionCode.eq(region_code))
        .filter(region_checklist::Column::Sphere.eq(sphere.code()))
        .all(conn)
        .await?;
    Ok(collect(conn, headers).await?.get(region_code, sphere).cloned().unwrap_or_default())
}

async fn collect<C: ConnectionTrait>(conn: &C, headers: Vec<region_checklist::Model>) -> Result<YearLists> {
    let mut out = YearLists::default();
    if headers.is_empty() {
        return Ok(out);
    }
    let mut items: HashMap<i32, Vec<ChecklistItem>> = HashMap::new();
    let ids: Vec<i32> = headers.iter().map(|h| h.id).collect();
    for chunk in ids.chunks(500) {
        let rows = region_checklist_item::Entity::find()
            .filter(region_checklist_item::Column::ListId.is_in(chunk.iter().copied()))
            .order_by_asc(region_checklist_item::Column::ListId)
            .order_by_asc(region_checklist_item::Column::Position)
            .all(conn)
            .await?;
        for r in &rows {
            items.entry(r.list_id).or_default().push(item(r));
        }
    }
    let mut lists: HashMap<(String, Sphere), RegionalLists> = HashMap::new();
    for h in headers {
        let (Some(sphere), Some(section)) =
            (Sphere::from_code(&h.sphere), SECTIONS.into_iter().find(|s| s.key() == h.section))
        else {
            continue;
        };
        let list = items.remove(&h.id).unwrap_or_default();
        lists.entry((h.region_code, sphere)).or_default().set(section, list);
    }
    for ((region, sphere), l) in lists {
        out.0.entry(region).or_default()[sphere.index()] = Some(Arc::new(l));
    }
    Ok(out)
}
