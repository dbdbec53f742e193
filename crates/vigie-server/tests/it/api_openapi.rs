//! The OpenAPI document: generated from the code, valid OpenAPI 3.1 in its main lines,
//! covering every API route of `ROUTES`, and snapshotted so that any change is reviewed.

use vigie_server::router::ROUTES;

#[test]
fn the_document_lists_every_api_route_and_is_snapshotted() {
    let text = vigie_server::openapi_json();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for r in ROUTES.iter().filter(|r| r.path.starts_with("/api/v1/")) {
        let method = r.method.as_str().to_lowercase();
        assert!(
            paths.get(r.path).and_then(|p| p.get(&method)).is_some(),
            "{} {} is not in the document",
            r.method,
            r.path
        );
    }
    // Every operation says what its errors look like.
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let problem = &op["responses"]["401"]["content"]["application/problem+json"];
            assert!(problem.is_object(), "{method} {path} has no problem answer");
        }
    }
    insta::assert_snapshot!("openapi", text);
}
