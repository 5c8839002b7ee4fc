//! Fixtures for the scoring tests: responses with given answers, read-back of the raw counter tables,
//! and the §7 worked-example respondents.

#![allow(dead_code)]

use nok_methodology::{AnswerCounts, AnswerMask, QuestionId};
use nok_store::Db;
use nok_store::repo::survey::{self, NewResponse};
use sea_orm::ConnectionTrait;

/// A response of `organization_id` in `period` through `channel` with the given masks.
pub fn response(organization_id: i32, period: i32, channel: &str, mask: AnswerMask) -> NewResponse {
    NewResponse {
        id: uuid::Uuid::new_v4(),
        organization_id,
        period,
        channel: channel.to_owned(),
        asked: mask.asked,
        yes: mask.yes,
        sex: None,
        age: None,
        suggestions_sealed: None,
        device_hash: None,
        ip_hash: None,
        flag_reason: None,
        created_at: 1_767_225_600,
    }
}

/// Stores `masks` for one organisation and period through `channel`, in one batch.
pub async fn store(db: &Db, organization_id: i32, period: i32, channel: &str, masks: &[AnswerMask]) {
    let batch: Vec<NewResponse> = masks.iter().map(|m| response(organization_id, period, channel, *m)).collect();
    survey::insert_batch(db, &batch).await.expect("insert responses");
}

/// 200 respondents whose answers give exactly the §7 counts (with q5 when `q5`).
pub fn worked_example_masks(q5: bool) -> Vec<AnswerMask> {
    let plain =
        [(1u8, 80u32), (3, 60), (6, 170), (7, 12), (9, 190), (10, 194), (11, 50), (13, 184), (14, 186), (15, 188)];
    let filtered = [(2u8, 1u8, 76u32), (4, 3, 54), (8, 7, 9), (12, 11, 45)];
    (0..200u32)
        .map(|i| {
            let mut m = AnswerMask::EMPTY;
            for (q, n) in plain {
                m.set(QuestionId(q), i < n);
            }
            if q5 {
                m.set(QuestionId(5), i < 180);
            }
            for (q, filter, n) in filtered {
                if m.answer(QuestionId(filter)) == Some(true) {
                    m.set(QuestionId(q), i < n);
                }
            }
            m
        })
        .collect()
}

/// Counts of masks, the slow obvious way.
pub fn counts(masks: &[AnswerMask]) -> AnswerCounts {
    let mut c = AnswerCounts::new();
    for m in masks {
        c.add_mask(*m);
    }
    c
}

/// Every row of `survey_counter` (organisation, period, responses, q1_yes, q1_no, …) and of
/// `channel_counter`, sorted, for comparing two states of the counters.
pub async fn counter_tables(db: &Db) -> (Vec<Vec<i64>>, Vec<(i64, i64, String, i64)>) {
    let mut cols = vec!["organization_id".to_owned(), "period".to_owned(), "responses".to_owned()];
    for q in 1..=15 {
        cols.push(format!("q{q}_yes"));
        cols.push(format!("q{q}_no"));
    }
    let sql = format!(
        "SELECT {} FROM survey_counter ORDER BY organization_id, period",
        cols.iter().map(|c| format!("CAST({c} AS BIGINT)")).collect::<Vec<_>>().join(", ")
    );
    let backend = db.read.get_database_backend();
    let rows = db.read.query_all_raw(sea_orm::Statement::from_string(backend, sql)).await.unwrap();
    let survey =
        rows.iter().map(|r| (0..cols.len()).map(|i| r.try_get_by_index::<i64>(i).unwrap()).collect()).collect();
    let rows = db
        .read
        .query_all_raw(sea_orm::Statement::from_string(
            backend,
            "SELECT CAST(organization_id AS BIGINT), CAST(period AS BIGINT), channel, responses FROM channel_counter ORDER BY organization_id, period, channel",
        ))
        .await
        .unwrap();
    let channels = rows
        .iter()
        .map(|r| {
            (
                r.try_get_by_index::<i64>(0).unwrap(),
                r.try_get_by_index::<i64>(1).unwrap(),
                r.try_get_by_index::<String>(2).unwrap(),
                r.try_get_by_index::<i64>(3).unwrap(),
            )
        })
        .collect();
    (survey, channels)
}
