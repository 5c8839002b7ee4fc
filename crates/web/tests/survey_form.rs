//! The questionnaire in the browser's way, without JavaScript: the QR short link, the form with fieldsets
//! and legends (follow-ups hidden until their filter is «Да»), errors tied to their fields, a skipped
//! follow-up answered anyway (dropped), submission, the confirmation page, the organisation page counting
//! the response; follow-ups asked on a second step; a double submit stores one; a second response from the
//! same device within 24 hours is stored flagged; the small-numbers rule.

mod support;
mod survey_common;

use nok_methodology::Sphere;
use support::{Server, client, csrf_of, start};
use survey_common::*;

/// Opens the questionnaire with `c` and returns its HTML.
async fn open(s: &Server, c: &reqwest::Client, public_id: &str, channel: &str) -> String {
    let res = c.get(s.url(&format!("/o/{public_id}/anketa?ch={channel}"))).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

async fn send(
    s: &Server,
    c: &reqwest::Client,
    public_id: &str,
    page: &str,
    answers: &[(String, String)],
) -> reqwest::Response {
    let mut form = vec![
        ("csrf".to_string(), csrf_of(page)),
        ("id".to_string(), hidden(page, "id")),
        ("ch".to_string(), hidden(page, "ch")),
        ("sex".to_string(), "m".to_string()),
        ("age".to_string(), "35".to_string()),
        ("suggestions".to_string(), "Поставить больше скамеек".to_string()),
    ];
    form.extend(answers.iter().cloned());
    c.post(s.url(&format!("/o/{public_id}/anketa"))).form(&form).send().await.unwrap()
}

#[tokio::test]
async fn the_questionnaire_works_end_to_end_without_javascript() {
    let s = start("sqlite").await;
    let o = org(&s, 11, "76", Sphere::Culture, "Краеведческий музей").await;
    let c = client();

    let short = c.get(s.url(&format!("/q/{}", o.public_id))).send().await.unwrap();
    assert_eq!(short.status(), 303);
    assert_eq!(short.headers()["location"], format!("/o/{}/anketa?ch=qr_poster", o.public_id).as_str());

    let page = open(&s, &c, &o.public_id, "qr_poster").await;
    assert!(page.contains("<legend><span class=\"qn\">1.</span>"), "numbered legends");
    assert!(
        page.contains("<fieldset class=\"q\" id=\"q2\" data-filter=\"q1\" hidden aria-describedby=\"q2-hint\">"),
        "a follow-up is hidden until its filter is «Да»"
    );
    assert!(page.contains("id=\"q2-yes\" name=\"q2\" value=\"yes\" disabled>"), "and its inputs disabled");
    assert!(!page.contains("name=\"shown\""), "no follow-up was shown");
    assert!(!page.contains("name=\"q5\""), "culture has no q5");
    assert!(page.contains("<span class=\"qn\">5.</span>"), "numbering continues without a gap: q6 is question 5");
    assert!(
        page.contains(
            "<label for=\"q1-yes\"><input type=\"radio\" id=\"q1-yes\" name=\"q1\" value=\"yes\"> Да</label>"
        )
    );
    assert!(page.contains("<script src=\"/static/anketa.js\" defer></script>"));
    assert_eq!(hidden(&page, "ch"), "qr_poster");
    let js = c.get(s.url("/static/anketa.js")).send().await.unwrap();
    assert_eq!(js.headers()["content-type"], "text/javascript; charset=utf-8");

    // Incomplete: errors are listed and tied to the fields; q2, behind q1 = «Да», appears without an error.
    let res = send(&s, &c, &o.public_id, &page, &[("q1".into(), "yes".into())]).await;
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("class=\"error-summary\" role=\"alert\""));
    assert!(html.contains("<a href=\"#q3-yes\">"), "summary links to the field");
    assert!(html.contains("id=\"q3-error\"") && html.contains("aria-describedby=\"q3-error\""));
    assert!(html.contains("id=\"q1-yes\" name=\"q1\" value=\"yes\" checked"), "answers kept");
    assert!(html.contains("id=\"q2\" data-filter=\"q1\" aria-describedby=\"q2-hint\">"), "q2 shown now");
    assert!(!html.contains("href=\"#q2-yes\"") && !html.contains("id=\"q2-error\""), "not yet an error");
    assert!(html.contains("name=\"shown\" value=\"q2\""));
    assert!(!html.contains("step-lead"));
    assert!(all_stored(&s).await.is_empty());

    // Complete, with q2 answered although q1 is «Нет» (no JavaScript hid it): q2 is dropped.
    let mut answers = form_answers(Sphere::Culture);
    answers.push(("q2".into(), "yes".into()));
    let res = send(&s, &c, &o.public_id, &html, &answers).await;
    assert_eq!(res.status(), 303);
    let thanks_url = res.headers()["location"].to_str().unwrap().to_string();
    let thanks = c.get(s.url(&thanks_url)).send().await.unwrap().text().await.unwrap();
    assert!(thanks.contains("Что будет дальше"));
    assert!(thanks.contains(&format!("href=\"/o/{}\"", o.public_id)));
    let stored = all_stored(&s).await;
    assert_eq!(stored.len(), 1);
    let r = &stored[0];
    assert_eq!(r.id, hidden(&page, "id"), "the id rendered into the form");
    assert_eq!(
        (r.channel.as_str(), r.status.as_str(), r.sex.as_deref(), r.age),
        ("qr_poster", "accepted", Some("m"), Some(35))
    );
    assert_eq!(r.asked & 0b10, 0, "q2 behind q1 = Нет dropped");
    assert!(r.device_hash.is_some(), "the form's device is remembered (hashed)");

    // The same form sent again (double click, back button): still one response.
    let res = send(&s, &c, &o.public_id, &html, &answers).await;
    assert_eq!(res.status(), 303);
    assert_eq!(all_stored(&s).await.len(), 1);
    assert_eq!(counted(&s, &o).await, 1);

    let org_page = c.get(s.url(&format!("/o/{}", o.public_id))).send().await.unwrap().text().await.unwrap();
    assert!(org_page.contains("1 ответ"), "the organisation page counts it at once");
}

