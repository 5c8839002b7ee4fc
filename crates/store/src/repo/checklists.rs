//! Operator checklists per organisation and assessment year: the items of the sphere's lists from the
//! methodology definition (1.1 stand and website, 1.2 remote channels, 2.1, 3.1, 3.2) each present or
//! absent with a comment and an evidence note, and the waiting time. Reading needs the organisation in
//! the actor's scope; recording is for the operator of a contract over it, the authority of its
//! region and sphere, and administrators. Every save is audited. Absent items are the shortcomings
//! offered for the improvement plan. Where the authority has made a regional 1.1 list for the
//! organisation's region, sphere and year (`checklist_lists`), it takes the methodology's place.

use super::audit::{self, Entry};
use super::checklist_lists::{self, ItemLists};
use super::organizations;
use crate::Db;
use crate::entities::{checklist, checklist_item, organization};
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Role};
use crate::time_util::now;
use nok_methodology::{
    ChecklistCounts, ChecklistItem, ChecklistMarks, ChecklistSection, Definition, Shortcoming, Sphere,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Longest comment or evidence note kept (characters).
pub const MAX_NOTE_CHARS: usize = 2000;

/// One item as the form or a file sends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemInput {
    pub item_id: String,
    pub present: bool,
    /// Remote channels: the operator tried it and it works (ignored for other sections).
    #[serde(default)]
    pub tried: bool,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub evidence: Option<String>,
}

/// A whole checklist as recorded. Items of the sphere's lists not mentioned are absent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChecklistInput {
    pub items: Vec<ItemInput>,
    /// Average waiting time in days (spheres with a waiting-time scale); turned into points.
    #[serde(default)]
    pub waiting_days: Option<f64>,
    /// Points of the waiting-time scale entered directly (used when `waiting_days` is not given).
    #[serde(default)]
    pub waiting_points: Option<f64>,
}

/// One item with its recorded state.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemState {
    pub item: ChecklistItem,
    pub present: bool,
    pub tried: bool,
    pub comment: String,
    pub evidence: String,
}

impl ItemState {
    /// Whether the item scores: present, and for remote channels also tried and working.
    pub fn counts(&self, section: ChecklistSection) -> bool {
        self.present && (section != ChecklistSection::Remote || self.tried)
    }
}

/// The items of one section.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SectionState {
    pub section: ChecklistSection,
    /// The indicator the section feeds (`1.1`, `1.2`, …), if the sphere uses it.
    pub indicator: Option<String>,
    /// The items are the region's own list («региональный перечень»), not the methodology's.
    pub regional: bool,
    pub items: Vec<ItemState>,
}

/// A checklist as shown and scored.
#[derive(Clone, Debug)]
pub struct Checklist {
    pub organization: organization::Model,
    pub sphere: Sphere,
    pub year: i32,
    /// The definition whose lists are used (the recorded one, or the one in force for a new checklist).
    pub definition: &'static Definition,
    /// The item lists used: the definition's, or the region's own 1.1 lists in their place.
    pub lists: ItemLists,
    /// The stored row, when the checklist has been recorded.
    pub recorded: Option<checklist::Model>,
    pub sections: Vec<SectionState>,
    pub waiting_days: Option<f64>,
    pub waiting_points: Option<f64>,
    /// Whether the acting user may record it.
    pub may_edit: bool,
}

/// A shortcoming with the operator's comment on it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShortcomingRow {
    pub shortcoming: Shortcoming,
    pub comment: String,
}

impl Checklist {
    /// The ticks the engine reads.
    pub fn marks(&self) -> ChecklistMarks {
        let present = self
            .sections
            .iter()
            .flat_map(|s| s.items.iter().filter(|i| i.counts(s.section)).map(|i| i.item.id.clone()))
            .collect();
        ChecklistMarks { present, waiting_points: self.waiting_points }
    }

    /// Counts for scoring.
    pub fn counts(&self) -> ChecklistCounts {
        self.lists.counts(&self.marks())
    }

    /// Every item that does not score, with its comment: rows offered for the improvement plan.
    pub fn shortcomings(&self) -> Vec<ShortcomingRow> {
        let comments: HashMap<&str, &str> = self
            .sections
            .iter()
            .flat_map(|s| s.items.iter().map(|i| (i.item.id.as_str(), i.comment.as_str())))
            .collect();
        self.lists
            .shortcomings(&self.marks())
            .into_iter()
            .map(|s| {
                let comment = comments.get(s.item_id.as_str()).copied().unwrap_or_default().to_owned();
                ShortcomingRow { shortcoming: s, comment }
            })
            .collect()
    }

