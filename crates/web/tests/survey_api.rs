//! Survey intake over the JSON API: exactly-once storage keyed by the client's id, per-field 422 errors,
//! channel tagging, rate limits, the organisation list and scores endpoints, and the OpenAPI document with
//! its browsable page.

mod support;
mod survey_common;

use nok_methodology::Sphere;
use nok_store::db::testing::backends;
use serde_json::{Value, json};
use support::{client, restart_with, start, start_with};
use survey_common::*;

#[tokio::test]
async fn the_same_id_twice_is_stored_and_counted_once() {
    for backend in backends() {
        let s = start(backend).await;
        let o = org(&s, 1, "76", Sphere::Health, "Поликлиника № 1").await;
        let body = submission(&o.public_id, "qr_poster", all_yes(Sphere::Health));
        let (first, receipt) = post(&s, &body).await;
        assert_eq!(first, 201, "{backend}: {receipt}");
        assert_eq!(receipt["id"], body["id"]);
        assert_eq!(receipt["organization_id"], json!(o.public_id));
        assert_eq!(receipt["channel"], "qr_poster");
        // A retry (even with other answers) returns the same body and changes nothing.
        let mut retry = body.clone();
        retry["answers"] = json!({ "q1": false });
        let (again, receipt2) = post(&s, &retry).await;
        assert_eq!(again, 200, "{backend}");
        assert_eq!(receipt2, receipt, "{backend}: same body on a retry");
        assert_eq!(counted(&s, &o).await, 1, "{backend}: counted once");
        assert_eq!(all_stored(&s).await.len(), 1);
        // Concurrent duplicates of a new id: exactly one 201.
        let body = submission(&o.public_id, "portal", all_yes(Sphere::Health));
        let results = futures::future::join_all((0..8).map(|_| post(&s, &body))).await;
        let created = results.iter().filter(|(st, _)| *st == 201).count();
        assert_eq!(created, 1, "{backend}: {results:?}");
        assert!(results.iter().all(|(st, r)| (*st == 201 || *st == 200) && *r == results[0].1));
        assert_eq!(counted(&s, &o).await, 2, "{backend}");
    }
}

