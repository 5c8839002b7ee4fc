//! The placement registry: where an organisation's QR codes are (posters by spot with size and scanning
//! distance, paper media, screens, the website page with the widget), when they were placed and who
//! verified them; the rule «at least two posters, at the entrance and at the main contact point»; and
//! coverage — the share of assessed organisations meeting the rule — for an authority, a region or all.
//!
//! Scope: everyone reads the placements of the organisations they see (staff their own, an authority its
//! region and sphere, an operator its contracts, a monitor its regions); staff, authorities and
//! administrators change them. Every change is audited.
//!
//! **Assessed this year** (the coverage base): an active organisation that has counted survey responses
//! in the period, or is covered by an operator's contract for the period.

use super::Page;
use super::audit::{self, Entry};
use super::images::{self, ImageKind};
use crate::Db;
use crate::entities::{organization, placement, uploaded_image};
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Role};
use crate::time_util::now;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// Where a code is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Medium {
    Poster,
    Paper,
    Screen,
    Website,
}

impl Medium {
    pub const ALL: [Medium; 4] = [Medium::Poster, Medium::Paper, Medium::Screen, Medium::Website];

    pub fn code(self) -> &'static str {
        match self {
            Medium::Poster => "poster",
            Medium::Paper => "paper",
            Medium::Screen => "screen",
            Medium::Website => "website",
        }
    }

    pub fn from_code(code: &str) -> Option<Medium> {
        Medium::ALL.into_iter().find(|m| m.code() == code)
    }

    /// The kinds a placement of this medium may name (paper media or devices); empty when none apply.
    pub fn kinds(self) -> &'static [&'static str] {
        match self {
            Medium::Paper => &PAPER_KINDS,
            Medium::Screen => &DEVICE_KINDS,
            Medium::Poster | Medium::Website => &[],
        }
    }
}

/// A spot in the building.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Spot {
    Entrance,
    MainContact,
    Reception,
    WaitingArea,
    SanitaryRoom,
    Office,
    InfoStand,
    Other,
}

impl Spot {
    pub const ALL: [Spot; 8] = [
        Spot::Entrance,
        Spot::MainContact,
        Spot::Reception,
        Spot::WaitingArea,
        Spot::SanitaryRoom,
        Spot::Office,
        Spot::InfoStand,
        Spot::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Spot::Entrance => "entrance",
            Spot::MainContact => "main_contact",
            Spot::Reception => "reception",
            Spot::WaitingArea => "waiting_area",
            Spot::SanitaryRoom => "sanitary_room",
            Spot::Office => "office",
            Spot::InfoStand => "info_stand",
            Spot::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Spot> {
        Spot::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Paper media a code is printed on.
pub const PAPER_KINDS: [&str; 5] = ["ticket", "booklet", "leaflet", "receipt", "other"];
/// Digital devices that show a code.
pub const DEVICE_KINDS: [&str; 4] = ["terminal", "tv", "kiosk", "other"];
/// Poster sizes.
pub const POSTER_SIZES: [&str; 2] = ["a4", "a3"];
/// Longest scanning distance accepted, metres.
pub const MAX_DISTANCE_M: f64 = 20.0;
const MAX_NOTE_CHARS: usize = 200;
const MAX_URL_CHARS: usize = 500;

/// A placement as entered in the form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlacementInput {
    pub medium: Option<Medium>,
    pub spot: Option<Spot>,
    pub note: Option<String>,
    pub poster_size: Option<String>,
    pub distance_m: Option<f64>,
    pub media_kind: Option<String>,
    pub page_url: Option<String>,
    /// The day placed, Unix seconds.
    pub placed_at: Option<i64>,
}

/// A field that failed validation, with a short reason code (`plc-err-{code}` in the catalogue).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

impl PlacementInput {
    /// Everything wrong with the input (empty when it may be stored).
    pub fn validate(&self, today: i64) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut err = |field, code| errors.push(FieldError { field, code });
        let Some(medium) = self.medium else {
            err("medium", "required");
            return errors;
        };
        match medium {
            Medium::Poster => {
                if self.spot.is_none() {
                    err("spot", "required");
                }
                match self.poster_size.as_deref() {
                    Some(s) if POSTER_SIZES.contains(&s) => {}
                    _ => err("poster_size", "required"),
                }
            }
            Medium::Paper | Medium::Screen => match self.media_kind.as_deref() {
                Some(k) if medium.kinds().contains(&k) => {}
                _ => err("media_kind", "required"),
            },
            Medium::Website => match self.page_url.as_deref().map(str::trim) {
                None | Some("") => err("page_url", "required"),
                Some(u) if !valid_url(u) => err("page_url", "url"),
                Some(_) => {}
            },
        }
        if let Some(d) = self.distance_m
            && !(d.is_finite() && d > 0.0 && d <= MAX_DISTANCE_M)
        {
            err("distance_m", "distance");
        }
        if self.note.as_deref().is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
            err("note", "too-long");
        }
        if self.placed_at.is_some_and(|t| t > today + 86_400) {
            err("placed_at", "future");
        }
        errors
    }

