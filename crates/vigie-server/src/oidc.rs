//! Login through an OpenID Connect provider (`[server.oidc]`): the authorization code flow
//! with PKCE (S256), a nonce and a state.
//!
//! `GET /login/oidc` discovers the provider (its metadata kept an hour), remembers the
//! state, nonce and PKCE verifier under a random id for ten minutes (in memory, bounded; the
//! id goes in a `SameSite=Lax` cookie scoped to `/login/oidc`, since the provider's redirect
//! back is a cross-site navigation that a `Strict` cookie would miss), and redirects to the
//! provider. `GET /login/oidc/callback` takes that entry once, checks the state, exchanges
//! the code with the verifier, verifies the ID token (signature, issuer, audience, expiry,
//! nonce), reads the groups from the userinfo claims, and hands the identity to
//! `vigie_app::access::external_user` (find or create by issuer and subject, role from the
//! groups at every login, audited); then it opens the same session as a password login.
//!
//! HTTP to the provider goes through ureq (rustls), already the client of `vigie-sync`:
//! redirects are not followed (the library's advice against SSRF), answers are capped at
//! 1 MiB and the whole call at 10 s. The client secret is never logged.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use openidconnect::core::{CoreClient, CoreGenderClaim, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    HttpRequest, HttpResponse, IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use vigie_app::access::{ExternalLogin, Refusal};
use vigie_app::config::OidcSettings;
use vigie_model::Lang;
use vigie_store::ExternalIdentity;

use crate::auth::{SESSION_COOKIE, audit, client_ip, cookie};
use crate::error::AppError;
use crate::pages::{LangQuery, language, login, text};
use crate::state::AppState;

/// The cookie naming a login in progress.
pub const OIDC_COOKIE: &str = "vigie_oidc";
/// How long a login in progress is remembered.
const PENDING_FOR: Duration = Duration::from_secs(600);
/// At most this many logins in progress at once.
const MAX_PENDING: usize = 10_000;
/// How long the provider's metadata is trusted before it is read again.
const METADATA_FOR: Duration = Duration::from_secs(3600);
/// The largest answer read from the provider.
const MAX_ANSWER: u64 = 1024 * 1024;

/// What a login in progress must find again at the callback.
struct Pending {
    state: String,
    nonce: String,
    verifier: String,
    at: Instant,
}

/// The provider's configuration, client and the logins in progress.
pub(crate) struct Oidc {
    settings: OidcSettings,
    agent: ureq::Agent,
    metadata: Mutex<Option<(Instant, CoreProviderMetadata)>>,
    pending: Mutex<HashMap<String, Pending>>,
}

/// The claims read from userinfo: all of them, the groups claim found by its name.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct Claims {
    #[serde(flatten)]
    all: HashMap<String, serde_json::Value>,
}
impl AdditionalClaims for Claims {}

/// Who the provider vouched for.
struct Verified {
    identity: ExternalIdentity,
    name: Option<String>,
    groups: Vec<String>,
}

