//! What the CLI's process tests share: running `rebound` with a home of its
//! own and reading its `--json` output. Each tests/cli*.rs includes it.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Runs `rebound ARGS` with `REBOUND_HOME=home`; whether it succeeded, and its stdout as JSON.
pub fn rebound(home: &Path, args: &[&str]) -> (bool, Value) {
    let (ok, stdout) = rebound_text(home, args);
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    (ok, json)
}

/// The keys of a JSON object, sorted.
pub fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

/// Runs `rebound ARGS` as [`rebound`] does; whether it succeeded, and its stdout as text.
pub fn rebound_text(home: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rebound"))
        .args(args)
        .env("REBOUND_HOME", home)
        .env_remove("REBOUND_WORKSPACE")
        .output()
        .expect("run rebound");
    (out.status.success(), String::from_utf8(out.stdout).unwrap())
}
