//! Responses per channel move from their own table into columns of `survey_counter` (`ch_qr_poster`, …),
//! so that counting a response is one upsert of one row, not two. `channel_counter` becomes a view of
//! the same shape as the table it replaces — (organisation, period, channel, responses), rows with no
//! responses left out — so readers are unchanged.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The channels as of this migration (the store's `channels::CHANNELS` must equal it; a new channel
/// takes a new migration).
pub(super) const CHANNELS: [&str; 10] = [
    "qr_poster",
    "qr_paper",
    "qr_screen",
    "website_widget",
    "invitation",
    "portal",
    "operator_interview",
    "phone",
    "paper",
    "api",
];

/// `CREATE VIEW channel_counter`: one `UNION ALL` branch per channel column.
pub(super) fn channel_view() -> String {
    let branches: Vec<String> = CHANNELS
        .iter()
        .map(|c| {
            format!(
                "SELECT organization_id, period, CAST('{c}' AS TEXT) AS channel, ch_{c} AS responses \
                 FROM survey_counter WHERE ch_{c} <> 0"
            )
        })
        .collect();
    format!("CREATE VIEW channel_counter AS {}", branches.join(" UNION ALL "))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let conn = m.get_connection();
        for c in CHANNELS {
            conn.execute_unprepared(&format!("ALTER TABLE survey_counter ADD COLUMN ch_{c} BIGINT NOT NULL DEFAULT 0"))
                .await?;
            conn.execute_unprepared(&format!(
                "UPDATE survey_counter SET ch_{c} = COALESCE((SELECT cc.responses FROM channel_counter cc \
                 WHERE cc.organization_id = survey_counter.organization_id AND cc.period = survey_counter.period \
                 AND cc.channel = '{c}'), 0)"
            ))
            .await?;
        }
        conn.execute_unprepared("DROP TABLE channel_counter").await?;
        conn.execute_unprepared(&channel_view()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let conn = m.get_connection();
        conn.execute_unprepared("CREATE TABLE channel_counter_rows AS SELECT * FROM channel_counter").await?;
        conn.execute_unprepared("DROP VIEW channel_counter").await?;
        conn.execute_unprepared(
            "CREATE TABLE channel_counter (organization_id INTEGER NOT NULL, period INTEGER NOT NULL, \
             channel VARCHAR NOT NULL, responses BIGINT NOT NULL DEFAULT 0, \
             PRIMARY KEY (organization_id, period, channel))",
        )
        .await?;
        conn.execute_unprepared("INSERT INTO channel_counter SELECT * FROM channel_counter_rows").await?;
        conn.execute_unprepared("DROP TABLE channel_counter_rows").await?;
        for c in CHANNELS {
            conn.execute_unprepared(&format!("ALTER TABLE survey_counter DROP COLUMN ch_{c}")).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_store_counts_the_channels_of_this_migration() {
        assert_eq!(super::CHANNELS, crate::channels::CHANNELS);
    }
}
