//! Live counters and live scores on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: a property
//! test inserting random responses — duplicates by id and flagged ones included — through the survey
//! repository shows the live counters equal a full recompute and a model; live scores read the
//! recorded checklist and equal the engine on the same counts.

mod common;
mod score_fixtures;

use nok_methodology::{AnswerMask, ChecklistSection, MissingDataPolicy, ScoreInput, Sphere};
use nok_store::Db;
use nok_store::db::testing;
use nok_store::repo::aggregates::{self, ResultFilter};
use nok_store::repo::checklists::{self, ChecklistInput, ItemInput};
use nok_store::repo::scores;
use nok_store::repo::survey::{self, NewResponse};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use score_fixtures::{counter_tables, counts, store, worked_example_masks};
use sea_orm::ConnectionTrait;
use std::collections::{BTreeMap, HashSet};

const CHANNELS: [&str; 4] = ["qr_poster", "operator_interview", "portal", "phone"];
const PERIODS: [i32; 2] = [2025, 2026];

/// One generated submission.
#[derive(Clone, Debug)]
struct Gen {
    /// Index into a small pool of ids, so that the same id is sent again (a retry).
    id_slot: u8,
    org: usize,
    period: usize,
    channel: usize,
    asked: u16,
    yes: u16,
    flagged: bool,
    /// Sent with the previous submission in one batch (group commit) instead of alone.
    batched: bool,
}

fn gen_strategy(orgs: usize) -> impl Strategy<Value = Vec<Gen>> {
    let one = (
        0u8..24,
        0..orgs,
        0..PERIODS.len(),
        0..CHANNELS.len(),
        any::<u16>(),
        any::<u16>(),
        prop::bool::weighted(0.2),
        any::<bool>(),
    )
        .prop_map(|(id_slot, org, period, channel, asked, yes, flagged, batched)| Gen {
            id_slot,
            org,
            period,
            channel,
            asked,
            yes,
            flagged,
            batched,
        });
    prop::collection::vec(one, 0..60)
}

/// One `channel_counter` row: organisation, period, channel, responses.
type ChannelRow = (i64, i64, String, i64);

/// The counter rows a correct store must hold after `gens`: the first submission of each id counts when
/// `included` says so (as sent: unless flagged); only bits of q1…q15 count, and «Да» only where answered.
fn model(gens: &[Gen], org_ids: &[i32], included: impl Fn(&Gen) -> bool) -> (Vec<Vec<i64>>, Vec<ChannelRow>) {
    let mut seen = HashSet::new();
    let mut survey: BTreeMap<(i32, i32), Vec<AnswerMask>> = BTreeMap::new();
    let mut channels: BTreeMap<(i64, i64, String), i64> = BTreeMap::new();
    for g in gens {
        if !seen.insert(g.id_slot) || !included(g) {
            continue;
        }
        let key = (org_ids[g.org], PERIODS[g.period]);
        survey.entry(key).or_default().push(AnswerMask { asked: g.asked, yes: g.yes });
        *channels.entry((i64::from(key.0), i64::from(key.1), CHANNELS[g.channel].to_owned())).or_default() += 1;
    }
    let survey = survey
        .into_iter()
        .map(|((org, period), masks)| {
            let c = counts(&masks);
            let mut row = vec![i64::from(org), i64::from(period), masks.len() as i64];
            for (_, yn) in c.iter() {
                row.push(yn.yes as i64);
                row.push(yn.no as i64);
            }
            row
        })
        .collect();
    let channels = channels.into_iter().map(|((o, p, c), n)| (o, p, c, n)).collect();
    (survey, channels)
}

async fn clear(db: &Db) {
    for table in ["response", "survey_counter"] {
        db.write.execute_unprepared(&format!("DELETE FROM {table}")).await.unwrap();
    }
}

/// Sends the generated submissions: runs of `batched` ones together through `insert_batch`.
async fn submit(db: &Db, gens: &[Gen], org_ids: &[i32], ids: &[uuid::Uuid]) {
    let mut batch: Vec<NewResponse> = Vec::new();
    for g in gens {
        let mut r = score_fixtures::response(
            org_ids[g.org],
            PERIODS[g.period],
            CHANNELS[g.channel],
            AnswerMask { asked: g.asked, yes: g.yes },
        );
        r.id = ids[usize::from(g.id_slot)];
        r.flag_reason = g.flagged.then(|| "test".to_owned());
        if !g.batched && !batch.is_empty() {
            survey::insert_batch(db, &batch).await.unwrap();
            batch.clear();
        }
        if g.batched {
            batch.push(r);
        } else {
            survey::insert(db, &r).await.unwrap();
        }
    }
    if !batch.is_empty() {
        survey::insert_batch(db, &batch).await.unwrap();
    }
}

