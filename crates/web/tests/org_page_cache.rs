//! The organisation page is rendered once for anonymous visitors and served from memory: each visitor
//! still gets the CSRF token of their own device, a signed-in user gets a fresh render with their name,
//! and a committed response or any change made through a form is on the very next view.

mod support;
mod survey_common;

use nok_methodology::Sphere;
use nok_store::Role;
use nok_store::db::testing::backends;
use support::{PASSWORD, client, csrf_of, login, start};
use survey_common::*;

/// The number in `data-count` of the responses paragraph.
fn responses_shown(html: &str) -> u64 {
    let marker = "id=\"responses-count\" data-count=\"";
    let start = html.find(marker).expect("the page shows the response count") + marker.len();
    html[start..].split('"').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn cached_page_carries_each_visitors_own_token_and_follows_changes() {
    for backend in backends() {
        let s = start(backend).await;
        let o = org(&s, 1, "76", Sphere::Health, "Поликлиника № 1").await;
        let page = s.url(&format!("/o/{}", o.public_id));

        let (a, b) = (client(), client());
        let html_a = a.get(&page).send().await.unwrap().text().await.unwrap();
        let html_b = b.get(&page).send().await.unwrap().text().await.unwrap();
        let (token_a, token_b) = (csrf_of(&html_a), csrf_of(&html_b));
        assert_ne!(token_a, token_b, "{backend}: each device has its own token");
        assert_eq!(html_a.replace(&token_a, "T"), html_b.replace(&token_b, "T"), "{backend}: the same page otherwise");
        assert!(!html_a.contains("slot"), "{backend}: no placeholder is left on the page");

        // Each visitor's token is accepted for its own device, and the vote is on the next view.
        let vote = s.url(&format!("/votes/{}", o.public_id));
        let res = b.post(&vote).form(&[("csrf", token_a.as_str()), ("agree", "1")]).send().await.unwrap();
        assert_eq!(res.status(), 403, "{backend}: another device's token is refused");
        let res = b.post(&vote).form(&[("csrf", token_b.as_str()), ("agree", "1")]).send().await.unwrap();
        assert_eq!(res.status(), 200, "{backend}");
        let html = a.get(&page).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("<span class=\"fb-count\">1</span> (100&nbsp;%)"), "{backend}: the vote is shown");

        // A committed survey response is on the next view.
        assert_eq!(responses_shown(&html), 0, "{backend}");
        let (status, _) = post(&s, &submission(&o.public_id, "api", all_yes(Sphere::Health))).await;
        assert_eq!(status, 201, "{backend}");
        let html = a.get(&page).send().await.unwrap().text().await.unwrap();
        assert_eq!(responses_shown(&html), 1, "{backend}: the response is counted at once");

        // The low-vision variant is cached apart from the normal one.
        let lv = a.get(s.url(&format!("/low-vision?on=1&back=/o/{}", o.public_id))).send().await.unwrap();
        assert!(lv.status().is_redirection(), "{backend}");
        let html = a.get(&page).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("class=\"low-vision\""), "{backend}: the low-vision page");
        let html = b.get(&page).send().await.unwrap().text().await.unwrap();
        assert!(!html.contains("class=\"low-vision\""), "{backend}: the normal page for the other visitor");

        // A signed-in user sees their own header, not the anonymous page.
        s.add_user("viewer", Role::Monitor, |u| u.display_name = "Наблюдатель Иванов".into()).await;
        let (viewer, status) = login(&s, "viewer", PASSWORD).await;
        assert_eq!(status, 303, "{backend}");
        let html = viewer.get(&page).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("Наблюдатель Иванов"), "{backend}: the user's name in the header");
        let anonymous = client().get(&page).send().await.unwrap().text().await.unwrap();
        assert!(!anonymous.contains("Наблюдатель Иванов"), "{backend}: never shown to anyone else");
    }
}
