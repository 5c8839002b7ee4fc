//! `nok demo --no-serve` through the built binary: the demo database holds feedback and improvement plans in
//! every state, the demo accounts see theirs (the staff account its organisation's, the authority its
//! sphere's), and two runs produce the same content.

use nok_store::repo::appeals::{self, AppealQuery, StatusFilter};
use nok_store::repo::rating_votes::CommentQuery;
use nok_store::repo::reviews::{self, ReviewQuery};
use nok_store::repo::{flagged, rating_votes, users};
use nok_store::scope::Scope;
use nok_store::time_util;
use nok_store::{Actor, Db};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_nok");

/// Runs the demo filler into a fresh SQLite file and opens it.
async fn demo(dir: &tempfile::TempDir, name: &str) -> Db {
    let file = dir.path().join(name);
    let out = Command::new(BIN)
        .args(["demo", "--no-serve", "--responses", "300", "--file"])
        .arg(&file)
        .env_remove("NOK_DATABASE_URL")
        .output()
        .expect("nok runs");
    assert!(out.status.success(), "nok demo failed: {}", String::from_utf8_lossy(&out.stderr));
    Db::open(&format!("sqlite://{}", file.display())).await.unwrap()
}

async fn actor(db: &Db, login: &str) -> Actor {
    let user = users::find_by_login(&db.read, login).await.unwrap().expect("demo account");
    users::actor_for(&db.read, &user).await.unwrap()
}

async fn appeal_count(db: &Db, actor: &Actor, status: StatusFilter) -> u64 {
    let q = AppealQuery { status, now: time_util::now(), ..Default::default() };
    appeals::list(&db.read, actor, &q).await.unwrap().total
}

async fn review_count(db: &Db, actor: &Actor, status: &str, flagged_only: bool) -> u64 {
    let q = ReviewQuery { status: Some(status.into()), flagged_only, ..Default::default() };
    reviews::list(&db.read, actor, &q).await.unwrap().total
}

/// What a demo database says, without times and tokens: (organisation, status, text) of every review and
/// appeal, in id order.
async fn content(db: &Db) -> Vec<(i32, String, String)> {
    let admin = actor(db, "admin").await;
    let q = ReviewQuery { per_page: 200, ..Default::default() };
    let mut rows = Vec::new();
    for page in 1.. {
        let p = reviews::list(&db.read, &admin, &ReviewQuery { page, ..q.clone() }).await.unwrap();
        rows.extend(p.items.into_iter().map(|r| (r.review.organization_id, r.review.status, r.review.body)));
        if page * p.per_page >= p.total {
            break;
        }
    }
    let q = AppealQuery { per_page: 200, now: time_util::now(), ..Default::default() };
    let all = appeals::export(&db.read, &admin, &q, 10_000).await.unwrap();
    let key = nok_store::crypto::FieldKey::load(db).await.unwrap();
    let opened = all.into_iter().map(|r| appeals::open(&key, r.appeal).expect("the demo key opens its appeals"));
    rows.extend(opened.map(|a| (a.organization_id, a.status, a.body)));
    rows.sort();
    rows
}