async fn check_case(db: &Db, org_ids: &[i32], gens: &[Gen]) -> Result<(), TestCaseError> {
    clear(db).await;
    let ids: Vec<uuid::Uuid> = (0..24).map(|_| uuid::Uuid::new_v4()).collect();
    submit(db, gens, org_ids, &ids).await;
    let live = counter_tables(db).await;
    prop_assert_eq!(&live, &model(gens, org_ids, |g| !g.flagged), "live counters differ from the model");

    let report = scores::recompute(db, None).await.unwrap();
    prop_assert_eq!(&counter_tables(db).await, &live, "full recompute differs from the live counters");
    prop_assert_eq!(report.groups as usize, live.0.len());

    // Recomputing one period leaves the other period's counters as they were.
    scores::recompute(db, Some(PERIODS[0])).await.unwrap();
    prop_assert_eq!(&counter_tables(db).await, &live, "period recompute differs");

    // The counters follow status changes and deletions too (the triggers of m0015).
    db.write.execute_unprepared("UPDATE response SET status = 'accepted' WHERE status = 'flagged'").await.unwrap();
    let accepted = without_empty(counter_tables(db).await);
    prop_assert_eq!(&accepted, &model(gens, org_ids, |_| true), "after accepting the flagged responses");
    db.write.execute_unprepared("DELETE FROM response WHERE channel = 'phone'").await.unwrap();
    let deleted = without_empty(counter_tables(db).await);
    prop_assert_eq!(&deleted, &model(gens, org_ids, |g| CHANNELS[g.channel] != "phone"), "after deleting");
    scores::recompute(db, None).await.unwrap();
    prop_assert_eq!(&counter_tables(db).await, &deleted, "recompute after the changes");
    Ok(())
}

/// The counter tables without rows that went back to zero (a recompute writes none).
fn without_empty((survey, channels): (Vec<Vec<i64>>, Vec<ChannelRow>)) -> (Vec<Vec<i64>>, Vec<ChannelRow>) {
    (survey.into_iter().filter(|row| row[2] != 0).collect(), channels.into_iter().filter(|c| c.3 != 0).collect())
}

#[test]
fn live_counters_equal_recomputed_counters() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    for backend in testing::backends() {
        let db = rt.block_on(testing::fresh(backend));
        let world = rt.block_on(common::world(&db));
        let org_ids: Vec<i32> = world.orgs.iter().take(4).map(|o| o.id).collect();
        let cases = if backend == "sqlite" { 48 } else { 24 };
        let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
        runner
            .run(&gen_strategy(org_ids.len()), |gens| rt.block_on(check_case(&db, &org_ids, &gens)))
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
    }
}

