//! The store's behavioural suite, written once over [`common::Backend`] and run on every
//! backend (`<module>::<backend>::<test>`: SQLite in a file and in memory, and PostgreSQL on
//! the test server, see `common.rs`), plus the SQLite-specific tests (`sqlite`).
//!
//! A test of the suite is a `pub(crate) fn name(b: &Backend)`; its module lists it in
//! [`on_backends!`]. A new backend is one more constant in `common.rs` and one more arm here.

/// Runs a module's tests on every backend (`any`), or on those whose stores outlive their
/// handle (`persistent`: the test reopens its store).
macro_rules! on_backends {
    (any: [$($any:ident),* $(,)?], persistent: [$($p:ident),* $(,)?] $(,)?) => {
        mod sqlite_file {
            $( #[test] fn $any() { super::$any(&crate::common::SQLITE_FILE) } )*
            $( #[test] fn $p() { super::$p(&crate::common::SQLITE_FILE) } )*
        }
        mod sqlite_memory {
            $( #[test] fn $any() { super::$any(&crate::common::SQLITE_MEMORY) } )*
        }
        mod postgres {
            $( #[test] fn $any() { super::$any(&crate::common::POSTGRES) } )*
            $( #[test] fn $p() { super::$p(&crate::common::POSTGRES) } )*
        }
    };
}

mod access;
mod common;
mod crash;
mod diff;
mod ingest;
mod postgres;
mod rematch;
mod report_reads;
mod roundtrip;
mod sqlite;
mod store;
mod triage;
mod who_uses;
