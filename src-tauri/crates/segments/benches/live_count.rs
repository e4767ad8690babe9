//! Live-count benchmark: `cargo bench -p rebound-segments --bench live_count`.
//!
//! Generates REBOUND_BENCH_PEOPLE demo people (default 100,000, about a
//! million events) into a fresh workspace, then times the live count of every
//! template as of the end of the demo history: one cold run, then the best
//! and median of REBOUND_BENCH_RUNS warm runs (default 7). The bar is 150 ms
//! per count at 100k people.

use std::time::Instant;

use chrono::NaiveDate;
use rebound_core::demo::{self, DemoOptions};
use rebound_core::{CancelToken, Workspace};
use rebound_segments::{count, end_of_day, templates};

fn env_number(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let people = env_number("REBOUND_BENCH_PEOPLE", 100_000);
    let runs = env_number("REBOUND_BENCH_RUNS", 7).max(1) as usize;
    let end_date = NaiveDate::from_ymd_opt(2026, 10, 31).expect("date");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.rebound");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");

    runtime.block_on(async {
        let started = Instant::now();
        let ws = Workspace::create(&path).await.expect("workspace");
        let options = DemoOptions {
            people,
            seed: 42,
            end_date,
        };
        let summary = demo::generate(&ws, &options, &|_| {}, &CancelToken::new())
            .await
            .expect("demo");
        println!(
            "live segment count, {} people, {} events (demo built in {:.1} s)",
            summary.people,
            summary.events,
            started.elapsed().as_secs_f64()
        );
        println!(
            "  {:<44} {:>8} {:>9} {:>9} {:>9}",
            "template", "members", "cold ms", "best ms", "median ms"
        );
        let as_of = end_of_day(end_date);
        let mut worst_median = 0.0f64;
        for template in templates() {
            let definition = &template.definition;
            let timed = || async {
                let started = Instant::now();
                let c = count(&ws, definition, as_of).await.expect("count");
                (c.members, started.elapsed().as_secs_f64() * 1000.0)
            };
            let (members, cold) = timed().await;
            let mut warm = Vec::with_capacity(runs);
            for _ in 0..runs {
                warm.push(timed().await.1);
            }
            warm.sort_by(|a, b| a.total_cmp(b));
            let median = warm[warm.len() / 2];
            worst_median = worst_median.max(median);
            println!(
                "  {:<44} {:>8} {:>9.1} {:>9.1} {:>9.1}",
                definition.name, members, cold, warm[0], median
            );
        }
        let bar = 150.0 * f64::from(people) / 100_000.0;
        println!(
            "  slowest median {:.1} ms; bar {:.0} ms: {}",
            worst_median,
            bar,
            if worst_median <= bar {
                "met"
            } else {
                "NOT met"
            }
        );
        ws.close().await;
    });
}
