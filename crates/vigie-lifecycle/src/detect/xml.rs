//! A flat reading of an XML file for the detectors of XML formats: every
//! element's text with its path of local names (`project/properties/
//! java.version`) and line. quick-xml never reads a DTD nor expands an
//! entity beyond the five predefined ones; depth is bounded.

use quick_xml::events::Event;

use super::util::line_at;

/// Deepest element nesting read.
const MAX_DEPTH: usize = 64;

/// One element with text.
pub struct Leaf {
    /// Local names from the root, `/`-separated.
    pub path: String,
    pub text: String,
    pub line: u32,
}

/// The elements of `text` that hold text, in document order, or the
/// message and line of the first syntax error.
pub fn leaves(text: &str) -> Result<Vec<Leaf>, (String, u32)> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut stack: Vec<(String, u32)> = Vec::new();
    let mut current = String::new();
    let mut out = Vec::new();
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let line = line_at(text, reader.error_position() as usize);
                return Err((format!("not well-formed XML: {e}"), line));
            }
        };
        let pos = reader.buffer_position() as usize;
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(("elements nested too deeply".into(), line_at(text, pos)));
                }
                let name = e.name().local_name().into_inner().to_owned();
                stack.push((name, line_at(text, pos.saturating_sub(1))));
                current.clear();
            }
            Event::Text(t) => current.push_str(&t.xml10_content()),
            Event::CData(t) => current.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match &*r {
                "lt" => current.push('<'),
                "gt" => current.push('>'),
                "amp" => current.push('&'),
                "apos" => current.push('\''),
                "quot" => current.push('"'),
                _ => {}
            },
            Event::End(_) => {
                let path = stack
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join("/");
                if let Some((_, line)) = stack.pop()
                    && !current.trim().is_empty()
                {
                    out.push(Leaf {
                        path,
                        text: current.trim().to_owned(),
                        line,
                    });
                }
                current.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_lines() {
        let t = "<?xml version=\"1.0\"?>\n<project xmlns=\"x\">\n  <properties>\n    <java.version>17</java.version>\n  </properties>\n</project>\n";
        let l = leaves(t).unwrap();
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].path, "project/properties/java.version");
        assert_eq!(l[0].text, "17");
        assert_eq!(l[0].line, 4);
        assert!(leaves("<a><b></a>").is_err());
        let deep = "<a>".repeat(100);
        assert!(leaves(&deep).is_err());
    }
}
