//! The placement registry, logos and scan analytics on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL:
//! validation, the two-poster rule, coverage share of assessed organisations, audit of every change,
//! scope refusals for every role, and visits against completed questionnaires.

mod common;
mod score_fixtures;

use nok_methodology::Sphere;
use nok_store::db::testing;
use nok_store::repo::placements::{self, CoverageQuery, CoverageSort, Medium, PlacementInput, Spot};
use nok_store::repo::{audit, images, scans, survey};
use nok_store::{Actor, Db, StoreError};

const PERIOD: i32 = 2026;

fn forbidden<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(matches!(r, Err(StoreError::Forbidden)), "expected Forbidden, got {r:?}");
}

fn poster(spot: Spot) -> PlacementInput {
    PlacementInput {
        medium: Some(Medium::Poster),
        spot: Some(spot),
        poster_size: Some("a4".into()),
        distance_m: Some(1.0),
        placed_at: Some(1_767_225_600),
        ..Default::default()
    }
}

/// Stores one accepted response (the database counts it).
async fn respond(db: &Db, organization_id: i32, period: i32, channel: &str, asked: u16, yes: u16) {
    let mut r = score_fixtures::response(organization_id, period, channel, nok_methodology::AnswerMask { asked, yes });
    r.created_at = nok_store::time_util::now();
    survey::insert(db, &r).await.unwrap();
}

async fn coverage(db: &Db, actor: &Actor, q: CoverageQuery) -> (placements::CoverageSummary, Vec<i32>) {
    let (summary, page) = placements::coverage(&db.read, actor, &CoverageQuery { per_page: 100, ..q }).await.unwrap();
    (summary, page.items.iter().map(|r| r.organization_id).collect())
}

