//! Reviews, appeals, the mail outbox and rating votes in the store, on every backend: pre-moderation with
//! flags, complaints (public until a threshold, settled by moderators only), answers, the appeal lifecycle with its deadline, encryption of e-mails at rest, the
//! outbox claim protocol, one vote per device, and every role refused outside its scope.

mod common;

use nok_methodology::Sphere;
use nok_store::crypto::{FieldKey, PURPOSE_EMAIL, PURPOSE_MAIL_BODY};
use nok_store::db::testing::{backends, fresh};
use nok_store::entities::{appeal, mail_outbox};
use nok_store::repo::appeals::{self, AnswerMail, AppealQuery, NewAppeal, StatusFilter};
use nok_store::repo::rating_votes::{self, CommentQuery, NewVote, VoteOutcome};
use nok_store::repo::reviews::{self, NewReview, ReportOutcome, ReviewQuery};
use nok_store::repo::{outbox, reference, users};
use nok_store::scope::Scope;
use nok_store::time_util::now;
use nok_store::{Actor, Db, Role, StoreError};
use sea_orm::{ConnectionTrait, EntityTrait, Statement};

const DAY: i64 = 86_400;

fn review(org: i32, body: &str, device: &str) -> NewReview {
    NewReview {
        organization_id: org,
        body: body.into(),
        author_name: Some("Читатель".into()),
        accepts_rules: true,
        device_hash: Some(device.into()),
        ip_hash: None,
        at: now(),
    }
}

fn appeal(org: i32, email: &str, at: i64) -> NewAppeal {
    NewAppeal {
        organization_id: org,
        body: "Прошу объяснить, почему запись к врачу только через месяц.".into(),
        email: email.into(),
        consent: true,
        device_hash: Some("device-a".into()),
        ip_hash: None,
        at,
    }
}

fn mail(a: &appeal::Model) -> AnswerMail {
    AnswerMail {
        subject: format!("Ответ на обращение № {}", a.id), body: a.answer.clone().unwrap_or_default()
    }
}

fn staff_org(w: &common::World) -> i32 {
    match w.staff.scope {
        Scope::Organization { organization_id } => organization_id,
        _ => unreachable!("the fixture staff is scoped to one organisation"),
    }
}

fn forbidden<T: std::fmt::Debug>(r: Result<T, StoreError>, what: &str) {
    assert!(matches!(r, Err(StoreError::Forbidden)), "{what}: expected Forbidden, got {r:?}");
}

/// An authority of region 77 (health), outside the fixture authority's scope.
async fn authority_77(db: &Db) -> Actor {
    let a = reference::authority_by_code(&db.read, "77-health").await.unwrap().unwrap();
    let new = users::NewUser {
        login: "auth77".into(),
        password: "correct horse battery".into(),
        role: Some(Role::Authority),
        authority_id: Some(a.id),
        ..Default::default()
    };
    let u = users::create(db, &Actor::system(), new).await.unwrap();
    users::actor_for(&db.read, &u).await.unwrap()
}