impl Oidc {
    pub(crate) fn new(settings: OidcSettings) -> Oidc {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(10)))
            .user_agent(concat!("vigie/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Oidc {
            settings,
            agent,
            metadata: Mutex::new(None),
            pending: Mutex::new(HashMap::new()),
        }
    }

    /// The provider's name, for the login page.
    pub(crate) fn name(&self) -> &str {
        &self.settings.name
    }

    /// One HTTP exchange with the provider (blocking).
    fn http(&self, request: HttpRequest) -> Result<HttpResponse, ureq::Error> {
        let (parts, body) = self.agent.run(request)?.into_parts();
        let bytes = body.into_with_config().limit(MAX_ANSWER).read_to_vec()?;
        Ok(HttpResponse::from_parts(parts, bytes))
    }

    /// The provider's metadata, discovered at most once an hour (blocking).
    fn metadata(&self) -> anyhow::Result<CoreProviderMetadata> {
        let mut cached = self.metadata.lock().map_err(|_| anyhow!("poisoned"))?;
        if let Some((at, m)) = cached.as_ref()
            && at.elapsed() < METADATA_FOR
        {
            return Ok(m.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone()).context("issuer URL")?;
        let http = |r| self.http(r);
        let m = CoreProviderMetadata::discover(&issuer, &http)
            .map_err(|e| anyhow!("discovery at {}: {}", self.settings.issuer, chain(&e)))?;
        *cached = Some((Instant::now(), m.clone()));
        Ok(m)
    }

    fn client(
        &self,
    ) -> anyhow::Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
    > {
        Ok(CoreClient::from_provider_metadata(
            self.metadata()?,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.0.clone())),
        )
        .set_redirect_uri(
            RedirectUrl::new(self.settings.redirect_url.clone()).context("redirect URL")?,
        ))
    }

    /// A new login: the provider's URL to send the browser to, and the id of the entry
    /// remembered (blocking: may discover).
    fn start(&self) -> anyhow::Result<(String, String)> {
        let client = self.client()?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for s in &self.settings.scopes {
            request = request.add_scope(Scope::new(s.clone()));
        }
        let (url, state, nonce) = request.url();
        let id = vigie_app::access::random_hex(32)?;
        let mut pending = self.pending.lock().map_err(|_| anyhow!("poisoned"))?;
        pending.retain(|_, p| p.at.elapsed() < PENDING_FOR);
        if pending.len() >= MAX_PENDING {
            anyhow::bail!("too many logins in progress");
        }
        pending.insert(
            vigie_app::access::sha256_hex(&id),
            Pending {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                verifier: verifier.secret().clone(),
                at: Instant::now(),
            },
        );
        Ok((url.to_string(), id))
    }

    /// The login in progress named by cookie `id`, taken (each is used once).
    fn take(&self, id: &str) -> Option<Pending> {
        let mut pending = self.pending.lock().ok()?;
        pending
            .remove(&vigie_app::access::sha256_hex(id))
            .filter(|p| p.at.elapsed() < PENDING_FOR)
    }

    /// The code exchanged and the ID token verified against `pending`; the groups read from
    /// userinfo (blocking).
    fn finish(&self, code: String, pending: Pending) -> anyhow::Result<Verified> {
        let client = self.client()?;
        let http = |r| self.http(r);
        let token = client
            .exchange_code(AuthorizationCode::new(code))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier))
            .request(&http)
            .map_err(|e| anyhow!("token exchange: {}", chain(&e)))?;
        let id_token = token.id_token().context("no ID token in the answer")?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(pending.nonce))
            .map_err(|e| anyhow!("ID token refused: {}", chain(&e)))?;
        let subject = claims.subject().clone();
        let mut name = claims
            .preferred_username()
            .map(|n| n.as_str().to_owned())
            .or_else(|| claims.email().map(|e| e.as_str().to_owned()));
        let issuer = claims.issuer().as_str().to_owned();
        let info: UserInfoClaims<Claims, CoreGenderClaim> = client
            .user_info(token.access_token().clone(), Some(subject.clone()))?
            .request(&http)
            .map_err(|e| anyhow!("userinfo: {}", chain(&e)))?;
        if name.is_none() {
            name = info
                .preferred_username()
                .map(|n| n.as_str().to_owned())
                .or_else(|| info.email().map(|e| e.as_str().to_owned()));
        }
        let groups = match info
            .additional_claims()
            .all
            .get(&self.settings.groups_claim)
        {
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .filter_map(|g| g.as_str().map(str::to_owned))
                .collect(),
            Some(serde_json::Value::String(g)) => vec![g.clone()],
            _ => Vec::new(),
        };
        Ok(Verified {
            identity: ExternalIdentity {
                issuer,
                subject: subject.as_str().to_owned(),
            },
            name,
            groups,
        })
    }
}

/// An error and its causes on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}

fn oidc_cookie(state: &AppState, value: &str, max_age: u64) -> HeaderValue {
    login::cookie_with(state, OIDC_COOKIE, value, "/login/oidc", max_age, "Lax")
}

/// `GET /login/oidc`: to the provider (without one configured, back to the login page; so
/// for the callback).
pub(crate) async fn begin(State(state): State<AppState>) -> Result<Response, AppError> {
    let Some(oidc) = state.0.oidc.clone() else {
        return Ok(Redirect::to("/login").into_response());
    };
    let (url, id) = tokio::task::spawn_blocking(move || oidc.start())
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    let mut response = Redirect::to(&url).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        oidc_cookie(&state, &id, PENDING_FOR.as_secs()),
    );
    Ok(response)
}