#[tokio::test]
async fn live_scores_read_counters_and_the_recorded_checklist() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.org("76", Sphere::Health).clone();
        let masks = worked_example_masks(true);
        store(&db, org.id, 2026, "qr_poster", &masks[..150]).await;
        store(&db, org.id, 2026, "operator_interview", &masks[150..]).await;

        // Before a checklist is recorded the checklist-based indicators have no data.
        let before = scores::live_scores(&db.read, org.id, Sphere::Health, 2026).await.unwrap();
        assert!(!before.checklist_recorded, "{backend}");
        assert_eq!(before.checklist, None);
        assert_eq!((before.responses, before.online_responses), (200, 150), "{backend}");
        assert_eq!(before.scores.indicators.get("1.2"), None);

        // Record a checklist: every comfort item, two remote channels shown but one not working.
        let def = checklists::definition_for_year(2026);
        let comfort: Vec<ItemInput> = def
            .checklist(Sphere::Health, ChecklistSection::Comfort)
            .iter()
            .map(|i| ItemInput { item_id: i.id.clone(), present: true, ..ItemInput::default() })
            .collect();
        let remote = def.checklist(Sphere::Health, ChecklistSection::Remote);
        let mut items = comfort;
        items.push(ItemInput { item_id: remote[0].id.clone(), present: true, tried: true, ..ItemInput::default() });
        items.push(ItemInput { item_id: remote[1].id.clone(), present: true, tried: false, ..ItemInput::default() });
        let recorded =
            checklists::save(&db, &w.operator, org.id, 2026, &ChecklistInput { items, ..ChecklistInput::default() })
                .await
                .unwrap();

        let live = scores::live_scores(&db.read, org.id, Sphere::Health, 2026).await.unwrap();
        assert!(live.checklist_recorded, "{backend}");
        assert_eq!(live.checklist, Some(recorded.counts()));
        assert_eq!(live.checklist.unwrap().remote_channels, 1, "a channel not tried does not count");
        assert_eq!(live.scores.indicators.get("1.2"), Some(&30.0));
        assert_eq!(live.scores.indicators.get("2.1"), Some(&100.0));
        let expected = nok_methodology::score(
            def,
            &ScoreInput { sphere: Sphere::Health, checklist: Some(recorded.counts()), answers: counts(&masks) },
            def.missing_data.default,
        );
        assert_eq!(live.scores, expected, "{backend}");
        assert_eq!(live.scores.methodology, def.id);
        let p = live.progress(1000);
        assert_eq!((p.target, p.online_target, p.collected, p.collected_online), (400, 80, 200, 150));

        // Another period and another organisation are untouched.
        let other = scores::live_scores(&db.read, org.id, Sphere::Health, 2025).await.unwrap();
        assert_eq!(other.responses, 0);
        assert!(!other.checklist_recorded);
        assert_eq!(other.scores.total, None, "no survey data: no total, never 0 by accident");
        assert_eq!(checklists::definition_for_year(2025).id, other.scores.methodology);
    }
}

/// `a` equals `b` within 1e-9.
#[track_caller]
fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[tokio::test]
async fn without_a_checklist_the_checklist_indicators_have_no_data() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.org("76", Sphere::Health).clone();
        store(&db, org.id, 2026, "portal", &worked_example_masks(true)).await;
        let live = scores::live_scores(&db.read, org.id, Sphere::Health, 2026).await.unwrap();
        let s = &live.scores;
        assert_eq!(s.methodology, checklists::definition_for_year(2026).id, "{backend}: the period's version");
        assert_eq!(s.policy, MissingDataPolicy::NoData, "the definition's default [C]");

        // By hand (§7 answers, no checklist): 1.1, 1.2, 2.1, 3.1, 3.2 have no data and the remaining
        // weights of their criteria are scaled to 1. K1 = 1.3 = 92,5; 2.2 = timeliness 180/200 = 90
        // (no waiting time either), K2 = (0,4·90 + 0,3·85) / 0,7 = 61,5 / 0,7; K3 = 3.3 = 75;
        // K4 = 94,8; K5 = 93,2; S = (92,5 + 87,857… + 75 + 94,8 + 93,2) / 5 = 88,671….
        assert_eq!(s.no_data, ["1.1", "1.2", "2.1", "3.1", "3.2"], "{backend}");
        let k = |id: &str| s.criteria.get(id).copied();
        close(k("K1"), 92.5);
        close(k("K2"), 61.5 / 0.7);
        close(k("K3"), 75.0);
        close(k("K4"), 94.8);
        close(k("K5"), 93.2);
        let total = (92.5 + 61.5 / 0.7 + 75.0 + 94.8 + 93.2) / 5.0;
        close(s.total, total);
        close(Some(total), 88.671_428_571_428_57);
        for id in ["1.1", "1.2", "2.1", "3.1", "3.2"] {
            let e = s.explanation.iter().find(|e| e.id == id).unwrap();
            assert!(e.policy_applied && e.weight_used == 0.0, "{backend}: {id}");
            assert!(e.inputs.iter().all(|i| i.value.is_none()), "{id}: not given, not 0");
        }

        // The bulk path (rankings, aggregates, publication) gives the same numbers.
        let filter = ResultFilter { organization_id: Some(org.id), ..ResultFilter::default() };
        let bulk = aggregates::org_results(&db.read, &w.admin, &filter, 2026).await.unwrap();
        assert!(!bulk[0].checklist_recorded);
        close(bulk[0].values.total, total);
        assert_eq!(bulk[0].indicator("2.1"), None, "{backend}");
        close(bulk[0].indicator("2.2"), 90.0);
    }
}