#[tokio::test]
async fn reviews_are_premoderated_flagged_reported_and_answered() {
    for backend in backends() {
        let db = fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.org("76", Sphere::Health).id;
        let s = reviews::submit(&db, review(org, "Подробнее на https://spam.example.com, звоните!", "dev-a"))
            .await
            .unwrap();
        assert_eq!(s.review.status, reviews::PENDING, "{backend}");
        assert_eq!(s.review.flags.as_deref(), Some("link"), "{backend}");
        assert_eq!(s.token.len(), 64);
        assert_ne!(s.review.token_hash, s.token, "only the hash of the private token is stored");
        assert_eq!(reviews::by_token(&db.read, &s.token).await.unwrap().id, s.review.id);
        assert!(reviews::by_token(&db.read, &"0".repeat(64)).await.is_err());
        assert_eq!(reviews::published(&db.read, org, 1, 10).await.unwrap().total, 0, "held until moderated");

        let clean = reviews::submit(&db, review(org, "Врачи внимательные, очередь небольшая.", "dev-b")).await.unwrap();
        assert_eq!(clean.review.flags, None);
        let queue = reviews::list(
            &db.read,
            &w.authority,
            &ReviewQuery { status: Some("pending".into()), ..Default::default() },
        )
        .await
        .unwrap();
        assert_eq!(queue.total, 2);
        let flagged = ReviewQuery { status: Some("pending".into()), flagged_only: true, ..Default::default() };
        assert_eq!(reviews::list(&db.read, &w.authority, &flagged).await.unwrap().total, 1);

        reviews::reject(&db, &w.authority, s.review.id, "links", Some("Ссылки запрещены"), now()).await.unwrap();
        assert!(reviews::reject(&db, &w.authority, s.review.id, "nonsense", None, now()).await.is_err());
        let approved = reviews::approve(&db, &w.authority, clean.review.id, now()).await.unwrap();
        assert_eq!(approved.status, reviews::PUBLISHED);
        let public = reviews::published(&db.read, org, 1, 10).await.unwrap();
        assert_eq!(public.items.iter().map(|r| r.id).collect::<Vec<_>>(), [clean.review.id]);

        // With a threshold of one, a complaint hides it until a moderator decides; one complaint per device.
        let id = clean.review.id;
        assert_eq!(reviews::report(&db, id, "insult", "dev-z", 1, now()).await.unwrap(), ReportOutcome::Hidden);
        assert_eq!(reviews::published(&db.read, org, 1, 10).await.unwrap().total, 0, "{backend}: back in the queue");
        assert_eq!(reviews::get(&db.read, &w.authority, id).await.unwrap().reports, 1);
        let complaints = reviews::complaints(&db.read, &w.authority, id).await.unwrap();
        assert_eq!((complaints.open, complaints.settled), (vec![("insult".to_string(), 1)], 0));
        assert!(
            matches!(reviews::report(&db, id, "insult", "dev-y", 1, now()).await, Err(StoreError::NotFound)),
            "not public while queued"
        );
        reviews::approve(&db, &w.admin, id, now()).await.unwrap();
        let complaints = reviews::complaints(&db.read, &w.admin, id).await.unwrap();
        assert_eq!((complaints.open.len(), complaints.settled), (0, 1), "{backend}: approval settles the complaint");
        assert_eq!(
            reviews::report(&db, id, "insult", "dev-z", 1, now()).await.unwrap(),
            ReportOutcome::AlreadyReported
        );
        assert_eq!(reviews::public_get(&db.read, id).await.unwrap().status, reviews::PUBLISHED);

        // The organisation's staff answer publicly; nobody else may.
        let answered = reviews::answer(&db, &w.staff, id, "Спасибо за отзыв!", now()).await.unwrap();
        assert_eq!(answered.answer.as_deref(), Some("Спасибо за отзыв!"));
        forbidden(reviews::answer(&db, &w.authority, id, "Ответ органа", now()).await, "authority answers");
        forbidden(reviews::answer(&db, &w.admin, id, "Ответ администратора", now()).await, "admin answers");
        let history = nok_store::repo::audit::history(&db.read, "review", &id.to_string()).await.unwrap();
        let actions: Vec<_> = history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(
            actions,
            ["review.answer", "review.approve", "review.report", "review.approve", "review.create"],
            "{backend}"
        );
    }
}

/// The ids of the reviews an actor's cabinet list shows for `status`.
async fn listed(db: &Db, actor: &Actor, status: &str) -> Vec<i32> {
    let q = ReviewQuery { status: Some(status.into()), ..Default::default() };
    reviews::list(&db.read, actor, &q).await.unwrap().items.iter().map(|r| r.review.id).collect()
}

async fn published_ids(db: &Db, org: i32) -> Vec<i32> {
    reviews::published(&db.read, org, 1, 100).await.unwrap().items.iter().map(|r| r.id).collect()
}

async fn published_review(db: &Db, w: &common::World, org: i32, body: &str, device: &str) -> i32 {
    let id = reviews::submit(db, review(org, body, device)).await.unwrap().review.id;
    reviews::approve(db, &w.authority, id, now()).await.unwrap();
    id
}

