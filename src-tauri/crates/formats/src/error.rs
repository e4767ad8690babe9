//! The crate's one error type. Messages are lower-case and name the file, and where it
//! matters the line, column and reason, so the importer can show them as they are.

use thiserror::Error;

/// Why a whole file could not be read. Single bad rows are not errors: they become
/// [`crate::Rejection`]s and the file goes on.
#[derive(Debug, Error)]
pub enum FormatError {
    #[error("cannot read {file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read line {line} of {file}: {reason}")]
    Malformed {
        file: String,
        line: u64,
        reason: String,
    },
    #[error("{file} is not a {format} file: {reason}")]
    NotThisFormat {
        file: String,
        format: String,
        reason: String,
    },
    #[error("the format of {file} was not recognised: {reason}")]
    Unrecognised { file: String, reason: String },
    #[error("{file} needs a column mapping before it can be imported: {reason}")]
    NeedsMapping { file: String, reason: String },
    #[error("cannot read the spreadsheet {file}: {reason}")]
    Spreadsheet { file: String, reason: String },
    #[error("the import of {file} was cancelled")]
    Cancelled { file: String },
}
