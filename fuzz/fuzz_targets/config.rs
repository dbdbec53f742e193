//! The configuration, `vigie.toml`: reading it never panics (errors are located), and the
//! `[server]` section validates or names the bad field.

#![no_main]

use std::path::Path;

use vigie_app::config::{Config, LifecycleOptions, lifecycle_policy};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(text) = vigie_fuzz::text(data) else {
        return;
    };
    vigie_fuzz::run(data.len(), || {
        let Ok(config) = Config::parse(text, Path::new("repo/vigie.toml")) else {
            return;
        };
        let _ = config.server(None);
        let _ = config.server(Some("127.0.0.1:0"));
        let today = LifecycleOptions {
            horizon_days: None,
            today: Some("2026-12-07".into()),
        };
        let _ = lifecycle_policy(&today, &config);
    });
});
