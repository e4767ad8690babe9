//! Rebound's domain: everything the app and the `rebound` CLI do, with no
//! dependency on Tauri or a window. See ARCHITECTURE.md for the map.

pub mod audience_tests;
pub mod bulk;
pub mod charts;
pub mod dashboard;
pub mod demo;
pub mod error;
pub mod experiments;
pub mod import;
pub mod money;
pub mod names;
pub mod paths;
pub mod progress;
pub mod random;
pub mod reports;
pub mod session;
pub mod settings;
pub mod split_tests;
pub mod store;
pub mod time;
pub mod ts_bindings;

#[cfg(test)]
mod bindings;

pub use error::{Error, ErrorCode, ErrorPayload, Result};
pub use progress::{CancelToken, Progress};
pub use store::Workspace;
