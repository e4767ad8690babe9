//! Demo generation benchmark: `cargo bench -p rebound-demo --bench demo`.
//!
//! Generates REBOUND_BENCH_PEOPLE people (default 100,000, about a million
//! events) into a fresh workspace and reports the time. In the same run, as a
//! reference for what plain bulk loading costs on this machine, it exports the
//! same events to CSV and times `sqlite3` loading them with `.import` and
//! building the same two segment indexes. The target is under 30 s for 100k
//! people; the ratio to sqlite3 says how much of that is generation itself.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use chrono::NaiveDate;
use rebound_core::{CancelToken, Workspace};
use rebound_demo::{self as demo, DemoOptions};

fn main() {
    let people: u32 = std::env::var("REBOUND_BENCH_PEOPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.rebound");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");

    let started = Instant::now();
    let summary = runtime.block_on(async {
        let ws = Workspace::create(&path).await.expect("workspace");
        let options = DemoOptions {
            people,
            seed: 42,
            end_date: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
            currency: demo::CURRENCY.to_string(),
        };
        let s = demo::generate(&ws, &options, &|_| {}, &CancelToken::new())
            .await
            .expect("demo");
        ws.close().await;
        s
    });
    let rebound_s = started.elapsed().as_secs_f64();

    println!("demo generation, {people} people");
    println!(
        "  rebound demo          {:>8.2} s   {} events, {} sessions, {} people ({:.0} events/s)",
        rebound_s,
        summary.events,
        summary.sessions,
        summary.people,
        summary.events as f64 / rebound_s
    );

    match sqlite3_reference(&path, dir.path()) {
        Ok((import_s, rows)) => {
            println!("  sqlite3 .import       {:>8.2} s   the same {rows} events from CSV, plus the same indexes", import_s);
            println!("  ratio                 {:>8.2}x  (rebound generates and writes every table; sqlite3 only loads events)", rebound_s / import_s);
        }
        Err(why) => println!("  sqlite3 reference skipped: {why}"),
    }
    let target = 30.0 * people as f64 / 100_000.0;
    println!(
        "  target                {:>8.2} s   {}",
        target,
        if rebound_s <= target {
            "met"
        } else {
            "NOT met"
        }
    );
}

fn sqlite3_reference(workspace: &Path, dir: &Path) -> Result<(f64, u64), String> {
    let csv = dir.join("events.csv");
    let export = format!(
        ".headers off\n.mode csv\n.once {}\nSELECT person_id, ts, name, session_id, device_id, product_id, page, source, quantity, value_minor, currency, order_id, campaign_id, import_id FROM events;\n",
        csv.display()
    );
    run_sqlite(workspace, &export)?;
    let db = dir.join("reference.db");
    let load = format!(
        "PRAGMA journal_mode = WAL;\nCREATE TABLE events (person_id INTEGER, ts INTEGER, name TEXT, session_id INTEGER, device_id INTEGER, product_id INTEGER, page TEXT, source TEXT, quantity INTEGER, value_minor INTEGER, currency TEXT, order_id TEXT, campaign_id INTEGER, import_id INTEGER);\n.mode csv\n.import {} events\nCREATE INDEX a ON events(name, ts, person_id);\nCREATE INDEX b ON events(person_id, ts);\n",
        csv.display()
    );
    let started = Instant::now();
    run_sqlite(&db, &load)?;
    let seconds = started.elapsed().as_secs_f64();
    let count = Command::new("sqlite3")
        .arg(&db)
        .arg("SELECT count(*) FROM events")
        .output()
        .map_err(|e| e.to_string())?;
    let rows = String::from_utf8_lossy(&count.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    Ok((seconds, rows))
}

fn run_sqlite(db: &Path, script: &str) -> Result<(), String> {
    use std::io::Write;
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("sqlite3 is not installed ({e})"))?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .map_err(|e| e.to_string())?;
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("sqlite3 exited with {status}"))
    }
}
