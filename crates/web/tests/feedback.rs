//! Reviews, appeals, agreement with the rating and the mail outbox over real HTTP: pre-moderation with
//! flags, approval onto the organisation page, complaints that keep a review public and in the moderators'
//! queue until a threshold hides it (and «оставить опубликованным»), rejection with confirmation,
//! the organisation's answers, the appeal lifecycle with its deadline and overdue highlight, e-mail delivery
//! to the in-app outbox (demo) and to a real (local, fake) SMTP server, one vote per device, and every role
//! refused outside its scope.

mod support;
mod survey_common;

use nok_methodology::Sphere;
use nok_store::crypto::FieldKey;
use nok_store::entities::{appeal, mail_outbox, organization};
use nok_store::repo::appeals::{self, NewAppeal};
use nok_store::repo::{outbox, reference, reviews};
use nok_store::time_util::now;
use nok_store::{Actor, Role};
use nok_web::mailer::Mailer;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use support::{PASSWORD, Server, client, csrf_of, csv_export, login, start, start_with, xlsx_export};
use survey_common::{authority_user, org};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

struct World {
    s: Server,
    /// Region 76, health: the fixture staff's organisation.
    a: organization::Model,
    /// Region 76, health: same authority, other staff.
    sibling: organization::Model,
    /// Region 77, health.
    b: organization::Model,
}

async fn world() -> World {
    world_on(start("sqlite").await).await
}

/// The fixture over an already started server (e.g. another backend or configuration).
async fn world_on(s: Server) -> World {
    let a = org(&s, 11, "76", Sphere::Health, "Поликлиника № 1").await;
    let sibling = org(&s, 12, "76", Sphere::Health, "Поликлиника № 2").await;
    let b = org(&s, 13, "77", Sphere::Health, "Больница Москвы").await;
    s.add_user("admin", Role::Admin, |_| {}).await;
    authority_user(&s, "auth76", "76", Sphere::Health).await;
    authority_user(&s, "auth77", "77", Sphere::Health).await;
    let a76 = reference::authority_by_code(&s.db.read, "76-health").await.unwrap().unwrap();
    s.add_user("council76", Role::Council, |u| u.authority_id = Some(a76.id)).await;
    let op = reference::create_operator(&s.db, &Actor::system(), "Оператор", None).await.unwrap();
    s.add_user("operator", Role::Operator, |u| u.operator_id = Some(op.id)).await;
    s.add_user("monitor", Role::Monitor, |_| {}).await;
    s.add_user("staff", Role::Staff, |u| u.organization_id = Some(a.id)).await;
    s.add_user("staff77", Role::Staff, |u| u.organization_id = Some(b.id)).await;
    World { s, a, sibling, b }
}

async fn signed_in(s: &Server, who: &str) -> reqwest::Client {
    let (c, status) = login(s, who, PASSWORD).await;
    assert_eq!(status, 303, "{who} signs in");
    c
}

