//! The review queue of flagged responses: an authority accepts one (the scores change at once, the decision
//! is audited) or rejects one after a confirmation; an authority of another region can neither see nor
//! decide it; roles that do not review get 403. The queue exports as CSV and XLSX in the same scope.

mod support;
mod survey_common;

use nok_methodology::Sphere;
use nok_store::Role;
use nok_store::db::testing::backends;
use nok_store::entities::audit_log;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use support::{PASSWORD, Server, client, csrf_of, csv_export, login, start_with, xlsx_export};
use survey_common::*;

/// The suggestions text of every response of [`flagged_pair`] (stored encrypted, shown to the reviewer).
const SUGGESTIONS: &str = "Больше скамеек у входа";

/// Three responses to `o` from one source with `burst_max = 1`: one counted, two flagged. Returns the
/// flagged ids.
async fn flagged_pair(s: &Server, public_id: &str, sphere: Sphere) -> Vec<String> {
    for _ in 0..3 {
        let mut body = submission(public_id, "qr_poster", all_yes(sphere));
        body["suggestions"] = Value::from(SUGGESTIONS);
        assert_eq!(post(s, &body).await.0, 201);
    }
    all_stored(s).await.into_iter().filter(|r| r.status == "flagged").map(|r| r.id).collect()
}