#[tokio::test]
async fn complaints_keep_a_review_public_until_the_threshold_and_moderators_settle_them() {
    let hide_at = reviews::COMPLAINTS_TO_HIDE;
    assert_eq!(hide_at, 3, "the documented default");
    for backend in backends() {
        let db = fresh(backend).await;
        let w = common::world(&db).await;
        let auth77 = authority_77(&db).await;
        let org = staff_org(&w);
        let id = published_review(&db, &w, org, "Регистратура работает медленно.", "author-1").await;
        let quiet = published_review(&db, &w, org, "Всё понравилось, спасибо врачам.", "author-2").await;
        assert_eq!(listed(&db, &w.authority, reviews::QUEUE).await, Vec::<i32>::new(), "{backend}: nothing to do");

        // Below the threshold: recorded, still public, in the queue as «published with complaints».
        let first = reviews::report(&db, id, "insult", "dev-1", hide_at, now()).await.unwrap();
        assert_eq!(first, ReportOutcome::Recorded { open: 1 }, "{backend}");
        let again = reviews::report(&db, id, "links", "dev-1", hide_at, now()).await.unwrap();
        assert_eq!(again, ReportOutcome::AlreadyReported, "{backend}: the same device counts once");
        let second = reviews::report(&db, id, "links", "dev-2", hide_at, now()).await.unwrap();
        assert_eq!(second, ReportOutcome::Recorded { open: 2 }, "{backend}");
        assert_eq!(published_ids(&db, org).await, [quiet, id], "{backend}: still on the organisation page");
        assert_eq!(reviews::public_get(&db.read, id).await.unwrap().reports, 2);
        assert_eq!(listed(&db, &w.authority, reviews::QUEUE).await, [id], "{backend}");
        assert_eq!(listed(&db, &w.authority, reviews::COMPLAINED).await, [id]);
        assert_eq!(listed(&db, &w.authority, reviews::PENDING).await, Vec::<i32>::new());
        assert_eq!(listed(&db, &auth77, reviews::QUEUE).await, Vec::<i32>::new(), "{backend}: another region");
        let q = ReviewQuery { status: Some(reviews::QUEUE.into()), ..Default::default() };
        let row = reviews::list(&db.read, &w.admin, &q).await.unwrap().items.remove(0);
        assert_eq!(row.complaints, [("insult".to_string(), 1), ("links".to_string(), 1)], "{backend}");
        let open = reviews::complaints(&db.read, &w.authority, id).await.unwrap();
        assert_eq!((open.open, open.settled), (vec![("insult".to_string(), 1), ("links".to_string(), 1)], 0));

        // Only moderators in scope settle complaints; the organisation's own staff cannot.
        for (name, actor) in [
            ("staff", &w.staff),
            ("council", &w.council),
            ("operator", &w.operator),
            ("monitor", &w.monitor_77),
            ("authority 77", &auth77),
        ] {
            forbidden(reviews::dismiss_reports(&db, actor, id, now()).await, name);
            forbidden(reviews::complaints(&db.read, actor, id).await, name);
        }
        assert_eq!(reviews::public_get(&db.read, id).await.unwrap().reports, 2, "{backend}: refusals change nothing");

        // «Оставить опубликованным»: the counter is reset, the complaints stay on record, audited.
        let kept = reviews::dismiss_reports(&db, &w.authority, id, now()).await.unwrap();
        assert_eq!((kept.status.as_str(), kept.reports), (reviews::PUBLISHED, 0), "{backend}");
        assert_eq!(reviews::public_get(&db.read, id).await.unwrap().reports, 0);
        assert_eq!(listed(&db, &w.authority, reviews::QUEUE).await, Vec::<i32>::new(), "{backend}: out of the queue");
        let settled = reviews::complaints(&db.read, &w.authority, id).await.unwrap();
        assert_eq!((settled.open.len(), settled.settled), (0, 2), "{backend}");
        let history = nok_store::repo::audit::history(&db.read, "review", &id.to_string()).await.unwrap();
        assert_eq!(history[0].action, "review.dismiss", "{backend}");
        let before = history[0].before.clone().unwrap();
        assert_eq!(before["reports"], 2, "{backend}: {before}");
        assert_eq!(before["reasons"], serde_json::json!({ "insult": 1, "links": 1 }));
        assert!(
            matches!(reviews::dismiss_reports(&db, &w.authority, id, now()).await, Err(StoreError::Conflict(_))),
            "nothing left to dismiss"
        );
        assert!(matches!(reviews::dismiss_reports(&db, &w.admin, quiet, now()).await, Err(StoreError::Conflict(_))));
        let repeat = reviews::report(&db, id, "insult", "dev-2", hide_at, now()).await.unwrap();
        assert_eq!(repeat, ReportOutcome::AlreadyReported, "{backend}: still one complaint per device");

        // At the threshold it is hidden and waits for a moderator; only new complaints count.
        for (n, device) in [(1, "dev-3"), (2, "dev-4")] {
            let outcome = reviews::report(&db, id, "offtopic", device, hide_at, now()).await.unwrap();
            assert_eq!(outcome, ReportOutcome::Recorded { open: n }, "{backend}");
        }
        assert_eq!(published_ids(&db, org).await, [quiet, id], "{backend}");
        let hidden = reviews::report(&db, id, "insult", "dev-5", hide_at, now()).await.unwrap();
        assert_eq!(hidden, ReportOutcome::Hidden, "{backend}");
        assert_eq!(published_ids(&db, org).await, [quiet], "{backend}: hidden at the threshold");
        assert_eq!(reviews::get(&db.read, &w.admin, id).await.unwrap().status, reviews::PENDING);
        assert_eq!(listed(&db, &w.authority, reviews::QUEUE).await, [id], "{backend}");
        assert_eq!(listed(&db, &w.authority, reviews::PENDING).await, [id]);
        let open = reviews::complaints(&db.read, &w.authority, id).await.unwrap();
        assert_eq!((open.open, open.settled), (vec![("offtopic".to_string(), 2), ("insult".to_string(), 1)], 2));
        assert!(matches!(reviews::report(&db, id, "insult", "dev-6", hide_at, now()).await, Err(StoreError::NotFound)));
        assert!(matches!(reviews::dismiss_reports(&db, &w.authority, id, now()).await, Err(StoreError::Conflict(_))));
        reviews::approve(&db, &w.authority, id, now()).await.unwrap();
        assert_eq!(published_ids(&db, org).await, [quiet, id], "{backend}: a moderator brings it back");

        // A moderator's rejection hides it at once, whatever the count.
        reviews::report(&db, quiet, "other", "dev-1", hide_at, now()).await.unwrap();
        reviews::reject(&db, &w.admin, quiet, "offtopic", None, now()).await.unwrap();
        assert_eq!(published_ids(&db, org).await, [id], "{backend}");
        assert_eq!(listed(&db, &w.authority, reviews::QUEUE).await, Vec::<i32>::new(), "{backend}");
    }
}

