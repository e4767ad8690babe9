//! The one error type of the statistics crate.
//!
//! Errors are for input that cannot be analysed at all: an unreadable file, a
//! cell that is not a number, 12 conversions out of 10 users, a planner asked
//! for 150% power. Data that is valid but cannot support a conclusion (no
//! conversions, a single variant, zero variance) is not an error: it yields a
//! neutral result with a [`crate::ReasonCode`]. Each variant has a stable
//! [`StatsError::code`] for the IPC edge; messages are lower-case and name the
//! operation and the thing.

pub type Result<T, E = StatsError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// The file cannot be read: opened, its header, a line or a cell. The
    /// reader is the one an import of the same file uses, so are its words.
    #[error(transparent)]
    File(#[from] rebound_formats::ab::AbFileError),

    #[error("cannot analyse experiment: {0}")]
    InvalidInput(String),

    #[error("cannot plan experiment: {0}")]
    InvalidPlan(String),
}
