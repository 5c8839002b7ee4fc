//! Changes to a regional list, each in one transaction and audited with the list before and after:
//! start it from the methodology's list, add, rename, move and remove items, reset to the
//! methodology's list. Added items get ids numbered per list and never reused.

use super::{ListItem, ListKey, ListView, default_items, header, may_edit, rows, view};
use crate::Db;
use crate::entities::{region_checklist, region_checklist_item};
use crate::error::{Result, StoreError};
use crate::repo::audit::{self, Entry};
use crate::repo::checklists::definition_for_year;
use crate::scope::Actor;
use crate::time_util::now;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};

/// Longest item name (characters).
pub const MAX_NAME_CHARS: usize = 1000;

/// How an item moves in its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

/// A change to a list.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Make the regional list from the methodology's.
    Start,
    /// Add an item at the end.
    Add {
        name: String,
    },
    Rename {
        item_id: String,
        name: String,
    },
    Move {
        item_id: String,
        direction: Move,
    },
    Remove {
        item_id: String,
    },
    /// Drop the regional list: the methodology's applies again.
    Reset,
}

impl Change {
    fn action(&self) -> &'static str {
        match self {
            Change::Start => "checklist_list.start",
            Change::Add { .. } => "checklist_list.add",
            Change::Rename { .. } => "checklist_list.rename",
            Change::Move { .. } => "checklist_list.move",
            Change::Remove { .. } => "checklist_list.remove",
            Change::Reset => "checklist_list.reset",
        }
    }
}

/// A refusal the user can act on; the message starts with the code the web catalogue names
/// (`cll-err-{code}`).
fn refused(code: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("{code}: {detail}"))
}

/// An item name as stored: trimmed, inner whitespace collapsed, not empty, not too long, and not the
/// name of another item of the list.
fn name(text: &str, others: &[region_checklist_item::Model], except: Option<&str>) -> Result<String> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(refused("name-empty", "the item needs a name"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(refused("name-long", format!("longer than {MAX_NAME_CHARS} characters")));
    }
    let same = |o: &&region_checklist_item::Model| {
        Some(o.item_id.as_str()) != except && o.name_ru.to_lowercase() == name.to_lowercase()
    };
    if others.iter().any(|o| same(&o)) {
        return Err(refused("name-duplicate", "the list already has an item with this name"));
    }
    Ok(name)
}

fn audit_items(items: &[ListItem]) -> serde_json::Value {
    serde_json::json!({
        "items": items.iter().map(|i| serde_json::json!({ "id": i.id, "name": i.name_ru })).collect::<Vec<_>>(),
    })
}