/// Every hidden field of the questionnaire form (what a browser sends back without the respondent's input).
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once('"')?;
            let value = rest.strip_prefix(" value=\"")?.split('"').next()?;
            Some((name.to_string(), value.to_string()))
        })
        .collect()
}

#[tokio::test]
async fn follow_ups_of_a_yes_are_asked_on_a_second_step() {
    let s = start("sqlite").await;
    let o = org(&s, 16, "76", Sphere::Culture, "Театр юного зрителя").await;
    let c = client();
    let page = open(&s, &c, &o.public_id, "qr_paper").await;
    let def = nok_methodology::Definition::current();
    let questions = def.questionnaire(Sphere::Culture);
    let follow_ups: Vec<String> =
        questions.iter().filter(|q| q.filtered_by.is_some()).map(|q| q.id.to_string()).collect();
    assert_eq!(follow_ups, ["q2", "q4", "q8", "q12"]);
    for q in &follow_ups {
        assert!(
            page.contains(&format!("id=\"{q}\" data-filter="))
                && page.contains(&format!("id=\"{q}-no\" name=\"{q}\" value=\"no\" disabled>"))
        );
    }

    // Step 1: «Да» to every question on the page (the filters too), «Нет» only to q6.
    let step1: Vec<(String, String)> = questions
        .iter()
        .filter(|q| q.filtered_by.is_none())
        .map(|q| (q.id.to_string(), if q.id.0 == 6 { "no" } else { "yes" }.to_string()))
        .collect();
    let res = send(&s, &c, &o.public_id, &page, &step1).await;
    assert_eq!(res.status(), 200, "more questions are no error");
    let step2 = res.text().await.unwrap();
    assert!(step2.contains("<title>Ещё несколько вопросов — "));
    assert!(step2.contains("id=\"step-lead\" role=\"status\" tabindex=\"-1\" autofocus>"));
    assert!(step2.contains("<h2>Ещё несколько вопросов</h2>"));
    assert!(!step2.contains("error-summary") && !step2.contains("aria-invalid"));
    let visible = step2.matches("<fieldset class=\"q\"").count();
    assert_eq!(visible, follow_ups.len(), "only the follow-ups are asked");
    for q in &follow_ups {
        assert!(step2.contains(&format!("<fieldset class=\"q\" id=\"{q}\" data-filter=")));
        assert!(step2.contains(&format!("id=\"{q}-yes\" name=\"{q}\" value=\"yes\">")), "enabled");
    }
    let carried = hidden_fields(&step2);
    for (q, a) in &step1 {
        assert!(carried.contains(&(q.clone(), a.clone())), "{q} carried");
    }
    for (k, v) in [("sex", "m"), ("age", "35"), ("suggestions", "Поставить больше скамеек"), ("ch", "qr_paper")]
    {
        assert!(carried.contains(&(k.to_string(), v.to_string())), "{k} carried");
    }
    assert_eq!(hidden(&step2, "id"), hidden(&page, "id"), "the same response id");
    assert!(!step2.contains("id=\"age\"") && !step2.contains("<textarea"), "nothing else to fill in");
    assert!(all_stored(&s).await.is_empty(), "nothing stored yet");

    let post = |form: Vec<(String, String)>| c.post(s.url(&format!("/o/{}/anketa", o.public_id))).form(&form).send();
    // Step 2 sent without its answers: now they are errors.
    let res = post(carried.clone()).await.unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("<a href=\"#q2-yes\">") && html.contains("id=\"q2-error\""));
    assert!(all_stored(&s).await.is_empty());

    // Step 2 answered: stored once.
    let mut full = carried;
    full.extend(follow_ups.iter().map(|q| (q.clone(), "no".to_string())));
    let res = post(full.clone()).await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/o/{}/anketa/spasibo", o.public_id).as_str());
    let res = post(full).await.unwrap();
    assert_eq!(res.status(), 303, "sent twice");
    let stored = all_stored(&s).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(counted(&s, &o).await, 1);
    let r = &stored[0];
    assert_eq!(r.id, hidden(&page, "id"));
    assert_eq!((r.channel.as_str(), r.sex.as_deref(), r.age), ("qr_paper", Some("m"), Some(35)));
    let sealed = r.suggestions.as_deref().expect("the suggestions are stored");
    assert!(!sealed.contains("скамеек"), "stored encrypted: {sealed}");
    let key = nok_store::crypto::FieldKey::load(&s.db).await.unwrap();
    assert_eq!(key.decrypt(nok_store::crypto::PURPOSE_SUGGESTIONS, sealed).unwrap(), "Поставить больше скамеек");
    let asked = questions.iter().fold(0, |m, q| m | 1 << (q.id.0 - 1));
    assert_eq!(r.asked, asked, "every question of the sphere answered");
    assert_eq!(r.yes, asked & !(1 << 5) & !0b1000_1000_1010, "«Нет» to q6 and the follow-ups");

    // «Нет» to the filters: no second step, stored at once.
    let other = org(&s, 17, "76", Sphere::Culture, "Городская библиотека").await;
    let page = open(&s, &c, &other.public_id, "qr_paper").await;
    let res = send(&s, &c, &other.public_id, &page, &form_answers(Sphere::Culture)).await;
    assert_eq!(res.status(), 303);
    assert_eq!(all_stored(&s).await.len(), 2);
    assert_eq!(counted(&s, &other).await, 1);
}

