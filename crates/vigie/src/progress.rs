//! The command line's [`Progress`]: a bar per stage on standard error when it is a terminal
//! (indicatif draws nothing otherwise), and warnings unless `--quiet`.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use vigie_app::Progress;

/// Terminal bars for the application core's long work.
pub struct Bars {
    bar: Mutex<Option<ProgressBar>>,
    quiet: bool,
    draw: bool,
}

impl Bars {
    /// Bars drawn (on a terminal); warnings unless `quiet`.
    pub fn new(quiet: bool) -> Bars {
        Bars {
            bar: Mutex::new(None),
            quiet,
            draw: true,
        }
    }

    /// Bars drawn (on a terminal) only when `draw`, and warnings with them.
    pub fn drawn(draw: bool) -> Bars {
        Bars {
            draw,
            ..Bars::new(!draw)
        }
    }

    fn with(&self, f: impl FnOnce(&mut Option<ProgressBar>)) {
        if let Ok(mut b) = self.bar.lock() {
            f(&mut b);
        }
    }
}

impl Progress for Bars {
    fn start(&self, stage: &str, total: Option<u64>) {
        if !self.draw {
            return;
        }
        let bar = match total {
            Some(n) => ProgressBar::new(n).with_style(
                ProgressStyle::with_template("{spinner} {msg} {bar:30} {pos}/{len} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ),
            None => {
                let spinner = ProgressBar::new_spinner();
                spinner.enable_steady_tick(std::time::Duration::from_millis(120));
                spinner
            }
        };
        bar.set_message(stage.to_owned());
        self.with(|b| {
            if let Some(old) = b.replace(bar) {
                old.finish_and_clear();
            }
        });
    }

    fn advance(&self, n: u64) {
        self.with(|b| {
            if let Some(b) = b {
                b.inc(n);
            }
        });
    }

    fn finish(&self) {
        self.with(|b| {
            if let Some(b) = b.take() {
                b.finish_and_clear();
            }
        });
    }

    fn warn(&self, message: &str) {
        if !self.quiet {
            eprintln!("vigie: warning: {message}");
        }
    }
}
