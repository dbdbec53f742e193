//! Downloads a list of sources into a mirror folder: conditional GETs against the previous
//! mirror's metadata, hard links on `304`, streamed and checked bodies on `200`.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::error::{Failure, SyncError};
use crate::feeds::Source;
use crate::fsutil;
use crate::meta::{FileMeta, now_rfc3339};
use crate::progress::{Outcome, Progress};
use crate::validate;

/// Bytes read from the network at a time.
const CHUNK: usize = 256 * 1024;
/// Longest `ETag` or `Last-Modified` value kept and sent back.
const MAX_VALIDATOR_LEN: usize = 1024;

/// Limits of one download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes (default 2 GiB).
    pub max_file_size: u64,
    /// Largest size a `.tar.gz` may decompress to while it is checked (default 16 GiB).
    pub max_unpacked_size: u64,
    /// Budget to connect, TLS included (default 30 s).
    pub connect_timeout: Duration,
    /// Budget from the request to the response headers (default 60 s).
    pub response_timeout: Duration,
    /// Longest wait for any one read of the body (default 60 s).
    pub read_timeout: Duration,
    /// Budget for one file, redirects and body included (default 2 h).
    pub file_timeout: Duration,
    /// Redirects followed before giving up (default 5).
    pub max_redirects: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: 2 << 30,
            max_unpacked_size: 16 << 30,
            connect_timeout: Duration::from_secs(30),
            response_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(60),
            file_timeout: Duration::from_secs(2 * 3600),
            max_redirects: 5,
        }
    }
}

/// What happened to one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The path in the mirror.
    pub path: String,
    /// The URL asked for.
    pub url: String,
    /// Downloaded, reused or absent.
    pub outcome: Outcome,
    /// The size of the file in the new mirror (0 when absent).
    pub size: u64,
    /// Its SHA-256, lowercase hex (`None` when absent).
    pub sha256: Option<String>,
}

/// What a download did, source by source, in the order of the sources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DownloadReport {
    /// One entry per source.
    pub files: Vec<FileReport>,
}

impl DownloadReport {
    /// How many sources ended with `outcome`.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.files.iter().filter(|f| f.outcome == outcome).count()
    }

    /// Bytes fetched from the network (downloaded files only).
    pub fn downloaded_bytes(&self) -> u64 {
        self.files
            .iter()
            .filter(|f| f.outcome == Outcome::Downloaded)
            .map(|f| f.size)
            .sum()
    }
}

/// Downloads every source into the mirror folder `dest` (which should be empty: a new
/// generation's `mirror_dir`). `previous` is the mirror of the generation in use, if any: its
/// metadata makes the requests conditional, and its files are reused on `304`. The first
/// failure stops the download and is returned, naming the URL; `dest` is then incomplete and
/// must be dropped.
pub fn download_mirror(
    sources: &[Source],
    previous: Option<&Path>,
    dest: &Path,
    limits: &Limits,
    progress: &dyn Progress,
) -> Result<DownloadReport, SyncError> {
    for (i, source) in sources.iter().enumerate() {
        if sources[..i].iter().any(|s| s.path() == source.path()) {
            return Err(SyncError {
                path: source.path().to_string(),
                url: source.url().to_string(),
                failure: Failure::BadSource("the same mirror path is listed twice".to_string()),
            });
        }
    }
    let agent = agent(limits);
    let mut report = DownloadReport::default();
    for source in sources {
        let mut started = false;
        let fetched = fetch(
            &agent,
            source,
            previous,
            dest,
            limits,
            progress,
            &mut started,
        );
        if !started {
            progress.start(source.path(), None);
        }
        match fetched {
            Ok(file) => {
                progress.finish(source.path(), file.outcome);
                report.files.push(file);
            }
            Err(failure) => {
                progress.finish(source.path(), Outcome::Failed);
                return Err(SyncError {
                    path: source.path().to_string(),
                    url: source.url().to_string(),
                    failure,
                });
            }
        }
    }
    Ok(report)
}