#[tokio::test]
async fn concurrent_complaints_hide_a_review_exactly_once() {
    for backend in backends() {
        let db = fresh(backend).await;
        let w = common::world(&db).await;
        let org = staff_org(&w);
        let id = published_review(&db, &w, org, "Отзыв, на который жалуются все сразу.", "author").await;
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let db = db.db.clone();
                tokio::spawn(async move { reviews::report(&db, id, "insult", &format!("dev-{i}"), 3, now()).await })
            })
            .collect();
        let mut recorded = Vec::new();
        let (mut hidden, mut gone) = (0, 0);
        for t in tasks {
            match t.await.unwrap() {
                Ok(ReportOutcome::Recorded { open }) => recorded.push(open),
                Ok(ReportOutcome::Hidden) => hidden += 1,
                Err(StoreError::NotFound) => gone += 1,
                other => panic!("{backend}: {other:?}"),
            }
        }
        recorded.sort_unstable();
        assert_eq!((recorded, hidden, gone), (vec![1, 2], 1, 5), "{backend}");
        let r = reviews::get(&db.read, &w.admin, id).await.unwrap();
        assert_eq!((r.status.as_str(), r.reports), (reviews::PENDING, 3), "{backend}");
        assert_eq!(reviews::complaints(&db.read, &w.admin, id).await.unwrap().open, [("insult".to_string(), 3)]);
    }
}

#[tokio::test]
async fn review_input_is_validated_and_rate_limited() {
    for backend in backends() {
        let db = fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.org("76", Sphere::Culture).id;
        let short = reviews::submit(&db, review(org, "коротко", "dev")).await;
        assert!(matches!(short, Err(StoreError::Invalid(ref m)) if m.starts_with("body")), "{short:?}");
        let no_consent = reviews::submit(
            &db,
            NewReview { accepts_rules: false, ..review(org, "Достаточно длинный отзыв.", "dev") },
        )
        .await;
        assert!(matches!(no_consent, Err(StoreError::Invalid(ref m)) if m.starts_with("accepts_rules")));
        let both = reviews::submit(&db, NewReview { accepts_rules: false, ..review(org, "мало", "dev") }).await;
        assert!(
            matches!(both, Err(StoreError::Invalid(ref m)) if m == "body: too short; accepts_rules: consent required"),
            "{both:?}"
        );
        assert!(matches!(
            reviews::submit(&db, review(999_999, "Достаточно длинный отзыв.", "dev")).await,
            Err(StoreError::NotFound)
        ));
        for _ in 0..5 {
            reviews::submit(&db, review(org, "Достаточно длинный отзыв.", "dev")).await.unwrap();
        }
        let sixth = reviews::submit(&db, review(org, "Достаточно длинный отзыв.", "dev")).await;
        assert!(matches!(sixth, Err(StoreError::Conflict(ref m)) if m.starts_with("rate")), "{backend}: {sixth:?}");
    }
}