    /// The input with fields that do not apply to its medium dropped and text trimmed.
    fn normalized(&self) -> PlacementInput {
        let medium = self.medium;
        let keep = |m: &[Medium]| medium.is_some_and(|x| m.contains(&x));
        let text = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        PlacementInput {
            medium,
            spot: if keep(&[Medium::Website]) { None } else { self.spot },
            note: text(&self.note),
            poster_size: if keep(&[Medium::Poster]) { text(&self.poster_size) } else { None },
            distance_m: if keep(&[Medium::Poster, Medium::Screen]) { self.distance_m } else { None },
            media_kind: if keep(&[Medium::Paper, Medium::Screen]) { text(&self.media_kind) } else { None },
            page_url: if keep(&[Medium::Website]) { text(&self.page_url) } else { None },
            placed_at: self.placed_at,
        }
    }
}

fn valid_url(u: &str) -> bool {
    let rest = u.strip_prefix("https://").or_else(|| u.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
        && u.chars().count() <= MAX_URL_CHARS
        && u.chars().all(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '"' | '<' | '>' | '\\' | '`'))
}

/// Whether the actor's role may change placements at all (scope is checked on the organisation).
pub fn may_write(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Authority | Role::Staff)
}

async fn check_write<C: ConnectionTrait>(conn: &C, actor: &Actor, organization_id: i32) -> Result<organization::Model> {
    let org = super::organizations::get(conn, actor, organization_id).await?;
    if may_write(actor) { Ok(org) } else { Err(StoreError::Forbidden) }
}

/// The placements of an organisation the actor sees, posters first, then by spot and id.
pub async fn list<C: ConnectionTrait>(conn: &C, actor: &Actor, organization_id: i32) -> Result<Vec<placement::Model>> {
    super::organizations::get(conn, actor, organization_id).await?;
    let mut rows = placement::Entity::find()
        .filter(placement::Column::OrganizationId.eq(organization_id))
        .order_by_asc(placement::Column::Id)
        .all(conn)
        .await?;
    let rank = |p: &placement::Model| {
        let medium = Medium::ALL.iter().position(|m| m.code() == p.medium).unwrap_or(usize::MAX);
        let spot = p.spot.as_deref().and_then(|s| Spot::ALL.iter().position(|x| x.code() == s)).unwrap_or(usize::MAX);
        (medium, spot)
    };
    rows.sort_by_key(|p| (rank(p), p.id));
    Ok(rows)
}

/// One placement, if the actor sees its organisation.
pub async fn get<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i32) -> Result<placement::Model> {
    let row = placement::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
    super::organizations::get(conn, actor, row.organization_id).await?;
    Ok(row)
}

fn invalid(errors: &[FieldError]) -> StoreError {
    StoreError::Invalid(errors.iter().map(|e| format!("{}: {}", e.field, e.code)).collect::<Vec<_>>().join("; "))
}