    /// Whether the sphere's definition takes a waiting-time figure.
    pub fn takes_waiting_time(&self) -> bool {
        self.definition.accepts_waiting_points(self.sphere)
    }
}

/// The definition a stored id names (the one in force today if it is not shipped any more).
pub fn definition_by_id(id: &str) -> &'static Definition {
    Definition::by_id(id).unwrap_or_else(Definition::current)
}

/// The definition for a new checklist of assessment year `year`: the one in force on the last day of
/// that year, or today for the current and future years.
pub fn definition_for_year(year: i32) -> &'static Definition {
    let today = time::OffsetDateTime::now_utc().date();
    let end = time::Date::from_calendar_date(year, time::Month::December, 31).unwrap_or(today);
    Definition::for_date(end.min(today))
}

/// Whether the actor's role may record checklists (visibility is checked separately).
pub fn may_record(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Authority | Role::Operator)
}

fn sphere_of(org: &organization::Model) -> Result<Sphere> {
    Sphere::from_code(&org.sphere).ok_or_else(|| StoreError::Invalid(format!("sphere: unknown code {:?}", org.sphere)))
}

/// The checklist of an organisation the actor sees, for `year` (empty when not recorded yet).
pub async fn get<C: ConnectionTrait>(conn: &C, actor: &Actor, organization_id: i32, year: i32) -> Result<Checklist> {
    let org = organizations::get(conn, actor, organization_id).await?;
    let mut c = load(conn, org, year).await?;
    c.may_edit = may_record(actor);
    Ok(c)
}

