//! Scan analytics: visits of the questionnaire per organisation, day and QR variant (the `?ch=` of the
//! link in the code), next to the completed questionnaires of the same channels (`channel_counter`), and
//! the conversion between them — per organisation and per region, within the actor's scope.
//!
//! [`record_scan`] (one visit) and [`record_scans`] (a buffered batch) are what the questionnaire page
//! calls; they need no actor (a visit is anonymous) and store nothing but the daily count.

use super::Page;
use crate::Db;
use crate::entities::organization;
use crate::error::{Result, StoreError};
use crate::scope::Actor;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Order, Query, SelectStatement};
use sea_orm::{ColumnTrait, ConnectionTrait};

/// The QR variants whose visits are counted (the channel codes of the links in codes and the widget).
pub const SCAN_CHANNELS: [&str; 4] = ["qr_poster", "qr_paper", "qr_screen", "website_widget"];

/// Moscow time, in which a day is counted.
const DAY_OFFSET_SECONDS: i64 = 3 * 3600;

/// The day of a moment as `YYYYMMDD` (Moscow time).
pub fn day_of(ts: i64) -> i32 {
    let d = crate::time_util::to_datetime(ts + DAY_OFFSET_SECONDS).date();
    d.year() * 10_000 + i32::from(u8::from(d.month())) * 100 + i32::from(d.day())
}

/// Whether visits of `channel` are counted.
pub fn is_scan_channel(channel: &str) -> bool {
    SCAN_CHANNELS.contains(&channel)
}

/// Visits to add to one counter.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ScanHit {
    pub organization_id: i32,
    /// `YYYYMMDD`, see [`day_of`].
    pub day: i32,
    pub channel: String,
    pub visits: i64,
}

/// Counts one visit of an organisation's questionnaire through `channel` today.
pub async fn record_scan(db: &Db, organization_id: i32, channel: &str) -> Result<()> {
    let hit =
        ScanHit { organization_id, day: day_of(crate::time_util::now()), channel: channel.to_string(), visits: 1 };
    record_scans(db, &[hit]).await
}

/// Adds a batch of visits in one statement (keys in the batch must be distinct). Unknown channels are
/// refused.
pub async fn record_scans(db: &Db, hits: &[ScanHit]) -> Result<()> {
    if let Some(bad) = hits.iter().find(|h| !is_scan_channel(&h.channel)) {
        return Err(StoreError::Invalid(format!("channel {:?} is not a QR variant", bad.channel)));
    }
    let table = Alias::new("scan_counter");
    for chunk in hits.chunks(500) {
        let mut insert = Query::insert();
        insert.into_table(table.clone()).columns(["organization_id", "day", "channel", "visits"].map(Alias::new));
        for h in chunk {
            insert.values_panic([h.organization_id.into(), h.day.into(), h.channel.clone().into(), h.visits.into()]);
        }
        insert.on_conflict(
            OnConflict::columns(["organization_id", "day", "channel"].map(Alias::new))
                .value(
                    Alias::new("visits"),
                    Expr::col((table.clone(), Alias::new("visits")))
                        .add(Expr::col((Alias::new("excluded"), Alias::new("visits")))),
                )
                .to_owned(),
        );
        db.write.execute(&insert).await?;
    }
    Ok(())
}

/// Sort keys of the conversion table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanSort {
    #[default]
    Name,
    Region,
    Visits,
    Completed,
}

/// Which organisations and period the analytics cover.
#[derive(Clone, Debug, Default)]
pub struct ScanQuery {
    /// Calendar year.
    pub period: i32,
    pub region_code: Option<String>,
    pub organization_id: Option<i32>,
    pub sort: ScanSort,
    pub descending: bool,
    pub page: u64,
    pub per_page: u64,
}

/// Visits and completed questionnaires per QR variant (in the order of [`SCAN_CHANNELS`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChannelFigures {
    pub visits: [u64; 4],
    pub completed: [u64; 4],
}

impl ChannelFigures {
    pub fn total_visits(&self) -> u64 {
        self.visits.iter().sum()
    }

    pub fn total_completed(&self) -> u64 {
        self.completed.iter().sum()
    }

    /// Completed per visit of channel `i`, percent; `None` without visits.
    pub fn conversion(&self, i: usize) -> Option<f64> {
        percent(self.completed[i], self.visits[i])
    }

    /// Completed per visit over all QR variants, percent.
    pub fn total_conversion(&self) -> Option<f64> {
        percent(self.total_completed(), self.total_visits())
    }
}

fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// One organisation's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgScans {
    pub organization_id: i32,
    pub short_name: String,
    pub inn: String,
    pub region_code: String,
    pub figures: ChannelFigures,
}

/// One region's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionScans {
    pub region_code: String,
    pub organizations: u64,
    pub figures: ChannelFigures,
}

fn col(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

fn visits_of(channel: &str, period: i32) -> Expr {
    let q = Query::select()
        .expr(col("scan_counter", "visits").sum())
        .from(Alias::new("scan_counter"))
        .and_where(
            col("scan_counter", "organization_id").eq(Expr::col((organization::Entity, organization::Column::Id))),
        )
        .and_where(col("scan_counter", "channel").eq(channel))
        .and_where(col("scan_counter", "day").between(period * 10_000, period * 10_000 + 1231))
        .to_owned();
    Expr::from(q).cast_as(Alias::new("BIGINT"))
}

fn completed_of(channel: &str, period: i32) -> Expr {
    let q = Query::select()
        .expr(col("channel_counter", "responses").sum())
        .from(Alias::new("channel_counter"))
        .and_where(
            col("channel_counter", "organization_id").eq(Expr::col((organization::Entity, organization::Column::Id))),
        )
        .and_where(col("channel_counter", "channel").eq(channel))
        .and_where(col("channel_counter", "period").eq(period))
        .to_owned();
    Expr::from(q).cast_as(Alias::new("BIGINT"))
}

/// Organisations in scope with their figures as columns `v0..v3, c0..c3, visits, completed`; only those
/// with any visit or completed questionnaire through a QR variant.
fn figures_select(actor: &Actor, q: &ScanQuery) -> SelectStatement {
    use organization::Column as C;
    let mut cond = actor.organization_filter();
    if let Some(r) = &q.region_code {
        cond = cond.add(C::RegionCode.eq(r.clone()));
    }
    if let Some(id) = q.organization_id {
        cond = cond.add(C::Id.eq(id));
    }
    let coalesce = |e: Expr| Expr::from(sea_orm::sea_query::Func::coalesce([e, Expr::val(0i64)]));
    let visits: Vec<Expr> = SCAN_CHANNELS.iter().map(|c| coalesce(visits_of(c, q.period))).collect();
    let completed: Vec<Expr> = SCAN_CHANNELS.iter().map(|c| coalesce(completed_of(c, q.period))).collect();
    let sum = |v: &[Expr]| v.iter().cloned().reduce(|a, b| a.add(b)).unwrap_or(Expr::val(0i64));
    let mut s = Query::select();
    s.column((organization::Entity, C::Id))
        .column((organization::Entity, C::ShortName))
        .column((organization::Entity, C::Inn))
        .column((organization::Entity, C::RegionCode));
    for (i, e) in visits.iter().enumerate() {
        s.expr_as(e.clone(), Alias::new(format!("v{i}")));
    }
    for (i, e) in completed.iter().enumerate() {
        s.expr_as(e.clone(), Alias::new(format!("c{i}")));
    }
    s.expr_as(sum(&visits), Alias::new("visits")).expr_as(sum(&completed), Alias::new("completed"));
    s.from(organization::Entity).cond_where(cond);
    s
}

fn figure_columns() -> Vec<Alias> {
    (0..4).map(|i| Alias::new(format!("v{i}"))).chain((0..4).map(|i| Alias::new(format!("c{i}")))).collect()
}

fn figures_from(row: &sea_orm::QueryResult, offset: usize) -> Result<ChannelFigures> {
    let get = |i: usize| -> Result<u64> {
        let v = row.try_get_by_index::<Option<i64>>(offset + i).map_err(StoreError::Db)?.unwrap_or(0);
        Ok(u64::try_from(v).unwrap_or(0))
    };
    let mut f = ChannelFigures::default();
    for i in 0..4 {
        f.visits[i] = get(i)?;
        f.completed[i] = get(4 + i)?;
    }
    Ok(f)
}

/// A page of organisations with their visits, completed questionnaires and conversion, and the totals
/// of the whole selection.
pub async fn by_organization<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    q: &ScanQuery,
) -> Result<(ChannelFigures, Page<OrgScans>)> {
    let inner = figures_select(actor, q);
    let active = || Expr::col(Alias::new("visits")).gt(0).or(Expr::col(Alias::new("completed")).gt(0));
    let mut totals = Query::select();
    totals.expr(Expr::col(Alias::new("id")).count().cast_as(Alias::new("BIGINT")));
    for c in figure_columns() {
        totals.expr(Expr::col(c).sum().cast_as(Alias::new("BIGINT")));
    }
    totals.from_subquery(inner.clone(), Alias::new("t")).and_where(active());
    let (total_rows, figures) = match conn.query_one(&totals).await? {
        Some(r) => (
            u64::try_from(r.try_get_by_index::<Option<i64>>(0).map_err(StoreError::Db)?.unwrap_or(0)).unwrap_or(0),
            figures_from(&r, 1)?,
        ),
        None => (0, ChannelFigures::default()),
    };
    let per_page = q.per_page.clamp(1, 100_000);
    let page = Ord::max(q.page, 1);
    let key = match q.sort {
        ScanSort::Name => "short_name",
        ScanSort::Region => "region_code",
        ScanSort::Visits => "visits",
        ScanSort::Completed => "completed",
    };
    let mut rows = Query::select();
    rows.columns(["id", "short_name", "inn", "region_code"].map(Alias::new))
        .columns(figure_columns())
        .from_subquery(inner, Alias::new("t"))
        .and_where(active())
        .order_by(Alias::new(key), if q.descending { Order::Desc } else { Order::Asc })
        .order_by(Alias::new("short_name"), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc)
        .limit(per_page)
        .offset((page - 1) * per_page);
    let items = conn
        .query_all(&rows)
        .await?
        .iter()
        .map(|r| {
            let text = |i: usize| r.try_get_by_index::<String>(i).map_err(StoreError::Db);
            Ok(OrgScans {
                organization_id: r.try_get_by_index::<i32>(0).map_err(StoreError::Db)?,
                short_name: text(1)?,
                inn: text(2)?,
                region_code: text(3)?,
                figures: figures_from(r, 4)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((figures, Page { items, total: total_rows, page, per_page }))
}

/// Figures per region of the actor's scope (organisations with any visit or completed questionnaire).
pub async fn by_region<C: ConnectionTrait>(conn: &C, actor: &Actor, q: &ScanQuery) -> Result<Vec<RegionScans>> {
    let inner = figures_select(actor, q);
    let mut stmt = Query::select();
    stmt.column(Alias::new("region_code")).expr(Expr::col(Alias::new("id")).count().cast_as(Alias::new("BIGINT")));
    for c in figure_columns() {
        stmt.expr(Expr::col(c).sum().cast_as(Alias::new("BIGINT")));
    }
    stmt.from_subquery(inner, Alias::new("t"))
        .and_where(Expr::col(Alias::new("visits")).gt(0).or(Expr::col(Alias::new("completed")).gt(0)))
        .group_by_col(Alias::new("region_code"))
        .order_by(Alias::new("region_code"), Order::Asc);
    conn.query_all(&stmt)
        .await?
        .iter()
        .map(|r| {
            Ok(RegionScans {
                region_code: r.try_get_by_index::<String>(0).map_err(StoreError::Db)?,
                organizations: u64::try_from(
                    r.try_get_by_index::<Option<i64>>(1).map_err(StoreError::Db)?.unwrap_or(0),
                )
                .unwrap_or(0),
                figures: figures_from(r, 2)?,
            })
        })
        .collect()
}

/// The figures of one organisation the actor sees (zeros when nothing was counted).
pub async fn for_organization<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
    period: i32,
) -> Result<ChannelFigures> {
    super::organizations::get(conn, actor, organization_id).await?;
    let q = ScanQuery { period, organization_id: Some(organization_id), per_page: 1, ..Default::default() };
    Ok(by_organization(conn, actor, &q).await?.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_counted_in_moscow_time() {
        // 2026-03-14 21:30 UTC is already 15 March in Moscow.
        assert_eq!(day_of(1_773_523_800), 20260315);
        assert_eq!(day_of(1_773_523_800 - 3 * 3600), 20260314);
    }

    #[test]
    fn conversion_needs_visits() {
        let f = ChannelFigures { visits: [10, 0, 0, 4], completed: [3, 2, 0, 1] };
        assert_eq!(f.conversion(0), Some(30.0));
        assert_eq!(f.conversion(1), None);
        assert_eq!(f.total_visits(), 14);
        assert_eq!(f.total_conversion(), Some(6.0 * 100.0 / 14.0));
    }
}
