//! `vigie token create`: a new API token, printed once on standard output; the store keeps
//! its prefix and the hash of its secret (`vigie_app::access`).

use std::process::ExitCode;

use anyhow::Context;
use vigie_app::access::{TokenRequest, create_token, now};
use vigie_store::{AuditEntry, Role, TokenScope};

use crate::cli::TokenCommand;

pub fn run(cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    let TokenCommand::Create(args) = cmd;
    // `ingest` is no role of a user: a CI token that may only push.
    let (scopes, what) = if args.role == "ingest" {
        (vec![TokenScope::Ingest], "ingest".to_owned())
    } else {
        let role = Role::parse(&args.role).context("--role: viewer, triager, admin or ingest")?;
        (role.scopes(), format!("role {}", role.as_str()))
    };
    let mut store = crate::commands::store_io::open(&args.store)?;
    let made = create_token(
        &mut *store,
        &TokenRequest {
            name: args.name,
            scopes,
            expires_days: args.expires,
        },
        &AuditEntry {
            at: now(),
            actor: "cli".into(),
            action: "token.create".into(),
            target: String::new(),
            ip: None,
            detail: Some(what),
        },
    )?;
    println!("{}", made.token);
    eprintln!(
        "vigie: token {} ({}) created{}; it is shown only now",
        made.record.prefix,
        made.record
            .scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        made.record
            .expires_at
            .map(|e| format!(", expires {e}"))
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}
