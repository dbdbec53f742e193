//! Shared support of the binary's end-to-end tests: running vigie, and a data directory
//! synced once. Where the workspace and the reference data are, the JSON of an output and
//! schema validation are `vigie-testkit`'s.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

pub use vigie_testkit::{data_dir, json_of, validate, workspace};

/// vigie to be run from the workspace with `args` and `data` as its data directory (no store
/// from the environment).
pub fn command(data: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vigie"));
    c.args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .env("VIGIE_DATA_DIR", data)
        .env_remove("VIGIE_DB");
    c
}

/// Runs vigie as [`command`] makes it, to its end.
pub fn run(data: &Path, args: &[&str]) -> Output {
    command(data, args).output().expect("vigie runs")
}

/// `out`, once checked to have exited 0 (else its stderr is the failure).
pub fn ok(out: Output) -> Output {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A data directory with the reference mirror synced into it, once per test binary.
pub fn synced() -> Option<&'static Path> {
    static DIR: OnceLock<Option<tempfile::TempDir>> = OnceLock::new();
    DIR.get_or_init(|| {
        let data = data_dir()?;
        let dir = tempfile::tempdir().unwrap();
        ok(run(
            dir.path(),
            &["sync", "-q", "--mirror", data.to_str().unwrap()],
        ));
        Some(dir)
    })
    .as_ref()
    .map(|d| d.path())
}

/// What a run under [`run_deadline`] gave: its output and the largest resident memory seen.
pub struct Bounded {
    pub out: Output,
    /// Peak resident set (VmHWM) sampled while it ran, in kB.
    pub peak_kb: u64,
}

/// Runs `cmd` to its end, killing it and failing the test when it runs past `secs` seconds
/// (a hang on a named pipe must fail, not block the suite), and samples its peak memory.
pub fn run_deadline(mut cmd: Command, secs: u64) -> Bounded {
    use std::io::Read;
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vigie starts");
    // Drain the pipes on threads so that a chatty child never blocks on a full pipe.
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let status_file = format!("/proc/{}/status", child.id());
    let start = Instant::now();
    let mut peak_kb = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if let Some(kb) = std::fs::read_to_string(&status_file).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        }) {
            peak_kb = peak_kb.max(kb);
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("vigie still running after {secs} s: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Bounded {
        out: Output {
            status,
            stdout: stdout.join().unwrap(),
            stderr: stderr.join().unwrap(),
        },
        peak_kb,
    }
}

/// Makes a named pipe at `path` (with `mkfifo`, as a hostile repository would hold one).
pub fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

/// The names in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The ecosystems the reference mirror holds advisories for, counted from its layout: its
/// `osv/<ecosystem>/` folders and the native feeds of `advisories-native/` present (npm,
/// RubyGems, Packagist).
pub fn mirror_ecosystems(mirror: &Path) -> std::collections::BTreeSet<String> {
    let mut out: std::collections::BTreeSet<String> = std::fs::read_dir(mirror.join("osv"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for (file, ecosystem) in [
        ("nodejs-security-wg-vuln.tar.gz", "npm"),
        ("ruby-advisory-db.tar.gz", "RubyGems"),
        ("friendsofphp-security-advisories.tar.gz", "Packagist"),
    ] {
        if mirror.join("advisories-native").join(file).is_file() {
            out.insert(ecosystem.to_owned());
        }
    }
    out
}

/// Copies the folder `from` into `to`, recursively (links are not followed: the examples
/// have none).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Sets the modification time of every file under `dir` to `secs` seconds ago.
pub fn age_files(dir: &Path, secs: u64) {
    let when = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            age_files(&e.path(), secs);
        } else {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(e.path())
                .unwrap();
            f.set_modified(when).unwrap();
        }
    }
}
