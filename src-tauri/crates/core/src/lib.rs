//! Rebound's kernel: the workspace store and its migrations, bulk writing,
//! the one error type, progress and cancelling, settings, app folders, the
//! clock, and the one schema description of the rows every feature writes.
//! Features (import, demo, experiments, segments, ...) are crates of their
//! own on top of this one; none of them, and nothing here, knows Tauri. See
//! ARCHITECTURE.md for the map.

pub mod bulk;
pub mod error;
pub mod money;
pub mod names;
pub mod paths;
pub mod progress;
pub mod random;
pub mod schema;
pub mod settings;
pub mod store;
pub mod time;
pub mod ts_bindings;

pub use error::{Error, ErrorCode, ErrorPayload, Result};
pub use progress::{CancelToken, Progress};
pub use store::Workspace;