async fn get(c: &reqwest::Client, s: &Server, path: &str) -> (u16, String) {
    let res = c.get(s.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// GETs `page` for its CSRF token, then POSTs the form to `action`; returns status, Location and body.
async fn submit(
    c: &reqwest::Client,
    s: &Server,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let (_, html) = get(c, s, page).await;
    let csrf = csrf_of(&html);
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let res = c.post(s.url(action)).form(&form).send().await.unwrap();
    let status = res.status().as_u16();
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, location, res.text().await.unwrap())
}

/// The token of a private link from the redirect after a submission.
fn token_of(location: &str, prefix: &str) -> String {
    location
        .strip_prefix(prefix)
        .and_then(|t| t.strip_suffix("?new=1"))
        .unwrap_or_else(|| panic!("{location}"))
        .to_string()
}

async fn org_page(s: &Server, o: &organization::Model) -> String {
    let (status, html) = get(&client(), s, &format!("/o/{}", o.public_id)).await;
    assert_eq!(status, 200);
    html
}

#[tokio::test]
async fn reviews_are_moderated_reported_answered_and_escaped() {
    let w = world().await;
    let (s, pid) = (&w.s, w.a.public_id.clone());
    let citizen = client();
    let new_page = format!("/reviews/{pid}/new");
    let (_, form_html) = get(&citizen, s, &new_page).await;
    assert!(form_html.contains("Правила отзывов") && form_html.contains("for=\"body\""), "rules and labels");

    // Errors are tied to their fields.
    let (status, _, html) = submit(&citizen, s, &new_page, &new_page, &[("body", "мало")]).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("aria-invalid=\"true\"")
            && html.contains("id=\"body-error\"")
            && html.contains("href=\"#accepts_rules\""),
        "{html}"
    );

    // A review with a link is held and flagged.
    let spam = "Лечат хорошо, подробности на www.spam-clinic.ru <script>alert(1)</script>";
    let (status, location, _) =
        submit(&citizen, s, &new_page, &new_page, &[("body", spam), ("author_name", "Ольга"), ("accepts_rules", "1")])
            .await;
    assert_eq!(status, 303);
    let spam_token = token_of(&location, "/reviews/status/");
    let (_, status_html) = get(&citizen, s, &location).await;
    assert!(status_html.contains("на проверке у модератора") && status_html.contains("Сохраните личную ссылку"));
    assert!(status_html.contains(&format!("{}/reviews/status/{spam_token}", s.base)), "the full private link is shown");
    assert!(!org_page(s, &w.a).await.contains("spam-clinic"), "held until moderated");

    let good = "Врачи внимательные, но очередь в регистратуру <b>долгая</b>.";
    let (_, location, _) = submit(&citizen, s, &new_page, &new_page, &[("body", good), ("accepts_rules", "1")]).await;
    let good_id = reviews::by_token(&s.db.read, &token_of(&location, "/reviews/status/")).await.unwrap().id;
    let spam_id = reviews::by_token(&s.db.read, &spam_token).await.unwrap().id;

    let moderator = signed_in(s, "auth76").await;
    let (status, queue) = get(&moderator, s, "/cabinet/reviews").await;
    assert_eq!(status, 200);
    assert!(queue.contains("fb-flagged") && queue.contains("ссылка"), "the link is flagged in the queue");
    let (_, flagged_only) = get(&moderator, s, "/cabinet/reviews?status=pending&flagged=1").await;
    assert!(
        flagged_only.contains(&format!("/cabinet/reviews/{spam_id}"))
            && !flagged_only.contains(&format!("/cabinet/reviews/{good_id}\""))
    );

    // Approve → shown on the organisation page, escaped.
    let detail = format!("/cabinet/reviews/{good_id}");
    let (status, location, _) = submit(&moderator, s, &detail, &format!("{detail}/approve"), &[]).await;
    assert_eq!((status, location.as_str()), (303, format!("{detail}?done=approve").as_str()));
    let page = org_page(s, &w.a).await;
    assert!(
        page.contains("очередь в регистратуру &#60;b&#62;долгая&#60;/b&#62;") && !page.contains("<b>долгая"),
        "published and escaped: {page}"
    );
    assert!(page.contains("Аноним"));

    // Reject asks for confirmation first, then records the reason the author sees.
    let spam_detail = format!("/cabinet/reviews/{spam_id}");
    let (status, _, confirm) = submit(
        &moderator,
        s,
        &spam_detail,
        &format!("{spam_detail}/reject"),
        &[("reason", "links"), ("note", "Без ссылок, пожалуйста")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(confirm.contains("Отклонить отзыв?") && confirm.contains("name=\"confirmed\" value=\"1\""));
    assert_eq!(
        reviews::get(&s.db.read, &Actor::system(), spam_id).await.unwrap().status,
        "pending",
        "nothing happens before confirming"
    );
    let (status, _, _) = submit(
        &moderator,
        s,
        &spam_detail,
        &format!("{spam_detail}/reject"),
        &[("reason", "links"), ("note", "Без ссылок, пожалуйста"), ("confirmed", "1")],
    )
    .await;
    assert_eq!(status, 303);
    let (_, author_view) = get(&citizen, s, &format!("/reviews/status/{spam_token}")).await;
    assert!(
        author_view.contains("отклонён")
            && author_view.contains("ссылки на сайты")
            && author_view.contains("Без ссылок, пожалуйста")
    );
    assert!(author_view.contains("&#60;script&#62;") && !author_view.contains("<script>alert"));

    // «Пожаловаться» → still public and in the moderators' queue; the moderator keeps it; a second complaint
    // from the same device changes nothing.
    let reader = client();
    let report = format!("/reviews/report/{good_id}");
    let (_, form) = get(&reader, s, &report).await;
    assert!(form.contains("Если жалоб от разных читателей наберётся 3, отзыв скроют до решения модератора."));
    let (status, _, html) = submit(&reader, s, &report, &report, &[("reason", "insult")]).await;
    assert_eq!(status, 200);
    assert!(html.contains("Пока он не решил, отзыв остаётся на странице организации."), "{html}");
    assert!(org_page(s, &w.a).await.contains("очередь в регистратуру"), "still public after one complaint");
    let (_, queue) = get(&moderator, s, "/cabinet/reviews").await;
    assert!(queue.contains(&format!("/cabinet/reviews/{good_id}\"")), "in the queue");
    let (_, detail_html) = get(&moderator, s, &detail).await;
    assert!(detail_html.contains("Жалобы читателей") && detail_html.contains("оскорбления и угрозы: 1"));
    let (status, location, _) = submit(&moderator, s, &detail, &format!("{detail}/dismiss"), &[]).await;
    assert_eq!((status, location.as_str()), (303, format!("{detail}?done=dismiss").as_str()));
    let (status, _, html) = submit(&reader, s, &report, &report, &[("reason", "insult")]).await;
    assert_eq!(status, 200);
    assert!(html.contains("Вы уже жаловались на этот отзыв"));

    // The organisation's staff answer publicly.
    let staff = signed_in(s, "staff").await;
    let (_, staff_list) = get(&staff, s, "/cabinet/reviews").await;
    assert!(
        staff_list.contains(&format!("/cabinet/reviews/{good_id}\""))
            && !staff_list.contains(&format!("/cabinet/reviews/{spam_id}\""))
    );
    let (status, _, _) = submit(
        &staff,
        s,
        &detail,
        &format!("{detail}/answer"),
        &[("answer", "Спасибо! Открыли второе окно регистратуры.")],
    )
    .await;
    assert_eq!(status, 303);
    let page = org_page(s, &w.a).await;
    assert!(page.contains("Ответ организации") && page.contains("Открыли второе окно"));

    let history = nok_store::repo::audit::history(&s.db.read, "review", &good_id.to_string()).await.unwrap();
    let actions: Vec<_> = history.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(actions, ["review.answer", "review.dismiss", "review.report", "review.approve", "review.create"]);
}

/// Files a complaint from a fresh device (its own cookies) and returns the confirmation page.
async fn complain(s: &Server, id: i32, reason: &str) -> String {
    let report = format!("/reviews/report/{id}");
    let (status, _, html) = submit(&client(), s, &report, &report, &[("reason", reason)]).await;
    assert_eq!(status, 200, "{html}");
    html
}

/// The main content of a page (the text between `<main` and `</main>`).
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main> element");
    &html[start..start + html[start..].find("</main>").expect("</main>")]
}

#[tokio::test]
async fn complaints_hide_a_review_only_at_the_threshold_and_moderators_may_keep_it() {
    if std::env::var_os("NOK_REVIEW_COMPLAINTS_TO_HIDE").is_none() {
        assert_eq!(nok_web::WebConfig::default().review_complaints_to_hide, 3, "the documented default");
    }
    for backend in nok_store::db::testing::backends() {
        let s = start_with(backend, |c| c.review_complaints_to_hide = 3).await;
        let w = world_on(s).await;
        let s = &w.s;
        let text = "Медсестра грубит пациентам в процедурном кабинете.";
        let id = reviews::submit(
            &s.db,
            reviews::NewReview {
                organization_id: w.a.id,
                body: text.into(),
                author_name: None,
                accepts_rules: true,
                device_hash: None,
                ip_hash: None,
                at: now(),
            },
        )
        .await
        .unwrap()
        .review
        .id;
        let moderator = signed_in(s, "auth76").await;
        let detail = format!("/cabinet/reviews/{id}");
        submit(&moderator, s, &detail, &format!("{detail}/approve"), &[]).await;
        let row = format!("href=\"/cabinet/reviews/{id}\"");
        assert!(!get(&moderator, s, "/cabinet/reviews").await.1.contains(&row), "{backend}: published, not queued");

        // Two complaints (and a repeat from the same device): public, in the queue with reasons and count.
        let html = complain(s, id, "insult").await;
        assert!(main_of(&html).contains("отзыв остаётся на странице организации"), "{backend}: {html}");
        let phone = client();
        let report = format!("/reviews/report/{id}");
        let (_, _, first) = submit(&phone, s, &report, &report, &[("reason", "personal_data")]).await;
        assert!(first.contains("отзыв остаётся на странице организации"));
        let (_, _, repeat) = submit(&phone, s, &report, &report, &[("reason", "personal_data")]).await;
        assert!(repeat.contains("Вы уже жаловались на этот отзыв"), "{backend}: {repeat}");
        assert!(org_page(s, &w.a).await.contains(text), "{backend}: public below the threshold");
        assert!(get(&client(), s, &format!("/reviews/{}", w.a.public_id)).await.1.contains(text), "{backend}");
        assert_eq!(reviews::public_get(&s.db.read, id).await.unwrap().reports, 2, "{backend}: one per device");
        let (_, queue) = get(&moderator, s, "/cabinet/reviews").await;
        let tr = queue.split("<tr").find(|r| r.contains(&row)).unwrap_or_else(|| panic!("{backend}: {queue}"));
        assert!(tr.contains("опубликован, есть жалобы") && tr.contains("<strong>2</strong>"), "{backend}: {tr}");
        assert!(
            tr.contains("<li>оскорбления и угрозы: 1</li>")
                && tr.contains(
                    "<li>персональные данные сотрудников (фамилии, имена и отчества, телефоны, адреса): 1</li>"
                ),
            "{backend}: {tr}"
        );
        let (_, complained) = get(&moderator, s, "/cabinet/reviews?status=complained").await;
        assert!(complained.contains(&row), "{backend}");
        let (_, pending) = get(&moderator, s, "/cabinet/reviews?status=pending").await;
        assert!(!pending.contains(&row), "{backend}: not waiting, still published");
        let (_, page) = get(&moderator, s, &detail).await;
        assert!(page.contains("Нерассмотренных жалоб: 2") && page.contains("/dismiss\""), "{backend}: {page}");

        // The organisation's staff and another region's authority cannot keep it; a moderator in scope can.
        for who in ["staff", "auth77", "council76"] {
            let c = signed_in(s, who).await;
            let (status, _, _) = submit(&c, s, "/", &format!("{detail}/dismiss"), &[]).await;
            assert_eq!(status, 403, "{backend}: {who} dismisses");
        }
        let (_, staff_view) = get(&signed_in(s, "staff").await, s, &detail).await;
        assert!(!staff_view.contains("/dismiss\"") && !staff_view.contains("Нерассмотренных жалоб"), "{backend}");
        assert_eq!(reviews::public_get(&s.db.read, id).await.unwrap().reports, 2, "{backend}");
        let (status, location, _) = submit(&moderator, s, &detail, &format!("{detail}/dismiss"), &[]).await;
        assert_eq!((status, location), (303, format!("{detail}?done=dismiss")), "{backend}");
        let (_, page) = get(&moderator, s, &format!("{detail}?done=dismiss")).await;
        assert!(page.contains("Жалобы рассмотрены, отзыв остаётся опубликованным."), "{backend}");
        assert!(page.contains("Жалоб, рассмотренных раньше (хранятся в истории): 2") && !page.contains("/dismiss\""));
        assert!(!get(&moderator, s, "/cabinet/reviews").await.1.contains(&row), "{backend}: out of the queue");
        assert!(org_page(s, &w.a).await.contains(text), "{backend}");
        let history = nok_store::repo::audit::history(&s.db.read, "review", &id.to_string()).await.unwrap();
        assert_eq!((history[0].action.as_str(), history[0].actor_login.as_str()), ("review.dismiss", "auth76"));

        // Three new complaints: hidden until a moderator decides, and the citizen is told so.
        complain(s, id, "insult").await;
        complain(s, id, "insult").await;
        assert!(org_page(s, &w.a).await.contains(text), "{backend}: two open complaints");
        let html = complain(s, id, "offtopic").await;
        assert!(html.contains("поэтому он скрыт, пока модератор его не проверит"), "{backend}: {html}");
        assert!(!org_page(s, &w.a).await.contains(text), "{backend}: hidden at the threshold");
        assert!(!get(&client(), s, &format!("/reviews/{}", w.a.public_id)).await.1.contains(text), "{backend}");
        let (_, queue) = get(&moderator, s, "/cabinet/reviews").await;
        let tr = queue.split("<tr").find(|r| r.contains(&row)).unwrap_or_else(|| panic!("{backend}: {queue}"));
        assert!(tr.contains("на проверке у модератора") && tr.contains("<strong>3</strong>"), "{backend}: {tr}");
        assert_eq!(get(&client(), s, &report).await.0, 404, "{backend}: no complaints about a hidden review");
        let (status, _, html) = submit(&moderator, s, &detail, &format!("{detail}/dismiss"), &[]).await;
        assert_eq!(status, 422, "{backend}: nothing to keep");
        assert!(html.contains("на него поступили новые жалобы или его статус изменился"), "{backend}: {html}");
        submit(&moderator, s, &detail, &format!("{detail}/approve"), &[]).await;
        assert!(org_page(s, &w.a).await.contains(text), "{backend}: the moderator puts it back");
    }
}

/// Starts a minimal SMTP server on 127.0.0.1 that accepts one message and returns its transcript.
async fn fake_smtp() -> (u16, tokio::task::JoinHandle<Vec<String>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut transcript = Vec::new();
        write.write_all(b"220 fake.test ESMTP\r\n").await.unwrap();
        let mut in_data = false;
        while let Ok(Some(line)) = lines.next_line().await {
            transcript.push(line.clone());
            let reply: &[u8] = if in_data {
                if line == "." {
                    in_data = false;
                    b"250 2.0.0 queued\r\n"
                } else {
                    continue;
                }
            } else {
                let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                match verb.as_str() {
                    "EHLO" | "HELO" => b"250 fake.test\r\n",
                    "DATA" => {
                        in_data = true;
                        b"354 end with .\r\n"
                    }
                    "QUIT" => {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    }
                    _ => b"250 ok\r\n",
                }
            };
            write.write_all(reply).await.unwrap();
        }
        transcript
    });
    (port, handle)
}

