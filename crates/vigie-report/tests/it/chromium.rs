//! The HTML report in a real browser: headless Chromium (Debian's `chromium`) loads it with
//! no console message and prints it to PDF, with the executive summary alone on page 1.
//!
//! Skipped with a loud message when `chromium` is not installed, unless
//! `VIGIE_REQUIRE_CHROMIUM=1`, where it fails. The page text is read with `pdftotext`
//! (`poppler-utils`) when present.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use vigie_report::Lang;

fn tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn chromium() -> Option<PathBuf> {
    let found = tool("chromium");
    if found.is_none() {
        let msg = "chromium not found (apt-get install chromium)";
        if std::env::var("VIGIE_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
            panic!("{msg}");
        }
        eprintln!("\n!!! SKIPPED: {msg} !!!\n");
    }
    found
}

fn page_text(pdf: &Path, page: usize) -> Option<String> {
    let out = Command::new(tool("pdftotext")?)
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn chromium_prints_the_report_with_the_summary_alone_on_page_one() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (lang, summary, register, appendix) in [
        (
            Lang::En,
            "Executive summary",
            "Risk register",
            "Appendix: every finding",
        ),
        (
            Lang::Fr,
            "Synthèse",
            "Registre des risques",
            "liste des constats",
        ),
    ] {
        let html = dir.path().join(format!("report-{lang:?}.html"));
        std::fs::write(&html, common::html(&common::acme(), lang)).unwrap();
        let url = format!("file://{}", html.display());
        let base = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
        ];

        let dom = Command::new(&chromium)
            .args(base)
            .arg("--dump-dom")
            .arg(&url)
            .output()
            .unwrap();
        assert!(dom.status.success(), "{lang:?}: chromium failed");
        let log = String::from_utf8_lossy(&dom.stderr);
        assert!(
            !log.contains(":CONSOLE"),
            "{lang:?}: console messages:\n{log}"
        );
        assert!(String::from_utf8_lossy(&dom.stdout).contains(summary));

        let pdf = dir.path().join(format!("report-{lang:?}.pdf"));
        let status = Command::new(&chromium)
            .args(base)
            .arg("--no-pdf-header-footer")
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(&url)
            .output()
            .unwrap()
            .status;
        assert!(status.success(), "{lang:?}: print failed");
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
        // Six groups start on a new page (summary, register, heat map, end of life, risks
        // per system, appendix), so at least six pages.
        assert!(pages >= 6, "{lang:?}: {pages} pages");

        let Some(first) = page_text(&pdf, 1) else {
            eprintln!("pdftotext not found: page contents not checked");
            continue;
        };
        assert!(first.contains(summary), "{lang:?}: page 1 is\n{first}");
        assert!(
            !first.contains(register),
            "{lang:?}: the register spills onto page 1"
        );
        let second = page_text(&pdf, 2).unwrap_or_default();
        assert!(second.contains(register), "{lang:?}: page 2 is\n{second}");
        let last = page_text(&pdf, pages).unwrap_or_default();
        let before_last = page_text(&pdf, pages - 1).unwrap_or_default();
        assert!(
            last.contains(appendix) || before_last.contains(appendix),
            "{lang:?}: the appendix is not at the end"
        );
    }
}
