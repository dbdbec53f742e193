//! Kept answers (`replay.rs`): a page asked again by someone else shows their own name and
//! CSRF token (never the first asker's), no marker ever reaches a page, a kept API answer
//! keeps its ETag and answers 304, and a write through the server is seen at once by the
//! next read of the same page and the same API question.

use axum::body::Body;
use axum::http::{Request, header};
use vigie_store::{Role, TokenScope};

use crate::common::{server, some_advisory, text, token, user};

/// The private-use characters the markers are made of.
fn has_marker(page: &str) -> bool {
    page.contains('\u{e000}') || page.contains('\u{e001}')
}

#[tokio::test]
async fn a_kept_page_is_each_askers_own() {
    let Some(s) = server().await else { return };
    let (tom, tom_csrf) = user(&s, "tom<b>", Role::Triager).await;
    let (ann, ann_csrf) = user(&s, "ann", Role::Triager).await;
    let (vera, _) = user(&s, "vera", Role::Viewer).await;
    for uri in ["/register", "/", "/projects", "/hit?q=lodash"] {
        let first = text(s.get(uri, Some(&tom)).await).await;
        let second = text(s.get(uri, Some(&ann)).await).await;
        let again = text(s.get(uri, Some(&tom)).await).await;
        for page in [&first, &second, &again] {
            assert!(!has_marker(page), "{uri}: a marker left in {page}");
        }
        assert!(first.contains("tom&lt;b&gt;"), "{uri}: {first}");
        assert!(!first.contains("tom<b>"), "{uri}: the name escaped");
        assert!(second.contains(" ann</span>"), "{uri}: {second}");
        assert!(
            !second.contains("tom&lt;b&gt;"),
            "{uri}: not the first asker's name"
        );
        assert!(
            first.contains(&tom_csrf) && again.contains(&tom_csrf),
            "{uri}"
        );
        assert!(
            second.contains(&ann_csrf) && !second.contains(&tom_csrf),
            "{uri}"
        );
        assert_eq!(first, again, "{uri}: the same page for the same asker");
    }
    // The role is part of what a page depends on: a viewer gets no triage form, even after
    // triagers asked for the same page.
    let page = text(s.get("/register", Some(&vera)).await).await;
    assert!(!page.contains("/register/triage"), "{page}");
    assert!(!page.contains("&#x2f;register&#x2f;triage"), "{page}");
    // And the language: the French page after the English one.
    let fr = text(s.get("/register?lang=fr", Some(&tom)).await).await;
    assert!(fr.contains("lang=\"fr\""), "{fr}");
}

#[tokio::test]
async fn a_kept_api_answer_keeps_its_etag_and_sees_writes_at_once() {
    let Some(s) = server().await else { return };
    let read = token(&s, vec![TokenScope::Read], None);
    let triage = token(&s, vec![TokenScope::Triage], None);
    let f = some_advisory(&s);
    let uri = format!(
        "/api/v1/findings?project={}",
        percent_encoding::utf8_percent_encode(&f.project_path, percent_encoding::NON_ALPHANUMERIC)
    );
    let first = s.get_bearer(&uri, &read).await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()[header::ETAG].clone();
    let body = text(first).await;
    let second = s.get_bearer(&uri, &read).await;
    assert_eq!(
        second.headers()[header::ETAG],
        etag,
        "the kept answer's ETag"
    );
    assert_eq!(text(second).await, body);
    let not_modified = s
        .send(
            Request::get(&uri)
                .header(header::AUTHORIZATION, format!("Bearer {read}"))
                .header(header::IF_NONE_MATCH, etag.clone())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(not_modified.status(), 304);
    let state_of = |body: &str| -> String {
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == f.key.as_str())
            .map(|i| i["state"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(state_of(&body), "open");
    let (vera, _) = user(&s, "vera", Role::Viewer).await;
    let register = text(s.get("/register", Some(&vera)).await).await;
    assert_eq!(text(s.get("/register", Some(&vera)).await).await, register);

    // A decision through the API: the next read of the same question sees it.
    let decision = serde_json::json!({
        "target": f.key, "state": "false_positive", "reason": "test code only"
    });
    let r = s
        .send(
            Request::post("/api/v1/triage")
                .header(header::AUTHORIZATION, format!("Bearer {triage}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(decision.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", text(r).await);
    let after = s.get_bearer(&uri, &read).await;
    assert_ne!(after.headers()[header::ETAG], etag, "a new answer");
    assert_eq!(state_of(&text(after).await), "false_positive");
    let changed = text(s.get("/register", Some(&vera)).await).await;
    assert_ne!(
        changed, register,
        "the kept register is not replayed after a decision"
    );
}