#[tokio::test]
async fn placements_validate_follow_the_rule_and_are_audited() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.org("76", Sphere::Health).clone();

        // Validation: a poster needs its spot and size; a website placement a proper link.
        let bad = PlacementInput { medium: Some(Medium::Poster), ..Default::default() };
        let errors = bad.validate(0);
        assert!(
            errors.iter().any(|e| e.field == "spot") && errors.iter().any(|e| e.field == "poster_size"),
            "{errors:?}"
        );
        let site = PlacementInput {
            medium: Some(Medium::Website),
            page_url: Some("javascript:alert(1)".into()),
            ..Default::default()
        };
        assert!(
            matches!(placements::create(&db, &w.staff, org.id, &site).await, Err(StoreError::Invalid(_))),
            "{backend}"
        );
        let paper =
            PlacementInput { medium: Some(Medium::Paper), media_kind: Some("rocket".into()), ..Default::default() };
        assert!(
            matches!(placements::create(&db, &w.staff, org.id, &paper).await, Err(StoreError::Invalid(_))),
            "{backend}"
        );

        // One poster at the entrance: the rule is not met yet.
        let entrance = placements::create(&db, &w.staff, org.id, &poster(Spot::Entrance)).await.unwrap();
        let rows = placements::list(&db.read, &w.staff, org.id).await.unwrap();
        let status = placements::rule_status(&rows);
        assert_eq!(
            (status.posters, status.entrance, status.main_contact, status.met()),
            (1, true, false, false),
            "{backend}"
        );

        // Paper and a screen do not count as posters.
        let ticket =
            PlacementInput { medium: Some(Medium::Paper), media_kind: Some("ticket".into()), ..Default::default() };
        placements::create(&db, &w.staff, org.id, &ticket).await.unwrap();
        let tv = PlacementInput {
            medium: Some(Medium::Screen),
            media_kind: Some("tv".into()),
            spot: Some(Spot::WaitingArea),
            ..Default::default()
        };
        placements::create(&db, &w.staff, org.id, &tv).await.unwrap();
        let site = PlacementInput {
            medium: Some(Medium::Website),
            page_url: Some("https://example.ru/nok".into()),
            spot: Some(Spot::Entrance),
            ..Default::default()
        };
        let site = placements::create(&db, &w.staff, org.id, &site).await.unwrap();
        assert_eq!(site.spot, None, "fields that do not apply are dropped");
        assert!(!placements::rule_status(&placements::list(&db.read, &w.staff, org.id).await.unwrap()).met());

        // The second poster at the main contact point meets the rule.
        let main = placements::create(&db, &w.staff, org.id, &poster(Spot::MainContact)).await.unwrap();
        let rows = placements::list(&db.read, &w.authority, org.id).await.unwrap();
        assert!(placements::rule_status(&rows).met(), "{backend}");
        assert_eq!(rows[0].medium, "poster", "posters are listed first");

        // Verification records who and when; moving the poster clears it.
        let verified = placements::verify(&db, &w.authority, entrance.id).await.unwrap();
        assert_eq!(verified.verified_by.as_deref(), Some("auth76"));
        assert!(verified.verified_at.is_some());
        let moved = placements::update(&db, &w.staff, entrance.id, &poster(Spot::Reception)).await.unwrap();
        assert_eq!((moved.verified_by, moved.verified_at), (None, None), "{backend}");
        assert!(!placements::rule_status(&placements::list(&db.read, &w.staff, org.id).await.unwrap()).met());
        placements::update(&db, &w.staff, entrance.id, &poster(Spot::Entrance)).await.unwrap();

        // A photo: checked by its first bytes; SVG photos are refused.
        let png = b"\x89PNG\r\n\x1a\nrest-of-file".to_vec();
        placements::set_photo(&db, &w.staff, main.id, &png).await.unwrap();
        assert_eq!(placements::photo(&db.read, &w.authority, main.id).await.unwrap().unwrap().mime, "image/png");
        assert!(matches!(
            placements::set_photo(&db, &w.staff, main.id, b"<svg></svg>").await,
            Err(StoreError::Invalid(_))
        ));
        assert!(matches!(
            placements::set_photo(&db, &w.staff, main.id, b"MZ\x90\x00").await,
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(placements::with_photo(&db.read, &rows).await.unwrap(), vec![main.id]);

        // Deleting keeps the history in the audit log.
        placements::delete(&db, &w.staff, main.id).await.unwrap();
        assert!(matches!(placements::get(&db.read, &w.staff, main.id).await, Err(StoreError::NotFound)));
        let history = audit::history(&db.read, "placement", &main.id.to_string()).await.unwrap();
        let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(actions, ["placement.delete", "placement.create"], "{backend}");
        assert!(history[0].before.is_some());
        let history = audit::history(&db.read, "placement", &entrance.id.to_string()).await.unwrap();
        let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(
            actions,
            ["placement.update", "placement.update", "placement.verify", "placement.create"],
            "{backend}"
        );
        assert!(!audit::history(&db.read, "placement_photo", &main.id.to_string()).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn every_role_is_confined_to_its_scope() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let own = w.org("76", Sphere::Health).clone();
        let other_region = w.org("77", Sphere::Health).clone();
        let other_sphere = w.org("76", Sphere::Culture).clone();
        let theirs = placements::create(&db, &w.admin, other_region.id, &poster(Spot::Entrance)).await.unwrap();
        let culture = placements::create(&db, &w.admin, other_sphere.id, &poster(Spot::Entrance)).await.unwrap();
        let mine = placements::create(&db, &w.staff, own.id, &poster(Spot::Entrance)).await.unwrap();

        // Writers (staff, authority) are refused outside their scope for every operation.
        for actor in [&w.staff, &w.authority] {
            for target in [&theirs, &culture] {
                forbidden(placements::list(&db.read, actor, target.organization_id).await);
                forbidden(placements::get(&db.read, actor, target.id).await);
                forbidden(placements::create(&db, actor, target.organization_id, &poster(Spot::Office)).await);
                forbidden(placements::update(&db, actor, target.id, &poster(Spot::Office)).await);
                forbidden(placements::verify(&db, actor, target.id).await);
                forbidden(placements::delete(&db, actor, target.id).await);
                forbidden(placements::set_photo(&db, actor, target.id, b"\x89PNG\r\n\x1a\n").await);
                forbidden(placements::photo(&db.read, actor, target.id).await);
                forbidden(images::set_org_logo(&db, actor, target.organization_id, b"\x89PNG\r\n\x1a\n").await);
            }
        }
        placements::verify(&db, &w.authority, mine.id).await.expect("authority verifies in its scope");

        // Readers: the operator sees its contract's organisation, the council its authority's, the
        // monitor its region — none of them may change anything.
        assert_eq!(placements::list(&db.read, &w.operator, own.id).await.unwrap().len(), 1, "{backend}");
        forbidden(placements::list(&db.read, &w.operator, other_sphere.id).await);
        assert_eq!(placements::list(&db.read, &w.council, own.id).await.unwrap().len(), 1);
        forbidden(placements::list(&db.read, &w.council, other_region.id).await);
        assert_eq!(placements::list(&db.read, &w.monitor_77, other_region.id).await.unwrap().len(), 1);
        forbidden(placements::list(&db.read, &w.monitor_77, own.id).await);
        for (reader, org, row) in
            [(&w.operator, &own, &mine), (&w.council, &own, &mine), (&w.monitor_77, &other_region, &theirs)]
        {
            forbidden(placements::create(&db, reader, org.id, &poster(Spot::Office)).await);
            forbidden(placements::update(&db, reader, row.id, &poster(Spot::Office)).await);
            forbidden(placements::verify(&db, reader, row.id).await);
            forbidden(placements::delete(&db, reader, row.id).await);
            forbidden(placements::set_photo(&db, reader, row.id, b"\x89PNG\r\n\x1a\n").await);
            forbidden(images::set_org_logo(&db, reader, org.id, b"\x89PNG\r\n\x1a\n").await);
        }

        // Logos: staff upload their own; an authority's logo only by itself or an administrator.
        images::set_org_logo(&db, &w.staff, own.id, b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>").await.unwrap();
        assert_eq!(images::org_logo(&db.read, &w.authority, own.id).await.unwrap().unwrap().mime, "image/svg+xml");
        forbidden(images::org_logo(&db.read, &w.staff, other_region.id).await);
        let Some(nok_store::scope::Scope::Authority { authority_id, .. }) = Some(w.authority.scope.clone()) else {
            unreachable!()
        };
        images::set_authority_logo(&db, &w.authority, authority_id, &[0xFF, 0xD8, 0xFF, 0xE0]).await.unwrap();
        forbidden(images::set_authority_logo(&db, &w.staff, authority_id, &[0xFF, 0xD8, 0xFF]).await);
        forbidden(images::set_authority_logo(&db, &w.council, authority_id, &[0xFF, 0xD8, 0xFF]).await);
        forbidden(images::set_authority_logo(&db, &w.authority, authority_id + 1, &[0xFF, 0xD8, 0xFF]).await);
        assert!(images::delete_authority_logo(&db, &w.admin, authority_id).await.unwrap());

        // Coverage lists only the actor's organisations.
        respond(&db, other_region.id, PERIOD, "qr_poster", 1, 1).await;
        let (summary, ids) = coverage(&db, &w.authority, CoverageQuery { period: PERIOD, ..Default::default() }).await;
        assert_eq!(
            (summary.assessed, ids),
            (1, vec![own.id]),
            "{backend}: only the contract's organisation is assessed in scope"
        );
        let (summary, _) = coverage(&db, &w.monitor_77, CoverageQuery { period: PERIOD, ..Default::default() }).await;
        assert_eq!(summary.assessed, 1);
    }
}

#[tokio::test]
async fn coverage_is_the_share_of_assessed_organisations_meeting_the_rule() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let admin = &w.admin;
        let in_region = |r: &str| {
            let mut v = w.orgs.iter().filter(|o| o.region_code == r).cloned().collect::<Vec<_>>();
            v.sort_by_key(|o| o.id); // import order: health, health, culture, culture
            v
        };
        let (r76, r77) = (in_region("76"), in_region("77"));
        assert_eq!((r76.len(), r77.len()), (4, 4));

        // Assessed in 2026: the contract's organisation (r76 health #0) and those with responses.
        for o in [&r76[1], &r76[2], &r77[0]] {
            respond(&db, o.id, PERIOD, "paper", 3, 1).await;
        }
        respond(&db, r77[1].id, PERIOD - 1, "paper", 3, 1).await;
        // r76[0] meets the rule; r76[1] has only the entrance poster; r77[0] meets it; r77[3] meets
        // it but is not assessed this year.
        for o in [&r76[0], &r77[0], &r77[3]] {
            placements::create(&db, admin, o.id, &poster(Spot::Entrance)).await.unwrap();
            placements::create(&db, admin, o.id, &poster(Spot::MainContact)).await.unwrap();
        }
        placements::create(&db, admin, r76[1].id, &poster(Spot::Entrance)).await.unwrap();
        placements::create(&db, admin, r76[1].id, &poster(Spot::Entrance)).await.unwrap();
        let p = placements::create(&db, admin, r76[0].id, &poster(Spot::Office)).await.unwrap();
        placements::verify(&db, admin, p.id).await.unwrap();

        let (all, ids) = coverage(&db, admin, CoverageQuery { period: PERIOD, ..Default::default() }).await;
        assert_eq!((all.assessed, all.meeting), (4, 2), "{backend}");
        assert_eq!(all.share_percent(), 50.0);
        assert_eq!(ids.len(), 4);

        let (region, _) = coverage(
            &db,
            admin,
            CoverageQuery { period: PERIOD, region_code: Some("76".into()), ..Default::default() },
        )
        .await;
        assert_eq!((region.assessed, region.meeting), (3, 1), "{backend}");
        let by_region =
            placements::coverage_by_region(&db.read, admin, &CoverageQuery { period: PERIOD, ..Default::default() })
                .await
                .unwrap();
        let figures: Vec<(String, u64, u64)> =
            by_region.iter().map(|s| (s.region_code.clone(), s.assessed, s.meeting)).collect();
        assert_eq!(figures, vec![("76".to_string(), 3, 1), ("77".to_string(), 1, 1)], "{backend}");

        // The authority 76/health: two health organisations assessed, one meeting the rule.
        let (auth, _) = coverage(&db, &w.authority, CoverageQuery { period: PERIOD, ..Default::default() }).await;
        assert_eq!((auth.assessed, auth.meeting, auth.share_percent()), (2, 1, 50.0), "{backend}");

        // Sorting, failing-only filter and pagination.
        let q = CoverageQuery { period: PERIOD, sort: CoverageSort::Posters, descending: true, ..Default::default() };
        let (_, page) =
            placements::coverage(&db.read, admin, &CoverageQuery { per_page: 100, ..q.clone() }).await.unwrap();
        assert_eq!(page.items[0].organization_id, r76[0].id, "{backend}: three posters first");
        assert_eq!((page.items[0].posters, page.items[0].verified), (3, 1));
        assert!(page.items[0].rule().met());
        let (_, failing) =
            placements::coverage(&db.read, admin, &CoverageQuery { failing_only: true, per_page: 100, ..q.clone() })
                .await
                .unwrap();
        let failing_ids: Vec<i32> = failing.items.iter().map(|r| r.organization_id).collect();
        assert_eq!(failing.total, 2);
        assert!(failing_ids.contains(&r76[1].id) && failing_ids.contains(&r76[2].id), "{backend}");
        let (_, second) =
            placements::coverage(&db.read, admin, &CoverageQuery { per_page: 3, page: 2, ..q.clone() }).await.unwrap();
        assert_eq!((second.items.len(), second.total, second.pages()), (1, 4, 2));
        let (_, by_rule) =
            placements::coverage(&db.read, admin, &CoverageQuery { sort: CoverageSort::Rule, per_page: 100, ..q })
                .await
                .unwrap();
        assert!(by_rule.items.first().unwrap().rule().met() && !by_rule.items.last().unwrap().rule().met());

        // Nothing assessed: nothing is missing.
        let (empty, _) = coverage(&db, admin, CoverageQuery { period: 2001, ..Default::default() }).await;
        assert_eq!((empty.assessed, empty.share_percent()), (0, 100.0));
    }
}

