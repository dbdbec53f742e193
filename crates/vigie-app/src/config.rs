//! Settings resolved once: the data directory, the configuration file (`vigie.toml`), today
//! and the lifecycle policy. What a front was told (flags, form fields) wins over the file.
//!
//! ```toml
//! [audit]
//! fail-on = "high"                 # low | medium | high | critical
//!
//! [[audit.ignore]]
//! id = "RUSTSEC-2023-0071"         # an advisory id or any of its aliases
//! reason = "rsa: no network use of the private key here"
//! until = "2027-03-31"             # optional: the ignore lapses after this date
//!
//! [lifecycle]
//! horizon-days = 180               # report ends of life within this many days
//!
//! [catalog]
//! files = ["../org/teams.yaml"]     # catalog files outside the scanned folders: only from a
//!                                  # file given with --config (a vigie.toml found in the
//!                                  # scanned folder names only files inside it)
//!
//! [licences]                       # see licensing.rs
//! default-model = "network-service"
//!
//! [store]
//! keep = 30                        # snapshots kept by `vigie scan`
//! url = "postgres://vigie@db.example/vigie"   # where the store is when --db does not say:
//!                                  # a PostgreSQL URL, sqlite:FILE or a file (relative to
//!                                  # this file); only from a file given with --config
//!
//! [sync]                           # optional: where `vigie sync` downloads from
//! osv-base = "https://osv-vulnerabilities.storage.googleapis.com"
//!
//! [server]                         # `vigie serve` (see `ServerSettings`)
//! listen = "127.0.0.1:8080"
//! public-url = "https://vigie.example.com"   # cookies are Secure when https
//! session-lifetime = "8h"          # s, m, h or d
//! scan-every = "6h"                # rescan the given folders; "off" (default) never
//! sync-every = "24h"               # refresh the knowledge index; "off" (default) never
//! tls-cert = "cert.pem"            # HTTPS only (TLS 1.2/1.3, h2): both or neither,
//! tls-key = "key.pem"              # PEM, relative to this file; cookies Secure, HSTS
//! trusted-proxies = ["127.0.0.1/32", "10.0.0.0/8"]   # default none: whose X-Forwarded-For
//!                                  # names the client (login limit, logs, audit log)
//!
//! [server.oidc]                    # optional: OpenID Connect login (see `config/oidc.rs`)
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

mod oidc;
mod proxies;
pub use oidc::{CALLBACK_PATH, DEFAULT_SECRET_ENV, OidcConfig, OidcSettings, Secret};
pub use proxies::Cidr;

/// A severity threshold for `--fail-on` and `audit.fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "lowercase")]
pub enum Threshold {
    /// Low and above.
    Low,
    /// Medium and above.
    Medium,
    /// High and above.
    High,
    /// Critical only.
    Critical,
}

impl Threshold {
    /// The lowest rating that meets the threshold.
    pub fn rating(self) -> vigie_findings::Rating {
        use vigie_findings::Rating;
        match self {
            Threshold::Low => Rating::Low,
            Threshold::Medium => Rating::Medium,
            Threshold::High => Rating::High,
            Threshold::Critical => Rating::Critical,
        }
    }

    /// True when `rating` is at or above the threshold (`none` never is).
    pub fn met_by(self, rating: vigie_findings::Rating) -> bool {
        rating >= self.rating()
    }
}

/// vigie's data directory: the one given (`--data-dir`, `$VIGIE_DATA_DIR`), then
/// `$XDG_DATA_HOME/vigie`, then `~/.local/share/vigie`.
pub fn data_dir(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(d) = given {
        return Ok(d.to_path_buf());
    }
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(xdg).join("vigie"));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(home).join(".local/share/vigie"));
    }
    bail!("no data directory: pass --data-dir or set VIGIE_DATA_DIR")
}

