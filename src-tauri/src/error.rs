//! Errors as they cross IPC: `{ code, message }`, codes from the domain's
//! one enum (feature crates' errors map to it in `rebound-core`), so the UI
//! switches on a code and shows the message, the same one `--json` prints.

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

pub type IpcResult<T> = Result<T, IpcError>;