/// The decoded text of a base64 body in an SMTP transcript.
fn decoded_body(transcript: &[String]) -> String {
    use base64::Engine;
    let data = transcript.iter().position(|l| l.eq_ignore_ascii_case("DATA")).unwrap();
    let message = &transcript[data + 1..];
    let blank = message.iter().position(|l| l.is_empty()).unwrap();
    let b64: String = message[blank + 1..].iter().take_while(|l| *l != ".").map(|l| l.trim()).collect();
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).unwrap()
}

/// Makes an outbox message due at `at` (to skip the retry back-off, or hold a message back).
async fn set_next_attempt(s: &Server, id: i64, at: i64) {
    mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(at))
        .filter(mail_outbox::Column::Id.eq(id))
        .exec(&s.db.write)
        .await
        .unwrap();
}

async fn answer_appeal(s: &Server, staff: &reqwest::Client, id: i32, text: &str) {
    let detail = format!("/cabinet/appeals/{id}");
    let (status, _, confirm) = submit(staff, s, &detail, &format!("{detail}/answer"), &[("answer", text)]).await;
    assert_eq!(status, 200);
    assert!(confirm.contains("Отправить ответ?"), "confirmation before sending");
    let (status, location, _) =
        submit(staff, s, &detail, &format!("{detail}/answer"), &[("answer", text), ("confirmed", "1")]).await;
    assert_eq!((status, location), (303, format!("{detail}?done=answer")));
}

