//! Live-count benchmark: `cargo bench -p rebound-segments --bench live_count`.
//!
//! Generates REBOUND_BENCH_PEOPLE demo people (default 100,000, about a
//! million events) into a fresh workspace, then times the live count of every
//! template as of the end of the demo history: the engine's one-time read of
//! the workspace into memory, then per template a first run and the best and
//! median of REBOUND_BENCH_RUNS more (default 7). The bar is 150 ms per count
//! at 100k people.
//!
//! Side by side, in the same run: `benches/duckdb_live_count.py` copies the
//! same workspace's tables into DuckDB (Python package `duckdb`) and runs the
//! very SQL each template compiles to, with the same parameters, cold and
//! warm; the table gives both medians and Rebound's time as a multiple of
//! DuckDB's. Without `python3 -c "import duckdb"` the DuckDB columns are
//! skipped with a note. `REBOUND_BENCH_DUCKDB=0` skips them on purpose.
//! 10M events: `REBOUND_BENCH_PEOPLE=1000000` (the bar is then 1.5 s).

use std::time::Instant;

use chrono::NaiveDate;
use rebound_core::{CancelToken, Workspace};
use rebound_demo::{self as demo, DemoOptions};
use rebound_segments::{compile_in, count, end_of_day, templates, Param};
use serde_json::{json, Value};

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
            currency: rebound_demo::CURRENCY.to_string(),
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
        // The engine reads people, events and consent into memory once per
        // open workspace (and again after a change); every count after that
        // is a pass over those columns. The first read is timed on its own.
        let started = Instant::now();
        let (in_memory_people, in_memory_events) =
            rebound_segments::prepare(&ws).await.expect("prepare");
        println!(
            "  engine read {} people and {} events into memory in {:.0} ms (once per open workspace)",
            in_memory_people,
            in_memory_events,
            started.elapsed().as_secs_f64() * 1000.0
        );
        println!(
            "  {:<44} {:>8} {:>9} {:>9} {:>9}",
            "template", "members", "first ms", "best ms", "median ms"
        );
        let as_of = end_of_day(end_date);
        let mut worst_median = 0.0f64;
        let mut ours: Vec<(String, u64, f64)> = Vec::new();
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
            ours.push((definition.name.clone(), members, median));
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
        if std::env::var("REBOUND_BENCH_DUCKDB").as_deref() != Ok("0") {
            let mut queries = Vec::new();
            for template in templates() {
                let compiled = compile_in(&ws, &template.definition, as_of)
                    .await
                    .expect("compile");
                let params: Vec<Value> = compiled
                    .params
                    .iter()
                    .map(|p| match p {
                        Param::Int(v) => json!(v),
                        Param::Text(v) => json!(v),
                        Param::Null => Value::Null,
                    })
                    .collect();
                queries.push(json!({
                    "name": template.definition.name,
                    "sql": compiled.sql,
                    "params": params,
                    "leave_out": compiled.leave_out_without_consent,
                }));
            }
            ws.close().await;
            side_by_side(
                &path,
                &dir.path().join("queries.json"),
                &queries,
                runs,
                &ours,
            );
        } else {
            ws.close().await;
        }
    });
}

/// Runs the DuckDB script on the same workspace and prints both timings.
fn side_by_side(
    workspace: &std::path::Path,
    queries_file: &std::path::Path,
    queries: &[Value],
    runs: usize,
    ours: &[(String, u64, f64)],
) {
    std::fs::write(queries_file, Value::from(queries.to_vec()).to_string()).expect("write queries");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/duckdb_live_count.py");
    let output = std::process::Command::new("python3")
        .arg(script)
        .arg(workspace)
        .arg(queries_file)
        .arg(runs.to_string())
        .output();
    let output = match output {
        Ok(o) if o.status.success() => o,
        Ok(o) => {
            println!(
                "  DuckDB side skipped: {} (pip install duckdb)",
                String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .last()
                    .unwrap_or("python3 failed")
            );
            return;
        }
        Err(e) => {
            println!("  DuckDB side skipped: cannot run python3: {e}");
            return;
        }
    };
    let report: Value = serde_json::from_slice(&output.stdout).expect("the DuckDB script's JSON");
    println!(
        "side by side with DuckDB {} (same workspace copied in, {:.1} s; same compiled SQL and parameters)",
        report["duckdb"].as_str().unwrap_or("?"),
        report["load_s"].as_f64().unwrap_or(0.0)
    );
    println!(
        "  {:<44} {:>8} {:>11} {:>11} {:>8}",
        "template", "same n?", "rebound ms", "duckdb ms", "ratio"
    );
    let mut ratios = Vec::new();
    for (result, (name, members, median)) in report["results"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .zip(ours)
    {
        if let Some(error) = result["error"].as_str() {
            println!("  {name:<44} DuckDB could not run it: {error}");
            continue;
        }
        let theirs = result["median_ms"].as_f64().unwrap_or(f64::NAN);
        let same = result["count"].as_u64() == Some(*members);
        let ratio = median / theirs;
        ratios.push(ratio);
        println!(
            "  {:<44} {:>8} {:>11.1} {:>11.1} {:>7.2}x",
            name,
            if same { "yes" } else { "NO" },
            median,
            theirs,
            ratio
        );
    }
    if !ratios.is_empty() {
        let geo = (ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64).exp();
        println!("  geometric mean of rebound / duckdb: {geo:.2}x (below 1: Rebound is faster)");
    }
}
