//! The closed vocabularies of the API's parameters, as OpenAPI enums (schema only: handlers
//! read the words with `Params::choice`, which names the parameter in a 400).

#![allow(dead_code)] // only their schemas are used

use utoipa::{IntoParams, ToSchema};

/// The keyset pagination of a list.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct Paging {
    /// Items per page (1–500, default 50).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<usize>,
    /// The `next` cursor of the page before.
    #[param(min_length = 1)]
    after: Option<String>,
}

/// The snapshot asked about.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AtSnapshot {
    /// The snapshot (default: the latest).
    #[param(minimum = 1)]
    snapshot: Option<i64>,
}

/// A finding's family.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum Family {
    Vulnerability,
    Lifecycle,
    Licence,
}

/// A rating.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum Rating {
    None,
    Low,
    Medium,
    High,
    Critical,
}

/// A risk's level.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum Level {
    Low,
    Medium,
    High,
    Critical,
}

/// A finding's triage state as of today.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum EffectiveState {
    Open,
    InTriage,
    Exploitable,
    NotAffected,
    FalsePositive,
    AcceptedRisk,
    AcceptanceExpired,
}

/// A triage decision's state.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum DecisionState {
    InTriage,
    Exploitable,
    NotAffected,
    FalsePositive,
    AcceptedRisk,
}

/// Why a finding does not apply (CycloneDX VEX).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum Justification {
    CodeNotPresent,
    CodeNotReachable,
    RequiresConfiguration,
    RequiresDependency,
    RequiresEnvironment,
    ProtectedByCompiler,
    ProtectedAtRuntime,
    ProtectedAtPerimeter,
    ProtectedByMitigatingControl,
}

/// A report's format.
#[derive(ToSchema)]
#[schema(rename_all = "kebab-case")]
pub(crate) enum ReportFormat {
    Json,
    Csv,
    CsvFindings,
    Sarif,
    Cyclonedx,
    Markdown,
    Html,
}

/// A report's language.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum Lang {
    En,
    Fr,
}

/// A user's role.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum Role {
    Viewer,
    Triager,
    Admin,
}

/// What a token is made for: a user's role, or CI's push only (`ingest`).
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum TokenKind {
    Viewer,
    Triager,
    Admin,
    Ingest,
}

/// What a token may do.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum TokenScope {
    Read,
    Triage,
    Ingest,
    Admin,
    Metrics,
}

/// Where a user logs in from: a local password, an OpenID Connect provider, or both.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(crate) enum UserOrigin {
    Local,
    Oidc,
    Both,
}
