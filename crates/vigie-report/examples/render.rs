//! Renders a report model (JSON) to HTML or Markdown: `cargo run -p vigie-report --example
//! render -- MODEL.json en|fr html|md > out`.

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, lang, format] = args.as_slice() else {
        return Err("usage: render MODEL.json en|fr html|md".into());
    };
    let model: vigie_report::ReportModel = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let lang: vigie_report::Lang = lang.parse()?;
    let mut out = std::io::stdout().lock();
    match format.as_str() {
        "html" => vigie_report::render_html(&model, lang, &mut out)?,
        "md" => vigie_report::render_markdown(&model, lang, &mut out)?,
        _ => return Err("format: html or md".into()),
    }
    out.flush()?;
    Ok(())
}
