//! "Are we hit?": `GET /api/v1/hit?q=` for any question (an advisory id or alias, a purl, a
//! package with a version or range), `GET /api/v1/advisories/{id}` for an advisory, and
//! `GET /api/v1/who-uses?q=` for a package query as `vigie who-uses` takes it. All answer
//! through `vigie_app::hit`, so the API, the pages and the command line agree; an advisory
//! unknown to the index says so (`index.status = unknown`), never just "no results".

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;
use vigie_app::hit::{Answer, IndexAnswer, Question};
use vigie_store::{PackageQuery, SnapshotId, Usage};

use super::findings::FindingItem;
use super::projects::LinkedEntityItem;
use super::{ApiError, Params, json, page_schema, paginate_by_id, position};
use crate::state::AppState;

/// What was asked.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct QuestionItem {
    /// `advisory` or `package`.
    kind: String,
    /// The id or the package query, as given.
    text: String,
}

/// A project using a package.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UsageItem {
    /// The project's path.
    project_path: String,
    /// The project's name.
    project_name: String,
    /// The package used.
    purl: String,
    /// Its version; `null` when unresolved.
    version: Option<String>,
    /// `runtime`, `dev`, `optional`, `build` or `unknown`.
    scope: String,
    /// `direct`, `transitive` or `unknown`.
    relation: String,
    /// The catalog elements holding the project's code, with systems and owners.
    entities: Vec<LinkedEntityItem>,
}

impl From<&Usage> for UsageItem {
    fn from(u: &Usage) -> UsageItem {
        UsageItem {
            project_path: u.project_path.clone(),
            project_name: u.project_name.clone(),
            purl: u.purl.clone(),
            version: u.version.clone(),
            scope: u.scope.as_str().to_owned(),
            relation: u.relation.as_str().to_owned(),
            entities: u.entities.iter().map(LinkedEntityItem::from).collect(),
        }
    }
}

/// A finding of the advisory asked about.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AdvisoryFindingItem {
    /// The finding (its `fixed` is the smallest fixing version).
    finding: FindingItem,
    /// The project's name.
    project_name: String,
    /// The catalog elements holding the project's code, with systems and owners.
    entities: Vec<LinkedEntityItem>,
}

/// A package an advisory affects.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AffectedItem {
    /// The OSV ecosystem, as the advisory writes it.
    ecosystem: String,
    /// The package's name.
    name: String,
    /// The versions that fix it.
    fixed: Vec<String>,
}

/// An advisory of the knowledge index.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct KnownAdvisoryItem {
    /// Its id.
    id: String,
    /// Its aliases.
    aliases: Vec<String>,
    /// Its summary.
    summary: String,
    /// Set when withdrawn (never matched).
    withdrawn: Option<String>,
    /// On CISA's list of known exploited vulnerabilities.
    known_exploited: bool,
    /// The packages it affects, with their fixing versions.
    packages: Vec<AffectedItem>,
}

/// What the knowledge index says of an advisory.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IndexItem {
    /// `known`, `unknown` (the index has no advisory of that id or alias) or `no_index`.
    status: String,
    /// Why there is no index, with `no_index`.
    reason: Option<String>,
    /// The advisories the id or alias names, with `known`.
    advisories: Vec<KnownAdvisoryItem>,
}

/// The answer to "are we hit?".
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HitAnswer {
    /// What was asked.
    question: QuestionItem,
    /// The snapshot that answers.
    snapshot: i64,
    /// For an advisory: what the index knows of it; `null` for a package.
    index: Option<IndexItem>,
    /// For an advisory: one page of its findings (project, fixing version, systems,
    /// owners), by project path.
    findings: Vec<AdvisoryFindingItem>,
    /// For a package: one page of the projects using it, by project path and purl.
    uses: Vec<UsageItem>,
    /// The number of distinct projects concerned.
    projects: u64,
    /// How many findings (advisory) or uses (package) there are, over every page.
    total: u64,
    /// The cursor of the next page of findings or uses (`?after=`), `null` on the last.
    next: Option<String>,
}

