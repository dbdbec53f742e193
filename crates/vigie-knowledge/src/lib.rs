//! Public knowledge compiled into vigie's local index.

pub mod cvss;