/// Loads a checklist without a scope check (callers have checked it).
async fn load<C: ConnectionTrait>(conn: &C, org: organization::Model, year: i32) -> Result<Checklist> {
    let sphere = sphere_of(&org)?;
    let recorded = checklist::Entity::find()
        .filter(checklist::Column::OrganizationId.eq(org.id))
        .filter(checklist::Column::Year.eq(year))
        .one(conn)
        .await?;
    let items: HashMap<String, checklist_item::Model> = match &recorded {
        Some(r) => checklist_item::Entity::find()
            .filter(checklist_item::Column::ChecklistId.eq(r.id))
            .all(conn)
            .await?
            .into_iter()
            .map(|i| (i.item_id.clone(), i))
            .collect(),
        None => HashMap::new(),
    };
    let definition = recorded.as_ref().map_or_else(|| definition_for_year(year), |r| definition_by_id(&r.methodology));
    let regional = checklist_lists::of_region(conn, &org.region_code, sphere, year).await?;
    let lists = ItemLists { definition, sphere, regional };
    let sections = ChecklistSection::ALL
        .into_iter()
        .filter_map(|section| {
            let list = lists.items(section);
            if list.is_empty() {
                return None;
            }
            let items = list
                .iter()
                .map(|item| {
                    let stored = items.get(&item.id);
                    ItemState {
                        item: item.clone(),
                        present: stored.is_some_and(|s| s.present),
                        tried: stored.is_some_and(|s| s.tried == Some(true)),
                        comment: stored.and_then(|s| s.comment.clone()).unwrap_or_default(),
                        evidence: stored.and_then(|s| s.evidence.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            let indicator = definition.indicator_using(sphere, section.present_field()).map(|i| i.id.clone());
            Some(SectionState { section, indicator, regional: lists.is_regional(section), items })
        })
        .collect();
    Ok(Checklist {
        waiting_days: recorded.as_ref().and_then(|r| r.waiting_days),
        waiting_points: recorded.as_ref().and_then(|r| r.waiting_points),
        organization: org,
        sphere,
        year,
        definition,
        lists,
        recorded,
        sections,
        may_edit: false,
    })
}

/// A note as stored: trimmed, empty → none, at most [`MAX_NOTE_CHARS`].
fn note(text: &Option<String>, field: &str) -> Result<Option<String>> {
    let Some(t) = text.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if t.chars().count() > MAX_NOTE_CHARS {
        return Err(StoreError::Invalid(format!("{field}: longer than {MAX_NOTE_CHARS} characters")));
    }
    Ok(Some(t.to_owned()))
}

/// The waiting-time figures to store: days (when the sphere has a scale) and points.
fn waiting(def: &Definition, sphere: Sphere, input: &ChecklistInput) -> Result<(Option<f64>, Option<f64>)> {
    if input.waiting_days.is_none() && input.waiting_points.is_none() {
        return Ok((None, None));
    }
    if !def.accepts_waiting_points(sphere) {
        return Err(StoreError::Invalid(format!("waiting_days: the sphere {sphere} does not measure waiting time")));
    }
    if let Some(days) = input.waiting_days {
        if !days.is_finite() || days < 0.0 {
            return Err(StoreError::Invalid("waiting_days: a number of days, 0 or more".into()));
        }
        let scale = def
            .waiting_scale(sphere)
            .ok_or_else(|| StoreError::Invalid(format!("waiting_days: no waiting-time scale for {sphere}")))?;
        return Ok((Some(days), Some(scale.points(days))));
    }
    match input.waiting_points {
        Some(p) if p.is_finite() && (0.0..=100.0).contains(&p) => Ok((None, Some(p))),
        _ => Err(StoreError::Invalid("waiting_points: points from 0 to 100".into())),
    }
}

/// Item rows to store for every item of the lists in use.
fn item_rows(lists: &ItemLists, checklist_id: i32, input: &ChecklistInput) -> Result<Vec<checklist_item::ActiveModel>> {
    let mut given: HashMap<&str, &ItemInput> = HashMap::new();
    for i in &input.items {
        if given.insert(i.item_id.as_str(), i).is_some() {
            return Err(StoreError::Invalid(format!("items: item {} given twice", i.item_id)));
        }
    }
    let mut rows = Vec::new();
    let mut known = BTreeSet::new();
    for section in ChecklistSection::ALL {
        for item in lists.items(section) {
            known.insert(item.id.as_str());
            let g = given.get(item.id.as_str());
            let field = format!("items.{}", item.id);
            rows.push(checklist_item::ActiveModel {
                checklist_id: Set(checklist_id),
                item_id: Set(item.id.clone()),
                present: Set(g.is_some_and(|g| g.present)),
                tried: Set((section == ChecklistSection::Remote).then(|| g.is_some_and(|g| g.tried))),
                comment: Set(note(&g.and_then(|g| g.comment.clone()), &format!("{field}.comment"))?),
                evidence: Set(note(&g.and_then(|g| g.evidence.clone()), &format!("{field}.evidence"))?),
            });
        }
    }
    if let Some(unknown) = input.items.iter().find(|i| !known.contains(i.item_id.as_str())) {
        return Err(StoreError::Invalid(format!(
            "items: {} is not an item of the {} checklist of {}",
            unknown.item_id, lists.sphere, lists.definition.id
        )));
    }
    Ok(rows)
}

/// What the audit log keeps of a checklist: the items present, the comments and the waiting time.
fn audit_value(c: &Checklist) -> serde_json::Value {
    let mut present = Vec::new();
    let mut absent = Vec::new();
    let mut notes = serde_json::Map::new();
    for s in &c.sections {
        for i in &s.items {
            if i.counts(s.section) { &mut present } else { &mut absent }.push(i.item.id.clone());
            if !i.comment.is_empty() || !i.evidence.is_empty() {
                notes.insert(i.item.id.clone(), serde_json::json!({ "comment": i.comment, "evidence": i.evidence }));
            }
        }
    }
    serde_json::json!({
        "methodology": c.definition.id,
        "regional_lists": c.lists.regional.sections().iter().map(|s| s.key()).collect::<Vec<_>>(),
        "present": present,
        "absent": absent,
        "notes": notes,
        "waiting_days": c.waiting_days,
        "waiting_points": c.waiting_points,
    })
}

/// Records the checklist of `organization_id` for `year` (replacing a previous one), audited.
pub async fn save(
    db: &Db,
    actor: &Actor,
    organization_id: i32,
    year: i32,
    input: &ChecklistInput,
) -> Result<Checklist> {
    let org = organizations::get(&db.write, actor, organization_id).await?;
    if !may_record(actor) {
        return Err(StoreError::Forbidden);
    }
    if !(2000..=2100).contains(&year) {
        return Err(StoreError::Invalid(format!("year: {year} is not an assessment year")));
    }
    // Validate against the lists in use before writing anything.
    let probe = load(&db.write, org.clone(), year).await?;
    let (def, sphere) = (probe.definition, probe.sphere);
    let (waiting_days, waiting_points) = waiting(def, sphere, input)?;
    let mut rows = item_rows(&probe.lists, 0, input)?;
    let txn = db.write.begin().await?;
    let before = load(&txn, org.clone(), year).await?;
    if before.definition.id != def.id || before.lists.regional != probe.lists.regional {
        return Err(StoreError::Conflict("the checklist changed while it was being saved".into()));
    }
    let at = now();
    let checklist_id = match &before.recorded {
        Some(r) => {
            let mut m: checklist::ActiveModel = r.clone().into();
            m.waiting_days = Set(waiting_days);
            m.waiting_points = Set(waiting_points);
            m.updated_at = Set(at);
            m.updated_by = Set(actor.login.clone());
            checklist::Entity::update(m).exec(&txn).await?;
            checklist_item::Entity::delete_many()
                .filter(checklist_item::Column::ChecklistId.eq(r.id))
                .exec(&txn)
                .await?;
            r.id
        }
        None => {
            let m = checklist::ActiveModel {
                id: Default::default(),
                organization_id: Set(org.id),
                year: Set(year),
                methodology: Set(def.id.clone()),
                waiting_days: Set(waiting_days),
                waiting_points: Set(waiting_points),
                created_at: Set(at),
                updated_at: Set(at),
                updated_by: Set(actor.login.clone()),
            };
            checklist::Entity::insert(m).exec_with_returning(&txn).await?.id
        }
    };
    for r in &mut rows {
        r.checklist_id = Set(checklist_id);
    }
    if !rows.is_empty() {
        checklist_item::Entity::insert_many(rows).exec_without_returning(&txn).await?;
    }
    let mut after = load(&txn, org, year).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "checklist.save",
            object_type: "checklist",
            object_id: format!("{organization_id}/{year}"),
            before: before.recorded.as_ref().map(|_| audit_value(&before)),
            after: Some(audit_value(&after)),
            ip_hash: None,
        },
    )
    .await?;
    txn.commit().await?;
    after.may_edit = true;
    Ok(after)
}

/// The shortcomings (absent items) of an organisation's checklist for `year`, for the improvement plan.
pub async fn shortcomings<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
    year: i32,
) -> Result<Vec<ShortcomingRow>> {
    let c = get(conn, actor, organization_id, year).await?;
    if c.recorded.is_none() {
        return Ok(Vec::new());
    }
    Ok(c.shortcomings())
}

/// The change history of a checklist the actor may see.
pub async fn history<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
    year: i32,
) -> Result<Vec<audit::HistoryEntry>> {
    audit::yearly_history(conn, actor, "checklist", organization_id, year).await
}

