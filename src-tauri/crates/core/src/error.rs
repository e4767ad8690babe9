//! The one error type of the domain, and the one set of codes.
//!
//! Every variant maps to exactly one [`ErrorCode`]; the codes are what the
//! UI and scripts switch on, the messages are what a person reads. Messages
//! are lower-case and name the operation and the thing it was done to.
//!
//! The feature crates (segments, creatives, sequences) keep their own error
//! enums for their own variants, and each maps every variant to an
//! [`ErrorCode`] in one `code()` function; `From<their Error> for Error`
//! carries the code in [`Error::Feature`], so the Tauri commands and the
//! `--json` output report the same code for the same failure. The statistics
//! engine has no dependency on this crate: its errors map here
//! ([`stats_code`]).

use std::path::PathBuf;

use rebound_formats::FormatError;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no workspace file at {}", path.display())]
    WorkspaceNotFound { path: PathBuf },

    /// A campaign, experiment or import the workspace does not hold (the
    /// message names which).
    #[error("{0}")]
    NotFound(String),

    #[error("{} is not a Rebound workspace: {reason}", path.display())]
    NotAWorkspace { path: PathBuf, reason: String },

    #[error(
        "{} was saved by a newer version of Rebound (workspace format {found}; this version reads up to {known}). Update Rebound to open it; the file was not changed",
        path.display()
    )]
    WorkspaceTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    #[error("a file already exists at {}", path.display())]
    AlreadyExists { path: PathBuf },

    #[error("the workspace {} already holds data: {what}", path.display())]
    WorkspaceNotEmpty { path: PathBuf, what: String },

    #[error("no workspace is open")]
    NoWorkspace,

    #[error("{0}")]
    InvalidInput(String),

    #[error("cancelled; nothing was changed")]
    Cancelled,

    #[error("cannot {op} {}: {source}", path.display())]
    Io {
        op: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("database error while {op}: {source}")]
    Database {
        op: &'static str,
        #[source]
        source: sqlx::Error,
    },

    #[error("database error while {op}: {message}")]
    Sqlite { op: &'static str, message: String },

    #[error("cannot update the workspace format: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    #[error("{0}")]
    Format(#[from] rebound_formats::FormatError),

    #[error("cannot draw the {chart} chart: {reason}")]
    Chart { chart: &'static str, reason: String },

    /// A feature crate's error, with the code that crate gave it.
    #[error("{message}")]
    Feature { code: ErrorCode, message: String },

    /// The statistics engine's error (a bad A/B file, figures that cannot be analysed).
    #[error("{0}")]
    Stats(#[from] rebound_stats::StatsError),
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::WorkspaceNotFound { .. } => ErrorCode::WorkspaceNotFound,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::NotAWorkspace { .. } => ErrorCode::NotAWorkspace,
            Error::WorkspaceTooNew { .. } => ErrorCode::WorkspaceTooNew,
            Error::AlreadyExists { .. } => ErrorCode::AlreadyExists,
            Error::WorkspaceNotEmpty { .. } => ErrorCode::WorkspaceNotEmpty,
            Error::NoWorkspace => ErrorCode::NoWorkspace,
            Error::InvalidInput(_) => ErrorCode::InvalidInput,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Io { .. } => ErrorCode::Io,
            Error::Database { .. } | Error::Sqlite { .. } | Error::Migrate(_) => {
                ErrorCode::Database
            }
            Error::Format(e) => match e {
                FormatError::Unrecognised { .. } => ErrorCode::UnrecognisedFormat,
                FormatError::NotThisFormat { .. } => ErrorCode::WrongFormat,
                FormatError::NeedsMapping { .. } => ErrorCode::NeedsMapping,
                FormatError::Cancelled { .. } => ErrorCode::Cancelled,
                FormatError::Io { .. }
                | FormatError::Malformed { .. }
                | FormatError::Spreadsheet { .. } => ErrorCode::UnreadableFile,
            },
            Error::Chart { .. } => ErrorCode::Internal,
            Error::Feature { code, .. } => *code,
            Error::Stats(e) => stats_code(e),
        }
    }

    pub fn db(op: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
        move |source| Error::Database { op, source }
    }

    /// Maps an I/O error of `op` on `path` (e.g. `map_err(Error::io("write", &path))`).
    pub fn io(op: &'static str, path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { op, path, source }
    }
}

/// The code of a statistics engine error.
pub fn stats_code(error: &rebound_stats::StatsError) -> ErrorCode {
    use rebound_formats::ab::AbFileError;
    use rebound_stats::StatsError as E;
    match error {
        E::File(AbFileError::Open { .. }) => ErrorCode::UnreadableFile,
        E::File(AbFileError::Header { .. }) => ErrorCode::BadHeader,
        E::File(AbFileError::Row { .. } | AbFileError::Cell { .. }) => ErrorCode::BadRow,
        E::InvalidInput(_) => ErrorCode::InvalidInput,
        E::InvalidPlan(_) => ErrorCode::InvalidPlan,
    }
}

/// What kind of failure happened, for programs: the UI chooses what to show
/// by code, scripts reading `--json` output branch on it. One set for every
/// crate; a feature's codes sit beside the workspace's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    WorkspaceNotFound,
    /// A campaign, experiment or import that is not in the workspace.
    NotFound,
    NotAWorkspace,
    WorkspaceTooNew,
    AlreadyExists,
    WorkspaceNotEmpty,
    NoWorkspace,
    InvalidInput,
    Cancelled,
    Io,
    Database,
    Internal,
    /// A file whose format could not be told from its content.
    UnrecognisedFormat,
    /// A file that is not what it was said to be.
    WrongFormat,
    /// A CSV/JSON-lines file that needs a column mapping first.
    NeedsMapping,
    /// A file that could not be read through (broken structure, bad spreadsheet).
    UnreadableFile,
    /// An A/B results file whose header lacks what an analysis needs.
    BadHeader,
    /// An A/B results file with a row or cell that cannot be read.
    BadRow,
    /// An experiment plan that cannot be worked out (a lift of zero, a rate of 1).
    InvalidPlan,
    /// A segment rule that is not valid (an empty event name, a reversed range).
    InvalidRule,
    /// A segment definition file that cannot be read as one.
    InvalidSegmentFile,
    SegmentNotFound,
    /// A segment other segments or campaigns still use.
    SegmentInUse,
    /// Segments that include each other.
    SegmentCycle,
    /// A period whose end is before its start, or too long.
    InvalidRange,
    PersonNotFound,
    /// A creative template that is not valid.
    InvalidTemplate,
    /// An ad format Rebound does not know.
    UnknownAdFormat,
    TemplateNotFound,
    /// A sequence flow that is not valid.
    InvalidFlow,
    /// A flow file that cannot be read as one.
    InvalidFlowFile,
    /// Sending rules that are not valid (quiet hours, caps).
    InvalidRules,
    FlowNotFound,
    /// The mail server refused or could not be reached.
    Smtp,
}