#[tokio::test]
async fn review_moderation_is_scoped_for_every_role() {
    for backend in backends() {
        let db = fresh(backend).await;
        let w = common::world(&db).await;
        let auth77 = authority_77(&db).await;
        let own = reviews::submit(&db, review(w.org("76", Sphere::Health).id, "Отзыв об организации 76.", "d1"))
            .await
            .unwrap()
            .review
            .id;
        let other = reviews::submit(&db, review(w.org("77", Sphere::Health).id, "Отзыв об организации 77.", "d2"))
            .await
            .unwrap()
            .review
            .id;
        // Moderators outside their scope.
        forbidden(reviews::approve(&db, &w.authority, other, now()).await, "authority 76 approves 77");
        forbidden(reviews::reject(&db, &auth77, own, "other", None, now()).await, "authority 77 rejects 76");
        forbidden(reviews::get(&db.read, &auth77, own).await, "authority 77 reads 76");
        // Roles that never moderate.
        for (name, actor) in
            [("council", &w.council), ("operator", &w.operator), ("staff", &w.staff), ("monitor", &w.monitor_77)]
        {
            forbidden(reviews::approve(&db, actor, own, now()).await, name);
            forbidden(reviews::reject(&db, actor, other, "other", None, now()).await, name);
        }
        for (name, actor) in [("council", &w.council), ("operator", &w.operator), ("monitor", &w.monitor_77)] {
            forbidden(reviews::list(&db.read, actor, &ReviewQuery::default()).await, name);
        }
        // Staff see only their organisation's published reviews.
        forbidden(reviews::get(&db.read, &w.staff, own).await, "staff reads a pending review");
        assert_eq!(reviews::list(&db.read, &w.staff, &ReviewQuery::default()).await.unwrap().total, 0);
        reviews::approve(&db, &w.authority, own, now()).await.unwrap();
        reviews::approve(&db, &auth77, other, now()).await.unwrap();
        assert_eq!(reviews::list(&db.read, &w.staff, &ReviewQuery::default()).await.unwrap().total, 1);
        forbidden(reviews::get(&db.read, &w.staff, other).await, "staff reads another organisation's review");
        forbidden(
            reviews::answer(&db, &w.staff, other, "Не наш отзыв", now()).await,
            "staff answers another organisation",
        );
        // Authorities see only their scope in the queue; the admin sees all.
        assert_eq!(reviews::list(&db.read, &w.authority, &ReviewQuery::default()).await.unwrap().total, 1);
        assert_eq!(reviews::list(&db.read, &w.admin, &ReviewQuery::default()).await.unwrap().total, 2, "{backend}");
    }
}