fn apply(m: &mut placement::ActiveModel, input: &PlacementInput, at: i64) {
    m.medium = Set(input.medium.map_or("", Medium::code).to_string());
    m.spot = Set(input.spot.map(|s| s.code().to_string()));
    m.note = Set(input.note.clone());
    m.poster_size = Set(input.poster_size.clone());
    m.distance_m = Set(input.distance_m);
    m.media_kind = Set(input.media_kind.clone());
    m.page_url = Set(input.page_url.clone());
    m.placed_at = Set(input.placed_at);
    m.updated_at = Set(at);
}

async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    action: &str,
    id: i32,
    before: Option<&placement::Model>,
    after: Option<&placement::Model>,
) -> Result<()> {
    audit::record(
        conn,
        actor,
        Entry {
            action,
            object_type: "placement",
            object_id: id.to_string(),
            before: before.and_then(|b| serde_json::to_value(b).ok()),
            after: after.and_then(|a| serde_json::to_value(a).ok()),
            ip_hash: None,
        },
    )
    .await
}

/// Adds a placement to an organisation.
pub async fn create(db: &Db, actor: &Actor, organization_id: i32, input: &PlacementInput) -> Result<placement::Model> {
    check_write(&db.write, actor, organization_id).await?;
    let input = input.normalized();
    let at = now();
    let errors = input.validate(at);
    if !errors.is_empty() {
        return Err(invalid(&errors));
    }
    let mut m = placement::ActiveModel {
        id: Default::default(),
        organization_id: Set(organization_id),
        created_at: Set(at),
        verified_by: Set(None),
        verified_at: Set(None),
        ..Default::default()
    };
    apply(&mut m, &input, at);
    let row = placement::Entity::insert(m).exec_with_returning(&db.write).await?;
    record(&db.write, actor, "placement.create", row.id, None, Some(&row)).await?;
    Ok(row)
}

/// Changes a placement. A change of what or where clears the verification (it must be checked again).
pub async fn update(db: &Db, actor: &Actor, id: i32, input: &PlacementInput) -> Result<placement::Model> {
    let before = get(&db.write, actor, id).await?;
    check_write(&db.write, actor, before.organization_id).await?;
    let input = input.normalized();
    let at = now();
    let errors = input.validate(at);
    if !errors.is_empty() {
        return Err(invalid(&errors));
    }
    let mut m: placement::ActiveModel = before.clone().into();
    apply(&mut m, &input, at);
    let moved = before.medium != input.medium.map_or("", Medium::code)
        || before.spot.as_deref() != input.spot.map(Spot::code)
        || before.page_url != input.page_url;
    if moved {
        m.verified_by = Set(None);
        m.verified_at = Set(None);
    }
    let row = placement::Entity::update(m).exec(&db.write).await?;
    record(&db.write, actor, "placement.update", id, Some(&before), Some(&row)).await?;
    Ok(row)
}

/// Records that the actor checked the placement (the code is there and opens the right page).
pub async fn verify(db: &Db, actor: &Actor, id: i32) -> Result<placement::Model> {
    let before = get(&db.write, actor, id).await?;
    check_write(&db.write, actor, before.organization_id).await?;
    let at = now();
    let mut m: placement::ActiveModel = before.clone().into();
    m.verified_by = Set(Some(actor.login.clone()));
    m.verified_at = Set(Some(at));
    m.updated_at = Set(at);
    let row = placement::Entity::update(m).exec(&db.write).await?;
    record(&db.write, actor, "placement.verify", id, Some(&before), Some(&row)).await?;
    Ok(row)
}

/// Removes a placement and its photo (the audit log keeps what it was).
pub async fn delete(db: &Db, actor: &Actor, id: i32) -> Result<()> {
    let before = get(&db.write, actor, id).await?;
    check_write(&db.write, actor, before.organization_id).await?;
    images::remove(&db.write, actor, ImageKind::PlacementPhoto, id).await?;
    placement::Entity::delete_by_id(id).exec(&db.write).await?;
    record(&db.write, actor, "placement.delete", id, Some(&before), None).await
}

