//! The OpenAPI 3.1 document of the API, generated from the handlers' `#[utoipa::path]`
//! declarations and the DTOs' `ToSchema` derives (never kept by hand), served at
//! `GET /api/v1/openapi.json` and snapshotted by a test so that every change is reviewed.
//!
//! What every operation shares is added once here ([`Shared`]): the two ways to present a
//! token (`Authorization: Bearer`, `X-Api-Key`; a session cookie works too) and the problem
//! answers (400, 401, 403, 404, 413, 429, 500 as `application/problem+json`).

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};
use utoipa::{Modify, OpenApi};

use super::{
    ApiError, Problem, audit_log, catalog, components, findings, hit, projects, reports, risks,
    snapshots, tokens, triage, users, vocab,
};
use crate::state::AppState;

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "vigie",
        description = "The control tower's REST API: the estate's snapshots, projects, components, \
            findings, risks and catalog; \"are we hit?\"; triage; reports; for admins, API tokens, \
            users and the audit log. Lists are keyset-paginated \
            (`limit`, `after` = the `next` cursor; `total` counts every item the filters keep). \
            Reads carry a strong ETag (304 on `If-None-Match`). Errors are RFC 9457 problems. \
            CI pushes its scans (`POST /api/v1/scans`) or its SBOMs, as it would to \
            Dependency-Track (`PUT`/`POST /api/v1/bom`).",
        license(name = "Apache-2.0"),
    ),
    paths(
        openapi,
        snapshots::list, snapshots::one,
        projects::list, projects::one,
        components::list,
        hit::who_uses, hit::hit, hit::advisory,
        findings::list,
        risks::risks, risks::actions, risks::risk, risks::action,
        triage::record, triage::history,
        catalog::list, catalog::one,
        reports::report,
        tokens::list, tokens::create, tokens::revoke,
        users::list,
        audit_log::list,
        crate::ingest::scans::push,
        crate::ingest::bom::put, crate::ingest::bom::post, crate::ingest::bom::event,
    ),
    components(schemas(
        Problem, risks::RiskItem, risks::ActionItem,
        vocab::Family, vocab::Rating, vocab::Level, vocab::EffectiveState,
        vocab::DecisionState, vocab::Justification, vocab::ReportFormat, vocab::Lang,
    )),
    modifiers(&Shared),
    tags(
        (name = "snapshots", description = "What was scanned, when"),
        (name = "projects", description = "The estate's projects"),
        (name = "components", description = "The packages in use"),
        (name = "hit", description = "Are we hit? Who uses a package?"),
        (name = "findings", description = "Findings with their triage state"),
        (name = "risks", description = "The risk register and the actions"),
        (name = "triage", description = "Decisions on findings"),
        (name = "catalog", description = "The map of the information system"),
        (name = "reports", description = "Reports of a snapshot"),
        (name = "ingest", description = "Pushes from CI: vigie's own, and Dependency-Track's \
            SBOM upload (a token with the `ingest` scope)"),
        (name = "admin", description = "Tokens, users and the audit log (admins only)"),
        (name = "meta", description = "This document"),
    )
)]
pub(crate) struct ApiDoc;

/// The security schemes and problem answers of every operation.
struct Shared;

/// The problem answers every operation may give.
const PROBLEMS: &[(&str, &str)] = &[
    (
        "400",
        "A parameter or the body cannot be read (the problem's `parameter` names the \
         parameter)",
    ),
    ("401", "No credentials, or not valid ones"),
    (
        "403",
        "Credentials without the right (token scope or role), or no CSRF token with a session",
    ),
    (
        "404",
        "No such snapshot, project, element, risk, action or path",
    ),
    ("413", "The body is larger than the route's limit"),
    ("429", "Too many requests"),
    ("500", "An internal error (logged with the request id)"),
];

impl Modify for Shared {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Api-Key"))),
        );
        doc.security = Some(vec![
            utoipa::openapi::security::SecurityRequirement::new("bearer", Vec::<String>::new()),
            utoipa::openapi::security::SecurityRequirement::new("api_key", Vec::<String>::new()),
        ]);
        for item in doc.paths.paths.values_mut() {
            let ops = [
                (true, &mut item.get),
                (false, &mut item.post),
                (false, &mut item.put),
                (false, &mut item.delete),
            ];
            for (get, op) in ops
                .into_iter()
                .filter_map(|(g, op)| Some((g, op.as_mut()?)))
            {
                for (status, description) in PROBLEMS {
                    let problem = ResponseBuilder::new()
                        .description(*description)
                        .content(
                            super::problem::PROBLEM_JSON,
                            ContentBuilder::new()
                                .schema(Some(RefOr::Ref(Ref::from_schema_name("Problem"))))
                                .build(),
                        )
                        .build();
                    op.responses
                        .responses
                        .entry((*status).to_owned())
                        .or_insert(RefOr::T(problem));
                }
                if get && is_etagged(op) {
                    let not_modified = ResponseBuilder::new()
                        .description("Not modified: the `If-None-Match` ETag is current")
                        .build();
                    op.responses
                        .responses
                        .entry("304".to_owned())
                        .or_insert(RefOr::T(not_modified));
                }
            }
        }
    }
}

/// True for a read that carries an ETag: every GET but the ingest routes'.
fn is_etagged(op: &utoipa::openapi::path::Operation) -> bool {
    !op.tags.iter().flatten().any(|t| t == "ingest")
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub(crate) async fn openapi(
    State(_state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    super::json(&headers, &document())
}

/// The document, built once.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    DOC.get_or_init(ApiDoc::openapi)
}
