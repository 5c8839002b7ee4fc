//! Aggregates, rankings, history and publication on SQLite and (with NOK_TEST_DATABASE_URL)
//! PostgreSQL: means over the organisations assessed in the period, competition ranks with ties,
//! scoped results, frozen snapshots that later responses do not change, and who may publish.

mod common;
mod score_fixtures;

use nok_methodology::{AnswerMask, Sphere};
use nok_store::StoreError;
use nok_store::db::testing;
use nok_store::repo::aggregates::{self, Level, ResultFilter};
use nok_store::repo::{audit, publications, reference, snapshots};
use score_fixtures::{store, worked_example_masks};

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Masks answering every question of a sphere without q5 with «Да» except `no` of them.
fn mostly_yes(n: usize, no_every: usize) -> Vec<AnswerMask> {
    (0..n)
        .map(|i| {
            let asked = 0x7fff & !(1 << 4);
            let yes = if i % no_every == 0 { asked & !(1 << 14) & !(1 << 5) } else { asked };
            AnswerMask { asked, yes }
        })
        .collect()
}

#[tokio::test]
async fn means_ranks_scope_publication_and_history() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let pick = |region: &str, sphere: Sphere| -> Vec<i32> {
            w.orgs.iter().filter(|o| o.region_code == region && o.sphere == sphere.code()).map(|o| o.id).collect()
        };
        let (h76, c76, h77) = (pick("76", Sphere::Health), pick("76", Sphere::Culture), pick("77", Sphere::Health));
        let example = worked_example_masks(true);
        store(&db, h76[0], 2026, "portal", &example).await;
        store(&db, h76[1], 2026, "qr_poster", &example).await; // the same answers: a tie
        store(&db, c76[0], 2026, "operator_interview", &mostly_yes(40, 4)).await;
        store(&db, c76[1], 2026, "phone", &mostly_yes(30, 2)).await;
        store(&db, h77[0], 2026, "portal", &example[..120]).await;

        let all = aggregates::org_results(&db.read, &w.admin, &ResultFilter::default(), 2026).await.unwrap();
        assert_eq!(all.len(), 8, "{backend}");
        let assessed: Vec<_> = all.iter().filter(|r| r.assessed()).collect();
        assert_eq!(assessed.len(), 5, "{backend}: organisations without responses are not assessed");
        let total_of = |id: i32| all.iter().find(|r| r.organization_id == id).unwrap().values.total.unwrap();
        assert_eq!(total_of(h76[0]), total_of(h76[1]));

        // Means are over the assessed organisations of each group.
        let by_sphere = aggregates::aggregate(&all, Level::SphereInRegion);
        assert_eq!(by_sphere.len(), 4);
        let group = |region: &str, sphere: Sphere| {
            by_sphere
                .iter()
                .find(|a| a.key.region_code.as_deref() == Some(region) && a.key.sphere == Some(sphere))
                .unwrap()
        };
        let g = group("77", Sphere::Health);
        assert_eq!((g.organizations, g.assessed), (2, 1));
        close(g.total, total_of(h77[0]));
        let g = group("76", Sphere::Culture);
        close(g.total, mean(&[total_of(c76[0]), total_of(c76[1])]));
        assert_eq!(g.responses, 70);
        assert_eq!(g.online_responses, 0, "interview and phone are not online");
        let k1: Vec<f64> = c76
            .iter()
            .map(|id| all.iter().find(|r| r.organization_id == *id).unwrap().values.criteria[0].unwrap())
            .collect();
        close(g.criteria[0].1, mean(&k1));
        assert_eq!(g.criteria[0].0, "K1");
        assert!(g.indicators.iter().any(|(id, v)| id == "2.2" && v.is_none()), "culture has no 2.2");
        assert_eq!(group("77", Sphere::Culture).total, None);

        let country = aggregates::aggregate(&all, Level::Country);
        assert_eq!(country.len(), 1);
        close(country[0].total, mean(&assessed.iter().map(|r| r.values.total.unwrap()).collect::<Vec<_>>()));
        assert_eq!(country[0].responses, 590);
        assert_eq!(country[0].online_responses, 520);
        assert_eq!(country[0].sample_target, 8 * 400, "population 1000 each: 400 each");
        assert_eq!(aggregates::aggregate(&all, Level::Region).len(), 2);

        // Ties share a rank and the next rank skips.
        let ranks = aggregates::rank_organizations(&all, Level::Country);
        let mut by_total: Vec<(f64, u32)> =
            assessed.iter().map(|r| (r.values.total.unwrap(), ranks[&r.organization_id])).collect();
        by_total.sort_by(|a, b| b.0.total_cmp(&a.0));
        assert_eq!(ranks[&h76[0]], ranks[&h76[1]], "{backend}");
        let tie_rank = ranks[&h76[0]];
        let below = by_total.iter().filter(|(t, _)| *t < total_of(h76[0])).map(|(_, r)| *r).min();
        if let Some(below) = below {
            assert_eq!(below, tie_rank + 2, "competition ranking skips after a tie");
        }
        assert!(!ranks.contains_key(&h77[1]), "no total, no rank");
        let region_ranks = aggregates::rank_aggregates(&aggregates::aggregate(&all, Level::Region));
        assert!(region_ranks.iter().all(Option::is_some));

        // Scope: the authority of 76/health sees its two organisations only.
        let own = aggregates::org_results(&db.read, &w.authority, &ResultFilter::default(), 2026).await.unwrap();
        assert_eq!(own.iter().map(|r| r.organization_id).collect::<Vec<_>>().len(), 2);
        assert!(own.iter().all(|r| h76.contains(&r.organization_id)));
        let one = aggregates::org_results(
            &db.read,
            &w.admin,
            &ResultFilter { organization_id: Some(c76[1]), ..ResultFilter::default() },
            2026,
        )
        .await
        .unwrap();
        assert_eq!(one.len(), 1);

        // Publication: only the authority itself or an administrator; once per period; frozen.
        let a76 = reference::authority_by_code(&db.read, "76-health").await.unwrap().unwrap();
        let a77 = reference::authority_by_code(&db.read, "77-health").await.unwrap().unwrap();
        for actor in [&w.council, &w.operator, &w.staff, &w.monitor_77] {
            assert!(
                matches!(publications::publish(&db, actor, a76.id, 2026).await, Err(StoreError::Forbidden)),
                "{}",
                actor.login
            );
        }
        assert!(matches!(publications::publish(&db, &w.authority, a77.id, 2026).await, Err(StoreError::Forbidden)));
        let p = publications::publish(&db, &w.authority, a76.id, 2026).await.expect("authority publishes");
        assert_eq!(p.organizations, 2, "{backend}");
        assert!(matches!(publications::publish(&db, &w.authority, a76.id, 2026).await, Err(StoreError::Conflict(_))));
        assert!(matches!(publications::publish(&db, &w.authority, a76.id, 2031).await, Err(StoreError::Invalid(_))));
        let p77 = publications::publish(&db, &w.admin, a77.id, 2026).await.expect("admin publishes for an authority");
        assert_eq!(p77.organizations, 1, "the organisation without data is not in the snapshot");
        let snapshot = publications::results(&db.read, p.id).await.unwrap();
        assert_eq!(snapshot.len(), 2);
        let frozen = publications::published_for(&db.read, h76[0], 2026).await.unwrap().unwrap();
        close(frozen.total, total_of(h76[0]));
        assert_eq!(frozen.methodology, all[0].definition.id);
        let indicators: serde_json::Value = serde_json::from_str(&frozen.indicators).unwrap();
        close(indicators["3.3"].as_f64(), 75.0);

        // Later responses change the live result, never the published one.
        store(&db, h76[0], 2026, "portal", &[AnswerMask { asked: 0x7fff, yes: 0 }; 50]).await;
        let live = aggregates::org_results(
            &db.read,
            &w.admin,
            &ResultFilter { organization_id: Some(h76[0]), ..ResultFilter::default() },
            2026,
        )
        .await
        .unwrap();
        assert!(live[0].values.total.unwrap() < total_of(h76[0]));
        let still = publications::published_for(&db.read, h76[0], 2026).await.unwrap().unwrap();
        assert_eq!(still, frozen);
        // What the public sees: the frozen values in place of the live ones, and their explanation
        // re-run from the frozen counts gives exactly the published numbers.
        let mut public = live.clone();
        snapshots::overlay(&db.read, 2026, &mut public).await.unwrap();
        assert_eq!(public[0].values.total, frozen.total, "{backend}");
        assert!(public[0].published_at.is_some() && live[0].published_at.is_none());
        assert_eq!(public[0].responses, 200);
        let p = snapshots::for_organization(&db.read, h76[0], 2026).await.unwrap().unwrap();
        let input = p.input().expect("the snapshot keeps its input");
        assert_eq!((input.checklist, input.answers.get(nok_methodology::QuestionId(6)).yes), (None, 170));
        let explained = p.scores().unwrap();
        assert_eq!(explained.total, frozen.total);
        assert!(explained.explanation.iter().any(|e| !e.inputs.is_empty()), "with the frozen counts");
        let log = audit::list(&db.read, &w.admin, 1, 50).await.unwrap();
        assert!(
            log.items.iter().any(|e| e.action == "results.publish" && e.actor_login == "auth76"),
            "publication audited"
        );

        // History by year: the published snapshot for 2026, the live result for 2025.
        store(&db, h76[0], 2025, "portal", &example).await;
        let history = publications::org_history(&db.read, h76[0]).await.unwrap();
        let years: Vec<(i32, bool)> = history.iter().map(|y| (y.period, y.published)).collect();
        assert_eq!(years, [(2026, true), (2025, false)], "{backend}");
        close(history[0].total, total_of(h76[0]));
        close(history[1].total, total_of(h76[1]));
        let agg_history = aggregates::history(&db.read, &w.authority, &ResultFilter::default()).await.unwrap();
        assert_eq!(agg_history.iter().map(|(p, _)| *p).collect::<Vec<_>>(), [2026, 2025]);
        assert_eq!(agg_history[1].1.assessed, 1);
        assert_eq!(aggregates::periods(&db.read, &w.monitor_77).await.unwrap(), [2026]);
    }
}