/// Attaches (or replaces) the photo of a placement.
pub async fn set_photo(db: &Db, actor: &Actor, id: i32, bytes: &[u8]) -> Result<()> {
    let row = get(&db.write, actor, id).await?;
    check_write(&db.write, actor, row.organization_id).await?;
    images::put(&db.write, actor, ImageKind::PlacementPhoto, id, bytes).await
}

/// Removes the photo of a placement.
pub async fn delete_photo(db: &Db, actor: &Actor, id: i32) -> Result<bool> {
    let row = get(&db.write, actor, id).await?;
    check_write(&db.write, actor, row.organization_id).await?;
    images::remove(&db.write, actor, ImageKind::PlacementPhoto, id).await
}

/// The photo of a placement the actor sees.
pub async fn photo<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i32) -> Result<Option<uploaded_image::Model>> {
    get(conn, actor, id).await?;
    images::fetch(conn, ImageKind::PlacementPhoto, id).await
}

/// Which placements of a list have a photo.
pub async fn with_photo<C: ConnectionTrait>(conn: &C, rows: &[placement::Model]) -> Result<Vec<i32>> {
    let ids: Vec<i32> = rows.iter().map(|p| p.id).collect();
    images::owners_with(conn, ImageKind::PlacementPhoto, &ids).await
}

/// The two-poster rule for one organisation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleStatus {
    pub posters: u64,
    pub entrance: bool,
    pub main_contact: bool,
}

impl RuleStatus {
    /// At least two posters: one at the entrance and one at the main contact point.
    pub fn met(&self) -> bool {
        self.entrance && self.main_contact && self.posters >= 2
    }
}

/// The rule checked on an organisation's placements.
pub fn rule_status(rows: &[placement::Model]) -> RuleStatus {
    let posters: Vec<&placement::Model> = rows.iter().filter(|p| p.medium == Medium::Poster.code()).collect();
    let at = |spot: Spot| posters.iter().any(|p| p.spot.as_deref() == Some(spot.code()));
    RuleStatus { posters: posters.len() as u64, entrance: at(Spot::Entrance), main_contact: at(Spot::MainContact) }
}

/// Sort keys of the coverage table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageSort {
    #[default]
    Name,
    Region,
    Posters,
    Verified,
    Rule,
}

/// Which organisations the coverage is computed over.
#[derive(Clone, Debug, Default)]
pub struct CoverageQuery {
    /// The assessment period (calendar year).
    pub period: i32,
    pub region_code: Option<String>,
    /// Organisations of an authority's scope (its region and sphere).
    pub authority_id: Option<i32>,
    /// Only organisations not meeting the rule.
    pub failing_only: bool,
    pub sort: CoverageSort,
    pub descending: bool,
    pub page: u64,
    pub per_page: u64,
}

/// One organisation of the coverage table.
#[derive(Clone, Debug, PartialEq)]
pub struct CoverageRow {
    pub organization_id: i32,
    pub short_name: String,
    pub inn: String,
    pub region_code: String,
    pub sphere: String,
    pub posters: u64,
    pub entrance: bool,
    pub main_contact: bool,
    pub verified: u64,
}

impl CoverageRow {
    pub fn rule(&self) -> RuleStatus {
        RuleStatus { posters: self.posters, entrance: self.entrance, main_contact: self.main_contact }
    }
}

/// Assessed organisations and how many meet the rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CoverageSummary {
    /// A region code, or empty for the whole selection.
    pub region_code: String,
    pub assessed: u64,
    pub meeting: u64,
}

impl CoverageSummary {
    /// Share meeting the rule, percent (100 when nothing is assessed: nothing is missing).
    pub fn share_percent(&self) -> f64 {
        if self.assessed == 0 { 100.0 } else { self.meeting as f64 * 100.0 / self.assessed as f64 }
    }
}

/// The coverage target, percent.
pub const COVERAGE_TARGET_PERCENT: f64 = 100.0;

