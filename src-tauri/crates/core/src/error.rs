//! The one error type of the domain.
//!
//! Every variant maps to exactly one [`ErrorCode`]; the codes are what the
//! UI and scripts switch on, the messages are what a person reads. Messages
//! are lower-case and name the operation and the thing it was done to.

use std::path::PathBuf;

use rebound_formats::FormatError;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no workspace file at {}", path.display())]
    WorkspaceNotFound { path: PathBuf },

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
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::WorkspaceNotFound { .. } => ErrorCode::WorkspaceNotFound,
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
        }
    }

    pub(crate) fn db(op: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
        move |source| Error::Database { op, source }
    }

    pub(crate) fn io(
        op: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { op, path, source }
    }
}

/// What kind of failure happened, for programs: the UI chooses what to show
/// by code, scripts reading `--json` output branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    WorkspaceNotFound,
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