#[tokio::test]
async fn appeal_lifecycle_deadline_encryption_and_outbox() {
    for backend in backends() {
        let db = fresh(backend).await;
        let w = common::world(&db).await;
        let key = FieldKey::load(&db).await.unwrap();
        let org = staff_org(&w);
        let t0 = now();
        let fresh_one = appeals::submit(&db, &key, appeal(org, "Ivan.Petrov@Example.RU", t0)).await.unwrap();
        assert_eq!(fresh_one.appeal.status, appeals::NEW);
        assert_eq!(fresh_one.appeal.due_at, t0 + 30 * DAY, "30-day deadline");
        assert_eq!(appeals::by_token(&db.read, &fresh_one.token).await.unwrap().id, fresh_one.appeal.id);

        // The address is encrypted at rest: no column of the raw row contains it.
        let text_columns = ["body", "email_enc", "consent_version", "status", "token_hash", "device_hash"];
        let sql = format!("SELECT {} FROM appeal", text_columns.join(", "));
        let raw = db.read.query_all_raw(Statement::from_string(db.backend(), sql)).await.unwrap();
        assert_eq!(raw.len(), 1);
        for col in text_columns {
            let value: Option<String> = raw[0].try_get("", col).unwrap();
            let value = value.unwrap_or_default().to_lowercase();
            assert!(
                !value.contains("ivan.petrov") && !value.contains("example.ru"),
                "{backend}: address visible in {col}"
            );
        }
        let stored = appeal::Entity::find_by_id(fresh_one.appeal.id).one(&db.read).await.unwrap().unwrap();
        assert!(stored.email_enc.starts_with("v1."));
        assert_eq!(key.decrypt(PURPOSE_EMAIL, &stored.email_enc).unwrap(), "Ivan.Petrov@example.ru");

        // One from 31 days ago is overdue, for the organisation and its authority alike.
        let old = appeals::submit(&db, &key, appeal(org, "old@example.ru", t0 - 31 * DAY)).await.unwrap().appeal;
        let d = appeals::deadline(&old, t0);
        assert!(d.overdue && d.days_left == Some(-1), "{d:?}");
        let d = appeals::deadline(&fresh_one.appeal, t0);
        assert!(!d.overdue && d.days_left == Some(30), "{d:?}");
        let overdue = AppealQuery { status: StatusFilter::Overdue, now: t0, ..Default::default() };
        for actor in [&w.staff, &w.authority, &w.admin] {
            let page = appeals::list(&db.read, actor, &overdue).await.unwrap();
            assert_eq!(
                page.items.iter().map(|r| r.appeal.id).collect::<Vec<_>>(),
                [old.id],
                "{backend} {}",
                actor.login
            );
        }
        assert_eq!(appeals::open_and_overdue(&db.read, &w.staff, t0).await.unwrap(), (2, 1));

        // new → in work → answered (the e-mail queued in the same transaction) → closed.
        let taken = appeals::set_status(&db, &w.staff, old.id, appeals::IN_WORK, t0).await.unwrap();
        assert_eq!(taken.status, appeals::IN_WORK);
        assert!(matches!(
            appeals::set_status(&db, &w.staff, old.id, appeals::CLOSED, t0).await,
            Err(StoreError::Conflict(_))
        ));
        let answered =
            appeals::answer(&db, &key, &w.staff, old.id, "Запись расширена, приходите.", mail, t0).await.unwrap();
        assert_eq!(answered.status, appeals::ANSWERED);
        assert!(appeals::deadline(&answered, t0).answered_late);
        assert!(matches!(
            appeals::answer(&db, &key, &w.staff, old.id, "Ещё раз", mail, t0).await,
            Err(StoreError::Conflict(_))
        ));
        let queued = mail_outbox::Entity::find().all(&db.read).await.unwrap();
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].status, outbox::PENDING);
        assert_eq!(queued[0].object_id, old.id.to_string());
        assert!(!queued[0].body.contains("Запись"), "{backend}: the mail body is sealed");
        assert_eq!(key.decrypt(PURPOSE_MAIL_BODY, &queued[0].body).unwrap(), "Запись расширена, приходите.");
        assert!(!answered.body.contains("врачу") && !answered.answer.as_deref().unwrap().contains("Запись"));
        let opened = appeals::open(&key, answered.clone()).unwrap();
        assert_eq!(opened.answer.as_deref(), Some("Запись расширена, приходите."), "{backend}");
        assert!(opened.body.contains("почему запись к врачу"), "{backend}");
        assert!(!queued[0].recipient_enc.contains("old@"), "recipient encrypted in the outbox too");
        assert_eq!(key.decrypt(PURPOSE_EMAIL, &queued[0].recipient_enc).unwrap(), "old@example.ru");
        let closed = appeals::set_status(&db, &w.staff, old.id, appeals::CLOSED, t0).await.unwrap();
        assert_eq!(closed.status, appeals::CLOSED);
        assert!(closed.closed_at.is_some());
        let history = nok_store::repo::audit::history(&db.read, "appeal", &old.id.to_string()).await.unwrap();
        let actions: Vec<_> = history.iter().map(|h| h.action.as_str()).collect();
        assert_eq!(actions, ["appeal.close", "appeal.answer", "appeal.take", "appeal.create"]);
        let audited = format!("{:?}", history.iter().map(|h| (&h.before, &h.after)).collect::<Vec<_>>());
        assert!(!audited.contains("Запись") && !audited.contains("врачу"), "{backend}: no text in the audit log");

        // Validation.
        assert!(appeals::submit(&db, &key, appeal(org, "not-an-address", t0)).await.is_err());
        assert!(appeals::submit(&db, &key, NewAppeal { consent: false, ..appeal(org, "a@b.ru", t0) }).await.is_err());
    }
}

