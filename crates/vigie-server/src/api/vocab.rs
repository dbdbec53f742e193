//! The closed vocabularies of the API's parameters, as OpenAPI enums (schema only: handlers
//! read the words with `Params::choice`, which names the parameter in a 400).

#![allow(dead_code)] // only their schemas are used

use utoipa::ToSchema;

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