/// The configuration file.
#[allow(missing_docs)]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub audit: AuditConfig,
    #[serde(default)]
    pub sync: Option<vigie_sync::Feeds>,
    #[serde(default)]
    pub lifecycle: LifecycleConfig,
    #[serde(default)]
    pub catalog: CatalogConfig,
    /// Licence policy and distribution models (see `commands/licences.rs`).
    #[serde(default)]
    pub licences: crate::licensing::LicencesConfig,
    #[serde(default)]
    pub store: StoreConfig,
    #[serde(default)]
    pub server: ServerConfig,
    /// The folder of the file read, to resolve its relative paths (none: defaults).
    #[serde(skip)]
    pub folder: Option<PathBuf>,
}

/// The `[server]` table as written; [`Config::server`] validates it.
#[allow(missing_docs)]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServerConfig {
    pub listen: Option<String>,
    pub public_url: Option<String>,
    pub session_lifetime: Option<String>,
    pub scan_every: Option<String>,
    pub sync_every: Option<String>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    pub oidc: Option<OidcConfig>,
}

/// What `vigie serve` runs with: `[server]` validated, with the front's flags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerSettings {
    /// Where to listen.
    pub listen: std::net::SocketAddr,
    /// The address users reach (behind a proxy), without a trailing slash.
    pub public_url: Option<String>,
    /// How long a login lasts.
    pub session_lifetime: std::time::Duration,
    /// Rescan the folders this often.
    pub scan_every: Option<std::time::Duration>,
    /// Refresh the knowledge index this often.
    pub sync_every: Option<std::time::Duration>,
    /// The certificate chain and private key files (PEM; the key PKCS#8, RSA or SEC1) of
    /// TLS: when set, the server speaks HTTPS only.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// The proxies whose `X-Forwarded-For` is believed (none: the peer is the client).
    pub trusted_proxies: Vec<Cidr>,
    /// OpenID Connect login, when configured.
    pub oidc: Option<OidcSettings>,
}

impl ServerSettings {
    /// Listen address when neither the flag nor the file says.
    pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
    /// Session lifetime when the file does not say.
    pub const DEFAULT_SESSION: std::time::Duration = std::time::Duration::from_secs(8 * 3600);

    /// True when cookies must be `Secure`: TLS here, or an https public address.
    pub fn secure_cookies(&self) -> bool {
        self.tls.is_some()
            || self
                .public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://"))
    }
}

/// A duration written `30s`, `15m`, `8h` or `2d` (a positive whole number and a unit).
pub fn parse_duration(text: &str) -> Option<std::time::Duration> {
    let text = text.trim();
    let unit = text.chars().last()?;
    let n: u64 = text[..text.len() - unit.len_utf8()].parse().ok()?;
    let secs = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return None,
    };
    (n > 0)
        .then(|| n.checked_mul(secs))
        .flatten()
        .map(std::time::Duration::from_secs)
}

/// The `[store]` table.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct StoreConfig {
    /// Snapshots kept by `vigie scan` (default 30).
    pub keep: Option<usize>,
    /// Where the store is when the front names none (`--db`, `$VIGIE_DB`): a PostgreSQL URL
    /// (`postgres://…`), `sqlite:FILE` or a file, as [`Config::store_location`] reads it. It
    /// may hold a password: never printed whole (not even by `Debug`).
    pub url: Option<String>,
}

/// As the store's location is printed: a URL without its password.
impl std::fmt::Debug for StoreConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = self
            .url
            .as_deref()
            .map(|u| match vigie_store::Location::parse(u) {
                Ok(l) => l.to_string(),
                Err(_) => "(not a store location)".to_owned(),
            });
        f.debug_struct("StoreConfig")
            .field("keep", &self.keep)
            .field("url", &url)
            .finish()
    }
}

#[allow(missing_docs)]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CatalogConfig {
    /// Catalog files read besides those found in the scanned folders,
    /// relative to the configuration file's folder.
    #[serde(default)]
    pub files: Vec<PathBuf>,
}

#[allow(missing_docs)]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LifecycleConfig {
    /// Report ends of life within this many days (default 180).
    pub horizon_days: Option<i32>,
}