#[tokio::test]
async fn appeals_are_refused_outside_every_roles_scope() {
    for backend in backends() {
        let db = fresh(backend).await;
        let w = common::world(&db).await;
        let key = FieldKey::load(&db).await.unwrap();
        let auth77 = authority_77(&db).await;
        let t0 = now();
        let own = appeals::submit(&db, &key, appeal(staff_org(&w), "own@example.ru", t0)).await.unwrap().appeal.id;
        let other = appeals::submit(&db, &key, appeal(w.org("77", Sphere::Health).id, "other@example.ru", t0))
            .await
            .unwrap()
            .appeal
            .id;
        let sibling =
            w.orgs.iter().find(|o| o.region_code == "76" && o.sphere == "health" && o.id != staff_org(&w)).unwrap().id;
        let sibling = appeals::submit(&db, &key, appeal(sibling, "sibling@example.ru", t0)).await.unwrap().appeal.id;

        // Staff: only their own organisation, not even another one of the same authority.
        for id in [other, sibling] {
            forbidden(appeals::get(&db.read, &w.staff, id).await, "staff reads another organisation's appeal");
            forbidden(
                appeals::answer(&db, &key, &w.staff, id, "Ответ", mail, t0).await,
                "staff answers another organisation's appeal",
            );
            forbidden(
                appeals::set_status(&db, &w.staff, id, appeals::IN_WORK, t0).await,
                "staff takes another organisation's appeal",
            );
        }
        let all = AppealQuery { now: t0, ..Default::default() };
        assert_eq!(appeals::list(&db.read, &w.staff, &all).await.unwrap().total, 1);
        // Authorities: read their scope, never answer, never see another region.
        appeals::get(&db.read, &w.authority, own).await.unwrap();
        forbidden(appeals::answer(&db, &key, &w.authority, own, "Ответ", mail, t0).await, "authority answers");
        forbidden(appeals::get(&db.read, &w.authority, other).await, "authority 76 reads 77");
        forbidden(appeals::get(&db.read, &auth77, own).await, "authority 77 reads 76");
        assert_eq!(appeals::list(&db.read, &w.authority, &all).await.unwrap().total, 2);
        assert_eq!(appeals::list(&db.read, &auth77, &all).await.unwrap().total, 1);
        // Council, operators and monitors never see appeals.
        for (name, actor) in [("council", &w.council), ("operator", &w.operator), ("monitor", &w.monitor_77)] {
            forbidden(appeals::get(&db.read, actor, own).await, name);
            forbidden(appeals::get(&db.read, actor, other).await, name);
            forbidden(appeals::list(&db.read, actor, &all).await, name);
            forbidden(appeals::answer(&db, &key, actor, own, "Ответ", mail, t0).await, name);
        }
        // The administrator sees all but answers none: the organisation answers.
        assert_eq!(appeals::list(&db.read, &w.admin, &all).await.unwrap().total, 3, "{backend}");
        forbidden(appeals::answer(&db, &key, &w.admin, own, "Ответ", mail, t0).await, "admin answers");
        assert_eq!(mail_outbox::Entity::find().all(&db.read).await.unwrap().len(), 0, "no refused answer queued mail");
    }
}

#[tokio::test]
async fn outbox_claims_are_exclusive_and_abandoned_claims_expire() {
    for backend in backends() {
        let db = fresh(backend).await;
        let w = common::world(&db).await;
        let key = FieldKey::load(&db).await.unwrap();
        let t0 = now();
        let a = appeals::submit(&db, &key, appeal(staff_org(&w), "x@example.ru", t0)).await.unwrap().appeal;
        appeals::answer(&db, &key, &w.staff, a.id, "Ответ", mail, t0).await.unwrap();
        let ids = outbox::due(&db.read, t0, 10).await.unwrap();
        assert_eq!(ids.len(), 1);
        let id = ids[0];
        let first = outbox::claim(&db.write, id, "worker-1", t0).await.unwrap();
        assert!(first.is_some());
        assert!(
            outbox::claim(&db.write, id, "worker-2", t0).await.unwrap().is_none(),
            "{backend}: second claim must lose"
        );
        assert!(outbox::due(&db.read, t0, 10).await.unwrap().is_empty());
        // worker-1 "dies"; after the lease another worker may take it, and worker-1 can no longer mark it.
        let later = t0 + outbox::LEASE_SECONDS + 1;
        let retaken = outbox::claim(&db.write, id, "worker-2", later).await.unwrap().expect("abandoned claim expires");
        assert!(!outbox::mark_sent(&db.write, id, "worker-1", "smtp", later).await.unwrap());
        outbox::mark_failed(&db.write, &retaken, "worker-2", "connection refused", later).await.unwrap();
        let row = outbox::get(&db.read, &w.admin, id).await.unwrap();
        assert_eq!((row.status.as_str(), row.attempts), (outbox::PENDING, 1));
        assert_eq!(row.next_attempt_at, later + outbox::backoff(0));
        assert!(outbox::due(&db.read, later, 10).await.unwrap().is_empty(), "backing off");
        let again = row.next_attempt_at;
        outbox::claim(&db.write, id, "worker-3", again).await.unwrap().unwrap();
        assert!(outbox::mark_sent(&db.write, id, "worker-3", "smtp", again).await.unwrap());
        let row = outbox::get(&db.read, &w.admin, id).await.unwrap();
        assert_eq!((row.status.as_str(), row.transport.as_deref()), (outbox::SENT, Some("smtp")));
        assert!(
            outbox::claim(&db.write, id, "worker-4", again + 10 * outbox::LEASE_SECONDS).await.unwrap().is_none(),
            "sent stays sent"
        );
        forbidden(outbox::list(&db.read, &w.staff, 1, 10).await, "staff reads the outbox");
        forbidden(outbox::get(&db.read, &w.authority, id).await, "authority reads the outbox");
    }
}