#[tokio::test]
async fn a_second_response_from_one_device_within_a_day_is_flagged() {
    let s = start("sqlite").await;
    let o = org(&s, 12, "76", Sphere::Health, "Поликлиника № 3").await;
    let other = org(&s, 13, "76", Sphere::Health, "Поликлиника № 4").await;
    let c = client();
    for (target, expected) in [(&o, "accepted"), (&o, "flagged"), (&other, "accepted")] {
        let page = open(&s, &c, &target.public_id, "qr_screen").await;
        let res = send(&s, &c, &target.public_id, &page, &form_answers(Sphere::Health)).await;
        assert_eq!(res.status(), 303, "a flagged response gets the same confirmation");
        let r = stored(&s, &hidden(&page, "id")).await.unwrap();
        assert_eq!(r.status, expected);
        if expected == "flagged" {
            assert_eq!(r.flag_reason.as_deref(), Some("device_repeat"));
        }
    }
    assert_eq!(counted(&s, &o).await, 1, "the repeat stays out of the counters");
    assert_eq!(counted(&s, &other).await, 1);
    // Another device (another browser) is not a repeat.
    let c2 = client();
    let page = open(&s, &c2, &o.public_id, "qr_screen").await;
    send(&s, &c2, &o.public_id, &page, &form_answers(Sphere::Health)).await;
    assert_eq!(counted(&s, &o).await, 2);
}

#[tokio::test]
async fn scores_are_shown_only_from_the_minimum_number_of_responses() {
    let s = start("sqlite").await;
    let o = org(&s, 14, "76", Sphere::Education, "Гимназия № 2").await;
    let peer = org(&s, 15, "76", Sphere::Education, "Лицей № 3").await;
    let url = s.url(&format!("/o/{}", o.public_id));
    let page = client().get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Недостаточно ответов"));
    assert!(page.contains("0 / 10"));
    for _ in 0..9 {
        post(&s, &submission(&o.public_id, "api", all_yes(Sphere::Education))).await;
    }
    let page = client().get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Недостаточно ответов") && page.contains("9 / 10"));
    assert!(!page.contains("class=\"score-total\""));
    post(&s, &submission(&o.public_id, "api", all_yes(Sphere::Education))).await;
    for _ in 0..10 {
        post(&s, &submission(&peer.public_id, "api", all_yes(Sphere::Education))).await;
    }
    let page = client().get(&url).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Недостаточно ответов</strong>"), "published now");
    assert!(page.contains("class=\"score-total\""));
    assert!(page.contains("10 ответов"));
    assert!(page.contains("K1.") && page.contains("K5."), "criteria bars");
    assert!(page.contains("class=\"w100\""), "K5 is 100 points: a full bar");
    assert!(page.contains("100,00"), "comma decimals");
    assert!(!page.contains("style=\""), "no inline styles (CSP)");
    // The region page ranks both; the home page lists them.
    let region = client().get(s.url("/r/76")).send().await.unwrap().text().await.unwrap();
    assert!(region.contains("Гимназия № 2") && region.contains("Лицей № 3"));
    let csv = client().get(s.url("/r/76/export/csv")).send().await.unwrap().bytes().await.unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "CSV for Excel");
    let home = client().get(s.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("Лучшие организации") && home.contains(&format!("/o/{}", o.public_id)));
}