#[tokio::test]
async fn appeal_lifecycle_deadline_and_delivery_through_the_outbox_and_smtp() {
    let w = world().await;
    let s = &w.s;
    let key = FieldKey::load(&s.db).await.unwrap();
    let citizen = client();
    let new_page = format!("/appeals/{}/new", w.a.public_id);
    let (_, form) = get(&citizen, s, &new_page).await;
    assert!(form.contains("152-ФЗ") && form.contains("for=\"email\"") && form.contains("for=\"consent\""));
    let (status, _, html) = submit(
        &citizen,
        s,
        &new_page,
        &new_page,
        &[("body", "Прошу ускорить запись к эндокринологу."), ("email", "olga.k@example.ru")],
    )
    .await;
    assert_eq!(status, 422, "consent is required");
    assert!(html.contains("id=\"consent-error\""));
    let (status, _, html) =
        submit(&citizen, s, &new_page, &new_page, &[("body", "коротко"), ("email", "не адрес"), ("consent", "1")])
            .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"email-error\"") && html.contains("id=\"body-error\""), "every error at once");
    let (status, location, _) = submit(
        &citizen,
        s,
        &new_page,
        &new_page,
        &[("body", "Прошу ускорить запись к эндокринологу."), ("email", "olga.k@example.ru"), ("consent", "1")],
    )
    .await;
    assert_eq!(status, 303);
    let token = token_of(&location, "/appeals/status/");
    let (_, mine) = get(&citizen, s, &location).await;
    let fresh = appeals::by_token(&s.db.read, &token).await.unwrap();
    let due = nok_i18n::format_date(
        nok_store::time_util::to_datetime(fresh.due_at).to_offset(time::UtcOffset::from_hms(3, 0, 0).unwrap()).date(),
    );
    assert!(
        mine.contains("новое") && mine.contains(&due),
        "status and the 30-day deadline (ДД.ММ.ГГГГ) shown to the author"
    );
    let res = citizen.get(s.url(&location)).send().await.unwrap();
    assert_eq!(res.headers().get("cache-control").unwrap(), "no-store");

    // The e-mail is not in the database in clear.
    let stored = appeal::Entity::find_by_id(fresh.id).one(&s.db.read).await.unwrap().unwrap();
    assert!(!format!("{stored:?}").contains("olga.k") && !stored.email_enc.contains("example.ru"));

    // An old appeal is overdue for the organisation and its authority; the list says so in words.
    let old = appeals::submit(
        &s.db,
        &key,
        NewAppeal {
            organization_id: w.a.id,
            body: "Старое обращение без ответа.".into(),
            email: "old@example.ru".into(),
            consent: true,
            device_hash: None,
            ip_hash: None,
            at: now() - 31 * 86_400,
        },
    )
    .await
    .unwrap()
    .appeal;
    let staff = signed_in(s, "staff").await;
    for who in [&staff, &signed_in(s, "auth76").await, &signed_in(s, "admin").await] {
        let (status, list) = get(who, s, "/cabinet/appeals?status=overdue").await;
        assert_eq!(status, 200);
        assert!(list.contains("class=\"fb-overdue\"") && list.contains("просрочено на 1 день"), "{list}");
        assert!(
            list.contains(&format!("/cabinet/appeals/{}\"", old.id))
                && !list.contains(&format!("/cabinet/appeals/{}\"", fresh.id))
        );
        assert!(!list.contains("olga.k") && !list.contains("old@example"), "e-mails never shown");
    }
    let (_, all) = get(&staff, s, "/cabinet/appeals").await;
    assert!(all.contains("осталось 30 дней") && all.contains("Просрочено: 1"));
    let csv = csv_export(&staff, s, "/cabinet/appeals/export/csv").await;
    assert!(
        csv.starts_with("Номер;Организация;Поступило;Статус;Срок ответа;Ответ дан;Просрочено;Ответ с опозданием\n")
            && csv.contains(&format!("{};Поликлиника № 1", old.id))
            && csv.contains(";да;")
    );
    assert!(!csv.contains("example.ru"));
    let sheet = xlsx_export(&staff, s, "/cabinet/appeals/export/xlsx?status=overdue").await;
    assert_eq!(sheet.len(), 2, "the header and the one overdue appeal: {sheet:?}");
    assert_eq!((sheet[0][0].as_str(), sheet[1][0].as_str()), ("Номер", old.id.to_string().as_str()));
    assert_eq!(sheet[1][1], "Поликлиника № 1");

    // new → in work → answered (with confirmation) → the author reads it; the e-mail waits in the outbox.
    let detail = format!("/cabinet/appeals/{}", old.id);
    let (status, _, _) = submit(&staff, s, &detail, &format!("{detail}/status"), &[("to", "in_work")]).await;
    assert_eq!(status, 303);
    answer_appeal(s, &staff, old.id, "Запись расширена: приходите в любой будний день.").await;
    answer_appeal(s, &staff, fresh.id, "Вас запишут на ближайшую неделю.").await;
    let (_, mine) = get(&citizen, s, &format!("/appeals/status/{token}")).await;
    assert!(mine.contains("дан ответ") && mine.contains("Вас запишут на ближайшую неделю."));
    let queued = mail_outbox::Entity::find().all(&s.db.read).await.unwrap();
    assert_eq!(queued.len(), 2);
    assert!(queued.iter().all(|m| m.status == outbox::PENDING));

    // Real SMTP: a local fake server receives the first message.
    let (port, server) = fake_smtp().await;
    let smtp =
        Mailer::smtp(&format!("smtp://127.0.0.1:{port}"), "OpenNOK <noreply@opennok.local>", key.clone()).unwrap();
    // The fake accepts one connection: keep the second message for later.
    set_next_attempt(s, queued[1].id, now() + 3600).await;
    let delivered = tokio::time::timeout(std::time::Duration::from_secs(20), smtp.deliver_due(&s.db))
        .await
        .expect("delivery finishes")
        .unwrap();
    assert_eq!(delivered, 1);
    let transcript = server.await.unwrap();
    assert!(transcript.iter().any(|l| l.starts_with("MAIL FROM:<noreply@opennok.local>")), "{transcript:?}");
    assert!(transcript.iter().any(|l| l == "RCPT TO:<old@example.ru>"), "{transcript:?}");
    assert!(transcript.iter().any(|l| {
        l.to_ascii_lowercase().starts_with(&format!("message-id: <nok-outbox-{}@opennok.local>", queued[0].id))
    }));
    let body = decoded_body(&transcript);
    assert!(
        body.contains("Запись расширена: приходите в любой будний день.") && body.contains("Поликлиника № 1"),
        "{body}"
    );
    let sent = outbox::get(&s.db.read, &Actor::system(), queued[0].id).await.unwrap();
    assert_eq!((sent.status.as_str(), sent.transport.as_deref()), (outbox::SENT, Some("smtp")));

    // No server listening: the attempt fails, is recorded and will be retried.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_port = dead.local_addr().unwrap().port();
    drop(dead);
    set_next_attempt(s, queued[1].id, now()).await;
    let broken = Mailer::smtp(&format!("smtp://127.0.0.1:{dead_port}"), "noreply@opennok.local", key.clone()).unwrap();
    assert_eq!(broken.deliver_due(&s.db).await.unwrap(), 0);
    let failed = outbox::get(&s.db.read, &Actor::system(), queued[1].id).await.unwrap();
    assert_eq!((failed.status.as_str(), failed.attempts), (outbox::PENDING, 1));
    assert!(failed.last_error.is_some() && failed.next_attempt_at > now());

    // The demo: no SMTP, the message lands in the in-app outbox the admin reads.
    set_next_attempt(s, queued[1].id, now()).await;
    assert_eq!(Mailer::in_app(key.clone()).deliver_due(&s.db).await.unwrap(), 1);
    let admin = signed_in(s, "admin").await;
    let (status, outbox_html) = get(&admin, s, "/admin/outbox").await;
    assert_eq!(status, 200);
    assert!(
        outbox_html.contains("внутренний ящик")
            && outbox_html.contains("o***@example.ru")
            && !outbox_html.contains("olga.k"),
        "{outbox_html}"
    );
    let (_, message) = get(&admin, s, &format!("/admin/outbox/{}", queued[1].id)).await;
    assert!(
        message.contains("Вас запишут на ближайшую неделю.") && message.contains(&format!("обращение № {}", fresh.id))
    );
    assert_eq!(get(&staff, s, "/admin/outbox").await.0, 403);

    // Close, with confirmation; audited at every step.
    let (status, _, confirm) = submit(&staff, s, &detail, &format!("{detail}/status"), &[("to", "closed")]).await;
    assert_eq!(status, 200);
    assert!(confirm.contains("Закрыть обращение?"));
    let (status, _, _) =
        submit(&staff, s, &detail, &format!("{detail}/status"), &[("to", "closed"), ("confirmed", "1")]).await;
    assert_eq!(status, 303);
    assert_eq!(appeals::get(&s.db.read, &Actor::system(), old.id).await.unwrap().status, appeals::CLOSED);
    let history = nok_store::repo::audit::history(&s.db.read, "appeal", &old.id.to_string()).await.unwrap();
    let actions: Vec<_> = history.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(actions, ["appeal.close", "appeal.answer", "appeal.take", "appeal.create"]);
}

