//! Public survey figures beyond the scores: an organisation's counted responses per channel (where its
//! responses come from). Aggregate counts, never individual responses.

use crate::error::{Result, StoreError};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query};

/// Counted responses per channel of the organisation in the period, largest first.
pub async fn channel_counts<C: ConnectionTrait>(
    conn: &C,
    organization_id: i32,
    period: i32,
) -> Result<Vec<(String, u64)>> {
    let stmt = Query::select()
        .columns([Alias::new("channel"), Alias::new("responses")])
        .from(Alias::new("channel_counter"))
        .and_where(Expr::col(Alias::new("organization_id")).eq(organization_id))
        .and_where(Expr::col(Alias::new("period")).eq(period))
        .order_by(Alias::new("responses"), Order::Desc)
        .order_by(Alias::new("channel"), Order::Asc)
        .to_owned();
    let mut out = Vec::new();
    for row in conn.query_all(&stmt).await? {
        let channel: String = row.try_get("", "channel").map_err(StoreError::Db)?;
        let n: i64 = row.try_get("", "responses").map_err(StoreError::Db)?;
        out.push((channel, u64::try_from(n).unwrap_or(0)));
    }
    Ok(out)
}