/// Today (UTC), or the day `--today` gives (YYYY-MM-DD).
pub fn today(asked: Option<&str>) -> anyhow::Result<jiff::civil::Date> {
    match asked {
        Some(d) => d
            .parse()
            .with_context(|| format!("--today {d}: not a YYYY-MM-DD date")),
        // Without loading the system time-zone database.
        None => jiff::Timestamp::now()
            .strftime("%Y-%m-%d")
            .to_string()
            .parse()
            .context("the system clock"),
    }
}

/// What a front says about the lifecycle policy (flags win over `[lifecycle]`).
#[derive(Clone, Debug, Default)]
pub struct LifecycleOptions {
    /// Report ends of life within this many days.
    pub horizon_days: Option<i32>,
    /// Evaluate dates as of this day (YYYY-MM-DD) instead of today.
    pub today: Option<String>,
}

/// Today (UTC, or the day given) and the horizon: the lifecycle policy.
pub fn lifecycle_policy(
    args: &LifecycleOptions,
    config: &Config,
) -> anyhow::Result<vigie_lifecycle::Policy> {
    let today = today(args.today.as_deref())?;
    let mut policy = vigie_lifecycle::Policy::new(today);
    if let Some(h) = args.horizon_days.or(config.lifecycle.horizon_days) {
        policy.horizon_days = h;
    }
    Ok(policy)
}

/// Largest `vigie.toml` read (a real one is a few kB).
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Largest lifecycle knowledge of an index read back (the real one is under 2 MB).
const MAX_LIFECYCLE_BYTES: u64 = 256 << 20;

/// The lifecycle knowledge of an index, when `vigie sync` compiled one.
pub fn load_lifecycle(index_dir: &Path) -> anyhow::Result<Option<vigie_lifecycle::Knowledge>> {
    let path = index_dir.join(vigie_knowledge::compile::LIFECYCLE_FILE);
    let bytes = match vigie_fs::read_bounded(&path, MAX_LIFECYCLE_BYTES) {
        Ok(b) => b,
        Err(vigie_fs::ReadError::NotFound) => return Ok(None),
        Err(e) => anyhow::bail!("{}: {e}: run `vigie sync` again", path.display()),
    };
    let k = vigie_lifecycle::Knowledge::from_json(&bytes)
        .with_context(|| format!("{}: run `vigie sync` again", path.display()))?;
    Ok(Some(k))
}

/// The current knowledge generation of the data directory.
pub fn current_generation(given: Option<&Path>) -> anyhow::Result<vigie_sync::Generation> {
    let data = data_dir(given)?;
    vigie_sync::Generations::open(&data)
        .ok()
        .and_then(|g| g.current().ok().flatten())
        .with_context(|| {
            format!(
                "no knowledge index in {}: run `vigie sync` (or `vigie sync --mirror DIR`) first",
                data.display()
            )
        })
}

/// When the current knowledge index was compiled (RFC 3339), if there is one.
pub fn index_created(given: Option<&Path>) -> Option<String> {
    let generation = current_generation(given).ok()?;
    vigie_knowledge::compile::read_manifest(&generation.index_dir()).map(|m| m.created)
}

#[allow(missing_docs)]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AuditConfig {
    pub fail_on: Option<Threshold>,
    #[serde(default)]
    pub ignore: Vec<Ignore>,
}

/// An advisory the audit does not report, and why.
#[allow(missing_docs)]
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Ignore {
    pub id: String,
    pub reason: String,
    /// The ignore lapses after this day.
    pub until: Option<jiff::civil::Date>,
}