fn col(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

fn org_id() -> Expr {
    Expr::col((organization::Entity, organization::Column::Id))
}

/// `(SELECT COUNT(*) FROM placement WHERE … poster …)` for the current organisation row.
fn poster_count(spot: Option<Spot>, verified_only: bool) -> Expr {
    let mut q = Query::select();
    q.expr(col("placement", "id").count())
        .from(Alias::new("placement"))
        .and_where(col("placement", "organization_id").eq(org_id()))
        .and_where(col("placement", "medium").eq(Medium::Poster.code()));
    if let Some(spot) = spot {
        q.and_where(col("placement", "spot").eq(spot.code()));
    }
    if verified_only {
        q.and_where(col("placement", "verified_at").is_not_null());
    }
    Expr::from(q).cast_as(Alias::new("BIGINT"))
}

/// Active organisations in the actor's scope (and the query's filters) assessed in the period.
fn assessed_condition(
    actor: &Actor,
    q: &CoverageQuery,
    authority: Option<&crate::entities::authority::Model>,
) -> Condition {
    use organization::Column as C;
    let mut c = actor.organization_filter().add(C::Active.eq(true));
    if let Some(r) = &q.region_code {
        c = c.add(C::RegionCode.eq(r.clone()));
    }
    if let Some(a) = authority {
        if let Some(r) = &a.region_code {
            c = c.add(C::RegionCode.eq(r.clone()));
        }
        if let Some(s) = &a.sphere {
            c = c.add(C::Sphere.eq(s.clone()));
        }
    }
    let responses = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("survey_counter"))
        .and_where(col("survey_counter", "organization_id").eq(org_id()))
        .and_where(col("survey_counter", "period").eq(q.period))
        .and_where(col("survey_counter", "responses").gt(0))
        .to_owned();
    let contract = Query::select()
        .expr(Expr::val(1))
        .from(Alias::new("contract_organization"))
        .inner_join(
            Alias::new("contract"),
            col("contract", "id").equals((Alias::new("contract_organization"), Alias::new("contract_id"))),
        )
        .and_where(col("contract_organization", "organization_id").eq(org_id()))
        .and_where(col("contract", "period").eq(q.period))
        .to_owned();
    c.add(Condition::any().add(Expr::exists(responses)).add(Expr::exists(contract)))
}

/// The per-organisation coverage rows (unsorted, unpaged) as a statement.
fn coverage_select(
    actor: &Actor,
    q: &CoverageQuery,
    authority: Option<&crate::entities::authority::Model>,
) -> SelectStatement {
    use organization::Column as C;
    let entrance = poster_count(Some(Spot::Entrance), false);
    let main = poster_count(Some(Spot::MainContact), false);
    let total = poster_count(None, false);
    let rule = Expr::case(entrance.clone().gt(0).and(main.clone().gt(0)).and(total.clone().gte(2)), Expr::val(1i64))
        .finally(Expr::val(0i64));
    let mut s = Query::select();
    s.column((organization::Entity, C::Id))
        .column((organization::Entity, C::ShortName))
        .column((organization::Entity, C::Inn))
        .column((organization::Entity, C::RegionCode))
        .column((organization::Entity, C::Sphere))
        .expr_as(total, Alias::new("posters"))
        .expr_as(entrance, Alias::new("entrance"))
        .expr_as(main, Alias::new("main_contact"))
        .expr_as(poster_count(None, true), Alias::new("verified"))
        .expr_as(Into::<Expr>::into(rule).cast_as(Alias::new("BIGINT")), Alias::new("rule_met"))
        .from(organization::Entity)
        .cond_where(assessed_condition(actor, q, authority));
    s
}

async fn authority_of<C: ConnectionTrait>(
    conn: &C,
    q: &CoverageQuery,
) -> Result<Option<crate::entities::authority::Model>> {
    match q.authority_id {
        Some(id) => Ok(Some(super::reference::authority_by_id(conn, id).await?.ok_or(StoreError::NotFound)?)),
        None => Ok(None),
    }
}

fn get_i64(row: &sea_orm::QueryResult, i: usize) -> Result<i64> {
    Ok(row.try_get_by_index::<Option<i64>>(i).map_err(StoreError::Db)?.unwrap_or(0))
}