#[tokio::test]
async fn one_vote_per_device_organisation_and_period() {
    for backend in backends() {
        let db = fresh(backend).await;
        let w = common::world(&db).await;
        let org = staff_org(&w);
        let vote = |device: &str, agree: bool, period: i32| NewVote {
            organization_id: org,
            period,
            device_hash: device.into(),
            agree,
            comment: Some("Рейтинг завышен".into()).filter(|_| !agree),
            ip_hash: None,
            at: now(),
        };
        assert_eq!(rating_votes::vote(&db, vote("d1", true, 2026)).await.unwrap(), VoteOutcome::Counted);
        assert_eq!(
            rating_votes::vote(&db, vote("d1", false, 2026)).await.unwrap(),
            VoteOutcome::AlreadyVoted,
            "{backend}"
        );
        assert_eq!(rating_votes::vote(&db, vote("d2", false, 2026)).await.unwrap(), VoteOutcome::Counted);
        assert_eq!(
            rating_votes::vote(&db, vote("d1", false, 2027)).await.unwrap(),
            VoteOutcome::Counted,
            "another period"
        );
        let c = rating_votes::counts(&db.read, org, 2026).await.unwrap();
        assert_eq!((c.agree, c.disagree), (1, 1));
        assert_eq!(rating_votes::device_vote(&db.read, org, 2026, "d1").await.unwrap(), Some(true));
        assert_eq!(rating_votes::device_vote(&db.read, org, 2026, "d9").await.unwrap(), None);
        let of = |org: i32| CommentQuery { organization_id: Some(org), period: Some(2026), page: 1, per_page: 10 };
        for (name, actor) in
            [("staff", &w.staff), ("authority", &w.authority), ("council", &w.council), ("admin", &w.admin)]
        {
            let page = rating_votes::comments(&db.read, actor, &of(org)).await.unwrap();
            assert_eq!(page.total, 1, "{backend}: {name} reads the comment");
            assert_eq!(page.items[0].vote.comment.as_deref(), Some("Рейтинг завышен"));
        }
        let other = w.org("77", Sphere::Health).id;
        forbidden(rating_votes::comments(&db.read, &w.staff, &of(other)).await, "staff reads other comments");
        forbidden(rating_votes::comments(&db.read, &w.authority, &of(other)).await, "authority reads 77");
        forbidden(rating_votes::comments(&db.read, &w.operator, &of(org)).await, "operator");
        forbidden(rating_votes::comments(&db.read, &w.monitor_77, &of(org)).await, "monitor of 77 reads 76");
        let everything = CommentQuery { page: 1, per_page: 10, ..CommentQuery::default() };
        assert_eq!(rating_votes::comments(&db.read, &w.monitor_77, &everything).await.unwrap().total, 0);
        assert_eq!(rating_votes::export_comments(&db.read, &w.admin, &everything, 100).await.unwrap().len(), 2);
        assert_eq!(rating_votes::comment_periods(&db.read, &w.staff, None).await.unwrap(), [2027, 2026]);
        assert!(rating_votes::vote(&db, NewVote { organization_id: 999_999, ..vote("d3", true, 2026) }).await.is_err());
    }
}