fn fields(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .expect("errors list")
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn invalid_submissions_get_422_naming_each_field() {
    let s = start("sqlite").await;
    let culture = org(&s, 2, "76", Sphere::Culture, "Музей").await;
    let health = org(&s, 3, "76", Sphere::Health, "Больница").await;
    let base = |pid: &str| submission(pid, "qr_poster", json!({ "q1": true, "q2": true }));
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            {
                let mut b = base(&culture.public_id);
                b["organization_id"] = json!("nosuchorg1");
                b
            },
            "organization_id",
            "unknown_organization",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["organization_id"] = json!(culture.id);
                b
            },
            "organization_id",
            "unknown_organization",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b.as_object_mut().unwrap().remove("organization_id");
                b
            },
            "organization_id",
            "required",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["answers"] = json!({ "q1": false, "q2": true });
                b
            },
            "answers.q2",
            "filter_not_yes",
        ),
        (
            {
                let mut b = base(&health.public_id);
                b["answers"] = json!({ "q7": false, "q8": true });
                b
            },
            "answers.q8",
            "filter_not_yes",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["answers"] = json!({ "q5": true });
                b
            },
            "answers.q5",
            "not_in_sphere",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["answers"] = json!({ "q16": true });
                b
            },
            "answers.q16",
            "unknown_question",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["answers"] = json!({ "q1": "да" });
                b
            },
            "answers.q1",
            "wrong_type",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["answers"] = json!({});
                b
            },
            "answers",
            "no_answers",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["channel"] = json!("fax");
                b
            },
            "channel",
            "unknown_channel",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["age"] = json!(7);
                b
            },
            "age",
            "invalid_age",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["age"] = json!("сорок");
                b
            },
            "age",
            "invalid_age",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["sex"] = json!("x");
                b
            },
            "sex",
            "invalid_sex",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["id"] = json!("123");
                b
            },
            "id",
            "invalid_uuid",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["nickname"] = json!("x");
                b
            },
            "nickname",
            "unknown_field",
        ),
        (
            {
                let mut b = base(&culture.public_id);
                b["suggestions"] = json!("я".repeat(2001));
                b
            },
            "suggestions",
            "too_long",
        ),
    ];
    for (body, field, code) in cases {
        let (status, res) = post(&s, &body).await;
        assert_eq!(status, 422, "{field}: {res}");
        assert_eq!(fields(&res), vec![(field.to_string(), code.to_string())], "{res}");
        let message = res["errors"][0]["message"].as_str().unwrap();
        assert!(message.chars().any(|c| ('а'..='я').contains(&c)), "Russian message: {message}");
    }
    // Several problems at once are all reported.
    let (status, res) = post(
        &s,
        &json!({ "id": "x", "organization_id": culture.public_id, "channel": "fax", "answers": { "q5": true } }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(fields(&res).len(), 3, "{res}");
    // Not JSON at all.
    let res = client()
        .post(s.url("/api/v1/responses"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(all_stored(&s).await.is_empty(), "nothing invalid is stored");
}

#[tokio::test]
async fn every_channel_is_tagged_and_counted_per_channel() {
    let s = start("sqlite").await;
    let o = org(&s, 4, "76", Sphere::Education, "Школа № 14").await;
    let channels = [
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
    for (i, ch) in channels.iter().enumerate() {
        for _ in 0..=i % 2 {
            let (status, r) = post(&s, &submission(&o.public_id, ch, all_yes(Sphere::Education))).await;
            assert_eq!(status, 201, "{ch}: {r}");
            assert_eq!(r["channel"], *ch);
        }
    }
    let per_channel = nok_store::repo::survey_stats::channel_counts(
        &s.db.read,
        o.id,
        nok_store::time_util::period_of(nok_store::time_util::now()),
    )
    .await
    .unwrap();
    assert_eq!(per_channel.len(), channels.len());
    assert_eq!(per_channel.iter().find(|(c, _)| c == "qr_paper").unwrap().1, 2);
    assert_eq!(per_channel.iter().find(|(c, _)| c == "qr_poster").unwrap().1, 1);
    let stored = all_stored(&s).await;
    assert!(
        stored.iter().all(|r| r.ip_hash.as_ref().is_some_and(|h| h.len() == 32 && !h.contains("127.0.0.1"))),
        "only hashed addresses"
    );
    assert!(stored.iter().all(|r| r.device_hash.is_none()), "API clients without the device cookie have no device");
    // The organisation page lists the channels.
    let page = client().get(s.url(&format!("/o/{}", o.public_id))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Виджет на сайте организации"), "channel names on the page");
}

#[tokio::test]
async fn rate_limits_refuse_with_429_and_store_nothing() {
    let s = start_with("sqlite", |c| {
        c.intake.per_source_per_minute = 1;
        c.intake.per_source_burst = 3;
    })
    .await;
    let o = org(&s, 5, "76", Sphere::Social, "КЦСОН").await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let res = client()
            .post(s.url("/api/v1/responses"))
            .json(&submission(&o.public_id, "api", all_yes(Sphere::Social)))
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
        if res.status() == 429 {
            let wait: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!(wait >= 1);
            let body: Value = res.json().await.unwrap();
            assert_eq!(body["errors"][0]["code"], "rate_limited");
        }
    }
    assert_eq!(statuses, [201, 201, 201, 429, 429]);
    assert_eq!(all_stored(&s).await.len(), 3);
}

#[tokio::test]
async fn a_burst_from_one_source_is_stored_flagged_not_counted() {
    let s = start_with("sqlite", |c| c.intake.burst_max = 3).await;
    let o = org(&s, 6, "76", Sphere::Culture, "Библиотека").await;
    let other = org(&s, 7, "76", Sphere::Culture, "Театр").await;
    for _ in 0..5 {
        let (status, _) = post(&s, &submission(&o.public_id, "qr_poster", all_yes(Sphere::Culture))).await;
        assert_eq!(status, 201, "flagged responses are accepted, not refused");
    }
    let (status, _) = post(&s, &submission(&other.public_id, "qr_poster", all_yes(Sphere::Culture))).await;
    assert_eq!(status, 201);
    assert_eq!(counted(&s, &o).await, 3);
    assert_eq!(counted(&s, &other).await, 1, "the burst rule is per organisation");
    let flagged: Vec<_> = all_stored(&s).await.into_iter().filter(|r| r.status == "flagged").collect();
    assert_eq!(flagged.len(), 2);
    assert!(flagged.iter().all(|r| r.flag_reason.as_deref() == Some("burst") && r.organization_id == o.id));
}

/// On SQLite the writer screens from memory; a restarted server reads that memory back from the database,
/// so a burst spread across a restart is still flagged.
#[tokio::test]
async fn a_burst_across_a_restart_is_still_flagged() {
    let s = start_with("sqlite", |c| c.intake.burst_max = 3).await;
    let o = org(&s, 6, "76", Sphere::Culture, "Библиотека").await;
    for _ in 0..2 {
        assert_eq!(post(&s, &submission(&o.public_id, "qr_poster", all_yes(Sphere::Culture))).await.0, 201);
    }
    let restarted = restart_with(&s, |c| c.intake.burst_max = 3).await;
    for _ in 0..3 {
        assert_eq!(post(&restarted, &submission(&o.public_id, "qr_poster", all_yes(Sphere::Culture))).await.0, 201);
    }
    assert_eq!(counted(&s, &o).await, 3, "two before the restart and one after");
    let flagged: Vec<_> = all_stored(&s).await.into_iter().filter(|r| r.status == "flagged").collect();
    assert_eq!(flagged.len(), 2);
    assert!(flagged.iter().all(|r| r.flag_reason.as_deref() == Some("burst")));
}

#[tokio::test]
async fn organizations_search_and_scores_with_the_small_numbers_rule() {
    let s = start("sqlite").await;
    let a = org(&s, 8, "76", Sphere::Health, "Областная больница").await;
    org(&s, 9, "77", Sphere::Culture, "Московский музей").await;
    let list: Value =
        client().get(s.url("/api/v1/organizations?q=больница")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], json!(a.public_id));
    assert!(
        list["items"][0]["questionnaire_url"].as_str().unwrap().ends_with(&format!("/o/{}/anketa?ch=api", a.public_id))
    );
    let list: Value =
        client().get(s.url("/api/v1/organizations?region=77&per_page=1")).send().await.unwrap().json().await.unwrap();
    assert_eq!((list["total"].as_u64(), list["per_page"].as_u64()), (Some(1), Some(1)));
    let list: Value =
        client().get(s.url(&format!("/api/v1/organizations?q={}", a.inn))).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 1, "search by ИНН");

    let url = s.url(&format!("/api/v1/organizations/{}/scores", a.public_id));
    for _ in 0..9 {
        assert_eq!(post(&s, &submission(&a.public_id, "api", all_yes(Sphere::Health))).await.0, 201);
    }
    let scores: Value = client().get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(scores["responses"], 9);
    assert_eq!(scores["published"], false, "{scores}");
    assert!(scores["total"].is_null() && scores["criteria"].is_null());
    assert_eq!(post(&s, &submission(&a.public_id, "api", all_yes(Sphere::Health))).await.0, 201);
    let scores: Value = client().get(&url).send().await.unwrap().json().await.unwrap();
    assert_eq!(scores["responses"], 10);
    assert_eq!(scores["published"], true, "{scores}");
    assert_eq!(scores["sphere"], "health");
    assert!(scores["criteria"]["K5"].as_f64().is_some_and(|v| (v - 100.0).abs() < 1e-9), "{scores}");
    assert!(scores["indicators"]["5.3"].is_number());
    assert_eq!(scores["checklist_recorded"], false);
    let no_data: Vec<&str> = scores["no_data"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(no_data, ["1.1", "1.2", "2.1", "3.1", "3.2"], "no checklist: no data, never 0");
    let period = scores["period"].as_i64().unwrap();
    let explanation = scores["explanation_url"].as_str().unwrap();
    assert!(explanation.ends_with(&format!("/o/{}/explain?period={period}", a.public_id)), "{explanation}");
    let page = client().get(explanation).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let missing = client().get(s.url("/api/v1/organizations/nosuchorg1/scores")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_openapi_document_is_served_and_browsable() {
    let s = start("sqlite").await;
    let res = client().get(s.url("/api/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    for p in ["/api/v1/responses", "/api/v1/organizations", "/api/v1/organizations/{id}/scores"] {
        assert!(paths.contains(&p.to_string()), "{p} documented");
    }
    let scores = &doc["components"]["schemas"]["Scores"]["properties"];
    assert_eq!(scores["explanation_url"]["type"], "string", "explanation_url documented");
    // The error codes documented are the ones the service uses.
    let codes: Vec<&str> = doc["components"]["schemas"]["FieldError"]["properties"]["code"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(codes, nok_web::intake::errors::CODES);
    let channels: Vec<&str> = doc["components"]["schemas"]["ResponseSubmission"]["properties"]["channel"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(channels, nok_web::intake::Channel::ALL.map(|c| c.code()));
    let page = client().get(s.url("/api/docs")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for p in &paths {
        assert!(html.contains(&format!("<code>{p}</code>")), "{p} on the docs page");
    }
    assert!(html.contains("ResponseSubmission") && html.contains("filter_not_yes"));
    assert!(!html.contains("<script") && !html.contains("https://cdn"), "no outside resources");
}
