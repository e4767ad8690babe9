//! What the tests of every crate share.
//!
//! - [`demo`]: a demo workspace of a given size and seed, built once per test
//!   process and copied for each test, so a suite of twenty tests on the same
//!   demo builds it once.
//! - [`assert_codes`]: the error table check every crate runs: each error
//!   variant has its code, and crosses to IPC and `--json` with it.

use std::collections::HashMap;
use std::fmt::Display;
use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rebound_core::{CancelToken, ErrorCode, ErrorPayload, Workspace};
use rebound_demo::{self as demo, DemoOptions};
use tokio::sync::Mutex;

/// The last day of every test demo's history: a fixed day, so figures do
/// not move with the calendar.
pub fn demo_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 31).expect("a day")
}

/// Where this process keeps the demos it built, by their options.
struct Cache {
    dir: tempfile::TempDir,
    built: Mutex<HashMap<(u32, u64, String), PathBuf>>,
}

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Cache {
        dir: tempfile::tempdir().expect("a folder for demo workspaces"),
        built: Mutex::new(HashMap::new()),
    })
}

/// A demo workspace of `people` with `seed` up to [`demo_end`], in US
/// dollars, of the test's own (a copy: it may write to it). The folder
/// holding it goes with the returned `TempDir`.
pub async fn demo(people: u32, seed: u64) -> (Workspace, tempfile::TempDir) {
    demo_with(DemoOptions::new(people, seed, demo_end())).await
}

/// [`demo`] with any options.
pub async fn demo_with(options: DemoOptions) -> (Workspace, tempfile::TempDir) {
    let cache = cache();
    let key = (options.people, options.seed, options.currency.clone());
    let source = {
        let mut built = cache.built.lock().await;
        match built.get(&key) {
            Some(path) => path.clone(),
            None => {
                let name = format!(
                    "demo-{}-{}-{}-{}.rebound",
                    options.people, options.seed, options.currency, options.end_date
                );
                let path = cache.dir.path().join(name);
                demo::build_file(&path, &options, &|_| {}, &CancelToken::new())
                    .await
                    .expect("build the demo workspace");
                built.insert(key, path.clone());
                path
            }
        }
    };
    let dir = tempfile::tempdir().expect("a folder for the test's workspace");
    let path = dir.path().join("demo.rebound");
    std::fs::copy(&source, &path).expect("copy the demo workspace");
    let workspace = Workspace::open(&path)
        .await
        .expect("open the demo workspace");
    (workspace, dir)
}

/// Checks an error table: each error has its code, keeps it on the way into
/// `rebound_core::Error`, and crosses IPC and `--json` with it and its message.
pub fn assert_codes<E>(
    cases: impl IntoIterator<Item = (E, ErrorCode)>,
    code: impl Fn(&E) -> ErrorCode,
) where
    E: Display + Into<rebound_core::Error>,
{
    let mut seen = 0;
    for (error, expected) in cases {
        let message = error.to_string();
        assert_eq!(code(&error), expected, "{message}");
        let core: rebound_core::Error = error.into();
        assert_eq!(core.code(), expected, "{message}");
        let payload = ErrorPayload::from(&core);
        assert_eq!(payload.code, expected, "{message}");
        assert_eq!(payload.message, message);
        seen += 1;
    }
    assert!(seen > 0, "an error table lists its variants");
}