/// The provider's answer.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /login/oidc/callback`: back from the provider.
pub(crate) async fn callback(
    State(state): State<AppState>,
    Query(answer): Query<Callback>,
    parts: Parts,
) -> Result<Response, AppError> {
    let Some(oidc) = state.0.oidc.clone() else {
        return Ok(Redirect::to("/login").into_response());
    };
    let ip = client_ip(&parts.extensions);
    let (lang, _) = language(&parts.headers, &LangQuery::default());
    let stores = state.stores()?.clone();
    let refused = |why: &'static str, detail: String| {
        let entry = vigie_store::AuditEntry {
            detail: Some(format!("{}: {detail}", oidc.name())),
            ..audit("oidc", "session.login-failed", "-", ip.clone())
        };
        let state = state.clone();
        let stores = stores.clone();
        async move {
            tracing::info!(reason = %detail, "OpenID Connect login refused");
            stores
                .bookkeep(move |s| Ok(s.append_audit(&entry)?))
                .await?;
            refusal(&state, lang, why)
        }
    };
    let pending = cookie(&parts.headers, OIDC_COOKIE).and_then(|id| oidc.take(id));
    let Some(pending) = pending else {
        return refused("oidc_expired", "no login in progress".into()).await;
    };
    let state_ok = answer
        .state
        .as_deref()
        .is_some_and(|s| vigie_app::access::same(s, &pending.state));
    if !state_ok {
        return refused("oidc_refused", "state mismatch".into()).await;
    }
    if let Some(e) = answer.error {
        let e: String = e.chars().filter(|c| !c.is_control()).take(100).collect();
        return refused("oidc_refused", format!("provider answered {e}")).await;
    }
    let Some(code) = answer.code else {
        return refused("oidc_refused", "no code".into()).await;
    };
    let worker = oidc.clone();
    let verified = tokio::task::spawn_blocking(move || worker.finish(code, pending))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let verified = match verified {
        Ok(v) => v,
        Err(e) => return refused("oidc_refused", format!("{e:#}")).await,
    };
    let role = oidc
        .settings
        .role_of(verified.groups.iter().map(String::as_str));
    let provider = oidc.name().to_owned();
    let login_ip = ip.clone();
    let lifetime = state.config().settings.session_lifetime;
    let outcome = stores
        .bookkeep(move |s| {
            let user = vigie_app::access::external_user(
                s,
                &ExternalLogin {
                    identity: verified.identity,
                    preferred_name: verified.name.as_deref(),
                    role,
                    provider: &provider,
                    ip: login_ip.clone(),
                },
            )?;
            let user = match user {
                Ok(user) => user,
                Err(why) => return Ok(Err(why)),
            };
            let entry = vigie_store::AuditEntry {
                detail: Some(format!("through {provider}")),
                ..audit(&user.name, "session.login", &user.name, login_ip)
            };
            let session = vigie_app::access::start_session(s, &user, lifetime, &entry)?;
            Ok(Ok((user.name, session.id)))
        })
        .await?;
    let (name, session) = match outcome {
        Ok(done) => done,
        Err(Refusal::Disabled) => return refusal(&state, lang, "oidc_disabled"),
        Err(Refusal::NoRole) => return refusal(&state, lang, "oidc_no_role"),
    };
    tracing::info!(user = %name, "logged in through OpenID Connect");
    // A page rather than a redirect: the session cookie is SameSite=Strict, and a browser
    // does not send it on a redirect chain that began at the provider's site.
    let mut response = Html(
        "<!doctype html><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url=/\">\
         <title>vigie</title><a href=\"/\">vigie</a>",
    )
    .into_response();
    let h = response.headers_mut();
    h.append(
        header::SET_COOKIE,
        login::set_cookie(&state, SESSION_COOKIE, &session, "/", lifetime.as_secs()),
    );
    h.append(header::SET_COOKIE, oidc_cookie(&state, "", 0));
    Ok(response)
}

/// The login page saying why the provider's login was refused (403).
fn refusal(state: &AppState, lang: Lang, why: &'static str) -> Result<Response, AppError> {
    let t = text::words(lang);
    login::login_page(
        state,
        lang,
        false,
        StatusCode::FORBIDDEN,
        "",
        t.get(why).copied(),
    )
}