#[tokio::test]
async fn visits_per_qr_variant_and_conversion() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let own = w.org("76", Sphere::Health).clone();
        let other = w.org("77", Sphere::Health).clone();
        for _ in 0..4 {
            scans::record_scan(&db, own.id, "qr_poster").await.unwrap();
        }
        scans::record_scan(&db, own.id, "website_widget").await.unwrap();
        let day = PERIOD * 10_000 + 601;
        scans::record_scans(
            &db,
            &[
                scans::ScanHit { organization_id: own.id, day, channel: "qr_poster".into(), visits: 6 },
                scans::ScanHit { organization_id: other.id, day, channel: "qr_paper".into(), visits: 5 },
            ],
        )
        .await
        .unwrap();
        assert!(matches!(scans::record_scan(&db, own.id, "phone").await, Err(StoreError::Invalid(_))));
        for _ in 0..3 {
            respond(&db, own.id, PERIOD, "qr_poster", 1, 1).await;
        }
        respond(&db, own.id, PERIOD, "phone", 1, 1).await;

        let today_period = nok_store::time_util::period_of(nok_store::time_util::now());
        let q = scans::ScanQuery { period: PERIOD, per_page: 50, ..Default::default() };
        let (totals, page) = scans::by_organization(&db.read, &w.admin, &q).await.unwrap();
        assert_eq!(page.total, 2, "{backend}");
        let mine = page.items.iter().find(|r| r.organization_id == own.id).unwrap();
        let expected_poster_visits = if today_period == PERIOD { 10 } else { 6 };
        assert_eq!(mine.figures.visits[0], expected_poster_visits, "{backend}");
        assert_eq!(mine.figures.completed, [3, 0, 0, 0], "{backend}: phone answers are not a QR variant");
        assert_eq!(totals.visits[1], 5);
        assert_eq!(mine.figures.conversion(0), Some(300.0 / expected_poster_visits as f64));

        let regions = scans::by_region(&db.read, &w.admin, &q).await.unwrap();
        let codes: Vec<(&str, u64)> = regions.iter().map(|r| (r.region_code.as_str(), r.organizations)).collect();
        assert_eq!(codes, vec![("76", 1), ("77", 1)], "{backend}");

        // Scoped: the authority of 76/health sees its organisation only; staff cannot read another's.
        let (_, page) = scans::by_organization(&db.read, &w.authority, &q).await.unwrap();
        assert_eq!(page.items.iter().map(|r| r.organization_id).collect::<Vec<_>>(), vec![own.id], "{backend}");
        forbidden(scans::for_organization(&db.read, &w.staff, other.id, PERIOD).await);
        let f = scans::for_organization(&db.read, &w.staff, own.id, PERIOD).await.unwrap();
        assert_eq!(f.completed[0], 3);
        let (_, page) = scans::by_organization(&db.read, &w.monitor_77, &q).await.unwrap();
        assert_eq!(page.items.iter().map(|r| r.organization_id).collect::<Vec<_>>(), vec![other.id]);
    }
}
