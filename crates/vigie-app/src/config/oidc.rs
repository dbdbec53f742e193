//! `[server.oidc]`: login through an OpenID Connect provider, validated into
//! [`OidcSettings`].
//!
//! ```toml
//! [server.oidc]
//! name = "Acme SSO"                       # shown as "Sign in with Acme SSO"
//! issuer = "https://sso.acme.example/realms/acme"
//! client-id = "vigie"
//! client-secret-env = "VIGIE_OIDC_CLIENT_SECRET"   # the default; never the secret itself
//! scopes = ["profile", "email", "groups"] # besides "openid", always asked
//! groups-claim = "groups"                 # the userinfo claim holding the groups
//! default-role = "viewer"                 # optional: without it, no mapped group = refused
//!
//! [server.oidc.groups]                    # group -> role; the highest role matched wins
//! "vigie-admins" = "admin"
//! "security" = "triager"
//! ```
//!
//! The redirect URL is `public-url` + [`CALLBACK_PATH`], so `public-url` is required.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use serde::Deserialize;
use vigie_store::Role;

/// Where the provider sends the browser back, under `public-url`.
pub const CALLBACK_PATH: &str = "/login/oidc/callback";
/// The environment variable holding the client secret when the file does not name one.
pub const DEFAULT_SECRET_ENV: &str = "VIGIE_OIDC_CLIENT_SECRET";

/// The `[server.oidc]` table as written.
#[allow(missing_docs)]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OidcConfig {
    pub name: Option<String>,
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    pub client_secret_env: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub groups_claim: Option<String>,
    pub default_role: Option<String>,
    #[serde(default)]
    pub groups: BTreeMap<String, String>,
}

/// A secret that never shows in `Debug` output (so never in a log of the settings).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// `[server.oidc]` validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcSettings {
    /// The provider's name on the login page.
    pub name: String,
    /// The issuer URL (discovery reads `<issuer>/.well-known/openid-configuration`).
    pub issuer: String,
    /// vigie's client id at the provider.
    pub client_id: String,
    /// The client secret, read from the environment variable the file names.
    pub client_secret: Secret,
    /// `public-url` + [`CALLBACK_PATH`].
    pub redirect_url: String,
    /// Scopes asked besides `openid`.
    pub scopes: Vec<String>,
    /// The claim holding the user's groups.
    pub groups_claim: String,
    /// Group → role.
    pub groups: BTreeMap<String, Role>,
    /// The role of a user in no mapped group (none: refused).
    pub default_role: Option<Role>,
}

impl OidcSettings {
    /// The role `groups` give: the highest mapped one, else the default (none: refused).
    pub fn role_of<'a>(&self, groups: impl IntoIterator<Item = &'a str>) -> Option<Role> {
        groups
            .into_iter()
            .filter_map(|g| self.groups.get(g).copied())
            .max()
            .or(self.default_role)
    }
}

impl OidcConfig {
    /// Validated, with the secret read through `env` (the process environment in use) and
    /// the redirect URL made from `public_url`. Errors name the field.
    pub fn validate(
        &self,
        public_url: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<OidcSettings> {
        let required = |field: &str, v: &Option<String>| -> anyhow::Result<String> {
            match v.as_deref().map(str::trim) {
                Some(t) if !t.is_empty() => Ok(t.to_owned()),
                _ => bail!("server.oidc.{field}: missing"),
            }
        };
        let issuer = required("issuer", &self.issuer)?;
        if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
            bail!("server.oidc.issuer: {issuer:?} is not an http or https URL");
        }
        let client_id = required("client-id", &self.client_id)?;
        let Some(public_url) = public_url else {
            bail!(
                "server.public-url: required with [server.oidc] (the redirect URL is made from it)"
            );
        };
        let var = self
            .client_secret_env
            .clone()
            .unwrap_or_else(|| DEFAULT_SECRET_ENV.to_owned());
        let client_secret = env(&var)
            .filter(|s| !s.is_empty())
            .with_context(|| format!("server.oidc.client-secret-env: ${var} is not set"))?;
        let role = |field: String, r: &str| -> anyhow::Result<Role> {
            Role::parse(r).with_context(|| {
                format!("server.oidc.{field}: {r:?} is not a role (viewer, triager, admin)")
            })
        };
        let groups = self
            .groups
            .iter()
            .map(|(g, r)| Ok((g.clone(), role(format!("groups.{g}"), r)?)))
            .collect::<anyhow::Result<_>>()?;
        let default_role = match &self.default_role {
            None => None,
            Some(r) => Some(role("default-role".into(), r)?),
        };
        let scopes = self
            .scopes
            .clone()
            .unwrap_or_else(|| vec!["profile".into(), "email".into(), "groups".into()])
            .into_iter()
            .filter(|s| s != "openid")
            .collect();
        Ok(OidcSettings {
            name: self.name.clone().unwrap_or_else(|| "OpenID Connect".into()),
            issuer,
            client_id,
            client_secret: Secret(client_secret),
            redirect_url: format!("{public_url}{CALLBACK_PATH}"),
            scopes,
            groups_claim: self.groups_claim.clone().unwrap_or_else(|| "groups".into()),
            groups,
            default_role,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> OidcConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn the_table_is_validated_and_the_secret_comes_from_the_environment() {
        let c = table(
            "issuer = \"https://sso.example\"\nclient-id = \"vigie\"\n\
             client-secret-env = \"S\"\n[groups]\nops = \"admin\"\ndev = \"triager\"",
        );
        let env = |v: &str| (v == "S").then(|| "s3cret".to_owned());
        let s = c.validate(Some("https://v.example"), env).unwrap();
        assert_eq!(s.redirect_url, "https://v.example/login/oidc/callback");
        assert_eq!(s.client_secret, Secret("s3cret".into()));
        assert!(!format!("{s:?}").contains("s3cret"));
        assert_eq!(s.role_of(["dev", "ops"]), Some(Role::Admin));
        assert_eq!(s.role_of(["dev"]), Some(Role::Triager));
        assert_eq!(s.role_of(["other"]), None);
        let no_env = |_: &str| None;
        let e = c.validate(Some("https://v.example"), no_env).unwrap_err();
        assert!(e.to_string().contains("client-secret-env"), "{e}");
        let e = c.validate(None, env).unwrap_err();
        assert!(e.to_string().contains("public-url"), "{e}");
        let bad = table("issuer = \"x\"\nclient-id = \"v\"");
        assert!(bad.validate(Some("http://v"), env).is_err());
        let bad = table("issuer = \"https://x\"\nclient-id = \"v\"\ndefault-role = \"root\"");
        let e = bad
            .validate(Some("http://v"), |_| Some("s".into()))
            .unwrap_err();
        assert!(e.to_string().contains("default-role"), "{e}");
    }
}
