//! The one error type of the segment engine.
//!
//! Messages are lower-case and name the operation and the thing, so the
//! Tauri and CLI adapters can show them as they are. `code()` maps every
//! variant to the one `rebound_core::ErrorCode` set, the code both edges report.

use rebound_core::ErrorCode;

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
    /// The code the IPC and `--json` edges report for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidRule { .. } => ErrorCode::InvalidRule,
            Error::ImportFormat(_) => ErrorCode::InvalidSegmentFile,
            Error::SegmentNotFound(_) | Error::SegmentNameNotFound(_) => ErrorCode::SegmentNotFound,
            Error::DuplicateName(_) => ErrorCode::AlreadyExists,
            Error::InUse { .. } => ErrorCode::SegmentInUse,
            Error::Cycle { .. } => ErrorCode::SegmentCycle,
            Error::InvalidRange { .. } => ErrorCode::InvalidRange,
            Error::PersonNotFound(_) => ErrorCode::PersonNotFound,
            Error::Io { .. } => ErrorCode::Io,
            Error::Chart(_) => ErrorCode::Internal,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Database { .. } | Error::Load { .. } => ErrorCode::Database,
        }
    }

    pub(crate) fn db(op: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
        move |source| Error::Database { op, source }
    }
}

/// Across crates, a segment error keeps its code (`Error::Feature`).
impl From<Error> for rebound_core::Error {
    fn from(error: Error) -> rebound_core::Error {
        rebound_core::Error::Feature {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant and its code, the table both edges report from.
    #[test]
    fn every_error_has_its_code() {
        let io = || std::io::Error::other("x");
        let cases = [
            (
                Error::InvalidRule {
                    segment: "s".into(),
                    at: "rule".into(),
                    reason: "r".into(),
                },
                ErrorCode::InvalidRule,
            ),
            (
                Error::ImportFormat("x".into()),
                ErrorCode::InvalidSegmentFile,
            ),
            (Error::SegmentNotFound(1), ErrorCode::SegmentNotFound),
            (
                Error::SegmentNameNotFound("s".into()),
                ErrorCode::SegmentNotFound,
            ),
            (Error::DuplicateName("s".into()), ErrorCode::AlreadyExists),
            (
                Error::InUse {
                    op: "delete",
                    name: "s".into(),
                    used_by: "t".into(),
                },
                ErrorCode::SegmentInUse,
            ),
            (
                Error::Cycle {
                    name: "s".into(),
                    path: "p".into(),
                },
                ErrorCode::SegmentCycle,
            ),
            (
                Error::InvalidRange {
                    from: "a".into(),
                    to: "b".into(),
                    reason: "r".into(),
                },
                ErrorCode::InvalidRange,
            ),
            (Error::PersonNotFound(1), ErrorCode::PersonNotFound),
            (
                Error::Io {
                    op: "read",
                    path: "f".into(),
                    source: io(),
                },
                ErrorCode::Io,
            ),
            (Error::Chart("x".into()), ErrorCode::Internal),
            (Error::Cancelled, ErrorCode::Cancelled),
            (
                Error::Load {
                    op: "reading",
                    message: "m".into(),
                },
                ErrorCode::Database,
            ),
            (
                Error::Database {
                    op: "reading",
                    source: sqlx::Error::RowNotFound,
                },
                ErrorCode::Database,
            ),
        ];
        rebound_testsupport::assert_codes(cases, Error::code);
    }
}
