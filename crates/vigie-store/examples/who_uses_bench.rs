//! Times `who_uses` inside the process on an existing store (the estate's, after `vigie scan`).
//!
//! `cargo run --release -p vigie-store --example who_uses_bench -- DB QUERY...`: for each
//! query, the number of projects and the median of 31 runs (after one warm-up).

use std::time::Instant;

use vigie_store::{PackageQuery, SqliteStore, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args.next().ok_or("usage: who_uses_bench DB QUERY...")?;
    let store = SqliteStore::open(std::path::Path::new(&db))?;
    let snapshot = store.latest()?;
    for q in args {
        let query = PackageQuery::parse(&q)?;
        let n = store.who_uses(snapshot, &query)?.len();
        let mut times: Vec<f64> = (0..31)
            .map(|_| {
                let t = Instant::now();
                let _ = store.who_uses(snapshot, &query);
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "who_uses {q:<28} {n:>6} projects, median {:.2} ms",
            times[15]
        );
    }
    Ok(())
}