/// An error as it crosses a process boundary (Tauri IPC, `--json` output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

impl From<&Error> for ErrorPayload {
    fn from(error: &Error) -> Self {
        ErrorPayload {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rebound_formats::ab::AbFileError;
    use rebound_stats::StatsError;

    fn io() -> std::io::Error {
        std::io::Error::other("x")
    }

    /// Every variant and its code: the table the IPC and `--json` edges report from.
    #[test]
    fn every_error_has_its_code() {
        let path = || PathBuf::from("w.rebound");
        let file = || "f.csv".to_string();
        let text = || "r".to_string();
        let format = |e: FormatError| Error::Format(e);
        let cases = [
            (
                Error::WorkspaceNotFound { path: path() },
                ErrorCode::WorkspaceNotFound,
            ),
            (Error::NotFound(text()), ErrorCode::NotFound),
            (
                Error::NotAWorkspace {
                    path: path(),
                    reason: text(),
                },
                ErrorCode::NotAWorkspace,
            ),
            (
                Error::WorkspaceTooNew {
                    path: path(),
                    found: 2,
                    known: 1,
                },
                ErrorCode::WorkspaceTooNew,
            ),
            (
                Error::AlreadyExists { path: path() },
                ErrorCode::AlreadyExists,
            ),
            (
                Error::WorkspaceNotEmpty {
                    path: path(),
                    what: text(),
                },
                ErrorCode::WorkspaceNotEmpty,
            ),
            (Error::NoWorkspace, ErrorCode::NoWorkspace),
            (Error::InvalidInput(text()), ErrorCode::InvalidInput),
            (Error::Cancelled, ErrorCode::Cancelled),
            (
                Error::Io {
                    op: "read",
                    path: path(),
                    source: io(),
                },
                ErrorCode::Io,
            ),
            (
                Error::Database {
                    op: "reading",
                    source: sqlx::Error::RowNotFound,
                },
                ErrorCode::Database,
            ),
            (
                Error::Sqlite {
                    op: "reading",
                    message: text(),
                },
                ErrorCode::Database,
            ),
            (
                Error::Migrate(sqlx::migrate::MigrateError::VersionMissing(1)),
                ErrorCode::Database,
            ),
            (
                format(FormatError::Io {
                    file: file(),
                    source: io(),
                }),
                ErrorCode::UnreadableFile,
            ),
            (
                format(FormatError::Malformed {
                    file: file(),
                    line: 3,
                    reason: text(),
                }),
                ErrorCode::UnreadableFile,
            ),
            (
                format(FormatError::NotThisFormat {
                    file: file(),
                    format: "shopify".into(),
                    reason: text(),
                }),
                ErrorCode::WrongFormat,
            ),
            (
                format(FormatError::Unrecognised {
                    file: file(),
                    reason: text(),
                }),
                ErrorCode::UnrecognisedFormat,
            ),
            (
                format(FormatError::NeedsMapping {
                    file: file(),
                    reason: text(),
                }),
                ErrorCode::NeedsMapping,
            ),
            (
                format(FormatError::Spreadsheet {
                    file: file(),
                    reason: text(),
                }),
                ErrorCode::UnreadableFile,
            ),
            (
                format(FormatError::Cancelled { file: file() }),
                ErrorCode::Cancelled,
            ),
            (
                Error::Chart {
                    chart: "forest",
                    reason: text(),
                },
                ErrorCode::Internal,
            ),
            (
                Error::Feature {
                    code: ErrorCode::SegmentCycle,
                    message: text(),
                },
                ErrorCode::SegmentCycle,
            ),
            (
                Error::Stats(StatsError::File(AbFileError::Open {
                    file: file(),
                    source: io(),
                })),
                ErrorCode::UnreadableFile,
            ),
            (
                Error::Stats(StatsError::File(AbFileError::Header {
                    file: file(),
                    reason: text(),
                })),
                ErrorCode::BadHeader,
            ),
            (
                Error::Stats(StatsError::File(AbFileError::Row {
                    file: file(),
                    line: 2,
                    reason: text(),
                })),
                ErrorCode::BadRow,
            ),
            (
                Error::Stats(StatsError::File(AbFileError::Cell {
                    file: file(),
                    line: 2,
                    column: "converted".into(),
                    value: "yes?".into(),
                    problem: "not a boolean".into(),
                })),
                ErrorCode::BadRow,
            ),
            (
                Error::Stats(StatsError::InvalidInput(text())),
                ErrorCode::InvalidInput,
            ),
            (
                Error::Stats(StatsError::InvalidPlan(text())),
                ErrorCode::InvalidPlan,
            ),
        ];
        for (error, code) in cases {
            assert_eq!(error.code(), code, "{error}");
            let payload = ErrorPayload::from(&error);
            assert_eq!(payload.code, code);
            assert_eq!(payload.message, error.to_string());
        }
    }

    /// The codes as the UI and scripts read them: snake_case strings.
    #[test]
    fn codes_serialise_as_snake_case() {
        let json = |c: ErrorCode| serde_json::to_value(c).unwrap();
        assert_eq!(json(ErrorCode::AlreadyExists), "already_exists");
        assert_eq!(json(ErrorCode::SegmentNotFound), "segment_not_found");
        assert_eq!(json(ErrorCode::UnknownAdFormat), "unknown_ad_format");
    }
}