fn row_of(r: &sea_orm::QueryResult) -> Result<CoverageRow> {
    let text = |i: usize| r.try_get_by_index::<String>(i).map_err(StoreError::Db);
    let count = |i: usize| get_i64(r, i).map(|v| u64::try_from(v).unwrap_or(0));
    Ok(CoverageRow {
        organization_id: r.try_get_by_index::<i32>(0).map_err(StoreError::Db)?,
        short_name: text(1)?,
        inn: text(2)?,
        region_code: text(3)?,
        sphere: text(4)?,
        posters: count(5)?,
        entrance: count(6)? > 0,
        main_contact: count(7)? > 0,
        verified: count(8)?,
    })
}

/// Coverage of the actor's scope (narrowed by the query): a page of organisations and the summary.
pub async fn coverage<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    q: &CoverageQuery,
) -> Result<(CoverageSummary, Page<CoverageRow>)> {
    let authority = authority_of(conn, q).await?;
    let inner = coverage_select(actor, q, authority.as_ref());
    let summary_stmt = Query::select()
        .expr(Expr::col(Alias::new("id")).count().cast_as(Alias::new("BIGINT")))
        .expr(Expr::col(Alias::new("rule_met")).sum().cast_as(Alias::new("BIGINT")))
        .from_subquery(inner.clone(), Alias::new("t"))
        .to_owned();
    let summary = match conn.query_one(&summary_stmt).await? {
        Some(r) => CoverageSummary {
            region_code: q.region_code.clone().unwrap_or_default(),
            assessed: u64::try_from(get_i64(&r, 0)?).unwrap_or(0),
            meeting: u64::try_from(get_i64(&r, 1)?).unwrap_or(0),
        },
        None => CoverageSummary::default(),
    };
    let per_page = q.per_page.clamp(1, 100_000);
    let page = Ord::max(q.page, 1);
    let mut rows_stmt = Query::select();
    rows_stmt
        .columns(
            ["id", "short_name", "inn", "region_code", "sphere", "posters", "entrance", "main_contact", "verified"]
                .map(Alias::new),
        )
        .from_subquery(inner, Alias::new("t"));
    if q.failing_only {
        rows_stmt.and_where(Expr::col(Alias::new("rule_met")).eq(0));
    }
    let key = match q.sort {
        CoverageSort::Name => "short_name",
        CoverageSort::Region => "region_code",
        CoverageSort::Posters => "posters",
        CoverageSort::Verified => "verified",
        CoverageSort::Rule => "rule_met",
    };
    super::order_and_page(&mut rows_stmt, key, q.descending, page, per_page);
    let items = conn.query_all(&rows_stmt).await?.iter().map(row_of).collect::<Result<Vec<_>>>()?;
    let total = if q.failing_only { summary.assessed - summary.meeting } else { summary.assessed };
    Ok((summary, Page { items, total, page, per_page }))
}

/// Coverage of the actor's scope per region (for authorities spanning regions and for monitors).
pub async fn coverage_by_region<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    q: &CoverageQuery,
) -> Result<Vec<CoverageSummary>> {
    let authority = authority_of(conn, q).await?;
    let inner = coverage_select(actor, q, authority.as_ref());
    let stmt = Query::select()
        .column(Alias::new("region_code"))
        .expr(Expr::col(Alias::new("id")).count().cast_as(Alias::new("BIGINT")))
        .expr(Expr::col(Alias::new("rule_met")).sum().cast_as(Alias::new("BIGINT")))
        .from_subquery(inner, Alias::new("t"))
        .group_by_col(Alias::new("region_code"))
        .order_by(Alias::new("region_code"), Order::Asc)
        .to_owned();
    conn.query_all(&stmt)
        .await?
        .iter()
        .map(|r| {
            Ok(CoverageSummary {
                region_code: r.try_get_by_index::<String>(0).map_err(StoreError::Db)?,
                assessed: u64::try_from(get_i64(r, 1)?).unwrap_or(0),
                meeting: u64::try_from(get_i64(r, 2)?).unwrap_or(0),
            })
        })
        .collect()
}
