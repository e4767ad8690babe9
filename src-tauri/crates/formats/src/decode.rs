//! Turning bytes into UTF-8 text: BOM sniffing (UTF-8, UTF-16LE, UTF-16BE), UTF-16LE
//! without a BOM (recognised by its zero high bytes), and a byte counter for progress.
//!
//! Line endings (CRLF, LF) and a missing final newline are handled by the CSV reader and
//! the line reader downstream; nothing here rewrites line endings.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The text encoding found at the start of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextEncoding {
    pub encoding: &'static Encoding,
    pub bom: bool,
}

impl TextEncoding {
    /// A short human name, e.g. "UTF-16LE with BOM".
    pub fn describe(&self) -> String {
        format!(
            "{}{}",
            self.encoding.name(),
            if self.bom { " with BOM" } else { "" }
        )
    }
}

/// Looks at the first bytes of a file and says how its text is encoded.
pub fn sniff_encoding(prefix: &[u8]) -> TextEncoding {
    if let Some((encoding, _)) = Encoding::for_bom(prefix) {
        return TextEncoding {
            encoding,
            bom: true,
        };
    }
    // UTF-16LE without a BOM: ASCII-heavy text has a zero in every odd byte.
    let sample = &prefix[..prefix.len().min(512) & !1];
    if sample.len() >= 4 {
        let odd_zero = sample.chunks(2).filter(|c| c[1] == 0 && c[0] != 0).count();
        let even_zero = sample.chunks(2).filter(|c| c[0] == 0 && c[1] != 0).count();
        let pairs = sample.len() / 2;
        if odd_zero * 10 >= pairs * 9 {
            return TextEncoding {
                encoding: UTF_16LE,
                bom: false,
            };
        }
        if even_zero * 10 >= pairs * 9 {
            return TextEncoding {
                encoding: UTF_16BE,
                bom: false,
            };
        }
    }
    TextEncoding {
        encoding: UTF_8,
        bom: false,
    }
}

/// Decodes a prefix to text for sniffing. A character cut at the end of the prefix
/// becomes U+FFFD, which is harmless for detection.
pub fn decode_prefix(prefix: &[u8]) -> (String, TextEncoding) {
    let enc = sniff_encoding(prefix);
    let body = if enc.bom {
        let bom_len = if enc.encoding == UTF_8 { 3 } else { 2 };
        &prefix[bom_len.min(prefix.len())..]
    } else {
        prefix
    };
    let (text, _) = enc.encoding.decode_without_bom_handling(body);
    (text.into_owned(), enc)
}

/// Wraps a reader so that it yields UTF-8: the BOM is removed, UTF-16 is transcoded,
/// and UTF-8 passes through untouched (invalid bytes are caught per row later, so a bad
/// row is rejected instead of silently altered).
pub fn decoding_reader<R: Read>(reader: R, enc: TextEncoding) -> DecodeReaderBytes<R, Vec<u8>> {
    let explicit = if enc.encoding == UTF_8 {
        None
    } else {
        Some(enc.encoding)
    };
    DecodeReaderBytesBuilder::new()
        .encoding(explicit)
        .bom_override(true)
        .strip_bom(true)
        .build(reader)
}

/// A shared counter of raw bytes consumed, for a progress bar. Clone it, hand one copy to
/// the parser through [`crate::ParseOptions`], and poll the other from the UI thread.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<AtomicU64>);

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }
    /// Raw (undecoded) bytes read from the file so far.
    pub fn bytes_read(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
    pub(crate) fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
}

/// Counts the bytes that pass through it into a [`Progress`].
pub(crate) struct CountingReader<R> {
    pub inner: R,
    pub progress: Progress,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.add(n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16le_with_and_without_bom() {
        let text = "Campaign\tCost\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (decoded, enc) = decode_prefix(&bytes);
        assert_eq!(decoded, text);
        assert!(enc.bom);
        let (decoded, enc) = decode_prefix(&bytes[2..]);
        assert_eq!(decoded, text);
        assert_eq!(enc.encoding, UTF_16LE);
        assert!(!enc.bom);
    }

    #[test]
    fn utf8_bom_is_removed_by_the_reader() {
        let bytes = b"\xEF\xBB\xBFid,title\n".to_vec();
        let enc = sniff_encoding(&bytes);
        let mut out = String::new();
        decoding_reader(&bytes[..], enc)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, "id,title\n");
    }
}
