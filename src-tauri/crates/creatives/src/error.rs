//! The one error type of the creatives crate.
//!
//! Messages are lower-case and name the operation and the thing, so the
//! Tauri and CLI adapters can show them as they are; `code()` maps every
//! variant to the one `rebound_core::ErrorCode` set.

use rebound_core::ErrorCode;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A template field that cannot be used: a bad token, an empty name, a
    /// colour that is not `#rrggbb`, an unknown logo. `field` names the field
    /// (and column, for tokens).
    #[error("invalid template {template:?}: {field}: {reason}")]
    InvalidTemplate {
        template: String,
        field: String,
        reason: String,
    },

    #[error("unknown ad format {0:?}; known formats: {known}", known = crate::format::AdFormat::ids().join(", "))]
    UnknownFormat(String),

    #[error("no creative template with id {0}")]
    TemplateNotFound(i64),

    #[error("no creative template named {0:?}")]
    TemplateNameNotFound(String),

    #[error("cannot save template {0:?}: a template with that name already exists")]
    DuplicateName(String),

    #[error("no person with id {0}")]
    PersonNotFound(i64),

    #[error("cannot {op} {path}: {source}")]
    Io {
        op: &'static str,
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot rasterise the creative: {0}")]
    Render(String),

    #[error(transparent)]
    Segment(#[from] rebound_segments::Error),

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
            Error::InvalidTemplate { .. } => ErrorCode::InvalidTemplate,
            Error::UnknownFormat(_) => ErrorCode::UnknownAdFormat,
            Error::TemplateNotFound(_) | Error::TemplateNameNotFound(_) => {
                ErrorCode::TemplateNotFound
            }
            Error::DuplicateName(_) => ErrorCode::AlreadyExists,
            Error::PersonNotFound(_) => ErrorCode::PersonNotFound,
            Error::Io { .. } => ErrorCode::Io,
            Error::Render(_) => ErrorCode::Internal,
            Error::Segment(e) => e.code(),
            Error::Database { .. } => ErrorCode::Database,
        }
    }

    pub(crate) fn db(op: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
        move |source| Error::Database { op, source }
    }
}

/// Across crates, a creative error keeps its code (`Error::Feature`).
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
        let cases = [
            (
                Error::InvalidTemplate {
                    template: "t".into(),
                    field: "headline".into(),
                    reason: "r".into(),
                },
                ErrorCode::InvalidTemplate,
            ),
            (Error::UnknownFormat("x".into()), ErrorCode::UnknownAdFormat),
            (Error::TemplateNotFound(1), ErrorCode::TemplateNotFound),
            (
                Error::TemplateNameNotFound("t".into()),
                ErrorCode::TemplateNotFound,
            ),
            (Error::DuplicateName("t".into()), ErrorCode::AlreadyExists),
            (Error::PersonNotFound(1), ErrorCode::PersonNotFound),
            (
                Error::Io {
                    op: "write",
                    path: "f".into(),
                    source: std::io::Error::other("x"),
                },
                ErrorCode::Io,
            ),
            (Error::Render("x".into()), ErrorCode::Internal),
            (
                Error::Segment(rebound_segments::Error::SegmentNotFound(3)),
                ErrorCode::SegmentNotFound,
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
