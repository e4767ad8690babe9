//! Writing a file an operation produced, with the error naming the file.

use std::path::Path;

use rebound_core::{Error, Result};

pub(crate) fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| Error::Io {
        op: "write",
        path: path.to_path_buf(),
        source,
    })
}
