//! The one error type of the sequences crate. Messages are lower-case and
//! name the operation and the thing; `code()` maps every variant to the one
//! `rebound_core::ErrorCode` set the Tauri and CLI edges put in `{code, message}`.

use rebound_core::ErrorCode;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A flow that breaks the documented model; `at` is the path of the step.
    #[error("invalid flow {flow:?}: {at}: {reason}")]
    InvalidFlow {
        flow: String,
        at: String,
        reason: String,
    },

    #[error("cannot read the flow file {file}: {reason}")]
    FlowFile { file: String, reason: String },

    #[error("invalid sending rules: {0}")]
    InvalidRules(String),

    #[error("cannot render {what}: {reason}")]
    Template { what: String, reason: String },

    #[error("no flow with id {0}")]
    FlowNotFound(i64),

    #[error("cannot save flow {0:?}: a flow with that name already exists")]
    DuplicateName(String),

    #[error("no person with id {0}")]
    PersonNotFound(i64),

    #[error("cannot run the dry run from {from} to {to}: {reason}")]
    InvalidPeriod {
        from: String,
        to: String,
        reason: String,
    },

    #[error("the dry run was cancelled")]
    Cancelled,

    #[error("segment {segment:?} of the trigger: {reason}")]
    Segment { segment: String, reason: String },

    #[error("cannot send the test e-mail: {0}")]
    Smtp(String),

    #[error("cannot {op} {path}: {source}")]
    Io {
        op: &'static str,
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("database error while {op}: {source}")]
    Database {
        op: &'static str,
        #[source]
        source: sqlx::Error,
    },
}

impl Error {
    /// The code the IPC and `--json` edges report for this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidFlow { .. } => ErrorCode::InvalidFlow,
            Error::FlowFile { .. } => ErrorCode::InvalidFlowFile,
            Error::InvalidRules(_) => ErrorCode::InvalidRules,
            Error::Template { .. } => ErrorCode::InvalidTemplate,
            Error::FlowNotFound(_) => ErrorCode::FlowNotFound,
            Error::DuplicateName(_) => ErrorCode::AlreadyExists,
            Error::PersonNotFound(_) => ErrorCode::PersonNotFound,
            Error::InvalidPeriod { .. } => ErrorCode::InvalidRange,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Segment { .. } => ErrorCode::InvalidRule,
            Error::Smtp(_) => ErrorCode::Smtp,
            Error::Io { .. } => ErrorCode::Io,
            Error::Database { .. } => ErrorCode::Database,
        }
    }

    pub(crate) fn db(op: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
        move |source| Error::Database { op, source }
    }
}

/// Across crates, a sequence error keeps its code (`Error::Feature`).
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
        let a = || ("a".to_string(), "b".to_string(), "r".to_string());
        let cases = [
            (
                Error::InvalidFlow {
                    flow: a().0,
                    at: a().1,
                    reason: a().2,
                },
                ErrorCode::InvalidFlow,
            ),
            (
                Error::FlowFile {
                    file: a().0,
                    reason: a().2,
                },
                ErrorCode::InvalidFlowFile,
            ),
            (Error::InvalidRules(a().2), ErrorCode::InvalidRules),
            (
                Error::Template {
                    what: a().0,
                    reason: a().2,
                },
                ErrorCode::InvalidTemplate,
            ),
            (Error::FlowNotFound(1), ErrorCode::FlowNotFound),
            (Error::DuplicateName(a().0), ErrorCode::AlreadyExists),
            (Error::PersonNotFound(1), ErrorCode::PersonNotFound),
            (
                Error::InvalidPeriod {
                    from: a().0,
                    to: a().1,
                    reason: a().2,
                },
                ErrorCode::InvalidRange,
            ),
            (Error::Cancelled, ErrorCode::Cancelled),
            (
                Error::Segment {
                    segment: a().0,
                    reason: a().2,
                },
                ErrorCode::InvalidRule,
            ),
            (Error::Smtp(a().2), ErrorCode::Smtp),
            (
                Error::Io {
                    op: "read",
                    path: "f".into(),
                    source: std::io::Error::other("x"),
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
        ];
        rebound_testsupport::assert_codes(cases, Error::code);
    }
}
