//! The one error type of the sequences crate. Messages are lower-case and
//! name the operation and the thing; `code()` is the stable string the Tauri
//! and CLI edges put in `{code, message}`.

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
    /// A stable code for the IPC and `--json` edges.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidFlow { .. } => "invalid_flow",
            Error::FlowFile { .. } => "invalid_flow_file",
            Error::InvalidRules(_) => "invalid_rules",
            Error::Template { .. } => "invalid_template",
            Error::FlowNotFound(_) => "flow_not_found",
            Error::DuplicateName(_) => "duplicate_flow_name",
            Error::PersonNotFound(_) => "person_not_found",
            Error::InvalidPeriod { .. } => "invalid_range",
            Error::Cancelled => "cancelled",
            Error::Segment { .. } => "invalid_rule",
            Error::Smtp(_) => "smtp",
            Error::Io { .. } => "io",
            Error::Database { .. } => "database",
        }
    }

    pub(crate) fn db(op: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
        move |source| Error::Database { op, source }
    }
}