#[tokio::test]
async fn demo_fills_feedback_in_every_state_for_the_demo_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir, "a.db").await;
    let (admin, authority, staff) =
        (actor(&db, "admin").await, actor(&db, "authority").await, actor(&db, "staff").await);
    let Scope::Organization { organization_id: staff_org } = staff.scope else { panic!("staff scope") };

    // Appeals: every status, overdue ones, for every account that sees appeals.
    for (who, minimum) in [(&admin, 10), (&authority, 8), (&staff, 2)] {
        let mut sum = 0;
        for status in appeals::STATUSES {
            let n = appeal_count(&db, who, StatusFilter::Status(status)).await;
            assert!(n >= minimum / 5, "{}: {n} appeals {status}", who.login);
            sum += n;
        }
        assert_eq!(sum, appeal_count(&db, who, StatusFilter::All).await, "{}", who.login);
        assert!(sum >= minimum, "{}: {sum} appeals", who.login);
        let overdue = appeal_count(&db, who, StatusFilter::Overdue).await;
        assert!(overdue >= 2, "{}: {overdue} overdue appeals", who.login);
    }
    let (open, overdue) = appeals::open_and_overdue(&db.read, &staff, time_util::now()).await.unwrap();
    assert!(open >= 4 && overdue >= 2, "staff: {open} open, {overdue} overdue");

    // Reviews: published (some answered), waiting for moderation (some flagged by the pre-checks).
    for (who, published, pending) in [(&admin, 60, 5), (&authority, 30, 2)] {
        let p = review_count(&db, who, reviews::PUBLISHED, false).await;
        let q = review_count(&db, who, reviews::PENDING, false).await;
        assert!(p >= published && q >= pending, "{}: {p} published, {q} pending", who.login);
        assert!(review_count(&db, who, reviews::PENDING, true).await >= 2, "{}: flagged pending", who.login);
    }
    let own = reviews::list(&db.read, &staff, &ReviewQuery { per_page: 50, ..Default::default() }).await.unwrap();
    assert!(own.total >= 6, "staff sees {} reviews", own.total);
    assert!(own.items.iter().all(|r| r.review.organization_id == staff_org));
    assert!(own.items.iter().any(|r| r.review.answer.is_some()), "an answered review");
    assert!(own.items.iter().any(|r| r.review.answer.is_none()), "an unanswered review");

    // Agreement votes, some with comments.
    let period = time_util::period_of(time_util::now());
    let votes = rating_votes::counts(&db.read, staff_org, period).await.unwrap();
    assert!(votes.total() >= 20 && votes.agree > 0 && votes.disagree > 0, "{votes:?}");
    let q = CommentQuery { organization_id: Some(staff_org), period: Some(period), page: 1, per_page: 50 };
    let comments = rating_votes::comments(&db.read, &staff, &q).await.unwrap();
    assert!(comments.total >= 3, "{} comments", comments.total);

    // Device repeats waiting in the authority's queue.
    for (who, minimum) in [(&admin, 6), (&authority, 3)] {
        let queue = flagged::list(&db.read, who, 1, 100).await.unwrap();
        assert!(queue.total >= minimum, "{}: {} flagged", who.login, queue.total);
        assert!(queue.items.iter().all(|r| r.response.flag_reason.as_deref() == Some("device_repeat")));
    }
    assert!(
        flagged::list(&db.read, &authority, 1, 100)
            .await
            .unwrap()
            .items
            .iter()
            .all(|r| r.organization.sphere == "health")
    );

    // The same seed gives the same content.
    let again = demo(&dir, "b.db").await;
    assert_eq!(content(&db).await, content(&again).await);
}

/// Every published demo plan as (organisation, year, shown statuses, shortcomings), in organisation order.
async fn plans_content(db: &Db) -> Vec<(i32, i32, Vec<&'static str>, Vec<String>)> {
    use nok_store::repo::improvement_plans::{self as plans, ListFilter, ListQuery};
    let admin = actor(db, "admin").await;
    let year = time_util::period_of(time_util::now());
    let q = ListQuery { year, filter: ListFilter::Published, per_page: 1000, ..ListQuery::default() };
    let (_, page) = plans::list(&db.read, &admin, &q).await.unwrap();
    let mut out = Vec::new();
    for row in page.items {
        let p = plans::published_latest(&db.read, row.organization_id).await.unwrap().expect("published");
        let shown = p.items.iter().map(|i| i.shown.code()).collect();
        out.push((row.organization_id, p.year, shown, p.items.iter().map(|i| i.shortcoming.clone()).collect()));
    }
    out.sort();
    out
}

#[tokio::test]
async fn demo_has_published_plans_in_every_status_the_same_every_time() {
    use nok_store::repo::improvement_plans::{self as plans, ListFilter, ListQuery};
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir, "p.db").await;
    let staff = actor(&db, "staff").await;
    let Scope::Organization { organization_id } = staff.scope else { panic!("staff scope") };
    let year = time_util::period_of(time_util::now());
    // The staff account's organisation has a published plan with every status, shown publicly.
    let own = plans::published_latest(&db.read, organization_id).await.unwrap().expect("the staff's plan");
    for status in ["planned", "in_progress", "done", "overdue"] {
        assert!(own.items.iter().any(|i| i.shown.code() == status), "{status} in {:?}", own.items);
    }
    assert!(own.approved_on.is_some() && own.items.iter().any(|i| !i.progress.is_empty()));
    // The authority follows a dozen plans with overdue items, and some drafts.
    let authority = actor(&db, "authority").await;
    let q = ListQuery { year, per_page: 1000, ..ListQuery::default() };
    let (summary, _) = plans::list(&db.read, &authority, &q).await.unwrap();
    assert!(summary.published >= 10 && summary.with_plan > summary.published, "{summary:?}");
    assert!(summary.overdue >= 20 && summary.done >= 10, "{summary:?}");
    let overdue = ListQuery { filter: ListFilter::Overdue, ..q };
    assert!(plans::list(&db.read, &authority, &overdue).await.unwrap().1.total >= 10);

    let again = demo(&dir, "q.db").await;
    assert_eq!(plans_content(&db).await, plans_content(&again).await);
}
