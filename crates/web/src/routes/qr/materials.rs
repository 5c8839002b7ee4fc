//! An organisation's QR materials from the database: finding it by ИНН or public id, its links per
//! medium, and poster inputs (names, logos) for one organisation or a whole batch rendered on every
//! core with bounded memory. Shared by the cabinet pages, the authority's ZIP and the `nok` command line.

use nok_print::{BatchReport, Medium, PaperSize, PosterInput, PrintError};
use nok_store::entities::{authority, organization};
use nok_store::repo::{images, organizations, reference};
use nok_store::{Actor, Db, StoreError};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

/// The organisation named by its ИНН or public id, if the actor sees it.
pub async fn find_org(db: &Db, actor: &Actor, id: &str) -> Result<organization::Model, StoreError> {
    let id = id.trim();
    let found = organization::Entity::find()
        .filter(Condition::any().add(organization::Column::Inn.eq(id)).add(organization::Column::PublicId.eq(id)))
        .one(&db.read)
        .await?
        .ok_or(StoreError::NotFound)?;
    organizations::get(&db.read, actor, found.id).await
}

/// The questionnaire link of `org` for `medium`.
pub fn url(base_url: &str, org: &organization::Model, medium: Medium) -> String {
    nok_print::questionnaire_url(base_url, &org.public_id, medium)
}

/// The short link printed under codes.
pub fn short_url(base_url: &str, org: &organization::Model) -> String {
    nok_print::short_url(base_url, &org.public_id)
}

/// The file name of an organisation's material: `{ИНН}-{public id}-{what}.{ext}` (ASCII only).
pub fn file_name(org: &organization::Model, what: &str, ext: &str) -> String {
    let safe = |s: &str| s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect::<String>();
    format!("{}-{}-{}.{ext}", safe(&org.inn), safe(&org.public_id), safe(what))
}

/// The selection of organisations a batch covers.
#[derive(Clone, Debug)]
pub enum Selection {
    /// One organisation, by ИНН or public id.
    Organization(String),
    /// The active organisations of a region.
    Region(String),
    /// The active organisations in an authority's scope (its region and sphere).
    Authority(String),
}

/// The active organisations of a selection the actor sees, in id order.
pub async fn select(db: &Db, actor: &Actor, selection: &Selection) -> Result<Vec<organization::Model>, StoreError> {
    use organization::Column as C;
    let mut cond = actor.organization_filter().add(C::Active.eq(true));
    match selection {
        Selection::Organization(id) => return Ok(vec![find_org(db, actor, id).await?]),
        Selection::Region(code) => cond = cond.add(C::RegionCode.eq(code.trim())),
        Selection::Authority(code) => {
            let a = reference::authority_by_code(&db.read, code.trim()).await?.ok_or(StoreError::NotFound)?;
            cond = authority_condition(cond, &a);
        }
    }
    Ok(organization::Entity::find().filter(cond).order_by_asc(C::Id).all(&db.read).await?)
}

/// `cond` narrowed to an authority's region and sphere.
pub fn authority_condition(mut cond: Condition, a: &authority::Model) -> Condition {
    if let Some(r) = &a.region_code {
        cond = cond.add(organization::Column::RegionCode.eq(r.clone()));
    }
    if let Some(s) = &a.sphere {
        cond = cond.add(organization::Column::Sphere.eq(s.clone()));
    }
    cond
}

/// What is the same for every poster of a batch: the base URL, paper size and scanning distance, the
/// authorities' names and logos, and which organisations have a logo (read one by one while rendering).
pub struct PosterSource {
    db: Db,
    base_url: String,
    size: PaperSize,
    distance_m: Option<f64>,
    authorities: HashMap<i32, (String, Option<Vec<u8>>)>,
    with_logo: HashSet<i32>,
}

impl PosterSource {
    /// Prepares a batch over `orgs` (already selected through a scoped query).
    pub async fn new(
        db: &Db,
        base_url: &str,
        size: PaperSize,
        distance_m: Option<f64>,
        orgs: &[organization::Model],
    ) -> Result<PosterSource, StoreError> {
        let ids: Vec<i32> = orgs.iter().map(|o| o.id).collect();
        let with_logo = images::orgs_with_logo(&db.read, &ids).await?.into_iter().collect();
        let mut authorities = HashMap::new();
        let authority_ids: HashSet<i32> = orgs.iter().filter_map(|o| o.authority_id).collect();
        for id in authority_ids {
            if let Some(a) = reference::authority_by_id(&db.read, id).await? {
                let logo = images::authority_logo(&db.read, id).await?.map(|m| m.data);
                authorities.insert(id, (a.name, logo));
            }
        }
        Ok(PosterSource { db: db.clone(), base_url: base_url.to_string(), size, distance_m, authorities, with_logo })
    }

    pub fn size(&self) -> PaperSize {
        self.size
    }

    /// The poster input of `org` with its logo (`None` when it has none).
    pub fn input(&self, org: &organization::Model, org_logo: Option<Vec<u8>>) -> PosterInput {
        let authority = org.authority_id.and_then(|a| self.authorities.get(&a));
        PosterInput {
            org_name: org.full_name.clone(),
            authority_name: authority.map(|(name, _)| name.clone()),
            org_logo,
            authority_logo: authority.and_then(|(_, logo)| logo.clone()),
            url: url(&self.base_url, org, Medium::Poster),
            short_url: short_url(&self.base_url, org),
            size: self.size,
            distance_m: self.distance_m,
        }
    }

    /// The input of `org`, reading its logo from the database (async callers).
    pub async fn input_with_logo(&self, org: &organization::Model) -> Result<PosterInput, StoreError> {
        let logo = if self.with_logo.contains(&org.id) {
            images::org_logo_unchecked(&self.db.read, org.id).await?
        } else {
            None
        };
        Ok(self.input(org, logo))
    }

    /// Renders the posters of `orgs` on every core; `sink(org, result)` receives each PDF as soon as it
    /// is ready (from a worker thread). Logos are read one at a time as workers pick up the next
    /// organisation, so memory stays bounded whatever the number. Must run on a blocking thread
    /// (`spawn_blocking`) inside a Tokio runtime. Setting `stop` ends the batch after the posters
    /// already started (e.g. when the client of a download has gone).
    pub fn render_batch<S>(&self, orgs: &[organization::Model], stop: Option<&AtomicBool>, sink: S) -> BatchReport
    where
        S: Fn(&organization::Model, Result<Vec<u8>, PrintError>) + Sync,
    {
        let runtime = tokio::runtime::Handle::current();
        let running = || stop.is_none_or(|s| !s.load(Ordering::Relaxed));
        let inputs = orgs.iter().take_while(move |_| running()).map(|org| {
            let logo = if self.with_logo.contains(&org.id) {
                runtime.block_on(images::org_logo_unchecked(&self.db.read, org.id)).unwrap_or_else(|e| {
                    tracing::warn!(organization = org.id, error = %e, "logo not read; the placeholder is printed");
                    None
                })
            } else {
                None
            };
            self.input(org, logo)
        });
        nok_print::posters_batch(inputs, |index, result| sink(&orgs[index], result))
    }
}