async fn api_responses(s: &Server, public_id: &str) -> u64 {
    let v: Value = client()
        .get(s.url(&format!("/api/v1/organizations/{public_id}/scores")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["responses"].as_u64().unwrap()
}

#[tokio::test]
async fn accepting_a_flagged_response_counts_it_and_is_audited() {
    for backend in backends() {
        let s = start_with(backend, |c| c.intake.burst_max = 1).await;
        let o = org(&s, 21, "76", Sphere::Health, "Больница № 9").await;
        authority_user(&s, "health76", "76", Sphere::Health).await;
        let flagged = flagged_pair(&s, &o.public_id, Sphere::Health).await;
        assert_eq!(flagged.len(), 2, "{backend}");
        assert_eq!(api_responses(&s, &o.public_id).await, 1);

        let (c, status) = login(&s, "health76", PASSWORD).await;
        assert_eq!(status, 303);
        let queue = c.get(s.url("/cabinet/flagged")).send().await.unwrap().text().await.unwrap();
        assert!(queue.contains("Больница № 9") && queue.contains("Всплеск"), "{backend}");
        assert_eq!(queue.matches(SUGGESTIONS).count(), 2, "{backend}: the reviewer reads the decrypted text");
        for id in &flagged {
            assert!(queue.contains(&format!("/cabinet/flagged/{id}/accept")));
        }
        // The queue as files: the same rows, one per flagged response.
        assert!(queue.contains("href=\"/cabinet/flagged/export/xlsx\""));
        let csv = csv_export(&c, &s, "/cabinet/flagged/export/csv").await;
        assert!(csv.starts_with("Получена;Организация;Идентификатор;Канал;Причина;Ответы;Предложения\n"), "{csv}");
        assert_eq!(csv.matches("Больница № 9").count(), 2, "{backend}: {csv}");
        let sheet = xlsx_export(&c, &s, "/cabinet/flagged/export/xlsx").await;
        assert_eq!(sheet.len(), 3, "{backend}: {sheet:?}");
        assert!(
            sheet[1..].iter().all(|r| r[1] == "Больница № 9" && r[2] == o.public_id && r[4].starts_with("Всплеск"))
        );
        assert_eq!(csv.matches(SUGGESTIONS).count(), 2, "{backend}: {csv}");
        assert!(sheet[1..].iter().all(|r| r[6] == SUGGESTIONS), "{backend}: {sheet:?}");
        assert!(
            all_stored(&s).await.iter().all(|r| r.suggestions.as_deref().is_some_and(|t| !t.contains("скамеек"))),
            "{backend}: no text stored in plain"
        );
        let csrf = csrf_of(&queue);
        let res = c
            .post(s.url(&format!("/cabinet/flagged/{}/accept", flagged[0])))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303, "{backend}");
        assert_eq!(stored(&s, &flagged[0]).await.unwrap().status, "accepted");
        assert_eq!(counted(&s, &o).await, 2, "{backend}: counters updated with the decision");
        assert_eq!(api_responses(&s, &o.public_id).await, 2, "{backend}: scores see it");
        // Deciding twice is harmless: the second is reported as already decided.
        let res = c
            .post(s.url(&format!("/cabinet/flagged/{}/accept", flagged[0])))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["location"], "/cabinet/flagged?done=stale");
        assert_eq!(counted(&s, &o).await, 2);

        // Rejecting asks first, then keeps the response out for good.
        let confirm = c
            .get(s.url(&format!("/cabinet/flagged/{}/reject", flagged[1])))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(confirm.contains("Отклонить анкету?"));
        let res = c
            .post(s.url(&format!("/cabinet/flagged/{}/reject", flagged[1])))
            .form(&[("csrf", csrf_of(&confirm).as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(stored(&s, &flagged[1]).await.unwrap().status, "rejected");
        assert_eq!(counted(&s, &o).await, 2);
        let queue = c.get(s.url("/cabinet/flagged")).send().await.unwrap().text().await.unwrap();
        assert!(queue.contains("Анкет на проверке нет"));

        let audit = audit_log::Entity::find()
            .filter(audit_log::Column::ObjectType.eq("response"))
            .all(&s.db.read)
            .await
            .unwrap();
        let actions: Vec<(&str, &str)> = audit.iter().map(|a| (a.action.as_str(), a.actor_login.as_str())).collect();
        assert_eq!(actions, [("response.accept", "health76"), ("response.reject", "health76")], "{backend}");
    }
}

#[tokio::test]
async fn an_authority_cannot_review_another_regions_responses() {
    let s = start_with("sqlite", |c| c.intake.burst_max = 1).await;
    let o76 = org(&s, 22, "76", Sphere::Culture, "Театр драмы").await;
    authority_user(&s, "culture77", "77", Sphere::Culture).await;
    authority_user(&s, "health76", "76", Sphere::Health).await;
    s.add_user("staff1", Role::Staff, |u| u.organization_id = Some(o76.id)).await;
    let flagged = flagged_pair(&s, &o76.public_id, Sphere::Culture).await;
    let id = &flagged[0];

    for other in ["culture77", "health76"] {
        let (c, _) = login(&s, other, PASSWORD).await;
        let queue = c.get(s.url("/cabinet/flagged")).send().await.unwrap().text().await.unwrap();
        assert!(!queue.contains("Театр драмы") && !queue.contains(id.as_str()), "{other} does not see it");
        let csrf = csrf_of(&queue);
        let res = c
            .post(s.url(&format!("/cabinet/flagged/{id}/accept")))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{other} cannot accept");
        let res = c
            .post(s.url(&format!("/cabinet/flagged/{id}/reject")))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{other} cannot reject");
        assert_eq!(c.get(s.url(&format!("/cabinet/flagged/{id}/reject"))).send().await.unwrap().status(), 403);
        let csv = csv_export(&c, &s, "/cabinet/flagged/export/csv").await;
        assert!(!csv.contains("Театр драмы") && csv.lines().count() == 1, "{other}: header only: {csv}");
        let sheet = xlsx_export(&c, &s, "/cabinet/flagged/export/xlsx").await;
        assert_eq!(sheet.len(), 1, "{other}: header only: {sheet:?}");
    }
    let (c, _) = login(&s, "staff1", PASSWORD).await;
    assert_eq!(c.get(s.url("/cabinet/flagged")).send().await.unwrap().status(), 403, "staff do not review");
    assert_eq!(c.get(s.url("/cabinet/flagged/export/csv")).send().await.unwrap().status(), 403);
    let anonymous = client().get(s.url("/cabinet/flagged")).send().await.unwrap();
    assert_eq!(anonymous.status(), 303, "sign-in first");
    assert_eq!(stored(&s, id).await.unwrap().status, "flagged");
    assert_eq!(counted(&s, &o76).await, 1);
}
