//! The one error type of the creatives crate.
//!
//! Messages are lower-case and name the operation and the thing, so the
//! Tauri and CLI adapters can show them as they are; `code()` gives them a
//! stable string to switch on.

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
    /// A stable code for the IPC and `--json` edges.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidTemplate { .. } => "invalid_template",
            Error::UnknownFormat(_) => "unknown_format",
            Error::TemplateNotFound(_) | Error::TemplateNameNotFound(_) => "template_not_found",
            Error::DuplicateName(_) => "duplicate_template_name",
            Error::PersonNotFound(_) => "person_not_found",
            Error::Io { .. } => "io",
            Error::Render(_) => "internal",
            Error::Segment(e) => e.code(),
            Error::Database { .. } => "database",
        }
    }

    pub(crate) fn db(op: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
        move |source| Error::Database { op, source }
    }
}