/// The HTTP client: statuses are answers (not errors), no compression asked for.
fn agent(limits: &Limits) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(limits.max_redirects)
        .max_redirects_will_error(true)
        .timeout_connect(Some(limits.connect_timeout))
        .timeout_recv_response(Some(limits.response_timeout))
        .timeout_per_read(Some(limits.read_timeout))
        .timeout_global(Some(limits.file_timeout))
        .accept_encoding("identity")
        .user_agent(concat!("vigie/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// The previous file and its metadata, when it can answer a `304`: same URL, a validator,
/// a regular file of the recorded size.
fn reusable(previous: &Path, source: &Source) -> Option<(PathBuf, FileMeta)> {
    let meta = FileMeta::load(previous, source.path())?;
    let file = previous.join(source.path());
    let on_disk = fs::symlink_metadata(&file).ok()?;
    let has_validator = meta.etag.is_some() || meta.last_modified.is_some();
    (meta.url == source.url() && has_validator && on_disk.is_file() && on_disk.len() == meta.size)
        .then_some((file, meta))
}

/// Whether a validator is fit to be stored and sent back: visible ASCII, not too long.
fn fit(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_VALIDATOR_LEN
        && text
            .bytes()
            .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
}

/// A response header's value when it is [`fit`].
fn validator(value: Option<&ureq::http::HeaderValue>) -> Option<String> {
    let text = value?.to_str().ok()?;
    fit(text).then(|| text.to_string())
}

/// Fetches one source into `dest`.
fn fetch(
    agent: &ureq::Agent,
    source: &Source,
    previous: Option<&Path>,
    dest: &Path,
    limits: &Limits,
    progress: &dyn Progress,
    started: &mut bool,
) -> Result<FileReport, Failure> {
    let prev = previous.and_then(|dir| reusable(dir, source));
    let mut request = agent.get(source.url());
    if let Some((_, meta)) = &prev {
        if let Some(etag) = meta.etag.as_ref().filter(|v| fit(v)) {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = meta.last_modified.as_ref().filter(|v| fit(v)) {
            request = request.header("If-Modified-Since", date);
        }
    }
    let response = request.call().map_err(|e| Failure::Http(e.to_string()))?;
    let status = response.status().as_u16();
    let etag = validator(response.headers().get("etag"));
    let last_modified = validator(response.headers().get("last-modified"));
    let report = |outcome, size, sha256| FileReport {
        path: source.path().to_string(),
        url: source.url().to_string(),
        outcome,
        size,
        sha256,
    };
    match status {
        200 => {}
        304 => {
            let Some((file, mut meta)) = prev else {
                return Err(Failure::UnexpectedNotModified);
            };
            *started = true;
            progress.start(source.path(), Some(meta.size));
            fsutil::link_or_copy(&file, &dest.join(source.path()))?;
            meta.etag = etag.or(meta.etag);
            meta.last_modified = last_modified.or(meta.last_modified);
            meta.checked_at = now_rfc3339();
            meta.store(dest, source.path())?;
            return Ok(report(Outcome::Reused, meta.size, Some(meta.sha256)));
        }
        404 if !source.is_required() => return Ok(report(Outcome::Absent, 0, None)),
        other => return Err(Failure::Status(other)),
    }
    if let Some(encoding) = response.headers().get("content-encoding") {
        let encoding = String::from_utf8_lossy(encoding.as_bytes()).into_owned();
        if !encoding.trim().eq_ignore_ascii_case("identity") {
            return Err(Failure::ContentEncoding(encoding));
        }
    }
    let body = response.into_body();
    let expected = body.content_length();
    if expected.is_some_and(|n| n > limits.max_file_size) {
        return Err(Failure::TooLarge {
            limit: limits.max_file_size,
        });
    }
    *started = true;
    progress.start(source.path(), expected);
    let target = dest.join(source.path());
    let mut tmp_name = target.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".download");
    let tmp = TempFile::new(target.with_file_name(tmp_name));
    fsutil::create_parent(&tmp.0)?;
    let mut file = File::create_new(&tmp.0).map_err(|e| Failure::io("create", &tmp.0, e))?;
    let (size, sha256) = stream(
        body.into_reader(),
        &mut file,
        &tmp.0,
        expected,
        limits,
        progress,
    )?;
    file.sync_all()
        .map_err(|e| Failure::io("fsync", &tmp.0, e))?;
    drop(file);
    validate::check(&tmp.0, source.format(), limits.max_unpacked_size)?;
    fs::rename(&tmp.0, &target).map_err(|e| Failure::io("rename", &target, e))?;
    tmp.disarm();
    let now = now_rfc3339();
    let meta = FileMeta {
        url: source.url().to_string(),
        etag,
        last_modified,
        size,
        sha256: sha256.clone(),
        fetched_at: now.clone(),
        checked_at: now,
    };
    meta.store(dest, source.path())?;
    Ok(report(Outcome::Downloaded, size, Some(sha256)))
}

/// Copies the body into `file`, hashing it and holding it to `Content-Length` and the size
/// limit. Returns the size and the SHA-256 (hex).
fn stream(
    mut body: impl Read,
    file: &mut File,
    tmp: &Path,
    expected: Option<u64>,
    limits: &Limits,
    progress: &dyn Progress,
) -> Result<(u64, String), Failure> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut received: u64 = 0;
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let cause = e.to_string();
                return Err(match expected {
                    Some(expected) if received < expected => Failure::Truncated {
                        expected,
                        received,
                        cause,
                    },
                    _ => Failure::Read { received, cause },
                });
            }
        };
        let chunk = buf.get(..n).unwrap_or_default();
        received = received.saturating_add(n as u64);
        if received > limits.max_file_size {
            return Err(Failure::TooLarge {
                limit: limits.max_file_size,
            });
        }
        if let Some(expected) = expected.filter(|&e| received > e) {
            return Err(Failure::TooLong { expected });
        }
        hasher.update(chunk);
        file.write_all(chunk)
            .map_err(|e| Failure::io("write", tmp, e))?;
        progress.advance(n as u64);
    }
    if let Some(expected) = expected.filter(|&e| received < e) {
        return Err(Failure::Truncated {
            expected,
            received,
            cause: "connection closed".to_string(),
        });
    }
    let digest = hasher.finalize();
    let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok((received, hex))
}

/// A temporary download, removed on drop unless it was renamed into place.
struct TempFile(PathBuf, bool);

impl TempFile {
    fn new(path: PathBuf) -> TempFile {
        TempFile(path, true)
    }
    fn disarm(mut self) {
        self.1 = false;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.1 {
            let _ = fs::remove_file(&self.0);
        }
    }
}
