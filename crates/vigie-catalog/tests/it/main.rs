//! The integration tests of `vigie-catalog`, one module per file, in one test binary (one link
//! instead of one per file).

mod acme;
mod backstage;
mod hostile;
mod schema;
mod vigie_fields;
