//! The integration tests of `vigie`, one module per file, in one test binary (one link
//! instead of one per file).

mod access_cli;
mod accuracy;
mod audit;
mod catalog;
mod cli;
mod codes;
mod common;
mod coverage;
mod dependency_graph;
mod hit;
mod hostile;
mod licences;
mod output_files;
mod reaudit;
mod report;
mod report_machine;
mod rescan;
mod scan_crash;
mod serve;
mod store_cli;
mod store_copy;
mod store_open;
mod store_url;
mod sync;
