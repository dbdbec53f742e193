//! How much of each list the report shows, which bounds its size whatever the estate.
//!
//! With these caps and the clipped string lengths, the HTML report holds at most about
//! 1,300 table rows; the report of a 10,000-repository estate is a few hundred kilobytes
//! (`tests/it/size.rs` checks < 5 MB). What is not shown is counted in the report, and the
//! machine outputs (JSON, CSV) carry everything.

/// Risks and actions in the executive summary (the first page).
pub const SUMMARY_ROWS: usize = 5;
/// Top risks shown in the register.
pub const TOP_RISKS: usize = 10;
/// Top actions shown.
pub const TOP_ACTIONS: usize = 10;
/// Risks listed per trend group (new, worsened, improved, resolved).
pub const TREND_ITEMS: usize = 10;
/// End-of-life rows (chart and table).
pub const EOL_ROWS: usize = 40;
/// Rows of the per-system and per-owner tables.
pub const TABLE_ROWS: usize = 50;
/// Findings listed per family in the appendix.
pub const APPENDIX_PER_FAMILY: usize = 250;
/// Names listed in one cell (systems, owners of a risk).
pub const NAMES_PER_CELL: usize = 5;
/// Characters of a name, identifier, title or label.
pub const NAME_CHARS: usize = 120;
/// Characters of an explanation or action text.
pub const TEXT_CHARS: usize = 600;
