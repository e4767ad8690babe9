//! The one error type of the segment engine.
//!
//! Messages are lower-case and name the operation and the thing, so the
//! Tauri and CLI adapters can show them as they are. `code()` gives the
//! adapters a stable string to switch on.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule or definition that breaks the documented model (bad window,
    /// empty list, unknown segment, ...). `at` says where in the rule tree.
    #[error("invalid segment {segment:?}: {at}: {reason}")]
    InvalidRule {
        segment: String,
        at: String,
        reason: String,
    },

    #[error("cannot read the segment file: {0}")]
    ImportFormat(String),

    #[error("no segment with id {0}")]
    SegmentNotFound(i64),

    #[error("no segment named {0:?}")]
    SegmentNameNotFound(String),

    #[error("cannot save segment {0:?}: a segment with that name already exists")]
    DuplicateName(String),

    #[error("cannot {op} segment {name:?}: it is used by {used_by}")]
    InUse {
        op: &'static str,
        name: String,
        used_by: String,
    },

    #[error("cannot evaluate segment {name:?}: it refers to itself through {path}")]
    Cycle { name: String, path: String },

    #[error("cannot compute membership over time from {from} to {to}: {reason}")]
    InvalidRange {
        from: String,
        to: String,
        reason: String,
    },

    #[error("no person with id {0}")]
    PersonNotFound(i64),

    #[error("cannot {op} {path}: {source}")]
    Io {
        op: &'static str,
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot draw the chart: {0}")]
    Chart(String),

    /// The read of the workspace into memory was stopped (`cancel_reading`).
    #[error(
        "the count was stopped while the workspace was being read into memory; nothing was kept"
    )]
    Cancelled,

    /// Reading the workspace into the engine's memory failed.
    #[error("database error while {op}: {message}")]
    Load { op: &'static str, message: String },

    #[error("database error while {op}: {source}")]
    Database {
        op: &'static str,
        #[source]
        source: sqlx::Error,
    },
}

/// The core's workspace reads this crate uses (`rebound_core::time`) fail
/// only on the database.
impl From<rebound_core::Error> for Error {
    fn from(error: rebound_core::Error) -> Error {
        Error::Load {
            op: "reading the workspace",
            message: error.to_string(),
        }
    }
}

impl Error {
    /// A stable code for the IPC and `--json` edges.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidRule { .. } => "invalid_rule",
            Error::ImportFormat(_) => "invalid_segment_file",
            Error::SegmentNotFound(_) | Error::SegmentNameNotFound(_) => "segment_not_found",
            Error::DuplicateName(_) => "duplicate_segment_name",
            Error::InUse { .. } => "segment_in_use",
            Error::Cycle { .. } => "segment_cycle",
            Error::InvalidRange { .. } => "invalid_range",
            Error::PersonNotFound(_) => "person_not_found",
            Error::Io { .. } => "io",
            Error::Chart(_) => "internal",
            Error::Cancelled => "cancelled",
            Error::Database { .. } | Error::Load { .. } => "database",
        }
    }

    pub(crate) fn db(op: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
        move |source| Error::Database { op, source }
    }
}
