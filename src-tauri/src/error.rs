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

/// A feature crate's error crosses with the code that crate's `code()` gives
/// it, the same code `--json` reports (through `rebound_core::Error::Feature`).
macro_rules! feature_error {
    ($($error:ty => $what:literal),* $(,)?) => {$(
        impl From<$error> for IpcError {
            fn from(error: $error) -> Self {
                tracing::warn!(code = ?error.code(), %error, concat!($what, " command failed"));
                IpcError(ErrorPayload::from(&rebound_core::Error::from(error)))
            }
        }
    )*};
}

feature_error!(
    rebound_segments::Error => "segment",
    rebound_creatives::Error => "creative",
    rebound_sequences::Error => "sequence",
);

pub type IpcResult<T> = Result<T, IpcError>;