impl Config {
    /// Reads `explicit`, else `vigie.toml` in `folder` (the first folder scanned) when it
    /// exists, else the defaults. Errors name the file, line and column.
    ///
    /// The user chose an explicit file (`--config`): it may name files anywhere. A
    /// `vigie.toml` found in the scanned folder is a file of the scanned tree, committed by
    /// whoever writes to the repository, and is held to the tree's rules: it is not read when
    /// it is a symbolic link, and the files it names (`[catalog] files`) must be inside that
    /// folder; otherwise the command fails naming the file and the field, before any of them
    /// is read.
    pub fn load(explicit: Option<&Path>, folder: Option<&Path>) -> anyhow::Result<Config> {
        let (path, found_in) = match (explicit, folder) {
            (Some(p), _) => (p.to_path_buf(), None),
            (None, None) => return Ok(Config::default()),
            (None, Some(folder)) => {
                let p = folder.join("vigie.toml");
                match std::fs::symlink_metadata(&p) {
                    Ok(m) if m.file_type().is_symlink() => bail!(
                        "{}: a symbolic link, not followed: a vigie.toml found in a scanned \
                         folder is read only when it is a file of that folder (name the file \
                         it leads to with --config to use it)",
                        p.display()
                    ),
                    Ok(m) if m.is_file() => (p, Some(folder)),
                    _ => return Ok(Config::default()),
                }
            }
        };
        let text = vigie_fs::read_text_bounded(&path, MAX_CONFIG_BYTES)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let mut config = Config::parse(&text, &path)?;
        if let Some(folder) = found_in {
            config.confine(&path, folder)?;
        }
        config.folder = path.parent().map(Path::to_path_buf);
        config
            .store_location()
            .with_context(|| path.display().to_string())?;
        Ok(config)
    }

    /// `[store] url` as a store location, `None` when the file names none; a relative file
    /// is relative to the configuration file's folder. Errors name the field
    /// (`store.url: ...`), never the password.
    pub fn store_location(&self) -> anyhow::Result<Option<vigie_store::Location>> {
        let Some(text) = self.store.url.as_deref() else {
            return Ok(None);
        };
        let location =
            vigie_store::Location::parse(text).map_err(|e| anyhow::anyhow!("store.url: {e}"))?;
        Ok(Some(match (location, &self.folder) {
            (vigie_store::Location::Path(p), Some(folder)) if p.is_relative() => {
                vigie_store::Location::Path(folder.join(p))
            }
            (location, _) => location,
        }))
    }