#[tokio::test]
async fn one_vote_per_device_and_counts_on_the_page() {
    let w = world().await;
    let s = &w.s;
    let page = format!("/o/{}", w.a.public_id);
    let action = format!("/votes/{}", w.a.public_id);
    let phone = client();
    let (status, _, html) = submit(&phone, s, &page, &action, &[("agree", "1")]).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("учтён"));
    let (status, _, html) = submit(&phone, s, &page, &action, &[("agree", "0"), ("comment", "Передумал")]).await;
    assert_eq!(status, 409);
    assert!(html.contains("уже высказывались"));
    let other = client();
    let (status, _, _) = submit(&other, s, &page, &action, &[("agree", "0"), ("comment", "Оценка завышена")]).await;
    assert_eq!(status, 200);
    let html = org_page(s, &w.a).await;
    assert!(html.contains("Согласны") && html.contains("<span class=\"fb-count\">1</span> (50&nbsp;%)"), "{html}");
    let (status, _, _) = submit(&client(), s, &page, &action, &[("agree", "maybe")]).await;
    assert_eq!(status, 422);
    // Without the CSRF proof (and so without the device cookie) nothing is counted.
    let res = client().post(s.url(&action)).form(&[("agree", "1")]).send().await.unwrap();
    assert_eq!(res.status(), 403);
    let period = nok_store::time_util::period_of(now());
    let counts = nok_store::repo::rating_votes::counts(&s.db.read, w.a.id, period).await.unwrap();
    assert_eq!((counts.agree, counts.disagree), (1, 1));
}

