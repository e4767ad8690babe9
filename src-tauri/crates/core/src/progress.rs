//! Progress reports and cancellation for long work (demo generation now,
//! imports and evaluations later). The domain reports through a callback and
//! polls a [`CancelToken`]; adapters turn reports into IPC events or a
//! terminal progress line.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A report of long work. It crosses IPC and `--json` as a
/// [`ProgressReport`], with how far along it is and the time left worked out
/// here, so every screen and the terminal say the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "ProgressReport")]
pub struct Progress {
    /// What is happening now, in words for the person waiting.
    pub stage: String,
    /// Units done so far (rows, people, ...).
    pub done: u64,
    /// Units in all, when known.
    pub total: Option<u64>,
    /// What a unit is, e.g. "people".
    pub unit: String,
    /// Milliseconds since the work started.
    pub elapsed_ms: u64,
    /// Bytes of input read so far, for work that reads a file.
    pub bytes_done: Option<u64>,
    /// Size of that input.
    pub bytes_total: Option<u64>,
}

/// [`Progress`] as it crosses IPC and `--json`: the report, how far along the
/// work is, its rate and the time left (`Progress::fraction`, `rate`,
/// `remaining_ms`), each absent until it can be told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "Progress")]
pub struct ProgressReport {
    pub stage: String,
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number | null")]
    pub total: Option<u64>,
    pub unit: String,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    #[ts(type = "number | null")]
    pub bytes_done: Option<u64>,
    #[ts(type = "number | null")]
    pub bytes_total: Option<u64>,
    /// 0..1: by bytes when reading a file, else by units; null when unknown.
    pub fraction: Option<f64>,
    /// Units per second so far.
    pub rate: Option<f64>,
    /// Milliseconds left, once enough is done to tell.
    #[ts(type = "number | null")]
    pub remaining_ms: Option<u64>,
}

impl From<Progress> for ProgressReport {
    fn from(p: Progress) -> ProgressReport {
        ProgressReport {
            fraction: p.fraction(),
            rate: p.rate(),
            remaining_ms: p.remaining_ms(),
            stage: p.stage,
            done: p.done,
            total: p.total,
            unit: p.unit,
            elapsed_ms: p.elapsed_ms,
            bytes_done: p.bytes_done,
            bytes_total: p.bytes_total,
        }
    }
}

/// Progress callback for long work.
pub type OnProgress<'a> = &'a (dyn Fn(&Progress) + Send + Sync);

impl Progress {
    /// How far along the work is: by bytes when reading a file, else by units.
    pub fn fraction(&self) -> Option<f64> {
        if let (Some(done), Some(total)) = (self.bytes_done, self.bytes_total.filter(|&t| t > 0)) {
            return Some((done as f64 / total as f64).clamp(0.0, 1.0));
        }
        self.total
            .filter(|&t| t > 0)
            .map(|t| (self.done as f64 / t as f64).clamp(0.0, 1.0))
    }

    /// Units per second so far.
    pub fn rate(&self) -> Option<f64> {
        (self.elapsed_ms >= 200).then(|| self.done as f64 * 1000.0 / self.elapsed_ms as f64)
    }

    /// Estimated milliseconds left, from the fraction done and the time taken so far.
    pub fn remaining_ms(&self) -> Option<u64> {
        let f = self.fraction()?;
        (f > 0.01 && self.elapsed_ms >= 500)
            .then(|| ((1.0 - f) / f * self.elapsed_ms as f64).round() as u64)
    }
}

/// Shared flag that asks long work to stop. Work checks it between batches and
/// rolls back, so a cancel never leaves anything half-written.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    pub fn check(&self) -> crate::Result<()> {
        if self.is_cancelled() {
            Err(crate::Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraction_is_clamped_and_absent_without_total() {
        let mut p = Progress {
            stage: "x".into(),
            done: 5,
            total: Some(10),
            unit: "rows".into(),
            elapsed_ms: 0,
            bytes_done: None,
            bytes_total: None,
        };
        assert_eq!(p.fraction(), Some(0.5));
        p.done = 20;
        assert_eq!(p.fraction(), Some(1.0));
        p.total = None;
        assert_eq!(p.fraction(), None);
        p.total = Some(0);
        assert_eq!(p.fraction(), None);
    }

    #[test]
    fn bytes_drive_the_fraction_and_the_time_left() {
        let p = Progress {
            stage: "x".into(),
            done: 4000,
            total: None,
            unit: "rows".into(),
            elapsed_ms: 2000,
            bytes_done: Some(250),
            bytes_total: Some(1000),
        };
        assert_eq!(p.fraction(), Some(0.25));
        assert_eq!(p.rate(), Some(2000.0));
        assert_eq!(p.remaining_ms(), Some(6000));
        // What crosses IPC and --json carries the same figures.
        let wire = serde_json::to_value(&p).unwrap();
        assert_eq!(wire["fraction"], 0.25);
        assert_eq!(wire["rate"], 2000.0);
        assert_eq!(wire["remaining_ms"], 6000);
        assert_eq!(wire["stage"], "x");
        let back: Progress = serde_json::from_value(wire).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn cancel_is_seen_by_clones() {
        let token = CancelToken::new();
        let clone = token.clone();
        assert!(clone.check().is_ok());
        token.cancel();
        assert!(matches!(clone.check(), Err(crate::Error::Cancelled)));
    }
}