/// Culture respondents (no q5): all «Да», or «Да» to the filter questions only (so every follow-up is
/// asked and answered «Нет»).
fn culture(yes: bool) -> AnswerMask {
    let asked = 0x7fff & !(1 << 4);
    let filters = (1 << 0) | (1 << 2) | (1 << 6) | (1 << 10);
    AnswerMask { asked, yes: if yes { asked } else { filters } }
}

#[tokio::test]
async fn municipal_means_and_ranks_within_a_municipality() {
    const YAR: &str = "городской округ город Ярославль";
    const RYB: &str = "Рыбинский муниципальный район";
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let system = nok_store::Actor::system();
        let mut ids = Vec::new();
        let orgs = [
            ("76", Some(YAR)),
            ("76", Some(YAR)),
            ("76", Some(YAR)),
            ("76", Some(" Рыбинский муниципальный район ")),
            ("76", Some(RYB)),
            ("76", None),
            ("77", Some(YAR)),
        ];
        for (i, (region, municipality)) in orgs.into_iter().enumerate() {
            let mut rec = common::record(i as u64 + 1, region, Sphere::Culture, &format!("Организация {i}"));
            rec.municipality = municipality.map(str::to_owned);
            ids.push(nok_store::repo::organizations::create(&db, &system, &rec).await.unwrap().id);
        }
        let half: Vec<AnswerMask> = (0..10).map(|i| culture(i < 5)).collect();
        for (org, masks) in [
            (ids[0], vec![culture(true); 10]),
            (ids[1], vec![culture(true); 10]),
            (ids[2], vec![culture(false); 10]),
            (ids[3], half),
            (ids[5], vec![culture(true); 10]),
            (ids[6], vec![culture(true); 10]),
        ] {
            store(&db, org, 2026, "portal", &masks).await;
        }
        let all = aggregates::org_results(&db.read, &system, &ResultFilter::default(), 2026).await.unwrap();
        assert_eq!(all.iter().find(|r| r.organization_id == ids[3]).unwrap().municipality.as_deref(), Some(RYB));

        // By hand, without a checklist (1.1, 1.2, 2.1, 3.1, 3.2 have no data; each criterion is its
        // survey indicators with the weights scaled to 1): all «Да» gives 100 everywhere, S = 100; all
        // «Нет» gives 0 everywhere; half and half gives 50 everywhere, S = 50.
        let groups = aggregates::aggregate(&all, Level::Municipality);
        let keys: Vec<(&str, &str)> = groups
            .iter()
            .map(|g| (g.key.region_code.as_deref().unwrap(), g.key.municipality.as_deref().unwrap()))
            .collect();
        assert_eq!(keys, [("76", RYB), ("76", YAR), ("77", YAR)], "{backend}: no group for the unnamed one");
        let (ryb, yar, yar77) = (&groups[0], &groups[1], &groups[2]);
        assert_eq!((yar.organizations, yar.assessed, yar.responses), (3, 3, 30));
        close(yar.total, 200.0 / 3.0);
        for (_, v) in &yar.criteria {
            close(*v, 200.0 / 3.0);
        }
        let indicator = |g: &aggregates::Aggregate, id: &str| g.indicators.iter().find(|(i, _)| i == id).unwrap().1;
        for id in ["1.1", "1.2", "2.1", "3.1", "3.2"] {
            assert_eq!(indicator(yar, id), None, "{id}: no data in any organisation");
        }
        close(indicator(yar, "1.3"), 200.0 / 3.0);
        assert_eq!((ryb.organizations, ryb.assessed), (2, 1), "{backend}: the one without responses is not assessed");
        close(ryb.total, 50.0);
        close(ryb.criteria[0].1, 50.0);
        close(yar77.total, 100.0);
        assert_eq!(aggregates::rank_aggregates(&groups), [Some(3), Some(2), Some(1)]);

        // Ranks within a municipality: a tie at the top, the next rank skips; no municipality, no rank.
        let ranks = aggregates::rank_organizations(&all, Level::Municipality);
        let rank = |i: usize| ranks.get(&ids[i]).copied();
        assert_eq!([rank(0), rank(1), rank(2)], [Some(1), Some(1), Some(3)], "{backend}");
        assert_eq!([rank(3), rank(4), rank(5), rank(6)], [Some(1), None, None, Some(1)]);
    }
}