/// A recorded checklist reduced to what scoring needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub definition: &'static Definition,
    pub marks: ChecklistMarks,
}

impl Recorded {
    /// The lists an organisation of `sphere` is scored against, with its region's own lists if any.
    pub fn lists(&self, sphere: Sphere, regional: Option<&Arc<checklist_lists::RegionalLists>>) -> ItemLists {
        ItemLists { definition: self.definition, sphere, regional: regional.cloned().unwrap_or_default() }
    }

    /// Counts for scoring an organisation of `sphere` against the methodology's lists only.
    pub fn counts(&self, sphere: Sphere) -> ChecklistCounts {
        self.lists(sphere, None).counts(&self.marks)
    }
}

/// The recorded checklists of `year` for the given organisations (all organisations when `None`),
/// by organisation id. No scope check: callers pass organisations the actor sees.
pub async fn recorded<C: ConnectionTrait>(
    conn: &C,
    year: i32,
    organization_ids: Option<&[i32]>,
) -> Result<HashMap<i32, Recorded>> {
    let mut q = checklist::Entity::find().filter(checklist::Column::Year.eq(year));
    if let Some(ids) = organization_ids
        && ids.len() <= 500
    {
        q = q.filter(checklist::Column::OrganizationId.is_in(ids.iter().copied()));
    }
    let rows = q.all(conn).await?;
    let wanted: Option<BTreeSet<i32>> = organization_ids.map(|ids| ids.iter().copied().collect());
    let rows: Vec<checklist::Model> =
        rows.into_iter().filter(|r| wanted.as_ref().is_none_or(|w| w.contains(&r.organization_id))).collect();
    let mut by_checklist: HashMap<i32, (i32, Recorded)> = rows
        .iter()
        .map(|r| {
            let rec = Recorded {
                definition: definition_by_id(&r.methodology),
                marks: ChecklistMarks { present: BTreeSet::new(), waiting_points: r.waiting_points },
            };
            (r.id, (r.organization_id, rec))
        })
        .collect();
    if !by_checklist.is_empty() {
        let ids: Vec<i32> = by_checklist.keys().copied().collect();
        for chunk in ids.chunks(500) {
            let items: Vec<(i32, String, Option<bool>)> = checklist_item::Entity::find()
                .select_only()
                .columns([
                    checklist_item::Column::ChecklistId,
                    checklist_item::Column::ItemId,
                    checklist_item::Column::Tried,
                ])
                .filter(checklist_item::Column::ChecklistId.is_in(chunk.iter().copied()))
                .filter(checklist_item::Column::Present.eq(true))
                .into_tuple()
                .all(conn)
                .await?;
            for (checklist_id, item_id, tried) in items {
                if tried == Some(false) {
                    continue; // a remote channel shown but not working does not score
                }
                if let Some((_, rec)) = by_checklist.get_mut(&checklist_id) {
                    rec.marks.present.insert(item_id);
                }
            }
        }
    }
    Ok(by_checklist.into_values().collect())
}