/// Applies `change` to a list the actor may edit, in one transaction, audited with the list before
/// and after. Returns the list as it is afterwards.
pub async fn change(db: &Db, actor: &Actor, key: &ListKey, change: &Change) -> Result<ListView> {
    key.check()?;
    if !may_edit(actor, &key.region_code, key.sphere) {
        return Err(StoreError::Forbidden);
    }
    let txn = db.write.begin().await?;
    let at = now();
    if let Some(h) = header(&txn, key).await? {
        // Written first, so that concurrent changes of the same list wait for this one (row lock).
        let mut touched: region_checklist::ActiveModel = h.into();
        touched.updated_at = Set(at);
        touched.updated_by = Set(actor.login.clone());
        region_checklist::Entity::update(touched).exec(&txn).await?;
    }
    let before = view(&txn, actor, key).await?;
    match (change, &before.regional) {
        (Change::Start, Some(_)) => return Err(refused("list-exists", "the regional list already exists")),
        (Change::Start, None) => start(&txn, actor, key, at).await?,
        (_, None) => return Err(refused("no-list", "start the regional list first")),
        (Change::Reset, Some(h)) => {
            region_checklist_item::Entity::delete_many()
                .filter(region_checklist_item::Column::ListId.eq(h.id))
                .exec(&txn)
                .await?;
            region_checklist::Entity::delete_by_id(h.id).exec(&txn).await?;
        }
        (_, Some(h)) => edit(&txn, actor, h, change, at).await?,
    }
    let after = view(&txn, actor, key).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: change.action(),
            object_type: "checklist_list",
            object_id: key.path(),
            before: Some(audit_items(&before.items)),
            after: Some(audit_items(&after.items)),
            ip_hash: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

async fn start<C: ConnectionTrait>(conn: &C, actor: &Actor, key: &ListKey, at: i64) -> Result<()> {
    let defaults = default_items(key);
    if defaults.is_empty() {
        return Err(refused("no-default", format!("the sphere {} has no such list", key.sphere)));
    }
    let h = region_checklist::Entity::insert(region_checklist::ActiveModel {
        id: Default::default(),
        region_code: Set(key.region_code.clone()),
        sphere: Set(key.sphere.code().to_owned()),
        section: Set(key.section.key().to_owned()),
        year: Set(key.year),
        methodology: Set(definition_for_year(key.year).id.clone()),
        next_number: Set(1),
        created_at: Set(at),
        created_by: Set(actor.login.clone()),
        updated_at: Set(at),
        updated_by: Set(actor.login.clone()),
    })
    .exec_with_returning(conn)
    .await?;
    let rows = defaults.iter().zip(1..).map(|(d, position)| region_checklist_item::ActiveModel {
        list_id: Set(h.id),
        item_id: Set(d.id.clone()),
        name_ru: Set(d.name_ru.clone()),
        position: Set(position),
        updated_at: Set(at),
        updated_by: Set(actor.login.clone()),
    });
    region_checklist_item::Entity::insert_many(rows).exec_without_returning(conn).await?;
    Ok(())
}

async fn edit<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    h: &region_checklist::Model,
    change: &Change,
    at: i64,
) -> Result<()> {
    let items = rows(conn, h.id).await?;
    let find = |id: &str| {
        items.iter().position(|i| i.item_id == id).ok_or_else(|| refused("unknown-item", format!("no item {id}")))
    };
    let set_row = |r: &region_checklist_item::Model, name: Option<String>, position: Option<i32>| {
        let mut m: region_checklist_item::ActiveModel = r.clone().into();
        if let Some(n) = name {
            m.name_ru = Set(n);
        }
        if let Some(p) = position {
            m.position = Set(p);
        }
        m.updated_at = Set(at);
        m.updated_by = Set(actor.login.clone());
        m
    };
    match change {
        Change::Add { name: text } => {
            let name = name(text, &items, None)?;
            let item_id = format!("{}.{}.r{}-{}", h.sphere, h.section, h.id, h.next_number);
            let position = items.last().map_or(1, |l| l.position + 1);
            region_checklist_item::Entity::insert(region_checklist_item::ActiveModel {
                list_id: Set(h.id),
                item_id: Set(item_id),
                name_ru: Set(name),
                position: Set(position),
                updated_at: Set(at),
                updated_by: Set(actor.login.clone()),
            })
            .exec_without_returning(conn)
            .await?;
            let mut header: region_checklist::ActiveModel = h.clone().into();
            header.next_number = Set(h.next_number + 1);
            region_checklist::Entity::update(header).exec(conn).await?;
        }
        Change::Rename { item_id, name: text } => {
            let i = find(item_id)?;
            let name = name(text, &items, Some(item_id))?;
            region_checklist_item::Entity::update(set_row(&items[i], Some(name), None)).exec(conn).await?;
        }
        Change::Move { item_id, direction } => {
            let i = find(item_id)?;
            let j = match direction {
                Move::Up => i.checked_sub(1),
                Move::Down => Some(i + 1).filter(|j| *j < items.len()),
            };
            if let Some(j) = j {
                let (a, b) = (&items[i], &items[j]);
                region_checklist_item::Entity::update(set_row(a, None, Some(b.position))).exec(conn).await?;
                region_checklist_item::Entity::update(set_row(b, None, Some(a.position))).exec(conn).await?;
            }
        }
        Change::Remove { item_id } => {
            let i = find(item_id)?;
            if items.len() == 1 {
                return Err(refused("last-item", "a list keeps at least one item; reset it instead"));
            }
            region_checklist_item::Entity::delete_many()
                .filter(region_checklist_item::Column::ListId.eq(h.id))
                .filter(region_checklist_item::Column::ItemId.eq(items[i].item_id.as_str()))
                .exec(conn)
                .await?;
        }
        Change::Start | Change::Reset => unreachable!("handled by the caller"),
    }
    Ok(())
}