impl HitAnswer {
    /// The answer to `a`, with the page `page` of its findings or uses.
    fn of(a: &Answer, page: &super::PageRequest) -> HitAnswer {
        let question = match &a.question {
            Question::Advisory { id } => QuestionItem {
                kind: "advisory".into(),
                text: id.clone(),
            },
            Question::Package { text } => QuestionItem {
                kind: "package".into(),
                text: text.clone(),
            },
        };
        let index = a.index.as_ref().map(|i| match i {
            IndexAnswer::NoIndex { reason } => IndexItem {
                status: "no_index".into(),
                reason: Some(reason.clone()),
                advisories: Vec::new(),
            },
            IndexAnswer::Unknown => IndexItem {
                status: "unknown".into(),
                reason: None,
                advisories: Vec::new(),
            },
            IndexAnswer::Known { advisories } => IndexItem {
                status: "known".into(),
                reason: None,
                advisories: advisories
                    .iter()
                    .map(|k| KnownAdvisoryItem {
                        id: k.id.clone(),
                        aliases: k.aliases.clone(),
                        summary: k.summary.clone(),
                        withdrawn: k.withdrawn.clone(),
                        known_exploited: k.known_exploited,
                        packages: k
                            .packages
                            .iter()
                            .map(|p| AffectedItem {
                                ecosystem: p.ecosystem.clone(),
                                name: p.name.clone(),
                                fixed: p.fixed.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
            },
        });
        let mut findings: Vec<&vigie_store::AdvisoryUse> = a.findings.iter().collect();
        findings.sort_by(|x, y| {
            (&x.finding.project_path, &x.finding.key)
                .cmp(&(&y.finding.project_path, &y.finding.key))
        });
        let mut uses: Vec<&Usage> = a.uses.iter().collect();
        uses.sort_by(|x, y| (&x.project_path, &x.purl).cmp(&(&y.project_path, &y.purl)));
        // A snapshot never changes: positions in that order are stable cursors.
        let f_page = paginate_by_id(
            findings.into_iter().enumerate().collect(),
            position,
            page,
            |(_, f)| AdvisoryFindingItem {
                finding: FindingItem::of(&f.finding),
                project_name: f.project_name.clone(),
                entities: f.entities.iter().map(LinkedEntityItem::from).collect(),
            },
        );
        let u_page = paginate_by_id(
            uses.into_iter().enumerate().collect(),
            position,
            page,
            |(_, u)| UsageItem::from(*u),
        );
        let advisory = matches!(a.question, Question::Advisory { .. });
        let (total, next) = if advisory {
            (f_page.total, f_page.next)
        } else {
            (u_page.total, u_page.next)
        };
        HitAnswer {
            question,
            snapshot: a.snapshot,
            index,
            findings: f_page.items,
            uses: u_page.items,
            projects: a.projects() as u64,
            total,
            next,
        }
    }
}

/// Answers `question` from `snapshot`, with the advisory knowledge of the data directory.
async fn answer(
    state: &AppState,
    snapshot: SnapshotId,
    question: Question,
    page: &super::PageRequest,
) -> Result<HitAnswer, ApiError> {
    if let Question::Package { text } = &question {
        PackageQuery::parse(text).map_err(|e| ApiError::param("q", e.to_string()))?;
    }
    let knowledge = match question {
        Question::Advisory { .. } => Some(state.advisories().await),
        Question::Package { .. } => None,
    };
    let stores = state.stores()?.clone();
    let answer = stores
        .read(move |s| {
            let knowledge = match knowledge.as_deref() {
                Some(Ok(k)) => Ok(k),
                Some(Err(reason)) => Err(reason.as_str()),
                None => Err(""),
            };
            vigie_app::hit::answer(s, snapshot, &question, knowledge)
        })
        .await?;
    Ok(HitAnswer::of(&answer, page))
}

/// Any question: an advisory id or alias, a purl, a package with a version or range.
#[utoipa::path(get, path = "/api/v1/hit", tag = "hit",
    params(
        ("q" = String, Query, min_length = 1, max_length = 512, description = "`CVE-2021-44228`, `pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1`, `log4j-core@<2.17.1`..."),
        super::vocab::AtSnapshot,
        super::vocab::Paging,
    ),
    responses((status = 200, description = "The answer, with one page of findings or uses", body = HitAnswer)))]
pub(crate) async fn hit(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(q.as_deref(), &["q", "snapshot", "limit", "after"])?;
    let page = params.page()?;
    let question =
        Question::parse(params.required("q")?).map_err(|e| ApiError::param("q", e.to_string()))?;
    let snapshot = params.snapshot(&state).await?;
    json(&headers, &answer(&state, snapshot, question, &page).await?)
}

/// An advisory: what the index knows of it and the findings it causes.
#[utoipa::path(get, path = "/api/v1/advisories/{id}", tag = "hit",
    params(
        ("id" = String, Path, description = "An advisory id or alias (`CVE-…`, `GHSA-…`)"),
        super::vocab::AtSnapshot,
        super::vocab::Paging,
    ),
    responses((status = 200, description = "The answer, with one page of findings", body = HitAnswer)))]
pub(crate) async fn advisory(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(q.as_deref(), &["snapshot", "limit", "after"])?;
    let page = params.page()?;
    let id = id.trim().to_owned();
    if id.is_empty() || id.len() > 512 {
        return Err(ApiError::param(
            "id",
            "an advisory id of 1 to 512 characters",
        ));
    }
    let snapshot = params.snapshot(&state).await?;
    json(
        &headers,
        &answer(&state, snapshot, Question::Advisory { id }, &page).await?,
    )
}

page_schema!(UsagePage, UsageItem);

/// The projects using a package, by project path then purl.
#[utoipa::path(get, path = "/api/v1/who-uses", tag = "hit",
    params(
        ("q" = String, Query, min_length = 1, max_length = 512, description = "A package query as `vigie who-uses` takes it: a purl, `name`, `name@version`, `name@<range`"),
        super::vocab::AtSnapshot,
        super::vocab::Paging,
    ),
    responses((status = 200, description = "A page of usages", body = UsagePage)))]
pub(crate) async fn who_uses(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(q.as_deref(), &["q", "snapshot", "limit", "after"])?;
    let page = params.page()?;
    let query = PackageQuery::parse(params.required("q")?)
        .map_err(|e| ApiError::param("q", e.to_string()))?;
    let snapshot = params.snapshot(&state).await?;
    let stores = state.stores()?.clone();
    let uses = stores
        .read(move |s| Ok(s.who_uses(snapshot, &query)?))
        .await?;
    let mut uses = uses;
    uses.sort_by(|a, b| (&a.project_path, &a.purl).cmp(&(&b.project_path, &b.purl)));
    // A snapshot never changes: positions in this order are stable cursors.
    json(
        &headers,
        &paginate_by_id(
            uses.into_iter().enumerate().collect(),
            position,
            &page,
            |(_, u)| UsageItem::from(u),
        ),
    )
}
