//! Times who-uses inside the process on an existing store (the estate's, after `vigie scan`).
//!
//! `cargo run --release -p vigie-store --example who_uses_bench -- DB QUERY...` (DB: a file
//! or a `postgres://` URL, as `--db` takes it): for each
//! query, the number of projects and the median of 31 runs (after one warm-up) of
//! `who_uses` (the rows collected) and of `who_uses_each` (the rows walked, as
//! `vigie who-uses -f json` prints them), on a store opened read-only as the command opens it.

use std::time::Instant;

use vigie_store::{Location, Mode, PackageQuery};

fn median_ms(mut run: impl FnMut()) -> f64 {
    run();
    let mut times: Vec<f64> = (0..31)
        .map(|_| {
            let t = Instant::now();
            run();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[15]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args.next().ok_or("usage: who_uses_bench DB QUERY...")?;
    let store = vigie_store::open(&Location::parse(&db)?, Mode::ReadOnly)?;
    let snapshot = store.latest()?;
    for q in args {
        let query = PackageQuery::parse(&q)?;
        let n = store.who_uses(snapshot, &query)?.len();
        let collected = median_ms(|| {
            let _ = store.who_uses(snapshot, &query);
        });
        let walked = median_ms(|| {
            let _ = store.who_uses_each(snapshot, &query, &mut |u| {
                std::hint::black_box(u);
                Ok(())
            });
        });
        println!(
            "who_uses {q:<28} {n:>6} rows, median {collected:.2} ms collected, {walked:.2} ms walked"
        );
    }
    Ok(())
}
