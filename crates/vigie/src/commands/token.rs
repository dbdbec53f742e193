//! `vigie token create|list|revoke`: API tokens. A new token is printed once on standard
//! output; the store keeps its prefix and the hash of its secret (`vigie_app::access`), and
//! the list shows neither secret nor hash. Each write is audited as `cli:$USER`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};
use vigie_app::access::{TokenRequest, create_token, now};
use vigie_store::{AuditEntry, Role, TokenScope};

use crate::cli::{ListFormat, TokenCommand};
use crate::render::Table;

/// Who acts from the command line: `cli:$USER`.
pub fn actor() -> String {
    let user = std::env::var("USER")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    format!("cli:{user}")
}

/// An audit entry of the command line, now.
pub fn cli_audit(action: &str, target: &str) -> AuditEntry {
    AuditEntry {
        at: now(),
        actor: actor(),
        action: action.to_owned(),
        target: target.to_owned(),
        ip: None,
        detail: None,
    }
}

fn join(scopes: &[TokenScope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn run(cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TokenCommand::Create(args) => {
            let scopes = if args.scope.is_empty() {
                let role = args.role.as_deref().unwrap_or("");
                // `ingest` is no role of a user: a CI token that may only push.
                if role == "ingest" {
                    vec![TokenScope::Ingest]
                } else {
                    Role::parse(role)
                        .context("--role: viewer, triager, admin or ingest")?
                        .scopes()
                }
            } else {
                let mut scopes = args
                    .scope
                    .iter()
                    .map(|s| TokenScope::parse(s).with_context(|| format!("--scope {s}")))
                    .collect::<anyhow::Result<Vec<_>>>()?;
                scopes.sort();
                scopes.dedup();
                scopes
            };
            let mut store = crate::commands::store_io::open(&args.store)?;
            let made = create_token(
                &mut *store,
                &TokenRequest {
                    name: args.name,
                    scopes: scopes.clone(),
                    expires_days: args.expires,
                },
                &AuditEntry {
                    detail: Some(format!("scopes {}", join(&scopes))),
                    ..cli_audit("token.create", "")
                },
            )?;
            println!("{}", made.token);
            eprintln!(
                "vigie: token {} ({}) created{}; it is shown only now",
                made.record.prefix,
                join(&made.record.scopes),
                made.record
                    .expires_at
                    .map(|e| format!(", expires {e}"))
                    .unwrap_or_default()
            );
        }
        TokenCommand::List(args) => {
            let store = crate::commands::store_io::open_read_only(&args.store)?;
            let tokens = store.tokens()?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match args.format {
                ListFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &tokens)?;
                    writeln!(out)?;
                }
                ListFormat::Table => {
                    let mut t = Table::new([
                        "PREFIX",
                        "NAME",
                        "SCOPES",
                        "CREATED BY",
                        "EXPIRES",
                        "LAST USED",
                        "REVOKED",
                    ]);
                    for k in &tokens {
                        t.row([
                            k.prefix.clone(),
                            k.name.clone(),
                            join(&k.scopes),
                            k.created_by.clone(),
                            k.expires_at.clone().unwrap_or_else(|| "never".into()),
                            k.last_used.clone().unwrap_or_default(),
                            k.revoked_at.clone().unwrap_or_default(),
                        ]);
                    }
                    t.write(&mut out)?;
                }
            }
            out.flush()?;
        }
        TokenCommand::Revoke(args) => {
            let prefix = args.prefix.strip_prefix("vigie_").unwrap_or(&args.prefix);
            let prefix = prefix.split('_').next().unwrap_or(prefix).to_owned();
            let mut store = crate::commands::store_io::open(&args.store)?;
            if !store.revoke_token(&prefix, &cli_audit("token.revoke", &prefix))? {
                bail!("no live token with prefix {prefix:?}");
            }
            eprintln!("vigie: token {prefix} revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}
