//! Human output: aligned tables and colour that respects `NO_COLOR`.

use std::io::{self, IsTerminal, Write};

use vigie_model::{Diagnostic, Severity};

/// Whether to colour output written to standard output or standard error.
pub fn colour_enabled(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn stdout_colour() -> bool {
    colour_enabled(io::stdout().is_terminal())
}

pub fn stderr_colour() -> bool {
    colour_enabled(io::stderr().is_terminal())
}

/// The ecosystems of `coverage` the index holds no advisory for, as `Maven (41 components),
/// npm (3 components)`, cleaned for the terminal; `None` when every one is covered.
pub fn coverage_gaps(coverage: &[vigie_app::admin::knowledge::Coverage]) -> Option<String> {
    let gaps: Vec<String> = coverage
        .iter()
        .filter(|c| !c.advisory_source)
        .map(|c| format!("{} ({} components)", clean(&c.ecosystem), c.components))
        .collect();
    (!gaps.is_empty()).then(|| gaps.join(", "))
}

/// Wraps `text` in an ANSI style when `on`.
pub fn paint(on: bool, style: Style, text: &str) -> String {
    if !on {
        return text.to_owned();
    }
    let code = match style {
        Style::Bold => "1",
        Style::Red => "31",
        Style::Yellow => "33",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

#[derive(Clone, Copy)]
pub enum Style {
    Bold,
    Red,
    Yellow,
}

/// `text` with its control characters shown as `?` and its bidirectional controls as
/// `<U+202E>` (`vigie_model::text::printable`): what comes from hostile inputs (names,
/// summaries, paths) is never printed raw on a terminal.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    vigie_model::text::printable(text)
}

/// A table of text cells, columns padded to their widest cell.
pub struct Table<const N: usize> {
    header: [String; N],
    rows: Vec<[String; N]>,
    bold_header: bool,
}

impl<const N: usize> Table<N> {
    pub fn new(header: [&str; N]) -> Table<N> {
        Table {
            header: header.map(str::to_owned),
            rows: Vec::new(),
            bold_header: stdout_colour(),
        }
    }

    pub fn row(&mut self, cells: [String; N]) {
        self.rows.push(cells);
    }

    pub fn write(&self, w: &mut impl Write) -> io::Result<()> {
        let mut width = [0usize; N];
        for row in std::iter::once(&self.header).chain(&self.rows) {
            for (i, cell) in row.iter().enumerate() {
                width[i] = width[i].max(cell.chars().count());
            }
        }
        let line = |row: &[String; N]| -> String {
            let mut s = String::new();
            for (i, cell) in row.iter().enumerate() {
                let clean = clean(cell);
                if i + 1 == N {
                    s.push_str(&clean);
                } else {
                    let pad = width[i].saturating_sub(clean.chars().count());
                    s.push_str(&clean);
                    s.extend(std::iter::repeat_n(' ', pad + 2));
                }
            }
            s.trim_end().to_owned()
        };
        writeln!(
            w,
            "{}",
            paint(self.bold_header, Style::Bold, &line(&self.header))
        )?;
        for row in &self.rows {
            writeln!(w, "{}", line(row))?;
        }
        Ok(())
    }
}

/// Prints diagnostics on standard error, coloured by severity.
pub fn print_diagnostics<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) {
    let colour = stderr_colour();
    for d in diagnostics {
        let style = match d.severity {
            Severity::Error => Style::Red,
            Severity::Warning => Style::Yellow,
        };
        let text = clean(&d.to_string()).into_owned();
        eprintln!("{}", paint(colour, style, &text));
    }
}