    /// The parse entry point of [`Config::load`], without IO: the text of a configuration
    /// file into a `Config`. Errors name `shown` (the file), the line and the column. The
    /// paths it names are neither resolved nor confined: that is `load`'s job.
    pub fn parse(text: &str, shown: &Path) -> anyhow::Result<Config> {
        toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let before = &text[..s.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                    format!(":{line}:{col}")
                })
                .unwrap_or_default();
            anyhow::anyhow!("{}{at}: {}", shown.display(), e.message())
        })
    }

    /// Refuses, naming `file` and each field, the files a configuration found in `folder`
    /// names outside it: an absolute path, a path that goes up (`..`), or a link whose real
    /// location is elsewhere. Nothing named is read. A store it names (`[store] url`) is
    /// refused too: where a scan is written is the operator's choice, not the repository's.
    fn confine(&self, file: &Path, folder: &Path) -> anyhow::Result<()> {
        if self.store.url.is_some() {
            bail!(
                "{}: store.url: a vigie.toml found in a scanned folder may not name the store \
                 (whoever writes to the repository would choose where its scan is written): \
                 give it with --db, or name your configuration with --config",
                file.display()
            );
        }
        let real_folder = folder
            .canonicalize()
            .with_context(|| format!("cannot resolve {}", folder.display()))?;
        let mut refused = Vec::new();
        for (i, f) in self.catalog.files.iter().enumerate() {
            let why = if f.has_root() {
                "an absolute path"
            } else if f.components().any(|c| c == std::path::Component::ParentDir) {
                "a path that goes up (..)"
            } else if folder
                .join(f)
                .canonicalize()
                .is_ok_and(|real| !real.starts_with(&real_folder))
            {
                "a link leading out of the folder"
            } else {
                continue;
            };
            // Debug-quoted: a control character of the path is escaped, never printed raw.
            refused.push(format!("catalog.files[{i}] = {f:?}: {why}"));
        }
        if refused.is_empty() {
            return Ok(());
        }
        bail!(
            "{}: {}: a vigie.toml found in a scanned folder may name only files inside that \
             folder (name your configuration with --config to read others)",
            file.display(),
            refused.join("; ")
        )
    }

    /// `[server]` validated, `listen` given by the front winning over the file's. Errors name
    /// the field (`server.listen: ...`).
    pub fn server(&self, listen: Option<&str>) -> anyhow::Result<ServerSettings> {
        let s = &self.server;
        let listen_text = listen
            .or(s.listen.as_deref())
            .unwrap_or(ServerSettings::DEFAULT_LISTEN);
        let listen = listen_text.parse().map_err(|_| {
            anyhow::anyhow!(
                "server.listen: {listen_text:?} is not an address and port (127.0.0.1:8080)"
            )
        })?;
        let public_url = match s.public_url.as_deref() {
            None => None,
            Some(u)
                if (u.starts_with("https://") || u.starts_with("http://"))
                    && !u.chars().any(|c| c.is_whitespace() || c.is_control()) =>
            {
                Some(u.trim_end_matches('/').to_owned())
            }
            Some(u) => bail!("server.public-url: {u:?} is not an http or https URL"),
        };
        let every = |field: &str, v: Option<&str>| -> anyhow::Result<Option<std::time::Duration>> {
            match v {
                None | Some("off") => Ok(None),
                Some(t) => parse_duration(t).map(Some).with_context(|| {
                    format!("server.{field}: {t:?} is not a duration (30m, 6h, 1d) or \"off\"")
                }),
            }
        };
        let session_lifetime = match s.session_lifetime.as_deref() {
            None => ServerSettings::DEFAULT_SESSION,
            Some(t) => parse_duration(t).with_context(|| {
                format!("server.session-lifetime: {t:?} is not a duration (30m, 8h, 1d)")
            })?,
        };
        let resolve = |p: &PathBuf| match &self.folder {
            Some(f) if p.is_relative() => f.join(p),
            _ => p.clone(),
        };
        let tls = match (&s.tls_cert, &s.tls_key) {
            (None, None) => None,
            (Some(c), Some(k)) => Some((resolve(c), resolve(k))),
            (Some(_), None) => bail!("server.tls-key: missing (tls-cert is set)"),
            (None, Some(_)) => bail!("server.tls-cert: missing (tls-key is set)"),
        };
        let trusted_proxies = s
            .trusted_proxies
            .iter()
            .map(|t| {
                t.parse()
                    .map_err(|why| anyhow::anyhow!("server.trusted-proxies: {t:?}: {why}"))
            })
            .collect::<anyhow::Result<_>>()?;
        let oidc = s
            .oidc
            .as_ref()
            .map(|o| o.validate(public_url.as_deref(), |v| std::env::var(v).ok()))
            .transpose()?;
        Ok(ServerSettings {
            listen,
            public_url,
            session_lifetime,
            scan_every: every("scan-every", s.scan_every.as_deref())?,
            sync_every: every("sync-every", s.sync_every.as_deref())?,
            tls,
            trusted_proxies,
            oidc,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Config, Threshold, parse_duration};
    use std::time::Duration;
    use vigie_findings::Rating;

    fn server(toml_text: &str) -> anyhow::Result<super::ServerSettings> {
        let config: Config = toml::from_str(toml_text).unwrap();
        config.server(None)
    }

    #[test]
    fn durations_take_a_number_and_a_unit() {
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("8h"), Some(Duration::from_secs(8 * 3600)));
        assert_eq!(parse_duration("2d"), Some(Duration::from_secs(2 * 86_400)));
        for bad in ["", "h", "0h", "-1h", "1w", "1.5h", "99999999999999999999d"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_server_table_is_validated_naming_the_field() {
        let s = server("").unwrap();
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(s.scan_every, None);
        assert!(s.trusted_proxies.is_empty());
        assert!(!s.secure_cookies());
        let s = server(
            "[server]\nlisten = \"0.0.0.0:9000\"\npublic-url = \"https://v.example/\"\n\
             session-lifetime = \"30m\"\nscan-every = \"6h\"\nsync-every = \"off\"\n\
             trusted-proxies = [\"127.0.0.1\", \"10.0.0.0/8\"]",
        )
        .unwrap();
        assert_eq!(s.listen.port(), 9000);
        assert_eq!(s.public_url.as_deref(), Some("https://v.example"));
        assert_eq!(s.session_lifetime, Duration::from_secs(1800));
        assert_eq!(s.scan_every, Some(Duration::from_secs(6 * 3600)));
        assert!(s.secure_cookies());
        let proxies: Vec<String> = s.trusted_proxies.iter().map(|c| c.to_string()).collect();
        assert_eq!(proxies, ["127.0.0.1/32", "10.0.0.0/8"]);
        for (text, field) in [
            ("listen = \"localhost\"", "server.listen"),
            ("public-url = \"ftp://x\"", "server.public-url"),
            ("session-lifetime = \"forever\"", "server.session-lifetime"),
            ("scan-every = \"6 hours\"", "server.scan-every"),
            ("sync-every = \"0d\"", "server.sync-every"),
            ("tls-cert = \"c.pem\"", "server.tls-key"),
            (
                "trusted-proxies = [\"10.0.0.0/8\", \"10.0.0.0/40\"]",
                "server.trusted-proxies: \"10.0.0.0/40\"",
            ),
        ] {
            let e = server(&format!("[server]\n{text}"))
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(field), "{text}: {e}");
        }
    }

    #[test]
    fn the_store_url_is_resolved_and_its_password_never_shown() {
        use vigie_store::Location;
        assert_eq!(Config::default().store_location().unwrap(), None);
        let mut c: Config =
            toml::from_str("[store]\nkeep = 3\nurl = \"postgres://vigie:s3cret@db/vigie\"")
                .unwrap();
        assert_eq!(
            c.store_location().unwrap(),
            Some(Location::Postgres(
                "postgres://vigie:s3cret@db/vigie".into()
            ))
        );
        // The scan's context hashes the configuration's Debug: no password there either.
        let shown = format!("{c:?}");
        assert!(
            !shown.contains("s3cret") && shown.contains("postgres://vigie:***@db/vigie"),
            "{shown}"
        );
        // A file is relative to the configuration's folder; an absolute one stays.
        c.folder = Some("/etc/vigie".into());
        c.store.url = Some("stores/vigie.db".into());
        assert_eq!(
            c.store_location().unwrap(),
            Some(Location::path("/etc/vigie/stores/vigie.db"))
        );
        c.store.url = Some("sqlite:/var/lib/vigie.db".into());
        assert_eq!(
            c.store_location().unwrap(),
            Some(Location::path("/var/lib/vigie.db"))
        );
        c.store.url = Some("mysql://vigie:s3cret@db/vigie".into());
        let e = c.store_location().unwrap_err().to_string();
        assert!(
            e.starts_with("store.url: ") && e.contains("mysql") && !e.contains("s3cret"),
            "{e}"
        );
        assert!(!format!("{c:?}").contains("s3cret"));
    }

    #[test]
    fn a_threshold_is_met_by_its_rating_and_above() {
        // By hand: which ratings fail a build at each --fail-on.
        let table = [
            (Threshold::Low, [false, true, true, true, true]),
            (Threshold::Medium, [false, false, true, true, true]),
            (Threshold::High, [false, false, false, true, true]),
            (Threshold::Critical, [false, false, false, false, true]),
        ];
        for (t, want) in table {
            for (r, w) in Rating::ALL.into_iter().zip(want) {
                assert_eq!(t.met_by(r), w, "{t:?} {r:?}");
            }
        }
    }
}
