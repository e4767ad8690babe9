//! Import benchmark: `cargo bench -p rebound-cli --bench import`.
//!
//! Builds a REES46-format CSV of REBOUND_BENCH_ROWS rows (default 1,000,000)
//! from the sample in ../shared/data/exports, with users renumbered per copy so
//! the people count grows with the file. Then, side by side, REBOUND_BENCH_RUNS
//! times (default 3):
//!
//! * `rebound import FILE --json` into a fresh workspace (parsing, identity
//!   resolution, products, both event indexes maintained, one transaction),
//!   as a separate process so its peak memory can be read;
//! * `sqlite3` loading the same file with `.import --csv`, then building the
//!   same two indexes (on the text columns it loaded) and counting, which is
//!   the floor of what loading this file into SQLite costs.
//!
//! It prints medians, the ratio (target: at most 1.5x) and rebound's peak
//! resident memory (target: under 200 MB, even for a 1 GB file:
//! REBOUND_BENCH_ROWS=7500000).

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/exports/rees46_2019-Oct_head_sample.csv")
}

/// Writes `rows` data rows in the sample's format; returns the file size.
fn build_file(path: &Path, rows: usize) -> u64 {
    let input = BufReader::new(std::fs::File::open(sample()).expect("the REES46 sample"));
    let mut lines = input.lines().map(|l| l.expect("sample line"));
    let header = lines.next().expect("header");
    // Whole rows only: the sample's last row is cut short on purpose.
    let data: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect::<Vec<_>>())
        .filter(|cells| cells.len() == 9)
        .collect();
    let mut out =
        BufWriter::with_capacity(1 << 20, std::fs::File::create(path).expect("bench file"));
    writeln!(out, "{header}").unwrap();
    let mut written = 0;
    let mut copy: u64 = 0;
    'outer: loop {
        for cells in &data {
            if written == rows {
                break 'outer;
            }
            let user = cells[7]
                .parse::<u64>()
                .map(|u| (u + copy * 1_000_003).to_string())
                .unwrap_or_else(|_| cells[7].clone());
            let session = format!("{}-{copy}", cells[8]);
            writeln!(
                out,
                "{},{},{},{},{},{},{},{},{}",
                cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], user, session
            )
            .unwrap();
            written += 1;
        }
        copy += 1;
    }
    out.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

/// Peak resident memory of the largest child waited for so far, in bytes.
fn children_peak_rss() -> u64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; RUSAGE_CHILDREN is valid.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss as u64 * 1024
}

fn run_rebound(file: &Path, dir: &Path, run: usize) -> (f64, u64) {
    let workspace = dir.join(format!("run{run}.rebound"));
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_rebound"))
        .arg("--workspace")
        .arg(&workspace)
        .arg("--json")
        .arg("import")
        .arg(file)
        .stderr(std::process::Stdio::null())
        .output()
        .expect("run rebound");
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        out.status.success(),
        "rebound import failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let imported = json["imports"][0]["import"]["rows_imported"]
        .as_u64()
        .unwrap_or(0);
    let _ = std::fs::remove_file(&workspace);
    (seconds, imported)
}

fn run_sqlite3(file: &Path, dir: &Path, run: usize) -> Result<(f64, u64), String> {
    let db = dir.join(format!("ref{run}.db"));
    let started = Instant::now();
    let out = Command::new("sqlite3")
        .arg(&db)
        .arg(format!(".import --csv {} events", file.display()))
        .arg("CREATE INDEX events_name_ts_user ON events(event_type, event_time, user_id)")
        .arg("CREATE INDEX events_user_ts ON events(user_id, event_time)")
        .arg("SELECT count(*) FROM events")
        .output()
        .map_err(|e| format!("sqlite3 is not installed ({e})"))?;
    let seconds = started.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let rows = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    let _ = std::fs::remove_file(&db);
    Ok((seconds, rows))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let rows = env("REBOUND_BENCH_ROWS", 1_000_000);
    let runs = env("REBOUND_BENCH_RUNS", 3).max(1);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("rees46.csv");
    let bytes = build_file(&file, rows);
    println!(
        "import of a REES46-format CSV: {rows} rows, {:.1} MB, {runs} runs each",
        bytes as f64 / 1_048_576.0
    );

    let mut rebound = Vec::new();
    let mut imported = 0;
    for run in 0..runs {
        let (s, n) = run_rebound(&file, dir.path(), run);
        rebound.push(s);
        imported = n;
    }
    let peak = children_peak_rss();
    let mut reference = Vec::new();
    let mut reference_rows = 0;
    for run in 0..runs {
        match run_sqlite3(&file, dir.path(), run) {
            Ok((s, n)) => {
                reference.push(s);
                reference_rows = n;
            }
            Err(why) => {
                println!("  sqlite3 reference skipped: {why}");
                break;
            }
        }
    }
    let rebound_s = median(rebound);
    println!(
        "  rebound import        {rebound_s:>8.2} s   {imported} rows imported ({:.0} rows/s), peak memory {:.0} MB",
        imported as f64 / rebound_s,
        peak as f64 / 1_048_576.0
    );
    if !reference.is_empty() {
        let reference_s = median(reference);
        let ratio = rebound_s / reference_s;
        println!("  sqlite3 .import       {reference_s:>8.2} s   {reference_rows} rows, plus the same two indexes");
        println!(
            "  ratio                 {ratio:>8.2}x  target at most 1.50x: {}",
            if ratio <= 1.5 { "met" } else { "NOT met" }
        );
    }
    println!(
        "  peak memory           {:>8.0} MB  target under 200 MB: {}",
        peak as f64 / 1_048_576.0,
        if peak < 200 * 1_048_576 {
            "met"
        } else {
            "NOT met"
        }
    );
}
