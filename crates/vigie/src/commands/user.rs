//! `vigie user add|list|disable|set-role`: the users of the control tower, each write in the
//! audit log with the acting user (`cli:$USER`).

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{Context, bail};
use vigie_store::{AuditEntry, Role, UserChange};

use crate::cli::{ListFormat, UserCommand};
use crate::commands::token::cli_audit;
use crate::render::Table;

pub fn run(cmd: UserCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        UserCommand::Add(args) => {
            let role = role(&args.role)?;
            let password = if args.password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                line.trim_end_matches(['\r', '\n']).to_owned()
            } else {
                let first = rpassword::prompt_password(format!("password for {}: ", args.name))?;
                let again = rpassword::prompt_password("again: ")?;
                if first != again {
                    bail!("the two passwords differ");
                }
                first
            };
            let mut store = super::store_io::open(&args.store)?;
            let user = vigie_app::access::add_user(
                &mut *store,
                &args.name,
                &password,
                role,
                &cli_audit("user.create", &args.name),
            )?;
            eprintln!("vigie: user {} added ({})", user.name, user.role.as_str());
        }
        UserCommand::List(args) => {
            let store = super::store_io::open_read_only(&args.store)?;
            let users = store.users()?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            match args.format {
                ListFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &users)?;
                    writeln!(out)?;
                }
                ListFormat::Table => {
                    let mut t = Table::new(["NAME", "ROLE", "STATE", "LOGIN", "LAST LOGIN"]);
                    for u in &users {
                        t.row([
                            u.name.clone(),
                            u.role.as_str().to_owned(),
                            if u.disabled { "disabled" } else { "active" }.to_owned(),
                            match (&u.password_hash, &u.identity) {
                                (Some(_), Some(_)) => "password, provider".to_owned(),
                                (Some(_), None) => "password".to_owned(),
                                (None, Some(i)) => format!("provider {}", i.issuer),
                                (None, None) => "none".to_owned(),
                            },
                            u.last_login.clone().unwrap_or_default(),
                        ]);
                    }
                    t.write(&mut out)?;
                }
            }
            out.flush()?;
        }
        UserCommand::Disable(args) => {
            let mut store = super::store_io::open(&args.store)?;
            change(
                &mut *store,
                &args.name,
                UserChange {
                    disabled: Some(true),
                    ..Default::default()
                },
                cli_audit("user.disable", &args.name),
            )?;
            eprintln!("vigie: user {} disabled; its sessions ended", args.name);
        }
        UserCommand::SetRole(args) => {
            let role = role(&args.role)?;
            let mut store = super::store_io::open(&args.store)?;
            let audit = AuditEntry {
                detail: Some(format!("role {}", role.as_str())),
                ..cli_audit("user.role", &args.name)
            };
            let change_ = UserChange {
                role: Some(role),
                ..Default::default()
            };
            change(&mut *store, &args.name, change_, audit)?;
            eprintln!("vigie: user {} is now {}", args.name, role.as_str());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn role(text: &str) -> anyhow::Result<Role> {
    Role::parse(text).context("a role: viewer, triager or admin")
}

fn change(
    store: &mut dyn vigie_store::Store,
    name: &str,
    change: UserChange,
    audit: AuditEntry,
) -> anyhow::Result<()> {
    if store.user(name)?.is_none() {
        bail!("no user {name:?}");
    }
    store.change_user(name, &change, &audit)?;
    Ok(())
}