#[tokio::test]
async fn every_role_is_refused_outside_its_scope() {
    let w = world().await;
    let s = &w.s;
    let key = FieldKey::load(&s.db).await.unwrap();
    let submit_appeal = |org: i32| NewAppeal {
        organization_id: org,
        body: "Текст обращения достаточной длины.".into(),
        email: "x@example.ru".into(),
        consent: true,
        device_hash: None,
        ip_hash: None,
        at: now(),
    };
    let in_b = appeals::submit(&s.db, &key, submit_appeal(w.b.id)).await.unwrap().appeal.id;
    let in_sibling = appeals::submit(&s.db, &key, submit_appeal(w.sibling.id)).await.unwrap().appeal.id;
    let in_a = appeals::submit(&s.db, &key, submit_appeal(w.a.id)).await.unwrap().appeal.id;
    let review_in = |org: i32| reviews::NewReview {
        organization_id: org,
        body: "Отзыв достаточной длины.".into(),
        author_name: None,
        accepts_rules: true,
        device_hash: None,
        ip_hash: None,
        at: now(),
    };
    let review_b = reviews::submit(&s.db, review_in(w.b.id)).await.unwrap().review.id;
    let review_a = reviews::submit(&s.db, review_in(w.a.id)).await.unwrap().review.id;

    // Staff of A: not B's nor the sibling's appeals, not pending reviews, no moderation.
    let staff = signed_in(s, "staff").await;
    for id in [in_b, in_sibling] {
        assert_eq!(get(&staff, s, &format!("/cabinet/appeals/{id}")).await.0, 403, "staff reads appeal {id}");
        let (status, _, _) = submit(
            &staff,
            s,
            "/cabinet/appeals",
            &format!("/cabinet/appeals/{id}/answer"),
            &[("answer", "Ответ"), ("confirmed", "1")],
        )
        .await;
        assert_eq!(status, 403, "staff answers appeal {id}");
        let (status, _, _) =
            submit(&staff, s, "/cabinet/appeals", &format!("/cabinet/appeals/{id}/status"), &[("to", "in_work")]).await;
        assert_eq!(status, 403);
    }
    assert_eq!(get(&staff, s, &format!("/cabinet/reviews/{review_a}")).await.0, 403, "staff reads a pending review");
    let (status, _, _) =
        submit(&staff, s, "/cabinet/reviews", &format!("/cabinet/reviews/{review_a}/approve"), &[]).await;
    assert_eq!(status, 403, "staff moderates");
    // The other organisation's staff cannot touch A.
    let staff77 = signed_in(s, "staff77").await;
    assert_eq!(get(&staff77, s, &format!("/cabinet/appeals/{in_a}")).await.0, 403);
    // Authority 76: reads its appeals, never B's; moderates its reviews, never B's; never answers.
    let auth76 = signed_in(s, "auth76").await;
    assert_eq!(get(&auth76, s, &format!("/cabinet/appeals/{in_a}")).await.0, 200);
    assert_eq!(get(&auth76, s, &format!("/cabinet/appeals/{in_b}")).await.0, 403);
    let (status, _, _) = submit(
        &auth76,
        s,
        "/cabinet/appeals",
        &format!("/cabinet/appeals/{in_a}/answer"),
        &[("answer", "Ответ органа"), ("confirmed", "1")],
    )
    .await;
    assert_eq!(status, 403, "authority answers");
    let (status, _, _) =
        submit(&auth76, s, "/cabinet/reviews", &format!("/cabinet/reviews/{review_b}/approve"), &[]).await;
    assert_eq!(status, 403, "authority 76 approves a review in 77");
    let auth77 = signed_in(s, "auth77").await;
    assert_eq!(get(&auth77, s, &format!("/cabinet/appeals/{in_a}")).await.0, 403);
    assert_eq!(get(&auth77, s, &format!("/cabinet/reviews/{review_a}")).await.0, 403);
    // Exports follow the same scope: each authority gets its own region's rows only.
    let csv = csv_export(&auth76, s, "/cabinet/reviews/export/csv?status=all").await;
    assert!(
        csv.starts_with("Дата;Организация;Текст отзыва;Автоматические отметки;Жалобы;Статус;Ответ организации\n"),
        "{csv}"
    );
    assert!(csv.contains("Поликлиника № 1;Отзыв достаточной длины.") && !csv.contains("Больница Москвы"), "{csv}");
    let sheet = xlsx_export(&auth77, s, "/cabinet/reviews/export/xlsx").await;
    assert_eq!(sheet.len(), 2, "header and B's pending review: {sheet:?}");
    assert_eq!((sheet[0][2].as_str(), sheet[1][1].as_str()), ("Текст отзыва", "Больница Москвы"));
    let appeals_csv = csv_export(&auth77, s, "/cabinet/appeals/export/csv").await;
    assert!(appeals_csv.contains("Больница Москвы") && !appeals_csv.contains("Поликлиника"), "{appeals_csv}");
    assert_eq!(get(&auth77, s, "/cabinet/reviews/export/pdf").await.0, 404, "unknown format");
    // Council, operator and monitor: no appeals, no moderation, no outbox.
    for who in ["council76", "operator", "monitor"] {
        let c = signed_in(s, who).await;
        for path in [
            "/cabinet/appeals",
            "/cabinet/appeals/export/csv",
            "/cabinet/reviews",
            "/cabinet/reviews/export/xlsx",
            "/admin/outbox",
        ] {
            assert_eq!(get(&c, s, path).await.0, 403, "{who} {path}");
        }
        assert_eq!(get(&c, s, &format!("/cabinet/appeals/{in_a}")).await.0, 403, "{who}");
        let (status, _, _) = submit(&c, s, "/", &format!("/cabinet/reviews/{review_a}/approve"), &[]).await;
        assert_eq!(status, 403, "{who} approves");
    }
    // Signed out: to the sign-in page.
    assert_eq!(get(&client(), s, "/cabinet/appeals").await.0, 303);
    // The admin sees everything.
    let admin = signed_in(s, "admin").await;
    let (_, list) = get(&admin, s, "/cabinet/appeals").await;
    for id in [in_a, in_b, in_sibling] {
        assert!(list.contains(&format!("/cabinet/appeals/{id}\"")));
    }
    // Private links: a wrong token is simply not found.
    assert_eq!(get(&client(), s, &format!("/appeals/status/{}", "a".repeat(64))).await.0, 404);
    assert_eq!(get(&client(), s, "/reviews/status/short").await.0, 404);
}

