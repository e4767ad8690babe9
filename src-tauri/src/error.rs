//! Errors as they cross IPC: `{ code, message }`, codes from the domain's
//! one enum, so the UI switches on a code and shows the message.

use rebound_core::ErrorPayload;
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct IpcError(pub ErrorPayload);

impl From<rebound_core::Error> for IpcError {
    fn from(error: rebound_core::Error) -> Self {
        tracing::warn!(code = ?error.code(), %error, "command failed");
        IpcError(ErrorPayload::from(&error))
    }
}

/// Segment errors cross with the nearest shared code: the message says which
/// rule, name or file was wrong, and the UI shows it where the action was.
impl From<rebound_segments::Error> for IpcError {
    fn from(error: rebound_segments::Error) -> Self {
        use rebound_core::ErrorCode;
        use rebound_segments::Error as E;
        let code = match &error {
            E::DuplicateName(_) => ErrorCode::AlreadyExists,
            E::Io { .. } => ErrorCode::Io,
            E::Database { .. } => ErrorCode::Database,
            E::Chart(_) => ErrorCode::Internal,
            E::Cancelled => ErrorCode::Cancelled,
            _ => ErrorCode::InvalidInput,
        };
        tracing::warn!(code = error.code(), %error, "segment command failed");
        IpcError(ErrorPayload {
            code,
            message: error.to_string(),
        })
    }
}

/// Creative errors cross with the nearest shared code, like segment errors.
impl From<rebound_creatives::Error> for IpcError {
    fn from(error: rebound_creatives::Error) -> Self {
        use rebound_core::ErrorCode;
        use rebound_creatives::Error as E;
        let code = match &error {
            E::DuplicateName(_) => ErrorCode::AlreadyExists,
            E::Io { .. } => ErrorCode::Io,
            E::Database { .. } => ErrorCode::Database,
            E::Render(_) => ErrorCode::Internal,
            _ => ErrorCode::InvalidInput,
        };
        tracing::warn!(code = error.code(), %error, "creative command failed");
        IpcError(ErrorPayload {
            code,
            message: error.to_string(),
        })
    }
}

/// Sequence errors cross with the nearest shared code, like segment errors.
impl From<rebound_sequences::Error> for IpcError {
    fn from(error: rebound_sequences::Error) -> Self {
        use rebound_core::ErrorCode;
        use rebound_sequences::Error as E;
        let code = match &error {
            E::DuplicateName(_) => ErrorCode::AlreadyExists,
            E::Cancelled => ErrorCode::Cancelled,
            E::Io { .. } => ErrorCode::Io,
            E::Database { .. } => ErrorCode::Database,
            _ => ErrorCode::InvalidInput,
        };
        tracing::warn!(code = error.code(), %error, "sequence command failed");
        IpcError(ErrorPayload {
            code,
            message: error.to_string(),
        })
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
