//! The integration tests of `vigie-report`, one module per file, in one test binary (one link
//! instead of one per file).

mod chromium;
mod common;
mod escaping;
mod extremes;
mod size;
mod snapshots;
mod texts;
mod wellformed;