/// Votes with comments, as the citizen posts them from the organisation page.
async fn vote_with_comment(s: &Server, o: &organization::Model, agree: &str, comment: &str) {
    let (status, _, html) = submit(
        &client(),
        s,
        &format!("/o/{}", o.public_id),
        &format!("/votes/{}", o.public_id),
        &[("agree", agree), ("comment", comment)],
    )
    .await;
    assert_eq!(status, 200, "{html}");
}

#[tokio::test]
async fn rating_comments_are_shown_in_scope_and_exported() {
    let w = world().await;
    let s = &w.s;
    let staff = signed_in(s, "staff").await;
    let (status, empty) = get(&staff, s, "/cabinet/votes").await;
    assert_eq!(status, 200);
    assert!(empty.contains("Комментариев к мнениям об оценке пока нет."), "{empty}");
    assert!(empty.contains("href=\"/cabinet/votes\""), "linked from the cabinet menu");

    vote_with_comment(s, &w.a, "0", "Оценка завышена: <b>очереди</b> по два часа").await;
    vote_with_comment(s, &w.a, "1", "").await;
    vote_with_comment(s, &w.a, "1", "Согласен, врачи хорошие").await;
    vote_with_comment(s, &w.b, "0", "В Москве ждать неделю").await;
    let today = nok_i18n::format_date(
        nok_store::time_util::to_datetime(now()).to_offset(time::UtcOffset::from_hms(3, 0, 0).unwrap()).date(),
    );

    // The organisation's staff read their own organisation's comments, escaped, with the opinion and the date.
    let (status, html) = get(&staff, s, "/cabinet/votes").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Оценка завышена: &#60;b&#62;очереди&#60;/b&#62; по два часа")
            && html.contains("Согласен, врачи хорошие")
            && html.contains("Не согласны")
            && html.contains(&format!("<td>{today}</td>"))
            && html.contains("Найдено: 2"),
        "{html}"
    );
    assert!(!html.contains("В Москве ждать неделю"), "nothing of another organisation");
    let (status, one) = get(&staff, s, &format!("/cabinet/votes?organization={}", w.a.id)).await;
    assert_eq!(status, 200);
    assert!(one.contains("Оценка завышена"));
    // … and never another organisation's.
    assert_eq!(get(&staff, s, &format!("/cabinet/votes?organization={}", w.b.id)).await.0, 403);
    let staff77 = signed_in(s, "staff77").await;
    assert_eq!(get(&staff77, s, &format!("/cabinet/votes?organization={}", w.a.id)).await.0, 403);
    assert_eq!(get(&staff77, s, &format!("/cabinet/votes/export/csv?organization={}", w.a.id)).await.0, 403);
    let (_, html77) = get(&staff77, s, "/cabinet/votes").await;
    assert!(html77.contains("В Москве ждать неделю") && !html77.contains("Оценка завышена"));

    // Authority and council: their region; monitoring: all; operators: none.
    for who in ["auth76", "council76"] {
        let (status, html) = get(&signed_in(s, who).await, s, "/cabinet/votes").await;
        assert_eq!(status, 200, "{who}");
        assert!(html.contains("Оценка завышена") && !html.contains("В Москве"), "{who}");
    }
    let (_, all) = get(&signed_in(s, "monitor").await, s, "/cabinet/votes").await;
    assert!(all.contains("Оценка завышена") && all.contains("В Москве ждать неделю"));
    let operator = signed_in(s, "operator").await;
    assert_eq!(get(&operator, s, "/cabinet/votes").await.0, 403);
    assert_eq!(get(&operator, s, "/cabinet/votes/export/xlsx").await.0, 403);

    // Exports: the same rows as the page, in the same scope.
    let csv = csv_export(&staff77, s, "/cabinet/votes/export/csv").await;
    assert!(csv.starts_with("Дата;Организация;Год оценки;Мнение;Комментарий\n"), "{csv}");
    assert!(csv.contains("Больница Москвы") && csv.contains("В Москве ждать неделю"), "{csv}");
    assert!(!csv.contains("Поликлиника") && !csv.contains("Оценка завышена"), "no foreign rows: {csv}");
    let period = nok_store::time_util::period_of(now()).to_string();
    let sheet = xlsx_export(&staff, s, &format!("/cabinet/votes/export/xlsx?period={period}")).await;
    assert_eq!(sheet[0], ["Дата", "Организация", "Год оценки", "Мнение", "Комментарий"]);
    assert_eq!(sheet.len(), 3, "{sheet:?}");
    assert!(sheet[1..].iter().all(|r| r[0] == today && r[1] == "Поликлиника № 1" && r[2] == period));
    assert!(sheet.iter().any(|r| r[3] == "Не согласны" && r[4] == "Оценка завышена: <b>очереди</b> по два часа"));
    let (_, none) = get(&staff, s, "/cabinet/votes?period=1999").await;
    assert!(none.contains("Комментариев к мнениям об оценке пока нет."));
}
