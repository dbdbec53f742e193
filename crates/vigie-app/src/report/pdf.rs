//! The executive report as PDF: its HTML printed by headless Chromium (Debian package
//! `chromium`), with a profile of its own in a fresh folder. Both fronts call [`print`].

use std::path::Path;

use anyhow::{Context, bail};

use crate::output::OutputFile;

/// The PDF renderer.
pub const CHROMIUM: &str = "chromium";

/// What [`print`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Printed {
    /// The PDF is written.
    Done,
    /// The renderer is not installed: nothing is written.
    NoRenderer,
}

/// Prints `html` to the PDF file `path` with headless Chromium.
pub fn print(html: &[u8], path: &Path) -> anyhow::Result<Printed> {
    // First, so that a folder given as `path` is refused before anything runs.
    let out = OutputFile::create(path)?;
    // A fresh folder (create_dir fails on an existing path, a planted link included).
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!("vigie-report-{}-{nanos}", std::process::id()));
    std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let page = dir.join("report.html");
    // Printed in the fresh folder, then copied whole to `path` as every output file is
    // written (never through a link planted at `path` or beside it).
    let printed = dir.join("report.pdf");
    let result = std::fs::write(&page, html)
        .with_context(|| format!("cannot write {}", page.display()))
        .and_then(|()| render(&dir, &page, &printed, out));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Runs Chromium on `page` into `printed`, then copies it to `out`.
fn render(dir: &Path, page: &Path, printed: &Path, mut out: OutputFile) -> anyhow::Result<Printed> {
    // A profile of its own in the fresh folder (nothing read from or left in
    // the home folder, no lock shared with a running browser) and no
    // background connections: the page makes no request and needs none.
    let result = std::process::Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", printed.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output();
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Printed::NoRenderer),
        Err(e) => Err(e).context(CHROMIUM),
        Ok(o) if !o.status.success() || !printed.is_file() => bail!(
            "{CHROMIUM} failed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
                .chars()
                .take(2000)
                .collect::<String>()
        ),
        Ok(_) => {
            let mut pdf = vigie_fs::open_regular(printed)
                .with_context(|| format!("cannot read {}", printed.display()))?;
            std::io::copy(&mut pdf, &mut out)
                .with_context(|| format!("cannot write {}", out.target().display()))?;
            out.commit()?;
            Ok(Printed::Done)
        }
    }
}
